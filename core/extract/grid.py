"""Figures in a table flattened to text: a header row names each column's unit, the rows under it hold bare numbers.

    景区名称 接待游客（万人次） 门票收入（亿元） 同比增长（%）
    黄山风景区 218.5 4.12 9.7                      → 2185000 人次, 412000000 元, 9.7 %

    类别 | 件数 | 占比
    A类（已解决或采纳） | 21 | 44.7%                 → 21 件 (件数: the count of 件); 44.7% is read as written

A column's unit comes from its header: a unit in brackets after the name, with its magnitude (（万人次）, （亿元）,
（%）), or a unit before 数 (件数, 人数, 户数). Rows are the lines right under the header with as many cells; a row
ends the table when its cell count differs. Cells are split on ``|`` when the header has one, else on spaces.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..model import Quantity
from ._tables import _INFO, _UNITS
from .numerals import _out

__all__ = ["table_units"]

_MAYBE = re.compile(r"[（(][万亿萬億]?[^（()）\n]{1,4}[）)](?:[ \t|｜]|$)|[^\s|｜]数(?:[ \t]*[|｜]|[ \t]|$)", re.M)
_BRACKET_UNIT = re.compile(r"[（(](?P<mag>[万亿萬億]?)(?P<u>[^（()）]{1,4})[）)]$")
_COUNT_UNIT = re.compile(r"(?P<u>[^\s|｜])数$")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_CELL = re.compile(r"[^|｜]+")
_WORD = re.compile(r"\S+")
_NOTE = re.compile(r"[（(][^（()）]*[）)]")
_MAGNITUDE = {"": 1, "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


def table_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """Return found with the bare numbers of every table row replaced by quantities in their column's unit."""
    cells: list[tuple[int, int, str, int, str]] = []  # (start, end, unit, magnitude, label) of each number cell
    done = 0  # lines before this are read (a header's rows included)
    for hint in _MAYBE.finditer(text):  # only the lines that may be a header are looked at
        if hint.start() < done:
            continue
        line_start, line_end = text.rfind("\n", 0, hint.start()) + 1, _line_end(text, hint.start())
        units = _column_units(text, line_start, line_end)
        done = line_end + 1 if units is None else _rows(text, line_end + 1, units, "|" in text[line_start:line_end],
                                                       cells)
    if not cells:
        return found
    kept = [q for q in found if not any(q.span[0] < e and s < q.span[1] for s, e, *_ in cells)]
    made = [Quantity(text[s:e], _out(Decimal(text[s:e]) * m), None, u, _INFO[u][0], None, (s, e), True, None, label)
            for s, e, u, m, label in cells]
    return sorted(kept + made, key=lambda q: q.span)


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _split(text: str, start: int, end: int, piped: bool) -> list[tuple[int, int]]:
    """The cells of a line, stripped, as spans (an empty cell before a leading or after a trailing | is dropped)."""
    spans = []
    for m in (_CELL if piped else _WORD).finditer(text, start, end):
        inner = m.group()
        left = len(inner) - len(inner.lstrip())
        s, e = m.start() + left, m.start() + len(inner.rstrip())
        if s < e:
            spans.append((s, e))
    return spans


def _column_units(text: str, start: int, end: int) -> list[tuple[str, int, str] | None] | None:
    """The (unit, magnitude, name) of each column when the line is a table header naming a unit for at least one column
    after the first, else None."""
    units: list[tuple[str, int, str] | None] = []
    for s, e in _split(text, start, end, "|" in text[start:end]):
        cell = text[s:e]
        m = _BRACKET_UNIT.search(cell) or _COUNT_UNIT.search(cell)
        unit = m.group("u") if m else None
        name = cell[:m.start()] if m and m.re is _BRACKET_UNIT else ""  # 接待游客（万人次）: 接待游客; 件数: nothing
        units.append((unit, _MAGNITUDE[m.groupdict().get("mag") or ""], name) if unit in _UNITS else None)
    return units if len(units) >= 2 and any(units[1:]) else None


def _rows(text: str, start: int, units, piped: bool, cells: list) -> int:
    """Collect the number cells of the rows from start on; return where the table ends."""
    while start < len(text):
        end = _line_end(text, start)
        row = _split(text, start, end, piped)
        if len(row) != len(units) or not any(_NUMBER.fullmatch(text[s:e]) for s, e in row[1:]):
            return start
        row_name = _NOTE.sub("", text[row[0][0]:row[0][1]])  # A类（已解决或采纳）: A类
        for (s, e), unit in zip(row, units):
            if unit is not None and _NUMBER.fullmatch(text, s, e):
                cells.append((s, e, unit[0], unit[1], row_name + unit[2]))
        start = end + 1
    return start
