"""find_quantities and parse_number: the case table, the data tables, samples and properties."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dafu.codes import Qualifier, UnitKind
from dafu.extract.quantities import NOT_METRIC_REASONS, find_quantities, parse_number

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (ROOT / "tests/cases" / name).read_text(encoding="utf-8").splitlines()
            if line.strip()]


CASES = _load("numbers.jsonl")
HELD = _load("numbers_holdout.jsonl")  # a seeded third of the issue-17 cases, set aside before the code changed
DATA = ROOT / "core/data"
FIELDS = ("raw", "value", "value_high", "unit", "unit_kind", "qualifier", "is_metric", "reason")


def _as_dicts(text: str) -> list[dict]:
    return [{f: getattr(q, f) for f in FIELDS} for q in find_quantities(text)]


def _param(case: dict):
    marks = [pytest.mark.xfail(strict=True, reason=case["comment"])] if case["expect_status"] == "fail" else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case_table(case):
    assert _as_dicts(case["text"]) == case["expect"]


def _held(case: dict):
    """A held-aside row marked fail is a measurement, not a spec: it may pass (xfail, not strict)."""
    marks = [pytest.mark.xfail(strict=False, reason=case["comment"])] if case["expect_status"] == "fail" else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_held(c) for c in HELD])
def test_held_aside_table(case):
    assert _as_dicts(case["text"]) == case["expect"]


def test_case_table_is_well_formed():
    ids = [c["id"] for c in CASES + HELD]
    assert len(ids) == len(set(ids))
    for case in CASES + HELD:
        assert set(case) == {"id", "source", "text", "expect", "expect_status", "comment"}
        assert case["expect_status"] in ("pass", "fail")
        assert case["expect_status"] == "pass" or case["comment"]
        for q in case["expect"]:
            assert set(q) == set(FIELDS)


def test_case_table_covers_every_reason():
    seen = {q["reason"] for c in CASES for q in c["expect"]}
    assert set(NOT_METRIC_REASONS) <= seen


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_spans_slice_back(case):
    text = case["text"]
    for q in find_quantities(text):
        assert text[q.span[0]:q.span[1]] == q.raw


# ---------------------------------------------------------------- parse_number
@pytest.mark.parametrize("s, value", [
    ("68715", 68715), ("137.43", 137.43), ("1,050,000,000", 1050000000), ("１２３４", 1234),
    ("1.6万", 16000), ("2286.4万", 22864000), ("3820万", 38200000), ("4.78万亿", 4780000000000),
    ("十", 10), ("十多", 10), ("两千余", 2000), ("一百二十", 120), ("二〇二三", 2023), ("四百五", 450),
    ("一千零五", 1005), ("九十二万四", 924000), ("一千多万", 10000000), ("二十几万", 200000),
    ("3万4000", 34000), ("1千零1", 1001), ("两千三点一", 2300.1), ("零点五", 0.5), ("壹佰伍拾", 150),
    ("负三十二", -32), ("-1.5", -1.5), ("廿三", 23), ("卅", 30), ("一百廿", 120), ("仨", 3), ("参佰", 300),
    ("叁仟零伍拾", 3050), ("半", 0.5), ("四万万五千万", 450000000),
    ("廿十", None), ("三廿", None), ("一半", None),
    ("九九", None), ("百", None), ("万", None), ("abc", None), ("", None), ("12人", None),
])
def test_parse_number(s, value):
    assert parse_number(s) == value


# ---------------------------------------------------------------- data tables
def _table(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#"), f"{name} needs a header comment"
    return [line.split("\t") for line in lines[1:]]


@pytest.mark.parametrize("name, width, key", [
    ("units.tsv", 4, 1), ("numerals.tsv", 3, 1), ("quantity_qualifiers.tsv", 3, 2),
    ("quantity_context.tsv", 3, 2), ("quantity_words.tsv", (1, 2), 1), ("metric_roles.tsv", 3, 3),
    ("quantity_bare_units.tsv", 2, 1), ("rate_bases.tsv", 2, 2),
])
def test_table_is_well_formed_sorted_and_unique(name, width, key):
    rows = _table(name)
    widths = width if isinstance(width, tuple) else (width,)  # quantity_words: an optional not-before column
    assert all(len(r) in widths and all(cell.strip() == cell and cell for cell in r) for r in rows)
    assert rows == sorted(rows)
    keys = [tuple(r[:key]) for r in rows]
    assert len(keys) == len(set(keys))


WORDS = [r[0] for r in _table("quantity_words.tsv")]


@pytest.mark.parametrize("word", WORDS)
def test_words_holding_numerals_are_never_numbers(word):
    """七上八下, 红十字会, 万安镇: a listed word gives no quantity, alone or inside a clause."""
    for text in (word, f"他们{word}了", f"全市{word}，共"):
        assert find_quantities(text) == ()


def test_table_values_are_known():
    kinds, qualifiers = {k.value for k in UnitKind}, {q.value for q in Qualifier}
    assert all(r[1] in kinds and r[2] in (*NOT_METRIC_REASONS, "-") for r in _table("units.tsv"))
    assert all(r[1] in ("before", "inside", "after") and r[2] in qualifiers
               for r in _table("quantity_qualifiers.tsv"))
    assert all(r[2] in ("digit", "zero", "unit", "tens", "magnitude", "point", "approx", "half", "negative")
               for r in _table("numerals.tsv"))
    assert all(r[0] in ("before", "after", "clause", "prefix", "specification", "package", "proposers", "rate_base",
                        "size_specification", "copies", "designate", "designee", "condition_verb", "comparison",
                        "threshold_before", "limit_noun", "standard_noun", "forbidden", "specification_after",
                        "phase_site", "size_cap", "distance_unit", "service_area", "bound", "defining_end",
                        "value_noun", "value_adjective", "vehicle", "grade_unit", "place_unit", "place_suffix",
                        "place_follower", "proposer_body", "bound_limit_noun", "schedule_verb", "place_middle_not",
                        "training_hours", "race")
               for r in _table("quantity_context.tsv"))


# ---------------------------------------------------------------- samples
SAMPLE_METRICS = {
    "001_425f8ebd1574510b.txt": [("5413人次", 5413), ("1000多万元", 10000000), ("1.6万人次", 16000),
                                 ("近千名", 1000), ("20余次", 20), ("50多个", 50), ("近万名", 10000)],
    "003_396f2fedd0fdd60e.txt": [("5000元", 5000), ("60%以上", 60), ("30%", 30), ("500余人", 500),
                                 ("3820万元", 38200000), ("5.7万人次", 57000), ("2500余万元", 25000000)],
    "004_ec6a11e31d304edf.txt": [("1979万人", 19790000), ("34.9%", 34.9), ("3292家", 3292),
                                 ("2286.4万元", 22864000), ("790475人次", 790475), ("41家", 41), ("27家", 27)],
}


@pytest.mark.parametrize("name", sorted(SAMPLE_METRICS))
def test_sample_metrics(name):
    text = (ROOT / "samples" / name).read_text(encoding="utf-8")
    metrics = {(q.raw, q.value) for q in find_quantities(text) if q.is_metric}
    assert set(SAMPLE_METRICS[name]) <= metrics
    assert not any(q.unit == "年" for q in find_quantities(text) if q.is_metric)


# ---------------------------------------------------------------- properties
def _check_invariants(text: str) -> None:
    last_end = 0
    for q in find_quantities(text):
        assert text[q.span[0]:q.span[1]] == q.raw
        assert q.span[0] >= last_end
        last_end = q.span[1]
        assert q.is_metric == (q.reason is None)
        assert q.reason is None or q.reason in NOT_METRIC_REASONS
        assert q.unit_kind is None or q.unit_kind in {k.value for k in UnitKind}
        assert q.qualifier is None or q.qualifier in {k.value for k in Qualifier}
        assert q.value_high is None or q.value_high > q.value


ALPHABET = st.sampled_from(list("0123456789１２.,，%％-～至到一二两三十百千万亿零〇多余几近约第"
                                "人次名家个元年月日号、（）“”《》□ \n是方面批"))


@given(st.text(ALPHABET, max_size=60))
def test_any_numeral_soup_keeps_the_invariants(text):
    """Any mix of numeral, unit and punctuation characters gives ordered quantities whose spans slice back."""
    _check_invariants(text)


@given(st.text(max_size=80))
def test_any_string_keeps_the_invariants(text):
    """find_quantities never raises on any string."""
    _check_invariants(text)


@pytest.mark.parametrize("line", ["1" * 1_000_000, "一" * 1_000_000, "一1" * 500_000, "“" * 1_000_000,
                                  "1," * 500_000, "□" * 1_000_000])
def test_pathological_lines_finish(line):
    assert find_quantities(line) == ()


# find_quantities dispatches on the last group of _CANDIDATE's match: each alternative ends in its own group.
@pytest.mark.parametrize("text,at,last", [
    ("百分之三十", 0, "pre"),
    ("2023-01-05", 0, "day"),
    ("2023.1.5", 0, "day"),
    ("9:30", 0, "mm"),
    ("13912345678", 0, "phone"),
    ("0755-12345678", 0, "phone"),
    ("近万人", 1, "lone"),
    ("1200多人", 0, "run"),
    ("三十", 0, "run"),
])
def test_candidate_alternative_by_last_group(text, at, last):
    from dafu.extract.quantities import _CANDIDATE, _IDENTIFIER_ENDS

    m = _CANDIDATE.match(text, at)
    assert m is not None and m.lastgroup == last
    assert m.group(last)  # the alternative's own group matched
    assert set(_IDENTIFIER_ENDS) == {"day", "mm", "phone"}
