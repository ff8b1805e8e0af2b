"""Tests for dafu.normalize.debris: the cases table, the samples, the data file and long lines."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings

from dafu.normalize.debris import drop_debris_lines

from .strategies import any_text

ROOT = Path(__file__).resolve().parent.parent
CASES = [json.loads(line) for line in (ROOT / "tests/cases/debris.jsonl").read_text("utf-8").splitlines() if line]
DATA = tomllib.loads((ROOT / "core/data/debris.toml").read_text("utf-8"))


def _param(case: dict) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.get("comment", ""))] if case["expect"] == "fail" else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_debris_cases(case: dict) -> None:
    text, removed, metadata = drop_debris_lines(case["original"])
    assert text == case["text"]
    assert list(removed) == case["removed"]
    assert [list(p) for p in metadata] == case["metadata"]


def test_cases_are_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert set(case) == {"id", "source", "comment", "original", "text", "removed", "metadata", "expect"}
        assert case["expect"] in ("pass", "fail")


def test_sample_001_keeps_category_and_signer_in_the_body() -> None:
    original = (ROOT / "samples/001_425f8ebd1574510b.txt").read_text("utf-8")
    text, removed, metadata = drop_debris_lines(original)
    assert text.startswith("类 别:A\n签发人:李卫东\n张卫婷委员:\n")
    assert not text.endswith("扫一扫在手机打开当前页")
    assert len(removed) == 5
    assert dict(metadata) == {
        "索引号": "11610400687993722F/2025-00177", "主题分类": "劳动就业", "文号": "咸人社函〔2025〕140号",
        "发布机构": "市人社局", "类 别": "A", "签发人": "李卫东",
    }


def test_sample_004_loses_its_page_furniture_only() -> None:
    original = (ROOT / "samples/004_ec6a11e31d304edf.txt").read_text("utf-8")
    text, removed, metadata = drop_debris_lines(original)
    assert removed == (
        "当前位置:首页\xa0>\xa0政务公开\xa0>\xa0建议提案办理\xa0>\xa0建议办理",
        "信息来源:本网 时间:2024-10-14", "分享:", "字体: [大] [中] [小]", "回到顶部", "Baidu", "map",
    )
    assert metadata == (("信息来源", "本网"), ("时间", "2024-10-14"))
    assert "广东省人力资源和社会保障厅关于广东省十四届人大二次会议第1916号代表建议答复的函" in text
    assert text.rstrip().endswith("(联系人及电话:杨伟,020-83189554)")
    assert len(text.split("\n")) == len(original.split("\n")) - len(removed)


@pytest.mark.parametrize("name", ["000_08d6c07602bede5a", "002_fd18181f8bb67260", "003_396f2fedd0fdd60e"])
def test_samples_without_furniture_pass_unchanged(name: str) -> None:
    original = (ROOT / f"samples/{name}.txt").read_text("utf-8")
    assert drop_debris_lines(original) == (original, (), ())


def test_removed_lines_and_kept_lines_make_up_the_input() -> None:
    original = "\n".join(c["original"] for c in CASES)
    text, removed, _ = drop_debris_lines(original)
    assert sorted(text.split("\n") + list(removed)) == sorted(original.split("\n"))


def test_dropping_is_idempotent() -> None:
    once, _, _ = drop_debris_lines("\n".join(c["original"] for c in CASES))
    assert drop_debris_lines(once) == (once, (), drop_debris_lines(once)[2])
    assert all(v for _, v in drop_debris_lines(once)[2])


@pytest.mark.parametrize(
    "line",
    [
        "当前位置：" + "首页 > " * 200_000,
        "发布时间：" + "2024 " * 200_000,
        "打印" * 500_000,
        "|" + " 索引号 |" * 170_000,
        "字体：" + "[大" * 500_000,
        "技能培训" * 250_000,
    ],
    ids=["breadcrumb", "metadata", "tools", "table", "font", "plain"],
)
def test_a_one_megabyte_line_is_kept_and_finishes(line: str) -> None:
    """Lines over the length limit are body text; the call must return (no runaway backtracking)."""
    assert len(line) >= 1_000_000
    assert drop_debris_lines("正文\n" + line) == ("正文\n" + line, (), ())


@pytest.mark.parametrize(
    "line",
    [
        "【打印】" * 250 + "x",
        "分享：" + " " * 995 + "x",
        "字体：" + "大 " * 497 + "x",
        "发布时间：" + "发 " * 497,
        "发布时间：" + "发\u3000\u3000\u3000" * 248,
        "发布时间：" + " 来源：" * 165,
        "| " + "索 引 号 | " * 99,
        "|" + " :---: |" * 124,
    ],
    ids=["tools", "share", "font", "key-shaped", "key-spaced", "many-keys", "spaced-cells", "rule-row"],
)
def test_near_miss_lines_under_the_limit_finish(line: str) -> None:
    """Lines just under the 1000-character limit that almost match: every pattern gives up quickly."""
    line = line[:999]
    text, removed, _ = drop_debris_lines(line)
    assert (text, removed) in ((line, ()), ("", (line,)))


@pytest.mark.parametrize("gap", [" ", "   ", "\u3000 \u3000", " | "])
def test_spaces_shared_between_items_do_not_backtrack(gap: str) -> None:
    """A near-miss chain of spaced tools must fail at once, not try every split of the spaces."""
    chain = gap.join(["打印", "【关闭】", "[ 收藏 ]"] * 4)
    assert drop_debris_lines(chain) == ("", (chain,), ())
    for line in (chain + gap + "x", gap.join([chain] * 3)):  # a stray word; too many items
        assert drop_debris_lines(line) == (line, (), ())


def test_data_file_lists_are_sorted_and_unique() -> None:
    for words in (DATA["tools"], *DATA["metadata"].values()):
        assert words == sorted(set(words))
    keys = DATA["metadata"]["strong"] + DATA["metadata"]["weak"] + DATA["metadata"]["body"]
    assert len(keys) == len(set(keys))


def test_data_file_patterns_compile_and_are_bounded() -> None:
    for entry in DATA["item"] + DATA["tail"]:
        assert set(entry) == {"name", "pattern"}
        pattern = entry["pattern"].replace("{C}", "[:：]").replace("{S}", " ?")
        re.compile(pattern)
        assert not re.search(r"(?<!\\)[*+]", pattern), f"unbounded repetition in {entry['name']}"


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_lines_are_only_split_between_text_and_removed(text: str) -> None:
    """For any string: kept and removed lines together are the input lines, and values are non-empty."""
    kept, removed, metadata = drop_debris_lines(text)
    lines = text.split("\n")
    kept_lines = kept.split("\n") if len(removed) < len(lines) else [] if kept == "" else [kept]
    assert sorted(kept_lines + list(removed)) == sorted(lines)
    assert all(k and v for k, v in metadata)
