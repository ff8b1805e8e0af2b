"""Role and rate base of a metric (DESIGN §3.4): a result, a target or a standard; ``per`` for a rate.

The cue words are the file ``core/data/metric_roles.tsv``: a target cue anywhere before the number in its
sentence (计划, 力争, 下一步) unless a result cue (已, 累计) follows it in the number's clause; a standard cue in
the clause (标准, 比例, 限额) or a cap (最高, 不超过) on money or a share; a money rate (每人每年5000元).
"""
from __future__ import annotations

import re

from ._tables import _cjk, _words
from .numerals import _alternation, _rows

__all__ = ["find_role", "find_per"]

_CUES: dict[tuple[str, str], list[str]] = {}
for _role, _side, _word in _rows("metric_roles.tsv"):
    _CUES.setdefault((_role, _side), []).append(_word)


def _pattern(role: str, side: str, guard: str = "") -> re.Pattern[str]:
    words = sorted(_CUES.get((role, side), ()), key=len, reverse=True)
    return re.compile("(?:" + ("|".join(map(re.escape, words)) or "(?!)") + ")" + guard)


# 纳入改造计划的小区, 素质提升计划和…, 锚定“两个确保”: a cue followed by one of these is a noun or a name
_TARGET_SENTENCE = _pattern("target", "sentence", "(?![的和、，。；”）)」中内及与生])")
_TARGET_BEFORE = _pattern("target", "before")
_TARGET_AFTER = _pattern("target", "after")
_RESULT_BEFORE = _pattern("result", "before")
_STANDARD_BEFORE = _pattern("standard", "before", "(?!化)")  # 标准化运维率: not a standard
_STANDARD_AFTER = _pattern("standard", "after")
_SHARE_OF_PLAN = re.compile(r"(?:计划|任务|目标)[^，。；]{0,10}的$")  # 完成年度计划的105.3%: a result
_CAP_WORD = re.compile("最高|最低|不超过|不低于|不高于|不超")
_CAP_KINDS = ("money_cny", "percent")
_UNIT_PER = {"‰": "每千", "‱": "每万", "/10万": "每10万", "/万": "每万", "/千": "每千", "/100万": "每100万",
             "/十万": "每十万"}
_AVERAGE = re.compile(r"(?:人均|户均|年均|亩均|日均|月均|村均|校均)")
_RATE_ROWS = _rows("rate_bases.tsv")


def _rate_words(*kinds: str) -> str:
    return _alternation(w for k, w in _RATE_ROWS if k in kinds)


# 每 + a number + a base (每人, 每千人口, 每10万人) or a counter and the noun it counts (每个托位, 每千名老年人);
# a verb may stand before the number (每新增1个学位).
_DIGITS = "0-9.一二两三四五六七八九十百千万"
_RATE_VERBS = _alternation(_words("rate_base"))
_PER_PIECE = re.compile(rf"每(?:(?:{_RATE_VERBS})(?=[{_DIGITS}]))?[{_DIGITS}]*"
                        rf"(?:({_rate_words('base')})|({_rate_words('counter')}))")
# 3.2万吨/年, 1500元/人, 50元/千瓦给予 (but 吨/年产: a word)
_SLASH_BASE = re.compile(rf"\s?[/／]({_rate_words('base', 'counter')})"
                         r"(?!(?![的以左和与及给补奖])[\u4e00-\u9fff])")
_PER_NOUN_STOP = re.compile(rf"{_rate_words('stop')}|每|[^\u4e00-\u9fff]")
_PER_NOUN_MAX = 6


def _per_phrase(text: str, at: int, start: int) -> str | None:
    """Return the 每-phrase that starts at ``at`` and ends before ``start`` (每人每月, 每个村卫生室每年), else None."""
    end = at
    while (piece := _PER_PIECE.match(text, end, start)) is not None:
        end = piece.end()
        if piece.group(2):  # a counter: the noun it counts runs to a verb, another 每 or a mark
            stop = _PER_NOUN_STOP.search(text, end, min(start, end + _PER_NOUN_MAX + 1))
            noun_end = stop.start() if stop else min(start, end + _PER_NOUN_MAX + 1)
            if noun_end - end <= _PER_NOUN_MAX:
                end = noun_end
    if end == at and _cjk(text[at + 1:at + 2]) and not _PER_NOUN_STOP.match(text, at + 1):
        return text[at:at + 2]  # 每例手术: a base the table does not list, one character
    return text[at:end] if end > at else None


def find_per(text: str, clause_start: int, start: int, unit: str, end: int | None = None) -> str | None:
    """Return the base of a rate written before the number in its clause (每人每年, 人均, 每万人), or after its
    unit (3.2万吨/年, 1500元/人: 每年, 每人), else None.

    >>> find_per("中级工每人每年最高5000元", 0, 9, "元"), find_per("村医人均年增收约6500元", 0, 8, "元")
    ('每人每年', '人均')
    """
    if unit in _UNIT_PER:
        return _UNIT_PER[unit]
    if "/" in unit:  # 3.2万吨/年, 38微克/立方米: the unit is a rate
        return "每" + unit[unit.index("/") + 1:]
    if end is not None and (after := _SLASH_BASE.match(text, end)):
        return "每" + after.group(1)
    window_start = max(clause_start, start - 20)
    at = text.find("每", window_start, start)
    if at >= 0:
        return _per_phrase(text, at, start)
    averages = [m.group() for m in _AVERAGE.finditer(text, window_start, start)]
    return averages[-1] if averages else None


def find_role(text: str, sentence_start: int, clause_start: int, span: tuple[int, int], clause_end: int,
              qualifier: str | None, per: str | None, unit_kind: str) -> str:
    """Return 'target', 'standard' or 'result' from the words around a metric.

    >>> find_role("下一步，力争新增就业3万人", 0, 5, (10, 13), 13, None, None, "persons")
    'target'
    """
    start, end = span
    clause, after = text[clause_start:start], text[end:clause_end]
    if _STANDARD_AFTER.match(after) or (unit_kind in _CAP_KINDS and _STANDARD_BEFORE.search(clause)):
        return "standard"
    if unit_kind in _CAP_KINDS and qualifier in ("up_to", "at_least") and _CAP_WORD.search(text, start, end):
        return "standard"  # 最高不超过1000元: a cap
    if unit_kind == "money_cny" and per and per.startswith("每"):
        return "standard"  # 每人每年5000元: a rate of a policy
    if unit_kind == "percent" and _SHARE_OF_PLAN.search(clause):
        return "result"
    if _TARGET_AFTER.match(after) or _TARGET_BEFORE.search(clause):
        return "target"
    cues = [m.end() for m in _TARGET_SENTENCE.finditer(text, sentence_start, start)]
    if not cues:
        return "result"
    return "result" if _RESULT_BEFORE.search(text, max(cues[-1], clause_start), start) else "target"
