"""Checks that tests/cases/letters.jsonl is well-formed and agrees with the letters it describes.

These tests check the hand-written expectations, not the parser: every file exists, every key is
present, dates are ISO, and every quoted value (metric raw, names, markers, headings, phones …) can be
found in the letter once it is loosely normalized (OpenCC t2s and full-width punctuation), in the
order the expectations list it.
"""
from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES_FILE = ROOT / "tests" / "cases" / "letters.jsonl"

EXPECT_KEYS = {
    "doc_type", "title", "doc_number", "category", "signer", "proposal", "addressees", "issuer",
    "date", "contact", "cc", "sections", "metrics",
}
OPTIONAL_EXPECT_KEYS = {"metadata_contains"}
DOC_TYPES = {"reply_letter", "meeting_report", "notice", "other"}
SECTION_KINDS = {"opening", "body", "next_steps", "closing"}
QUALIFIERS = {None, "more_than", "nearly", "about", "at_least", "up_to"}
ROLES = {None, "委员", "代表", "同志"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ASCII_TO_FULL = str.maketrans({":": "：", ",": "，", ";": "；", "(": "（", ")": "）",
                               "[": "〔", "]": "〕", "【": "〔", "】": "〕"})


def _load() -> list[dict]:
    """Return the cases, one dict per line of letters.jsonl."""
    lines = CASES_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


CASES = _load()
IDS = [c["id"] for c in CASES]


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def loose(text: str) -> str:
    """Return text in a loose normal form (t2s, full-width punctuation) for substring checks.

    >>> loose("第20190093號提案的答覆:")
    '第20190093号提案的答复：'
    """
    return _t2s().convert(text).translate(ASCII_TO_FULL)


@cache
def letter_text(case_id: str) -> str:
    """Return the loosely normalized text of one letter."""
    case = next(c for c in CASES if c["id"] == case_id)
    return loose((ROOT / case["file"]).read_text(encoding="utf-8"))


ARABIC_RAW = re.compile(r"(?:约|近|超过|逾|不少于|不低于|最高)?(\d+(?:\.\d+)?)(万|亿)?")


def arabic_value(raw: str) -> float | None:
    """Return the base-unit value of a raw that starts with Arabic digits, else None.

    >>> arabic_value("约1.8万个")
    18000.0
    """
    m = ARABIC_RAW.match(raw)
    if m is None:
        return None
    return float(m.group(1)) * {"万": 1e4, "亿": 1e8, None: 1}[m.group(2)]


def assert_in_order(text: str, needles: list[str], what: str) -> None:
    """Assert that each needle occurs in text after the previous one."""
    pos = 0
    for needle in needles:
        found = text.find(loose(needle), pos)
        assert found >= 0, f"{what} {needle!r} not found in order (after offset {pos})"
        pos = found + len(loose(needle))


def test_file_has_enough_cases():
    assert len(CASES) >= 24
    assert len(set(IDS)) == len(IDS), "duplicate ids"


def test_every_letter_file_has_a_case():
    letters = {p.stem for p in (ROOT / "tests" / "letters").glob("*.txt")}
    assert letters == set(IDS)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_shape(case):
    assert set(case) == {"id", "file", "variant", "source", "expect"}
    assert case["file"] == f"tests/letters/{case['id']}.txt"
    assert case["source"] == "written" and case["variant"].strip()
    e = case["expect"]
    assert EXPECT_KEYS <= set(e) <= EXPECT_KEYS | OPTIONAL_EXPECT_KEYS
    assert e["doc_type"] in DOC_TYPES
    assert e["category"] in {None, "A", "B", "C"}
    if e["date"] is not None:
        assert ISO_DATE.fullmatch(e["date"]), e["date"]
        datetime.date.fromisoformat(e["date"])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_file_is_utf8_lf(case):
    data = (ROOT / case["file"]).read_bytes()
    data.decode("utf-8")
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_header_values_occur_in_text(case):
    e, text = case["expect"], letter_text(case["id"])
    if e["title"] is not None:
        assert loose(e["title"]) in text.replace("\n", "")
    dn = e["doc_number"]
    if dn is not None:
        assert dn["raw"] in text
        assert re.fullmatch(rf"{re.escape(dn['issuer_code'])}[〔（]{dn['year']}[〕）]{dn['serial']}号", dn["raw"])
    for key in ("signer", "issuer"):
        if e[key] is not None:
            assert loose(e[key]) in text, key
    if e["category"] is not None:
        assert e["category"] in text


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_proposal_and_addressees(case):
    e, text = case["expect"], letter_text(case["id"])
    p = e["proposal"]
    if e["doc_type"] == "reply_letter":
        assert p is not None and e["addressees"]
    if p is not None:
        assert p["kind"] in {"提案", "建议", "议案"} and p["body"] in {None, "政协", "人大"}
        assert re.fullmatch(r"第\d+号", p["number"]) and p["number"] in text
        assert loose(p["meeting"]) in text and loose(p["title"]) in text
        if p["body"]:
            assert p["body"] in p["meeting"]
    names = [a["name"] for a in e["addressees"]]
    for a in e["addressees"]:
        assert set(a) == {"name", "role", "and_others"} and a["role"] in ROLES
        assert loose(a["name"]) in text
    if names and e["addressees"][0]["role"]:
        line = "、".join(names[:-1] + [names[-1] + ("等" if e["addressees"][-1]["and_others"] else "")])
        assert f"{line}{e['addressees'][0]['role']}：" in text


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_signature_block(case):
    e, text = case["expect"], letter_text(case["id"])
    c = e["contact"]
    if c is not None:
        assert set(c) == {"person", "unit", "phones"} and c["phones"]
        for value in [c["person"], c["unit"], *c["phones"]]:
            if value is not None:
                assert value in text
    for org in e["cc"]:
        assert loose(org) in text
    if e["cc"]:
        assert "抄送：" in text
    for key, value in e.get("metadata_contains", []):
        assert loose(key) in text and loose(value) in text


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_sections(case):
    e, text = case["expect"], letter_text(case["id"])
    marked = []
    for s in e["sections"]:
        assert set(s) == {"marker", "heading", "kind", "children"} and s["kind"] in SECTION_KINDS
        if s["kind"] in {"opening", "closing"}:
            assert s["marker"] is None and s["heading"] is None and not s["children"]
        if s["marker"] is not None:
            marked.append(s["marker"] + s["heading"])
        for child in s["children"]:
            assert set(child) == {"marker", "heading"}
            marked.append(child["marker"] + child["heading"])
    assert_in_order(text, marked, "section")
    kinds = [s["kind"] for s in e["sections"]]
    assert kinds.count("opening") <= 1 and kinds.count("closing") <= 1
    if "opening" in kinds:
        assert kinds[0] == "opening"
    if "closing" in kinds:
        assert kinds[-1] == "closing"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_metrics(case):

    e, text = case["expect"], letter_text(case["id"])
    for m in e["metrics"]:
        assert {"raw", "value", "unit", "qualifier"} <= set(m) <= {"raw", "value", "unit", "qualifier", "value_high"}
        assert isinstance(m["value"], (int, float)) and m["value"] > 0
        assert m["qualifier"] in QUALIFIERS
        unit = m["unit"]  # the unit and the raw as the page writes them (個)
        assert unit in m["raw"] or (unit == "%" and "百分之" in m["raw"])
        if "value_high" in m:
            assert m["value_high"] > m["value"]
    assert_in_order(text, [loose(m["raw"]) for m in e["metrics"]], "metric")
    for m in e["metrics"]:
        if (arabic := arabic_value(loose(m["raw"]))) is not None:
            assert abs(arabic - m["value"]) < 1e-6, (m["raw"], m["value"])
    raws = Counter(loose(m["raw"]) for m in e["metrics"])
    for raw, n in raws.items():
        assert text.count(raw) >= n, raw


def test_variants_are_covered():
    """The set as a whole covers the spellings and document types the brief asks for."""
    raw_texts = {c["id"]: (ROOT / c["file"]).read_text(encoding="utf-8") for c in CASES}
    types = Counter(c["expect"]["doc_type"] for c in CASES)
    assert types["meeting_report"] >= 3 and types["notice"] >= 2 and types["other"] >= 1
    joined = "\n".join(raw_texts.values())
    for spelling in ("〔20", "[20", "【20", "（20", "號", "类 别:", "A类", "答复类别", "签发人", "抄送",
                     "〇", "联系单位及电话", "议案", "区政协", "县政协"):
        assert spelling in joined or spelling in loose(joined), spelling
    assert sum(_t2s().convert(t) != t for t in raw_texts.values()) >= 2, "two traditional letters"
    assert any(c["expect"]["issuer"] is None and c["expect"]["date"] is None
               and c["expect"]["doc_type"] == "reply_letter"
               for c in CASES)
