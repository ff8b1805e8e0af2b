"""The long tail of written numbers around a reading (DESIGN §3.4), each shape a small predicate:

- 十来个, 二十来岁, 20来人, 千把人: 来 or 把 after a round numeral says "about" (``about_word``, ``round_alone``);
- 两打, 半打 (dozens) and 八折, 7.5折 (a discount: 80 %, 75 %): units that multiply, the rows of
  ``core/data/unit_multiples.tsv`` (``multiple``); 九五折 → 95 % (``two_digit_discount``);
- 十块八块, 三年五年: two loose one-character readings of one unit are about low to high (``loose_pair``);
- 三又四分之一 → 3.25 (``mixed_fraction``); 1.5e3, 3×10^8, 1.2×10⁴ (``scientific``);
- 1:1:1: a chain of three or more ratio terms is one ratio (``ratio_chain``).
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..model import Quantity
from ._tables import _UNITS
from .numerals import _CONT, _FULLWIDTH, _ROLE, _out, _parse, _rows

__all__ = ["about_word", "long_tail", "loose_pair", "mixed_fraction", "multiple", "percent_high", "ratio_chain",
           "round_alone", "scientific", "two_digit_discount", "MULTIPLE_UNITS"]

_TIMES = {r[0]: (Decimal(r[1]), r[2]) for r in _rows("unit_multiples.tsv")}
MULTIPLE_UNITS = frozenset(_TIMES)
_HALVES = {"一半": Decimal("0.5"), "半折": Decimal(5)}  # 一半 is one half; 半折 is five tenths (50 %)
_ROUND = frozenset("十百千万拾佰仟萬")
_BARE_ROUND = frozenset("百千佰仟")  # 千把人: a multiplier alone before 把
_REST = re.compile(f"[{_CONT}]*")
_DIGITS = "一二三四五六七八九"
_DISCOUNT = re.compile(f"([{_DIGITS}])([{_DIGITS}])折")
_LOOSE = re.compile(f"[{_DIGITS}两十]")
_PAIR_UNITS = {"块": "块钱"}  # 十块八块: a loose pair of 块 is money (a pair of pieces is not said so)
_SCIENTIFIC = re.compile(r"[eE](?P<e>[+-]?[0-9]{1,3})(?![0-9A-Za-z])"
                         r"|[ ]?[×xX*][ ]?10(?:\^(?P<p>[+-]?[0-9]{1,3})(?![0-9])|(?P<sup>⁻?[⁰¹²³⁴-⁹]{1,3}))"
                         r"|\^(?P<pow>[+-]?[0-9]{1,3})(?![0-9.])")  # 10^8, 1.1^23: a power
_SCIENTIFIC_START = frozenset("eE ×xX*^")  # every _SCIENTIFIC match starts with one of these
_PERCENT_TO = re.compile(f"(?:至|到|-|~|～|—|－)(?:[百千万]分之)?(?=[{_DIGITS}十零两百0-9])")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_RATIO_CHAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?((?:[:：][0-9]+(?:\.[0-9]+)?){2,})(?![0-9.．:：])")


def long_tail(text: str, s: int, got):
    """The scanner's reading of a run (一半 and 半折 read whole), else 千把 or 九五折; then a power of ten after
    Arabic digits (1.5e3)."""
    if got and got[1] == s + 1 and text.startswith(tuple(_HALVES), s):
        return _HALVES[text[s:s + 2]], s + 2 - (text[s + 1] == "折"), False, True
    return scientific(text, s, got or round_alone(text, s) or two_digit_discount(text, s))


def about_word(text: str, e: int, number: str) -> int:
    """Return the end of 来 (十来个, 20来人) or 把 (千把人) written after a round numeral, else e."""
    ch = text[e:e + 1]
    if ch == "来" and (number[-1:] in _ROUND or (number.isdigit() and number.isascii() and number[-1] == "0")):
        return e + 1
    if ch == "把" and number in _BARE_ROUND:
        return e + 1
    return e


def round_alone(text: str, s: int):
    """千把人, 百把块: a lone 百 or 千 before 把 reads as its value (the scanner refuses it alone)."""
    if text[s] in _BARE_ROUND and text[s + 1:s + 2] == "把":
        return Decimal(_ROLE[text[s]][1]), s + 1, False, True
    return None


def multiple(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """两打 → (24, 个), 八折 → (80, %): the value in the unit a multiplying unit stands for."""
    if unit in _TIMES:
        times, base = _TIMES[unit]
        return value * times, base
    return value, unit


def two_digit_discount(text: str, s: int):
    """九五折, 八五折: two digits before 折 read one by one (9.5 折), else None."""
    m = _DISCOUNT.match(text, s)
    if m is None or (nxt := text[m.end():m.end() + 1]) and nxt in _UNITS["折"][2]:
        return None
    value = Decimal(_ROLE[m.group(1)][1]) + Decimal(_ROLE[m.group(2)][1]) / 10
    return value, m.end() - 1, False, True


def loose_pair(text: str, e: int, value: Decimal, number: str, unit: str):
    """十块八块, 三年五年: a second one-character reading of the same unit: (low, high, end, unit) or None."""
    if len(number) != 1 or number not in _DIGITS + "两十" or not _LOOSE.match(text, e) \
            or not text.startswith(unit, e + 1):
        return None
    other = Decimal(_ROLE[text[e]][1])
    nxt = text[e + 1 + len(unit):e + 2 + len(unit)]
    if other == value or (nxt and nxt in _UNITS[unit][2]):
        return None
    return min(value, other), max(value, other), e + 1 + len(unit), _PAIR_UNITS.get(unit, unit)


def percent_high(text: str, e: int, low: Decimal, per: int) -> tuple[Decimal, int] | None:
    """百分之三十到四十, 百分之三十至百分之四十: the high end of a range of per-cent numerals: (high, end) or None."""
    m = _PERCENT_TO.match(text, e)
    got = _parse(text, m.end(), _end(text, m.end())) if m else None
    if not got or got[2] or got[0] / per <= low:
        return None
    return got[0] / per, got[1]


def mixed_fraction(text: str, e: int, whole: Decimal) -> tuple[Decimal, int] | None:
    """三又四分之一 → 3.25: a whole, 又, then a fraction: (value, end) or None."""
    if text[e:e + 1] != "又":
        return None
    below = _parse(text, e + 1, _end(text, e + 1))
    if not below or not below[0] or not text.startswith("分之", below[1]):
        return None
    above = _parse(text, below[1] + 2, _end(text, below[1] + 2))
    if not above or above[2]:
        return None
    return whole + above[0] / below[0], above[1]


def scientific(text: str, s: int, got):
    """1.5e3, 3×10^8, 1.2×10⁴ after Arabic digits: the reading times the power of ten (got when none)."""
    if got is None or got[3] or got[2] or (s and text[s - 1].isascii() and text[s - 1].isalnum()):
        return got
    if got[1] < len(text) and text[got[1]] not in _SCIENTIFIC_START:
        return got  # the usual case: nothing of a power written after the digits
    m = _SCIENTIFIC.match(text[got[1]:got[1] + 16].translate(_FULLWIDTH))  # ２．５×１０^３ too
    if m is None:
        return got
    if m.group("pow"):
        return got[0] ** int(m.group("pow")), got[1] + m.end(), False, False
    power = int(m.group("e") or m.group("p") or m.group("sup").translate(_SUPERSCRIPT))
    return got[0] * Decimal(10) ** power, got[1] + m.end(), False, False


def ratio_chain(text: str, s: int) -> Quantity | None:
    """按1:1:1比例: three or more terms are one ratio (value: the first term; unit: the other terms)."""
    if not "0" <= text[s] <= "9" or (s and (text[s - 1] in ":：." or text[s - 1].isascii() and text[s - 1].isalnum())):
        return None
    m = _RATIO_CHAIN.match(text, s)
    if m is None:
        return None
    first = Decimal(m.group()[:m.start(1) - s])
    return Quantity(m.group(), _out(first), None, m.group(1), "ratio", None, m.span(), True, None)


def _end(text: str, k: int) -> int:
    return min(_REST.match(text, k).end(), k + 64)

