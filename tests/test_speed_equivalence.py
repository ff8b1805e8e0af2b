"""Fast paths give the same bytes as the plain ones they replace.

Each fast path (direct dict builders, CSV rows from the record, early exits in normalize) is checked
against a simple reference written here, on every letter the repository ships and on hand-made
records that hold the rare parts (repairs, floats, nested sections).
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from dafu import process
from dafu.model import (
    Addressee,
    AppliedCorrection,
    CitedDocument,
    Contact,
    DocNumber,
    Metric,
    Normalization,
    Proposal,
    Record,
    Repair,
    Section,
    Source,
    Unresolved,
    Warning,
)
from dafu.output import csv_rows, csv_rows_from_dict, record_to_dict, record_to_json

ROOT = Path(__file__).resolve().parent.parent
LETTERS = sorted([*(ROOT / "samples").glob("*.txt"), *(ROOT / "tests" / "letters").glob("*.txt"),
                  *(ROOT / "tests" / "holdout").glob("*.txt")])


def _reference_plain(value: Any) -> Any:
    """The generic walk record_to_dict used before its direct builders."""
    if is_dataclass(value):
        return {f.name: _reference_plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_reference_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _reference_dict(record: Record) -> dict[str, Any]:
    out = _reference_plain(record)
    out["metadata"] = dict(record.metadata)
    out["normalization"]["steps"] = [{"name": n, "changes": c} for n, c in record.normalization.steps]
    # `corrections` is the record's last field (it has a default) but is written before `warnings`
    corrections = [{**c, "before": None if c["before"] is None else dict(c["before"]),
                    "after": None if c["after"] is None else dict(c["after"])} for c in out.pop("corrections")]
    order = [k for k in out if k != "text"]
    order.insert(order.index("warnings"), "corrections")
    return {k: corrections if k == "corrections" else out[k] for k in [*order, "text"]}


def _same(record: Record) -> None:
    want = _reference_dict(record)
    got = record_to_dict(record)
    assert got == want
    assert orjson.dumps(got) == orjson.dumps(want) == record_to_json(record)  # key order too
    assert csv_rows(record) == csv_rows_from_dict(orjson.loads(orjson.dumps(want)))


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.stem)
def test_letter_record_equals_reference(path):
    _same(process(path.read_text("utf-8"), id=path.stem))


def _rare_record() -> Record:
    """A record with every optional part filled, floats whole and not, a nested section tree."""
    child = Section("body", 2, "（一）", "小标题", "一/（一）", (5, 9))
    return Record(
        schema="dafu.letter/1", id="x", source=Source("a.txt", "0" * 64, 10, "gb18030", 1.0),
        doc_type="reply_letter", title="标题", doc_number=DocNumber("某函〔2020〕1号", "某函", 2020, 1, None),
        category="A", signer="张三", metadata=(("索引号", "1"), ("时间", "2020"), ("索引号", "2")),
        proposal=Proposal("提案", "政协", None, "第1号", None, (0, 3)),
        addressees=(Addressee("张三", "委员", True, (0, 2)),), issuer="某局", date="2020-01-01",
        contact=Contact("李四", None, ("123",), (1, 2)), cc=("甲", "乙"),
        sections=(Section("body", 1, "一、", "标题", "一", (0, 10), (child,)),),
        metrics=(Metric("1.5万人", 15000.0, 2.5, "人", "persons", "about", None, "other", None, "每人", None,
                        "句子", (3, 8)),
                 Metric("3", 3, None, "", "other", None, "x", "other", None, None, "一", "=3", (1, 2))),
        cited_documents=(CitedDocument("《办法》", None, (0, 4)),), organizations=("某局",),
        normalization=Normalization("traditional", "simplified", 2,
                                    (Repair(1, 3, "?x", "现", 0.75, {"byte": "0x8f"}), Repair(4, 5, "?", "。", 1.0)),
                                    (Unresolved(6, 7, "?", "no reading"),), ("分享：",), (("to_script", 3),)),
        warnings=(Warning("w", "m", (1, 2)), Warning("v", "n")), text="正文",
        corrections=(AppliedCorrection("change", "1.5万人", 3, 8, None, (("label", None),), (("label", "人数"),), "n"),
                     AppliedCorrection("header", field="issuer", before=(("issuer", "甲"),),
                                       after=(("issuer", "乙"),))),
    )


def test_rare_parts_equal_reference():
    _same(_rare_record())


def test_builders_cover_every_field():
    """A field added to a model class must reach the record dict (the builders name fields one by one)."""
    got = record_to_dict(_rare_record())
    names = [f.name for f in fields(Record)]
    assert list(got) == names[:names.index("warnings")] + ["corrections", "warnings", "text"]
    assert list(got["corrections"][0]) == [f.name for f in fields(AppliedCorrection)]
    assert list(got["sections"][0]) == [f.name for f in fields(Section)]
    assert list(got["metrics"][0]) == [f.name for f in fields(Metric)]
    assert list(got["normalization"]) == [f.name for f in fields(Normalization)]


# Lines that hold the rare shapes of the fast paths below (a bracket beside ASCII or a space, a pair
# split over Chinese and Latin, footer marks in every case), beside the lines of every shipped letter.
_EDGE_LINES = (
    "共3,500人（CEPA）", "（一）总体情况", "见附件（ 1 ）", "A（B）C", "（2020）", "收悉， 现答复如下", "（a，b）中",
    "中（1）", "（1）中", "）（", "“（一）”", "Copyright © 2020", "COPYRIGHT 某局", "copyrıght", "粤ICP备123号",
    "网站标识码：4400000001", "本网站技术支持：某公司", "版权所有",
)


def _shipped_lines() -> list[str]:
    return [line for path in LETTERS for line in path.read_text("utf-8").split("\n")] + list(_EDGE_LINES)


def _reference_tidy_marks(line: str) -> str:
    """The plain look of tidy_punctuation: every mark, the nearest non-space non-mark character on each side
    found for all marks first, then the same decision as ``_Look.chinese``."""
    from dafu.normalize.tidy import _ALNUM, _BRACKETS, _MARKS, _PUNCT_RE, _TO_FULL, _TO_HALF, _chinese_char

    marks = [m.start() for m in _PUNCT_RE.finditer(line)]

    def side(i: int, step: int) -> int:
        j = i + step
        while 0 <= j < len(line) and (line[j] == " " or line[j] in _MARKS):
            j += step
        return j if 0 <= j < len(line) else -1

    def chinese_at(j: int) -> bool:
        return j >= 0 and _chinese_char(line[j])

    pairs, stack = {}, []
    for i in marks:
        if line[i] in "(（":
            stack.append(i)
        elif line[i] in ")）" and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    chars = list(line)
    for i in marks:
        c, left, right = line[i], side(i, -1), side(i, 1)
        if i in pairs:
            lo, hi = sorted((i, pairs[i]))
            chinese = any(_chinese_char(ch) for ch in line[lo:hi + 1]) or chinese_at(side(lo, -1)) \
                or chinese_at(side(hi, 1))
        elif c in _BRACKETS:
            chinese = chinese_at(left) or chinese_at(right)
        elif left == i - 1 and right == i + 1 and _ALNUM.fullmatch(line[left]) and _ALNUM.fullmatch(line[right]):
            chinese = False
        else:
            chinese = chinese_at(left) or chinese_at(right)
        chars[i] = _TO_FULL.get(c, c) if chinese else _TO_HALF.get(c, c)
    return "".join(chars)


def test_tidy_marks_equals_the_plain_look():
    """The fast look (only the marks that can change, neighbours found on demand, simple marks decided on the
    spot) writes every line as the plain look does."""
    from dafu.normalize.tidy import _tidy_line

    lines = _shipped_lines()
    lines += [line.replace("，", ",").replace("：", ":").replace("（", "(") for line in lines]
    lines += ["（ , ）", "a , , ,b", "中( ,x)", "x（ ），中", "(((中)))", "((a)", "a）（中", ",", "(", "中 ,, ;a",
              "1 , 2"]
    for line in lines:
        assert _tidy_line(line) == _reference_tidy_marks(line), line


def test_footer_cue_never_misses_a_footer_mark():
    """The footer cues, looked for in the whole letter first and then in the line, miss no footer mark."""
    from dafu.normalize.debris import _cues_in, _has_footer_mark, _rules

    rules = _rules()
    texts = [path.read_text("utf-8") for path in LETTERS] + list(_EDGE_LINES) + ["\n".join(_EDGE_LINES)]
    marked = 0
    for text in texts:
        cues = _cues_in(text, rules)
        for line in text.split("\n"):
            assert _has_footer_mark(line, rules, cues) == (rules.footer.search(line) is not None), line
            assert _has_footer_mark(line, rules, rules.footer_cues) == (rules.footer.search(line) is not None), line
            marked += rules.footer.search(line) is not None
    assert marked > 5


def test_count_changes_equals_a_walk_of_the_characters():
    from operator import ne

    from dafu.normalize.script import count_changes, to_script

    pairs = [("關於\udcff技能", "关于\udc80技能"), ("𠀀a" * 300, "𠀀b" * 300), ("", "")]
    for path in LETTERS:
        text = path.read_text("utf-8")
        pairs += [(text, to_script(text, "traditional")), (text, text.replace("，", ","))]
    for before, after in pairs:
        assert count_changes(before, after) == sum(map(ne, before, after))


def test_simple_mark_decides_as_the_full_look():
    """A mark between two characters is decided on the spot exactly as the neighbour look decides it."""
    from dafu.normalize.tidy import _PUNCT_RE, _Look, _simple_mark

    for line in _shipped_lines() + [line.replace("，", ",").replace("：", ":") for line in _shipped_lines()]:
        marks = [m.start() for m in _PUNCT_RE.finditer(line)]
        look = _Look(line, marks) if marks else None
        for i in marks:
            simple = _simple_mark(line, i)
            assert simple is None or simple == look.chinese(line, i), (line, i)


def _odd_trees() -> list[tuple[Section, ...]]:
    """Trees segment never makes (overlapping siblings, a child past its parent, empty paths, empty spans)."""
    leaf = Section("body", 5, "一是", None, "一/一是", (5, 9))
    return [
        (Section("body", 1, "一、", None, "一", (0, 10), (Section("body", 5, None, None, "", (3, 6)),)),),
        (Section("body", 1, "一、", None, "", (0, 10), (Section("body", 5, None, None, "", (3, 6)),)),),
        (Section("body", 1, "一、", None, "一", (0, 6), (leaf,)),),
        (Section("body", 1, "一、", None, "一", (0, 10)), Section("body", 1, "二、", None, "二", (5, 8))),
        (Section("body", 1, "一、", None, "一", (0, 10)), Section("body", 1, "二、", None, "二", (10, 10)),
         Section("body", 1, "三、", None, "三", (12, 20), (Section("body", 2, None, None, "三/x", (12, 12)), leaf))),
        (),
    ]


def test_section_index_answers_as_the_tree_walk():
    from dafu.segment import section_at, section_index, section_path_at, segment

    trees = [segment(path.read_text("utf-8")).sections for path in LETTERS] + _odd_trees()
    for tree in trees:
        index = section_index(tree)
        end = max((s.span[1] for s in tree), default=0) + 2
        for offset in range(-1, end):
            assert section_at(index, offset) == section_path_at(tree, offset), (tree, offset)


def test_first_sentence_is_the_first_of_the_split():
    from dafu.segment.text import first_sentence, split_sentences

    texts = [path.read_text("utf-8") for path in LETTERS]
    pieces = [t[i:] for t in texts for i in range(0, len(t), 37)] + ["", " \n ", "（未完。", "甲）。乙", "“。”\n丙"]
    for piece in pieces:
        whole = split_sentences(piece)
        assert first_sentence(piece) == (whole[0] if whole else None), piece[:40]


# numbers right next to what could change their reading: a range, a qualifier, a half, a mask, a quote, a sign,
# a currency sign, a second reading, a fraction, a latin letter (settle must hand each of them to the full chain)
_SETTLE_EDGES = [
    "2020年半年报", "3年半", "5年多来", "第3年半", "2016年至2020年", "2016年-2020年", "2020年以来",
    "2020年左右", "2020年度预算", "2020年（试行）", "2020年多", "《2020年工作要点》", "“2020年”", "x2020年",
    "xx12月", "*12日", "A2020年", "2020年G", "3000年", "0123年", "1899年", "2020年三年", "5月份", "5月5日",
    "5月3号", "第3号提案", "第3至5届", "第三四届", "第一又", "第3%", "第3元", "第1G", "第一，",
    "第十四届全国人大", "第3分之1", "第3/4", "第2个半月", "第3次会议", "第一批次", "一、", "（一）", "(2)",
    "1.", "1.5", "1.5万", "￥1）", "RMB 1、", "〔2020〕8号", "[2020]", "【2019】", "（2020）", "〔2020年〕",
    "〔202〕", "〔二〇二〇〕", "负3月", "-3月", "第-3届", "正负3号", "约2020年", "近12月", "第3打", "十来个",
    "第三年五年", "2020年2021年", "3届", "其3届", "”3号", "2020年+", "2020年至今", "20□0年", "2020年\n",
    "第3号", "一是", "二是加强", "三是行动", "一是提升行动", "一是〔2020〕", "约一批", "近一是", "一批一批", "一县一品",
    "−一是", "−3月", "一个亿", "一个半月", "一项工程", "一方面", "一批〔2019〕8号", "“一批”", "一批+", "一批十",
    "一批万", "一元", "一成", "一打", "一分之", "一年", "x一批", "负一批", "1是", "12345是", "2020是",
    "一批次", "一个多月", "一批（套）",
]


def test_settled_numbers_read_as_the_full_chain(monkeypatch):
    """quantities.settle (years, dates, document numbers, ordinals, markers settled before the unit, range and
    context work) gives the quantities the full chain gives, on every shipped letter and on edge cases."""
    from dafu.extract import quantities

    texts = [p.read_text("utf-8") for p in [*LETTERS, *sorted((ROOT / "tests" / "pages").glob("dev*/*.txt")),
                                            *sorted((ROOT / "bench" / "genre").glob("*.txt"))]]
    texts += [f"{pre}{edge}{post}" for edge in _SETTLE_EDGES for pre in ("", "截至", "\n", "第", "共")
              for post in ("", "，", "。", "发放资金100万元。")]
    fast = [quantities.find_quantities(t) for t in texts]
    monkeypatch.setattr(quantities, "settle", lambda *args: None)
    plain = [quantities.find_quantities(t) for t in texts]
    assert sum(1 for qs in fast for q in qs if q.reason in ("year", "marker", "ordinal")) > 100
    for text, a, b in zip(texts, fast, plain):
        assert a == b, text[:60]


_GRID_EDGES = [
    "景区名称 接待游客（万人次） 门票收入（亿元）\n黄山 218.5 4.12", "类别 | 件数 | 占比\nA类（已解决） | 21 | 44.7%",
    "人数", "数", "）", "（元）", "(元)\n", "件数|", "件数 |\n户数\t", "a（万元）b", "（万元）（亿元）",
    "甲数乙数\n丙（人）", "\n\n（个）\n", "收入（元） 支出（元）\n1 2 3\n4 5", "（)）", "数）", "（数）",
    "单位:个、万元\n| 序号 | 地区 | 产业园数 |\n| 1 | 甲 | 3 |", "指标 单位 目标\n就业 万人 3.8", "计量单位",
    "单位", "单位：", "甲单位乙", "\n单位\n", "a|单位|b",
]


def test_header_hint_lines_are_the_lines_of_every_hint():
    """grid._hint_lines (a quick scan for 数 and closing brackets, the header pattern tried on their lines only)
    yields the very lines that hold a match of the header pattern."""
    from dafu.extract import grid

    texts = [p.read_text("utf-8") for p in [*LETTERS, *sorted((ROOT / "tests" / "pages").glob("dev*/*.txt"))]]
    texts += _GRID_EDGES + ["\n".join(_GRID_EDGES)]
    hinted = 0
    for text in texts:
        plain = sorted({(text.rfind("\n", 0, m.start()) + 1, grid._line_end(text, m.start()))
                        for m in grid._MAYBE.finditer(text)})
        assert list(grid._hint_lines(text)) == plain, text[:60]
        hinted += len(plain)
    assert hinted > 30


def test_mark_patterns_find_what_the_plain_patterns_find():
    """tidy's look-behind written after the mark (so the regex engine can skip to the next mark) finds the very
    matches of the plain pattern with the look-behind first, on every shipped line and on the edge lines."""
    import re

    from dafu.normalize import tidy

    side = tidy._SIDE
    plain = re.compile(f"[,;:?!()]|(?<!{side})[，；：？！（）](?!{side})")
    lines = _shipped_lines() + ["，", "甲，", "，乙", "a，b", "甲，，乙", "（）", "甲,乙", ",乙", "甲,", "“,”"]
    found = 0
    for line in lines:
        assert [m.span() for m in tidy._MARK_TO_LOOK_AT.finditer(line)] == [m.span() for m in plain.finditer(line)]
        for mark, easy in tidy._EASY_MARKS:
            plain_easy = re.compile(f"(?<={side}){re.escape(mark)}(?={side})")
            assert [m.span() for m in easy.finditer(line)] == [m.span() for m in plain_easy.finditer(line)], line
            found += easy.search(line) is not None
    assert found > 10
