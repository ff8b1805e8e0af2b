"""Written dates of a letter (signature and metadata dates) read as ISO 8601, with their doubts.

Shapes read (on folded text): 2018年5月21日 (spaces allowed), 二〇二四年五月十六日 with 〇/○/零/O or ASCII 0 as
zero (二00八年五月十二日), 2019-3-5 / 2019.03.05 / 2019/3/5, 2021年06月11日 (zero-padded), and digits glued after
年月日 were lost (2023531): the glued form is read only when exactly one split gives a valid date, else it is
reported as ambiguous. A publication time (2020-01-02 10:20) is not a date line.
"""
from __future__ import annotations

import re
from datetime import date as _date

__all__ = ["DATE", "CN_DIGIT", "parse_date", "read_date", "glued_readings"]

CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "o": 0, "O": 0, "0": 0, "○": 0}
_CN = "〇零一二三四五六七八九oO0○"
DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    rf"|(?P<cy>[{_CN}]{{4}})\s*年\s*(?P<cm>[一二三四五六七八九十]{{1,2}})\s*月"
    r"\s*(?P<cd>[一二三四五六七八九十]{1,3})\s*日"
    r"|(?P<ny>(?:19|20)\d\d)(?P<sep>[-./])(?P<nm>\d{1,2})(?P=sep)(?P<nd>\d{1,2})(?![\d:])"
    r"|(?<!\d)(?P<glued>(?:19|20)\d{4,6})(?!\d))"
)
"""One written date (glued digits included: check them with ``glued_readings``)."""


def _cn_small(s: str) -> int:
    """一 … 三十一 as an int (十六 → 16, 二十一 → 21)."""
    if "十" not in s:
        return CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (CN_DIGIT[tens] if tens else 1) * 10 + (CN_DIGIT[ones] if ones else 0)


def glued_readings(digits: str) -> tuple[tuple[int, int, int], ...]:
    """Every valid (year, month, day) of digits whose 年月日 were lost.

    >>> glued_readings("2023531"), glued_readings("2009112")
    (((2023, 5, 31),), ((2009, 1, 12), (2009, 11, 2)))
    """
    year, rest = int(digits[:4]), digits[4:]
    found = []
    for cut in (1, 2):
        m, d = rest[:cut], rest[cut:]
        if not d or len(d) > 2 or m.startswith("0") and cut == 1 or len(m) + len(d) != len(rest):
            continue
        try:
            found.append(_date(year, int(m), int(d)).timetuple()[:3])
        except ValueError:
            continue
    return tuple(sorted(set(found)))


def parse_date(folded: str) -> tuple[int, int, int] | None:
    """(year, month, day) of one written date, valid or not (glued digits: only a single reading).

    >>> parse_date("二〇二四年五月十六日"), parse_date("二00八年五月十二日"), parse_date("2019-3-5")
    ((2024, 5, 16), (2008, 5, 12), (2019, 3, 5))
    """
    m = DATE.fullmatch(folded.strip())
    if not m:
        return None
    if m["y"]:
        return int(m["y"]), int(m["m"]), int(m["d"])
    if m["ny"]:
        return int(m["ny"]), int(m["nm"]), int(m["nd"])
    if m["glued"]:
        readings = glued_readings(m["glued"])
        return readings[0] if len(readings) == 1 else None
    year = int("".join(str(CN_DIGIT[c]) for c in m["cy"]))
    return year, _cn_small(m["cm"]), _cn_small(m["cd"])


def read_date(folded: str) -> tuple[str | None, str | None]:
    """(ISO date or None, doubt) of one written date; doubt is invalid | ambiguous | glued | None.

    >>> read_date("2023531"), read_date("2009112"), read_date("2018年2月30日")
    (('2023-05-31', 'glued'), (None, 'ambiguous'), (None, 'invalid'))
    """
    m = DATE.fullmatch(folded.strip())
    if not m:
        return None, None
    if m["glued"]:
        readings = glued_readings(m["glued"])
        if len(readings) != 1:
            return None, "ambiguous" if readings else "invalid"
        return _date(*readings[0]).isoformat(), "glued"
    parts = parse_date(folded)
    try:
        return _date(*parts).isoformat(), None
    except (TypeError, ValueError):
        return None, "invalid"
