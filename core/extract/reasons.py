"""Why a number is not a metric: an ordered list of named predicates (DESIGN §3.4).

``_reason`` walks them in order and returns the first reason that holds, or None for a metric; each reason has
rows in ``tests/cases/numbers.jsonl``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .._chars import CJK_BASIC
from ._tables import _CLAUSE_END, _CONTEXT, _INFO, _UNITS, _quoted, _word_end
from .numerals import _START

__all__ = ["NOT_METRIC_REASONS"]

NOT_METRIC_REASONS = (
    "year", "date", "period", "doc_number", "proposal_number", "ordinal", "enumerator",
    "quoted", "title", "name", "phone", "marker", "no_unit", "damaged", "duration", "age",
)
_PHONE_CUE = re.compile(r"电话|传真|热线|手机|联系方式|咨询")


@dataclass(slots=True)
class _Context:
    """A valued numeral and its surroundings, as the classifier sees them."""

    text: str
    s: int  # start of the numeral (qualifiers and signs excluded)
    e: int  # end of the quantity (unit, range and trailing qualifier included)
    number: str
    chinese: bool
    unit: str | None
    value: Decimal
    value_high: Decimal | None
    quotes: list
    prev: str  # the character before s ("" at the start)
    next: str  # the character at e ("" at the end)

    @property
    def url_like(self) -> bool:
        return self.prev in ("=", "&", "?", "/", "%", "#") or (self.unit in ("%", "％") and self.next.isalnum()
                                                                 and self.next.isascii())


def _reason(c: _Context, qs: int) -> str | None:
    """Return why the quantity is not a metric, or None when it is one."""
    text, s, e, unit = c.text, c.s, c.e, c.unit
    ordinal = _CONTEXT.get(("before", c.prev))
    if ordinal == "name" and not c.chinese:
        ordinal = None  # “原阳预制菜”3个品牌 counts; “…”四个自主权 names
    if "□" in c.number:
        return "damaged"
    if c.url_like or _latin(c.prev) or _latin(c.next) or "+" in (c.prev, c.next):
        return "name"
    if ordinal == "ordinal":
        return "proposal_number" if unit == "号" else "ordinal"
    if quoted := _quoted(c.quotes, s):
        return quoted
    if ordinal:
        return ordinal
    if _is_phone(c):
        return "phone"
    if unit is None and _is_marker(text, s, e):
        return "marker"
    if c.chinese and (c.unit in (None, "年") and _in_named_clause(c) or _names_programme(c)):
        return "name"
    if unit and _INFO[unit][1]:
        return _unit_reason(c)
    if _is_year(c) and c.prev in "〔[【（(" and c.next in ("〕", "]", "】", "）", ")"):
        return "doc_number"
    if _ISSUER_CODE_AFTER.match(text, e):
        return "doc_number"  # 九人社字〔2019〕8号: the numeral is part of an issuer code
    if c.value_high is not None and _is_year(c) and c.value_high < 2100:
        return "period"
    if unit is None and ("after", c.next) in _CONTEXT:
        return _CONTEXT[("after", c.next)]
    if _is_name(c):
        return "name"
    if c.chinese and c.number == "一" and unit and _INFO[unit][0] not in ("percent", "ratio"):
        return "enumerator"  # 一批, 一支队伍, 一方面: an article, not a count
    if unit == "次" and text.startswith(("会议", "全会", "全体会议"), e) and "届" in text[max(0, s - 8):s]:
        return "ordinal"
    return "no_unit" if unit is None else None


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_year(c: _Context) -> bool:
    return c.value == c.value.to_integral_value() and 1900 <= c.value <= 2100 and len(c.number) == 4


def _is_phone(c: _Context) -> bool:
    """A bare 7- or 8-digit number after 电话 / 传真 / 热线 is a phone number."""
    return (not c.chinese and c.number.isdigit() and 5 <= len(c.number) <= 8 and c.unit is None
            and _PHONE_CUE.search(c.text, max(0, c.s - 12), c.s) is not None)


def _is_marker(text: str, s: int, e: int) -> bool:
    """一、 （二） 1. 1、 (1) at the start of a line or clause are section markers."""
    after = text[e:e + 1]
    if text[s - 1:s] in ("（", "(") and after in ("）", ")"):
        return True
    starts = s == 0 or text[s - 1] in "\n \t\u3000。；;：:！？"
    return starts and (after == "、" or (after in (".", "．") and not text[e + 1:e + 2].isdigit()))


_ISSUER_CODE_AFTER = re.compile(rf"[{CJK_BASIC}]{{0,8}}[〔\[【［][12][0-9]{{3}}[〕\]】］]")


def _unit_reason(c: _Context) -> str:
    """Return year / period / date / doc_number / ordinal for 年, 月, 日, 号, 届 and the like."""
    reason = _UNITS[c.unit][1]
    if reason == "year" and c.unit == "年":
        return "year" if _is_year(c) and c.value_high is None else "period"
    if c.unit == "号":
        before = c.text[c.s - 1:c.s]
        return "date" if before == "月" else "doc_number"
    return reason


def _is_name(c: _Context) -> bool:
    """一县一品牌, 五个百亿: names, not counts."""
    text, s, e = c.text, c.s, c.e
    if c.chinese and c.number == "一" and (text[e + 1:e + 2] == "一" or s >= 2 and text[s - 2] == "一"):
        return True
    if c.unit and text[e:e + 1] and text[e] in _START and not text[e].isdigit() and not _word_end(text, e):
        return True  # 五个百亿 (but not 5000元一次性奖励: 一次性 is a word)
    return False


def _in_named_clause(c: _Context) -> bool:
    """三年提升行动, 五年培训规划: a Chinese-numeral count that names a programme later in the clause."""
    window = c.text[c.e:c.e + 8]
    cut = next((i for i, ch in enumerate(window) if ch in _CLAUSE_END), len(window))
    return any(("clause", w) in _CONTEXT for w in _substrings(window[:cut], 2))


def _names_programme(c: _Context) -> bool:
    """三项工程, 五大行动: a Chinese-numeral count whose unit is followed at once by a programme word."""
    return ("clause", c.text[c.e:c.e + 2]) in _CONTEXT


def _substrings(s: str, size: int):
    return (s[i:i + size] for i in range(len(s) - size + 1))
