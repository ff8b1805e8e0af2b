"""What is written after a unit and refines the value: money subunits and halves (DESIGN §3.4).

- money below the yuan: 五元三毛 → 5.3 元, 三元零五分 → 3.05, 4元8毛5 → 4.85 (the last subunit elided), 三元五 → 3.5,
  两块五 → 2.5 元; alone: 5毛钱 → 0.5 元, 1角2分 → 0.12 元, 8分钱 → 0.08 元 (valued in 元, the base unit);
- a half or "more" after a unit of time, age or multiple: 两年半 → 2.5 年, 一个半月 → 1.5 个月, 1个半小时 → 1.5 小时,
  3个多月 and 一年多 (more than), 三成半 → 35 %, 七成五 → 75 %, 七个多百分点 (more than 7 个百分点);
- a magnitude after 个: 一个亿 → 100000000 (no unit), 三个多亿 (more than).
"""
from __future__ import annotations

import re
from decimal import Decimal

from ._tables import _UNITS, _cjk
from .colloquial import multiple
from .numerals import _CN_DIGIT, _ROLE, _alternation

__all__ = ["after_unit", "money_alone"]

_D = f"[0-9{_CN_DIGIT}]"
_CN = f"[{_CN_DIGIT}]"
_NOT_AFTER = f"(?![0-9{_CN_DIGIT}\u4e00-\u9fff、.．])"  # an elided subunit is written last: 三元五。 not 三元五亩
_PRICE_PER = "(?=一(?:公斤|斤|个|只|瓶|袋|份|盒|箱|件|张|本|支|碗|杯))"  # 两块五一斤: the price of one of them
_YUAN_PARTS = re.compile(  # after 元 (or 块): 角/毛, then 分, or a bare Chinese digit for the next subunit
    f"(?:零?(?P<jiao>{_D})[角毛](?:零?(?P<fen>{_D})分(?![之钟])|(?P<fen_bare>{_D}){_NOT_AFTER})?"
    f"|零?(?P<fen_only>{_D})分(?![之钟])|(?P<jiao_bare>{_CN})(?:{_NOT_AFTER}|{_PRICE_PER}))(?P<qian>钱)?"
)
_ALONE = re.compile(  # a number with no unit followed by a subunit: 5毛钱, 3角, 1角2分, 三毛五, 8分钱
    f"(?:[角毛](?:零?(?P<fen>{_D})分(?![之钟])|(?P<fen_bare>{_D}){_NOT_AFTER})?|(?P<cents>分)(?=钱))(?P<qian>钱)?"
)
_CHENG_DIGIT = re.compile(f"({_CN})(?:(?=[的以左])|{_NOT_AFTER})")  # 七成五。七成五的 (not 三成五年)
_GE_YI = re.compile("(多)?[亿億]")
_HALF_UNITS = frozenset(("年", "岁", "天", "小时", "个小时", "周", "倍"))  # 两年半, 一岁半, 3倍半
_MORE_UNITS = _HALF_UNITS  # 一年多, 5天多, 3倍多
_MORE_NEXT = frozenset(("", *"来时的了后前以里内中才就都还过没也又已，。；、,;.!?！？）)\n "))  # 一年多来; not 3天多次
_TIME_UNIT = re.compile(_alternation(u for u, (_, reason, _) in _UNITS.items() if reason in ("duration", "date")))


def _digit(ch: str) -> Decimal:
    return Decimal(ch) if ch.isdigit() and ch.isascii() else Decimal(_ROLE[ch][1])


def _parts(m: re.Match, jiao: str, fen: str, fen_bare: str) -> Decimal:
    """The yuan worth of the 角 and 分 groups of a match."""
    value = Decimal(0)
    for group, worth in ((jiao, "0.1"), (fen, "0.01"), (fen_bare, "0.01")):
        if group and m.group(group):
            value += _digit(m.group(group)) * Decimal(worth)
    return value


