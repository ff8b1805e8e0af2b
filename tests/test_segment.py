"""segment(): header, addressees, proposal, section tree, signature block and sentences.

Cases are data: tests/cases/letters.jsonl (the invented letters, raw, normalized here with
dafu.normalize) and segment_samples.jsonl (the five samples) are compared field by field;
sections.jsonl, segment_fields.jsonl and segment_sentences.jsonl hold small written cases.
Every span that comes back must slice the text to the value it stands for.
"""
from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings

from dafu.model import Section, Segmented
from dafu.normalize import normalize
from dafu.options import Options
from dafu.read import decode
from dafu.segment import section_path_at, segment, split_sentences

from .strategies import any_text

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
DATA = ROOT / "core" / "data"
FIELDS = ("doc_type", "title", "doc_number", "category", "signer", "proposal", "addressees", "issuer",
          "date", "contact", "cc", "sections")

# (case id, field) -> why it fails. Strict: fixing one turns the suite red until this entry goes.
XFAIL: dict[tuple[str, str], str] = {}


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (CASES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


LETTERS = _jsonl("letters.jsonl") + _jsonl("segment_samples.jsonl")


@cache
def normalized(file: str, script: str = "simplified") -> tuple[str, tuple[tuple[str, str], ...]]:
    """The normalized text and metadata of a letter file (relative to the repository)."""
    norm = normalize(decode((ROOT / file).read_bytes()).text, options=Options(script=script))
    return norm.text, norm.metadata


@cache
def segmented(file: str, script: str = "simplified") -> tuple[str, Segmented]:
    text, metadata = normalized(file, script)
    return text, segment(text, metadata=metadata)


def outline(sections: tuple[Section, ...]) -> list[dict]:
    """Sections in the form of letters.jsonl: top level with one level of children."""
    return [{"marker": s.marker, "heading": s.heading, "kind": s.kind,
             "children": [{"marker": c.marker, "heading": c.heading} for c in s.children]} for s in sections]


def as_expected(seg: Segmented, field: str):
    """One field of a Segmented in the form of letters.jsonl."""
    value = getattr(seg, field)
    if field == "doc_number":
        return value and {k: getattr(value, k) for k in ("raw", "issuer_code", "year", "serial")}
    if field == "proposal":
        return value and {k: getattr(value, k) for k in ("kind", "body", "meeting", "number", "title")}
    if field == "addressees":
        return [{"name": a.name, "role": a.role, "and_others": a.and_others} for a in value]
    if field == "contact":
        return value and {"person": value.person, "unit": value.unit, "phones": list(value.phones)}
    if field == "cc":
        return list(value)
    if field == "sections":
        return outline(value)
    return value


def _field_params():
    for case in LETTERS:
        for field in FIELDS:
            reason = XFAIL.get((case["id"], field))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(case, field, id=f"{case['id']}-{field}", marks=marks)


@pytest.mark.parametrize(("case", "field"), list(_field_params()))
def test_letter_field(case, field):
    _, seg = segmented(case["file"])
    assert as_expected(seg, field) == case["expect"][field]


def assert_spans(text: str, seg: Segmented) -> None:
    """Every span slices the text to what it stands for; sections nest; sentences are ordered."""
    if seg.doc_number and seg.doc_number.span:  # no span: lifted from the metadata 文号
        s, e = seg.doc_number.span
        assert text[s:e] == seg.doc_number.raw
    for a in seg.addressees:  # a person's name is given without its letter spacing (王　磊代表 → 王磊)
        written = text[a.span[0]:a.span[1]]
        assert written == a.name or (a.role and re.sub("[ \u3000]", "", written) == a.name)
    if seg.proposal and seg.proposal.span:
        s, e = seg.proposal.span
        assert text[s:e] in (seg.proposal.title, seg.proposal.number)
    if seg.contact:
        block = text[seg.contact.span[0]:seg.contact.span[1]]
        assert all(v in block for v in (seg.contact.person, seg.contact.unit, *seg.contact.phones) if v)
    for w in seg.warnings:
        assert w.span is None or 0 <= w.span[0] <= w.span[1] <= len(text)
    _assert_tree(text, seg.sections, 0, len(text))
    last = 0
    for s, e in seg.sentences:
        assert last <= s < e <= len(text) and text[s:e] == text[s:e].strip()
        last = e


def _assert_tree(text: str, sections: tuple[Section, ...], lo: int, hi: int) -> None:
    for s in sections:
        start, end = s.span
        assert lo <= start < end <= hi and text[start:end] == text[start:end].strip()
        if s.marker:
            assert text[start:end].startswith(s.marker)
        if s.heading:
            assert s.heading in text[start:end]
        lo = end
        _assert_tree(text, s.children, start, end)


@pytest.mark.parametrize("case", LETTERS, ids=[c["id"] for c in LETTERS])
def test_spans_slice_back(case):
    assert_spans(*segmented(case["file"]))


@pytest.mark.parametrize("case", _jsonl("segment_samples.jsonl"), ids=lambda c: c["id"])
def test_traditional_script_gives_the_same_structure(case):
    """With --script traditional the rules find the same things (values as written, in 繁体)."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    _, seg = segmented(case["file"], "traditional")
    for field in FIELDS:
        got = json.loads(t2s.convert(json.dumps(as_expected(seg, field), ensure_ascii=False)))
        assert got == json.loads(t2s.convert(json.dumps(case["expect"][field], ensure_ascii=False))), field


@pytest.mark.parametrize("case", _jsonl("sections.jsonl"), ids=lambda c: c["id"])
def test_section_tree(case):
    seg = segment(case["text"])

    def walk(sections):
        for s in sections:
            yield [s.path, s.kind, s.marker, s.heading]
            yield from walk(s.children)

    assert list(walk(seg.sections)) == case["tree"]
    assert_spans(case["text"], seg)


@pytest.mark.parametrize("case", _jsonl("segment_fields.jsonl"), ids=lambda c: c["id"])
def test_fields(case):
    seg = segment(case["text"], metadata=tuple(map(tuple, case["metadata"])))
    for field, value in case["expect"].items():
        assert as_expected(seg, field) == value, field
    assert sorted({w.code for w in seg.warnings}) == sorted(case["warnings"])
    assert_spans(case["text"], seg)


@pytest.mark.parametrize("case", _jsonl("segment_sentences.jsonl"), ids=lambda c: c["id"])
def test_split_sentences(case):
    text = case["text"]
    assert [text[s:e] for s, e in split_sentences(text)] == case["sentences"]


def test_section_path_at_finds_the_deepest_section():
    text, seg = segmented("samples/004_ec6a11e31d304edf.txt")
    at = text.index("三是在用人单位")
    assert section_path_at(seg.sections, at) == "一/三是"
    assert section_path_at(seg.sections, text.index("开办省劳模工匠本科班")) == "二"
    assert section_path_at(seg.sections, text.index("专此答复")) == "closing"
    assert section_path_at(seg.sections, len(text)) is None


@pytest.mark.parametrize("text", [
    "字" * 1_000_000,
    "（" * 100_000 + "）" * 100_000,
    "《“（〔" * 50_000 + "。",
    "1.甲\n" * 20_000,
    "王芳委员：\n" + "。一是甲" * 50_000,
    "一、" * 200_000,
    "抄送：" + "市政协、" * 100_000,
], ids=["1MB_line", "nested_brackets", "unclosed_mixed", "many_markers", "many_items", "marker_run", "long_cc"])
def test_pathological_input_finishes(text):
    """Pathological lines go through (the regexes are linear; speed is measured in bench/)."""
    seg = segment(text)
    assert_spans(text, seg)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_segment_never_raises(text):
    """For any string, segment() returns a Segmented whose spans slice back and nest."""
    assert_spans(text, segment(text, metadata=(("文号", text[:20]), ("签发人", text[:5]))))


def test_fold_table_is_one_to_one_and_sorted():
    import opencc

    t2s = opencc.OpenCC("t2s")
    rows = [line.split("\t") for line in (DATA / "segment_fold.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert all(len(r) == 2 and len(r[0]) == len(r[1]) == 1 and r[0] != r[1] for r in rows)
    sources = [r[0] for r in rows]
    assert sources == sorted(set(sources))
    variants = {"覆", "係", "○", "Ａ", "Ｂ", "Ｃ"}  # mapped on purpose where OpenCC keeps them
    assert [r for r in rows if r[0] not in variants and t2s.convert(r[0]) != r[1]] == []


def test_word_lists_are_sorted_without_duplicates():
    with open(DATA / "segment_words.toml", "rb") as f:
        lists = tomllib.load(f)
    for name, words in lists.items():
        assert words == sorted(set(words)), name
