"""process(): never raises, always a schema-valid record whose spans slice back to their values."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings

from dafu import normalize, process, segment
from dafu.output import json_schema, record_to_dict, record_to_json

from .strategies import any_text


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema())


def _script_free(s: str) -> str:
    """A name or figure as the page writes it (traditional on a traditional page, with its ASCII marks) against the
    text in the output script."""
    return unicodedata.normalize("NFKC", _T2S.convert(s))


_T2S = __import__("opencc").OpenCC("t2s")


def assert_spans_slice_back(d: dict) -> None:
    """Every value that has a span is text[start:end]; a name copied from the page (document number, addressee) is
    as the page writes it, so it is the slice up to script."""
    text = d["text"]
    for m in d["metrics"]:  # the figure as the page writes it (四萬一千張 on a traditional page)
        assert _script_free(text[m["span"][0]:m["span"][1]]) == _script_free(m["raw"])
        assert m["sentence"] in text
    for c in d["cited_documents"]:
        assert text[c["span"][0]:c["span"][1]].startswith("《" + c["title"])
    if d["doc_number"] and d["doc_number"]["span"]:
        s = d["doc_number"]["span"]
        assert _script_free(text[s[0]:s[1]]) == _script_free(d["doc_number"]["raw"])
    for a in d["addressees"]:  # a person's name without its letter spacing (王　磊 → 王磊)
        assert _script_free(a["name"]) in _script_free(re.sub("[ \u3000]", "", text[a["span"][0]:a["span"][1]]))
    for r in d["normalization"]["mojibake_repaired"]:
        assert text[r["start"]:r["end"]] == r["repaired"]

    def walk(sections, lo, hi):
        for s in sections:
            assert lo <= s["span"][0] <= s["span"][1] <= hi
            walk(s["children"], *s["span"])
    walk(d["sections"], 0, len(text))


def check(record) -> dict:
    d = record_to_dict(record)
    errors = sorted(_validator().iter_errors(d), key=str)
    assert not errors, errors[0]
    assert orjson.loads(record_to_json(record)) == d
    assert_spans_slice_back(d)
    return d


@settings(max_examples=2000, deadline=None)
@given(any_text)
def test_process_never_raises_and_is_schema_valid(text):
    """For any string, process() returns a schema-valid record whose spans slice back."""
    d = check(process(text))
    assert not [w for w in d["warnings"] if w["code"] == "internal_error"], d["warnings"]


@pytest.mark.parametrize("text", ["", " ", "\n\n", "?" * 50, "（" * 5000, "一" * 100_000, "1" * 100_000])
def test_edge_strings(text):
    check(process(text))


def test_keys_in_design_order():
    d = record_to_dict(process("收悉。"))
    assert list(d) == [
        "schema", "id", "source", "duplicate_of", "doc_type", "title", "doc_number", "category", "signer", "metadata",
        "proposal", "addressees", "issuer", "date", "contact", "cc", "sections", "metrics",
        "cited_documents", "organizations", "normalization", "corrections", "warnings", "text",
    ]


def test_redact_replaces_contact_name_and_phones():
    from dafu import Options
    text = ("张三委员：\n您提出的建议收悉。现答复如下：\n全市培训3000人次。\n此复。\n"
            "某市人力资源和社会保障局\n2024年5月16日\n（联系人及电话：李四 13800138000）\n")
    d = record_to_dict(process(text, options=Options(redact=True)))
    blob = orjson.dumps(d).decode()
    assert "李四" not in blob and "13800138000" not in blob and "[redacted]" in d["text"]
    check(process(text, options=Options(redact=True)))


@pytest.mark.parametrize("name, text", [
    ("1 MB line without punctuation", "技能培训工作" * 170_000),
    ("100k nested brackets", "（" * 100_000 + "培训" + "）" * 100_000),
    ("20k metrics in one sentence", "全市培训3000人次、" * 20_000),
    ("1 MB of digits", "1" * 1_000_000),
    ("80k spaces inside a line", "技" + " " * 80_000 + "能"),
    ("100k question marks in text", "問題?好" * 100_000),
])
def test_pathological_text_is_linear(name, text):
    """Pathological lines finish in seconds (they took minutes while one step was quadratic).

    A generous bound, not a speed target: speed is measured in bench/.
    """
    import time
    started = time.monotonic()
    record = process(text)
    assert time.monotonic() - started < 60, name
    assert record.text


def test_redaction_keeps_every_offset_valid():
    """--redact rewrites the text after normalization; repair offsets must follow it."""
    from pathlib import Path

    from dafu import Options
    text = (Path(__file__).parent.parent / "samples/000_08d6c07602bede5a.txt").read_text("utf-8")
    d = check(process(text, options=Options(redact=True)))
    assert "朱华" not in d["text"] and "18926661293" not in d["text"]
    assert len(d["normalization"]["mojibake_repaired"]) == 4


def test_contact_person_agrees_with_segment():
    """Redaction finds the contact's name without segmenting; it must be the name segment finds."""
    from dafu.read import read_file
    from dafu.segment import contact_person

    root = Path(__file__).parent.parent
    paths = sorted((root / "samples").glob("*.txt")) + sorted((root / "tests" / "letters").glob("*.txt"))
    paths += sorted((root / "tests" / "holdout").glob("*.txt"))
    assert len(paths) > 30
    for path in paths:
        text = normalize(read_file(path).text).text
        seg = segment(text)
        assert contact_person(text) == (seg.contact.person if seg.contact else None), path.name