def money_alone(text: str, e: int, value: Decimal, chinese: bool) -> tuple[Decimal, int] | None:
    """5毛钱, 3角, 1角2分, 8分钱: a number without a unit followed by 角/毛/分: (value in 元, end) or None.

    A bare 角 or 毛 counts only after Arabic digits or before 钱 or another subunit (三角形, 九牛一毛 are words).
    >>> money_alone("5毛钱", 1, Decimal(5), False)
    (Decimal('0.5'), 3)
    """
    m = _ALONE.match(text, e)
    if m is None:
        return None
    if m.group("cents"):
        return value * Decimal("0.01"), m.end()
    rest = m.group("fen") or m.group("fen_bare")
    if not (m.group("qian") or rest or (not chinese and not _cjk(text[m.end():m.end() + 1]))):
        return None
    return value * Decimal("0.1") + _parts(m, "", "fen", "fen_bare"), m.end()


def scaled(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """A number written before a multiplying unit, in the unit it stands for: 五成 → (50, 成), 八折 → (80, %)."""
    return (value * 10, unit) if unit == "成" else multiple(value, unit)


def after_unit(text: str, e: int, value: Decimal, unit: str | None) -> tuple[Decimal, int, str | None, bool]:
    """Fold what follows the unit into the value: (value, end, unit, more_than)."""
    value, unit = multiple(value, unit)  # 两打 → 24 个, 八折 → 80 %
    if unit in ("元", "块"):
        return (*_yuan(text, e, value, unit), False)
    if unit == "成":  # 三成半: 35 %, 七成五: 75 %
        if (tenth := _CHENG_DIGIT.match(text, e)) is not None:
            return value * 10 + _digit(tenth.group(1)), tenth.end(), unit, False
        half = text.startswith("半", e)
        more = not half and text.startswith("多", e) and text[e + 1:e + 2] in _MORE_NEXT  # 8成多
        return value * 10 + (5 if half else 0), e + half + more, unit, more
    if unit == "个" and (yi := _GE_YI.match(text, e)) is not None:  # 两个亿, 三个多亿: no unit, a magnitude
        return value * 100000000, yi.end(), None, bool(yi.group(1))
    if unit == "个" and text[e:e + 1] in ("半", "多"):  # 一个半月, 3个多月, 七个多百分点
        added, more = (Decimal("0.5"), False) if text[e] == "半" else (Decimal(0), True)
        if text.startswith(("百分点", "百分點"), e + 1):
            return value + added, e + 4, "个百分点", more
        if u := _time_after(text, e + 1):
            return value + added, u[1], u[0], more
        if not more and not _cjk(text[e + 1:e + 2]):  # 一个半。: one and a half (not 3个半导体项目, 一个半径)
            return value + added, e + 1, unit, False
    if unit in _HALF_UNITS and text.startswith("半", e) and value < 1000:  # not 2023年半年报
        return value + Decimal("0.5"), e + 1, unit, False
    if unit in _MORE_UNITS and text.startswith("多", e) and text[e + 1:e + 2] in _MORE_NEXT and value < 1000:
        return value, e + 1, unit, True
    return value, e, unit, False


def _yuan(text: str, e: int, value: Decimal, unit: str) -> tuple[Decimal, int, str]:
    """五元三毛, 三元零五分, 4元8毛5, 三元五, 两块五: (value in 元, end, unit)."""
    m = _YUAN_PARTS.match(text, e)
    if m is None or (unit == "块" and not (m.group("jiao") or m.group("jiao_bare"))):
        return value, e, unit
    value += _parts(m, "jiao", "fen", "fen_bare") + _parts(m, "jiao_bare", "fen_only", "")
    return value, m.end(), "元"


def _time_after(text: str, k: int) -> tuple[str, int] | None:
    """一个半月, 3个多月, 1个半小时: the unit of time after 个半/个多 (月 reads as 个月): (unit, end) or None."""
    m = _TIME_UNIT.match(text, k)
    if m is None:
        return None
    unit = m.group()
    if _UNITS[unit][1] != "duration":
        unit = "个" + unit
        if unit not in _UNITS or _UNITS[unit][1] != "duration":
            return None
    return unit, m.end()
