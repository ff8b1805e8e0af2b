"""Numbers settled before the unit, range and context work: years, dates, document numbers, ordinals, markers,
enumerators.

About half the numbers of a letter can never be metrics: 2023年, 5月, 12日, 第3号, 第十四届, 〔2020〕, 一、, 一批.
``settle`` gives the very ``Quantity`` that ``quantities._quantity`` would give for them, without reading a range,
qualifiers, a sign or walking the list of reasons — but only when the characters around the number cannot change
that result (no range, qualifier, alternative unit, half, sign, mask, quote or latin letter next to it). For
anything else it returns None and the full chain runs. The guards are read off the same tables as the chain
(units.tsv, quantity_qualifiers.tsv, quantity_context.tsv); tests/test_speed_equivalence.py checks both ways give
the same quantities on every letter the repository ships.
"""
from __future__ import annotations

from typing import NamedTuple

from ..model import Quantity
from ._tables import _CONTEXT, _INFO, _PREFIXES, _QUAL, _UNITS, _quoted
from .numerals import _START, _out
from .reasons import _CLAUSE_WORDS, _ISSUER_CODE_AFTER, _MASK_SET, _in_named_clause, _is_marker, _names_programme

__all__ = ["settle"]

# units whose reason settles the number (年 → year or period, 月/日 → date, 号 → doc_number or date, 届 → ordinal)
_SETTLED_UNITS = frozenset(u for u, (kind, reason, _) in _UNITS.items()
                           if reason in ("year", "date", "doc_number", "ordinal") and kind == "other")
# after 第 these units settle as ordinal (第3次, 第二批); a unit whose reading goes on (元五角, 三成半, 一个半月) or
# that takes a sign, a url test or a multiple (percent, ratio, 打) is left to the chain
_FREE_UNITS = _SETTLED_UNITS | frozenset(u for u in ("次", "批", "期", "条", "项", "轮", "名", "位", "场", "季度")
                                         if u in _UNITS and _UNITS[u][0] in ("items", "other"))
_BEFORE_CUES = frozenset(w for (side, w) in _CONTEXT if side == "before")  # 第 其 ” 」
# a character after the quantity that may extend it: a range (至, -), a qualifier (以上, 左右), an alternative unit
# （套）, a half or more (两年半, 一年多), a subunit (5毛), a second reading (三年五年), a masked digit, a plus
_NEXT_BAD = frozenset(" 至到-~～—－–（(半多角毛分+一二三四五六七八九两十") | _MASK_SET \
    | frozenset(w[0] for (pos, w) in _QUAL if pos == "after")
_PREV_BAD = frozenset("=&?/%#+负負-－−") | _BEFORE_CUES | _MASK_SET  # a url, a sign, 第/其 (ordinal or enumerator)
_ORDINAL_END = frozenset("，。、；：！？）)”」》\n")
_MARKER_PREV = frozenset("\n \t\u3000。；;：:！？（(")
_BRACKET_OPEN, _BRACKET_CLOSE = "〔[【", ("〕", "]", "】", "）", ")")
_AFTER_CUES = frozenset(w for (side, w) in _CONTEXT if side == "after" and len(w) == 1)  # 是
_BEFORE_LAST = frozenset(w[-1] for (pos, w) in _QUAL if pos == "before")  # 约, 近, 超过: a qualifier before


class _Site(NamedTuple):
    """What ``reasons._in_named_clause`` and ``_names_programme`` read of a number: the text and its end."""

    text: str
    e: int


def settle(text: str, s: int, got, quotes, unit_at) -> Quantity | None:
    """Return the non-metric quantity of the numeral valued by got at s when nothing around it can change it,
    else None (the full chain decides). unit_at is the scanner's unit reader (``quantities._unit_at``)."""
    value, e, approx, chinese = got
    if approx or e >= len(text) or "□" in text[s:e]:
        return None
    prev = text[s - 1:s]
    if prev == "第":
        return _ordinal(text, s, value, e, unit_at)
    if prev in _PREV_BAD or (prev.isascii() and prev.isalpha()) or not _MASK_SET.isdisjoint(text[s - 2:s]):
        return None
    if text[e] in _SETTLED_UNITS_FIRST and not chinese:
        return _with_unit(text, s, value, e, quotes, unit_at)
    if (text[e] in "、.．）)〕]】" or text[e] in _AFTER_CUES) and e - s <= 4:
        return _unitless(text, s, value, e, quotes, chinese, unit_at)
    if chinese and e == s + 1 and text[s] == "一":
        return _enumerator(text, s, e, quotes, unit_at)
    return None


_SETTLED_UNITS_FIRST = frozenset(u[0] for u in _SETTLED_UNITS)


def _unit_here(text: str, e: int, unit_at) -> tuple[str, int] | None:
    """The unit written right at e (no space, no magnitude before it) whose next character cannot extend it."""
    u = unit_at(text, e)
    if u is None or u[1] - len(u[0]) != e or text[u[1]:u[1] + 1] in _NEXT_BAD:
        return None
    return u


