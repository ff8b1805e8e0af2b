"""Metrics of the hand-written letters (tests/letters, expectations in tests/cases/letters.jsonl).

Every metric a careful reader lists must come out with the same value, unit and qualifier, and no
other row may appear: precision and recall are both checked, letter by letter.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dafu import process

ROOT = Path(__file__).parent.parent
CASES = [json.loads(line) for line in (ROOT / "tests/cases/letters.jsonl").read_text("utf-8").splitlines() if line]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_letter_metrics(case):
    record = process((ROOT / case["file"]).read_text("utf-8"))
    expected = case["expect"].get("metrics") or []
    assert Counter(m.raw for m in record.metrics) == Counter(m["raw"] for m in expected)
    got = {m.raw: m for m in record.metrics}
    for m in expected:
        q = got[m["raw"]]
        assert (float(q.value), q.unit, q.qualifier) == (float(m["value"]), m["unit"], m.get("qualifier")), m
        if m.get("value_high") is not None:
            assert q.value_high == m["value_high"]
