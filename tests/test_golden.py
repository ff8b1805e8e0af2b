"""Golden files: the full record and CSV rows of every sample, compared in full.

Refresh with ``DAFU_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and read the diff before
committing (tests/golden/README.md says how the goldens were checked).
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import orjson
import pytest

from dafu import process
from dafu.output import CSV_COLUMNS, csv_rows, record_to_dict

from .test_pipeline import check

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
UPDATE = os.environ.get("DAFU_UPDATE_GOLDEN") == "1"


def _csv_text(record) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(record))
    return buf.getvalue()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_matches_golden(path):
    record = process(path.read_text("utf-8"), id=path.stem)
    check(record)
    got_json = orjson.dumps(record_to_dict(record), option=orjson.OPT_INDENT_2).decode() + "\n"
    got_csv = _csv_text(record)
    json_file, csv_file = GOLDEN / f"{path.stem}.json", GOLDEN / f"{path.stem}.csv"
    if UPDATE:
        json_file.write_text(got_json, "utf-8")
        csv_file.write_text(got_csv, "utf-8")
    assert got_json == json_file.read_text("utf-8")
    assert got_csv == csv_file.read_text("utf-8")
