"""Numerals: one parser for every number the project reads (Arabic, Chinese, financial, mixed).

The roles of the numeral characters are the file ``core/data/numerals.tsv``; ``parse_number`` values a whole
numeral and ``_parse`` values the numeral that starts at a position of a text (the scanner's entry point).
cn2an is not used: importing it takes ~300 ms (the one-letter budget) and it rejects
两千余, 十多, 一千多万, 4.78万亿, 千三 and 百分之三十.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .._data import data_text

__all__ = ["parse_number"]


def _rows(name: str) -> list[list[str]]:
    """Return the tab-separated rows of a data file, comments and blank lines left out."""
    lines = data_text(name).splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


_ROLE = {r[0]: (r[2], r[1]) for r in _rows("numerals.tsv")}


def _chars(*roles: str) -> str:
    return "".join(c for c, (role, _) in _ROLE.items() if role in roles)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_CN_DIGIT = _chars("digit", "zero")
_FINANCIAL = frozenset("壹贰貳叁參参肆伍陆陸柒捌玖拾佰仟")
_ASCII = "0-9０-９"
_OPENS_ONLY = "参半"  # 参 (叁: 参佰元) and 半 (半年) open a numeral run but no numeral for the context checks
_START = f"{_ASCII}□{_CN_DIGIT.replace('参', '')}{_chars('unit', 'tens')}"
_RUN_START = f"{_START}{_OPENS_ONLY}"
_CONT = f"{_START}参{_chars('magnitude', 'point', 'approx')}.．,，"
_ARABIC = re.compile(
    r"(?:[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+|[０-９]{1,3}(?:[,，][０-９]{3}(?![０-９]))+|[0-9０-９□]+)"
    r"(?:[.．][0-9０-９□]+)?"
)
_CN_DIGITS = re.compile(f"[{_CN_DIGIT}]{{2,}}")
_CN_FRACTION = re.compile(f"[{_CN_DIGIT}]+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，□", "0123456789.,0")


def _out(d: Decimal) -> int | float:
    """An int when whole and within 64 bits (JSON readers and orjson stop there), else a float."""
    return int(d) if d == d.to_integral_value() and abs(d) < 2**63 else float(d)


def _digit_by_digit(text: str, i: int, end: int) -> tuple[Decimal, int] | None | bool:
    """Value 二〇二三 digit by digit; False for runs like 九九 that are no number; None to go on."""
    m = _CN_DIGITS.match(text, i, end)
    if not m or (m.end() < end and _ROLE.get(text[m.end()], ("",))[0] in ("unit", "magnitude", "point")):
        return None
    s = m.group()
    if any(_ROLE[c][0] == "zero" for c in s) or (len(s) == 4 and text.startswith("年", m.end())):
        return Decimal("".join(_ROLE[c][1] for c in s)), m.end()
    return False


def _parse(text: str, i: int, end: int):
    """Value the numeral at text[i:end]: (value, stop, approx, chinese) or None.

    >>> _parse("拨付补贴资金1000多万元", 6, 12)[:3]
    (Decimal('10000000'), 12, True)
    """
    if i >= end:
        return None  # nothing left to read: "5分之" at the end of a text
    if "0" <= text[i] <= "9" and (m := _ARABIC.match(text, i, end)) and (m.end() == end or text[m.end()] not in _ROLE):
        try:  # the common case, 68715 or 137.43, without the state machine
            return Decimal(m.group().replace(",", "").replace("□", "0")), m.end(), False, False
        except InvalidOperation:
            return None
    dd = _digit_by_digit(text, i, end)
    if dd is False:
        return None
    if dd:
        return dd[0], dd[1], False, True
    r = _Reading(i)
    k = i
    while k < end and (nxt := _step(r, text, k, end)) > k:
        k = nxt
    if k == i or (k == i + 1 and text[i] in "百千佰仟零〇○"):
        return None
    value = r.total + r.section + _elide(r.pending, r.pending_cn, r.last_mult, r.after_zero)
    return value, k, r.approx, r.chinese


class _Reading:
    """The state of one left-to-right reading of a Chinese or mixed numeral that starts at ``i``."""

    __slots__ = ("i", "total", "section", "pending", "pending_cn", "last_mult", "after_zero", "approx", "frac",
                 "chinese")

    def __init__(self, i: int):
        self.i, self.total, self.section, self.pending, self.pending_cn = i, Decimal(0), Decimal(0), None, False
        self.last_mult, self.after_zero, self.approx, self.frac, self.chinese = 0, False, False, False, False

    def closed(self) -> bool:
        """True once a digit waits, a 多/余 or a decimal point was read: no digit may follow."""
        return self.pending is not None or self.approx or self.frac


def _step(r: _Reading, text: str, k: int, end: int) -> int:
    """Read the character at k into r: the position to go on from, or k to stop before it."""
    role, val = _ROLE.get(text[k], _NO_ROLE)
    if not role:
        m = _ARABIC.match(text, k, end)
        return _step_arabic(r, m, k) if m else k
    return _STEPS[role](r, text, k, end, val)


def _step_arabic(r: _Reading, m: re.Match, k: int) -> int:
    """3万4000, 1千零1: Arabic digits after a Chinese multiplier or 零 (never right after another digit)."""
    if r.closed() or (k > r.i and not r.last_mult and not r.after_zero):
        return k
    try:
        r.pending = Decimal(m.group().translate(_FULLWIDTH).replace(",", ""))
    except InvalidOperation:
        return k
    r.pending_cn = len(m.group()) == 1 and not r.after_zero  # 5万5, 3千5: the elided place, as 三万五
    return m.end()


def _step_digit(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    if r.closed():
        return k
    r.pending, r.pending_cn, r.chinese = Decimal(val), True, True
    return k + 1


def _step_zero(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    """零 inside a numeral marks a skipped place (一千零五); at the start it is the digit 0 (零点五)."""
    if k == r.i:
        return _step_digit(r, text, k, end, val)
    if r.closed():
        return k
    r.after_zero = True
    return k + 1


def _step_unit(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    """十 百 千 (拾 佰 仟): the waiting digit (1 when none) times the unit, if units fall (千三百, not 百千)."""
    if r.approx or r.frac or (r.pending is None and 0 < r.last_mult <= int(val)):
        return k
    r.section += (r.pending if r.pending is not None else 1) * int(val)
    r.pending, r.last_mult, r.after_zero, r.chinese = None, int(val), False, True
    return k + 1


def _step_tens(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    """廿 卅 卌: twenty, thirty, forty written as one character (廿三 is 23); no digit may come before."""
    if r.closed() or 0 < r.last_mult <= 10:
        return k
    r.section += int(val)
    r.last_mult, r.after_zero, r.chinese = 10, False, True
    return k + 1


def _step_magnitude(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    """万 亿: close the section; 四万万 and 万亿 multiply (a magnitude of a magnitude)."""
    if k == r.i:
        return k
    sec = r.section + (r.pending or 0)
    if not sec and _ROLE.get(text[k - 1], _NO_ROLE)[0] == "magnitude":
        r.total *= int(val)
    elif int(val) > 10000:
        r.total = (r.total + sec) * int(val)
    else:
        r.total += sec * int(val)
    r.section, r.pending, r.last_mult, r.after_zero = Decimal(0), None, int(val), False
    return k + 1


def _step_point(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    """点: the Chinese decimal point, read digit by digit after it (两千三点一)."""
    digits = _CN_FRACTION.match(text, k + 1, end)
    if r.frac or r.approx or not digits or (r.pending is None and not r.section and not r.total):
        return k
    r.section += _elide(r.pending, r.pending_cn, r.last_mult, r.after_zero)
    r.pending = r.total + r.section + Decimal("0." + "".join(_ROLE[c][1] for c in digits.group()))
    r.total = r.section = Decimal(0)
    r.pending_cn, r.frac = False, True
    return digits.end()


def _step_approx(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    """多 余 几 inside a numeral (十多, 两千余, 二十几万): more than what was read so far."""
    if r.approx or k == r.i or r.frac:
        return k
    r.section += r.pending or 0
    r.pending, r.approx = None, True
    return k + 1


def _step_half(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    """半 opening a numeral is one half (半年, 半个月); anywhere else it ends the numeral."""
    if k != r.i:
        return k
    r.pending, r.pending_cn, r.chinese = Decimal(val), False, True
    return k + 1


def _stop(r: _Reading, text: str, k: int, end: int, val: str) -> int:
    return k


_NO_ROLE = ("", "")
_STEPS = {"digit": _step_digit, "zero": _step_zero, "unit": _step_unit, "tens": _step_tens,
          "magnitude": _step_magnitude, "point": _step_point, "approx": _step_approx, "half": _step_half,
          "negative": _stop}


def _adjacent_range(text: str, i: int, end: int, got) -> tuple[tuple, Decimal] | None:
    """两三个, 三四十人, 十七八岁: two neighbouring digits are an approximate range: (low reading, high) or None.

    got is the plain reading of text[i:end] (None when it was refused, as 两三 is: digits side by side).
    >>> _adjacent_range("三四十人", 0, 3, _parse("三四十人", 0, 3))
    ((Decimal('30'), 3, False, True), Decimal('40'))
    """
    stop = got[1] if got else i + 1
    if stop >= end or stop == i or (got and got[2]) or not _neighbours(text[stop - 1], text[stop]):
        return None
    low_s, high_s = text[i:stop] + text[stop + 1:end], text[i:stop - 1] + text[stop:end]
    low, high = _parse(low_s, 0, len(low_s)), _parse(high_s, 0, len(high_s))
    if not low or not high or low[1] != high[1] or low[1] < stop - i or low[2] or high[2] or high[0] <= low[0]:
        return None
    return (low[0], i + low[1] + 1, False, True), high[0]


_NEIGHBOURS = frozenset({(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (3, 5)})  # 三五天 too


def _neighbours(a: str, b: str) -> bool:
    ra, rb = _ROLE.get(a, _NO_ROLE), _ROLE.get(b, _NO_ROLE)
    return ra[0] == rb[0] == "digit" and (int(ra[1]), int(rb[1])) in _NEIGHBOURS


def _elide(pending, pending_cn: bool, last_mult: int, after_zero: bool) -> Decimal:
    """Return the pending digit's worth: 四百五 → 5 × 10 (the elided unit), else the digit itself."""
    if pending is None:
        return Decimal(0)
    if pending_cn and last_mult >= 100 and not after_zero:
        return pending * last_mult / 10
    return pending


def parse_number(s: str) -> int | float | None:
    """Return the value of a whole numeral (Arabic, Chinese, financial or mixed), else None.

    >>> parse_number("2286.4万"), parse_number("一百二十"), parse_number("十多"), parse_number("二〇二三")
    (22864000, 120, 10, 2023)
    """
    s = s.strip()
    neg = s[:1] in ("负", "負", "-", "－")
    body = s[1:] if neg else s
    got = _parse(body, 0, len(body)) if body else None
    if not got or got[1] != len(body):
        return None
    return _out(-got[0] if neg else got[0])


def _scale(raw: str) -> int:
    """Return the trailing magnitude of a numeral: 5万 → 10000, 4.78万亿 → 10**12, 35 → 1."""
    scale, i = 1, len(raw)
    while i and _ROLE.get(raw[i - 1], ("",))[0] == "magnitude":
        scale, i = scale * int(_ROLE[raw[i - 1]][1]), i - 1
    return scale