def _with_unit(text: str, s: int, value, e: int, quotes, unit_at) -> Quantity | None:
    """2023年 (year; period outside 1900–2100), 5月 and 12日 (date), 3号 (doc_number; date after 月), 3届."""
    u = _unit_here(text, e, unit_at)
    if u is None or u[0] not in _SETTLED_UNITS or _quoted(quotes, s):
        return None
    unit, end = u
    reason = _UNITS[unit][1]
    if unit == "年":
        reason = "year" if e - s == 4 and 1900 <= value <= 2100 and value == value.to_integral_value() else "period"
    elif unit == "号":
        reason = "date" if text[s - 1:s] == "月" else "doc_number"
    return Quantity(text[s:end], _out(value), None, unit, _INFO[unit][0], None, (s, end), False, reason)


def _ordinal(text: str, s: int, value, e: int, unit_at) -> Quantity | None:
    """第3号 (proposal_number), 第十四届, 第二批, 第一 (ordinal): the quantity starts at 第."""
    if not _MASK_SET.isdisjoint(text[s - 2:s]) or text[e] in "/／分":
        return None  # 第3分之, 第3/: a fraction or a rate is read first
    u = unit_at(text, e)
    if u is None:
        if text[e] not in _ORDINAL_END:
            return None  # 第1G (a name), 第三又… : only a mark closes a bare ordinal here
        unit, end = None, e
    elif (u := _unit_here(text, e, unit_at)) is not None and u[0] in _FREE_UNITS:
        unit, end = u
    else:
        return None
    reason = "proposal_number" if unit == "号" else "ordinal"
    kind = _INFO[unit][0] if unit else None
    return Quantity(text[s - 1:end], _out(value), None, unit, kind, None, (s - 1, end), False, reason)


def _unitless(text: str, s: int, value, e: int, quotes, chinese: bool, unit_at) -> Quantity | None:
    """一、 （二） 1. (marker), 〔2020〕 (doc_number), 一是 (enumerator): a number with no unit, closed by a mark or
    followed by a word of quantity_context.tsv's after side."""
    prev = text[s - 1:s]
    if unit_at(text, e) is not None or _quoted(quotes, s):
        return None
    before = text[max(0, s - 4):s].rstrip(" ")
    if before.endswith(_PREFIXES):
        return None  # ￥1): a currency sign makes it money
    if text[e] in _AFTER_CUES:  # 一是, 二是: the word after the number makes it an enumerator
        if e - s > 3 or prev in _BEFORE_LAST or _ISSUER_CODE_AFTER.match(text, e) \
                or chinese and (_in_named_clause(_Site(text, e)) or _names_programme(_Site(text, e))):
            return None  # 三是行动 names a programme (the reasons' own tests, in their order)
        reason = _CONTEXT[("after", text[e])]
    elif prev in _MARKER_PREV or s == 0:
        if not _is_marker(text, s, e):
            return None
        reason = "marker"
    elif prev in _BRACKET_OPEN and not chinese and text[e] in _BRACKET_CLOSE and e - s == 4 \
            and 1900 <= value <= 2100 and value == value.to_integral_value():
        reason = "doc_number"
    else:
        return None
    return Quantity(text[s:e], _out(value), None, None, None, None, (s, e), False, reason)


# units after 一 that make an article (一批, 一支队伍, 一方面): no reason of their own (年, 号), no sum or share
# (一元, 一成), no reading that goes on (一个半月, 一个亿, 一打)
_ARTICLE_UNITS = frozenset(u for u, (kind, reason, _) in _UNITS.items()
                           if reason is None and kind not in ("percent", "percentage_point", "ratio", "money_cny")
                           and u not in ("元", "块", "成", "打"))
def _enumerator(text: str, s: int, e: int, quotes, unit_at) -> Quantity | None:
    """一批, 一支队伍, 一方面, 一个: 一 and a count unit is an article, not a count (the reason enumerator)."""
    if text[s - 1:s] in _BEFORE_LAST or text[s - 2:s - 1] == "一" or text.startswith("分之", e):
        return None
    u = _unit_here(text, e, unit_at)
    if u is None or u[0] not in _ARTICLE_UNITS:
        return None
    unit, end = u
    nxt = text[end:end + 1]
    if not nxt or nxt in _START or nxt in "亿億万萬" or text[end + 1:end + 2] == "一" \
            or text[end:end + 2] in _CLAUSE_WORDS or _ISSUER_CODE_AFTER.match(text, end) or _quoted(quotes, s):
        return None  # 一县一品 and 五个百亿 are names, 三项工程 a programme, 九人社字〔2019〕 a document number
    return Quantity(text[s:end], 1, None, unit, _INFO[unit][0], None, (s, end), False, "enumerator")
