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
_FINANCIAL = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
_ASCII = "0-9０-９"
_START = f"{_ASCII}□{_CN_DIGIT}{_chars('unit')}"
_CONT = f"{_START}{_chars('magnitude', 'point', 'approx')}.．,，"
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
    total = section = Decimal(0)
    pending, pending_cn, last_mult = None, False, 0
    after_zero = approx = frac = chinese = False
    k = i
    while k < end:
        ch = text[k]
        role, val = _ROLE.get(ch, ("", ""))
        m = _ARABIC.match(text, k, end) if not role else None
        if m:
            if pending is not None or approx or frac or (k > i and not last_mult and not after_zero):
                break
            try:
                pending = Decimal(m.group().translate(_FULLWIDTH).replace(",", ""))
            except InvalidOperation:
                break
            pending_cn, k = False, m.end()
            continue
        if role in ("digit", "zero") and k == i or role == "digit":
            if pending is not None or approx or frac:
                break
            pending, pending_cn, chinese = Decimal(val), True, True
        elif role == "zero":
            if pending is not None or approx or frac:
                break
            after_zero = True
        elif role == "unit":
            if approx or frac or (pending is None and 0 < last_mult <= int(val)):
                break
            section += (pending if pending is not None else 1) * int(val)
            pending, last_mult, after_zero, chinese = None, int(val), False, True
        elif role == "magnitude":
            if k == i:
                break
            sec = section + (pending or 0)
            if not sec and _ROLE.get(text[k - 1], ("",))[0] == "magnitude":
                total *= int(val)  # 四万万, 万亿: a magnitude of a magnitude multiplies
            elif int(val) > 10000:
                total = (total + sec) * int(val)
            else:
                total += sec * int(val)
            section, pending, last_mult, after_zero = Decimal(0), None, int(val), False
        elif role == "point":
            digits = _CN_FRACTION.match(text, k + 1, end)
            if frac or approx or not digits or (pending is None and not section and not total):
                break
            section += _elide(pending, pending_cn, last_mult, after_zero)
            pending = total + section + Decimal("0." + "".join(_ROLE[c][1] for c in digits.group()))
            total = section = Decimal(0)
            pending_cn, frac, k = False, True, digits.end()
            continue
        elif role == "approx":
            if approx or k == i or frac:
                break
            section += pending or 0
            pending, approx = None, True
        else:
            break
        k += 1
    if k == i or (k == i + 1 and text[i] in "百千佰仟零〇○"):
        return None
    value = total + section + _elide(pending, pending_cn, last_mult, after_zero)
    return value, k, approx, chinese


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
