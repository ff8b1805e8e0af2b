"""Figures in a table flattened to text: a header row names each column's unit, the rows under it hold bare numbers.

    景区名称 接待游客（万人次） 门票收入（亿元） 同比增长（%）
    黄山风景区 218.5 4.12 9.7                      → 2185000 人次, 412000000 元, 9.7 %

    类别 | 件数 | 占比
    A类（已解决或采纳） | 21 | 44.7%                 → 21 件 (件数: the count of 件); 44.7% is read as written

    指标名称 单位 年度目标 完成数 完成率(%)
    城镇新增就业 万人 3.8 4.21 110.8                 → 38000 人, 42100 人, 110.8 %  (a unit column: the row's unit)

    单位:个、万元
    | 序号 | 地区 | 产业园数 | 下达资金 |
    | 1 | 清河市 | 3 | 3300 |                       → 3 个, 33000000 元 (a caption: money to the money column)

A column's unit comes from its header: a unit in brackets after the name, with its magnitude (（万人次）, （亿元）,
（%）), a unit before 数 (件数, 人数, 户数), or a counted unit ending the name (抽检批次); else from a 单位 column of
the row; else from a caption 单位:… on the line above the header (one unit for every column, or a money unit for the
columns named by money words and the other unit for the rest). A 序号 column holds no figures. Rows are the lines
right under the header with as many cells; a row ends the table when its cell count differs. Cells are split on ``|``
when the header has one, else on spaces.
A table scraped with a line break after every cell (项目⏎金额⏎占比（%）⏎养老⏎11,295⏎50.0⏎…) is read the same way,
a row being as many lines as the header has cells.
A table may have no header: rows that are each a name with its unit in brackets and only two or more numbers
(用电量（亿千瓦时） 4.09 4.18 → 409000000 千瓦时 twice).
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..model import Quantity
from ._tables import _INFO, _UNITS
from .numerals import _out, _rows

__all__ = ["table_units"]

_MAYBE = re.compile(r"[（(][万亿萬億]?[^（()）\n]{1,4}[）)](?:[ \t|｜]|$)|[^\s|｜]数(?:[ \t]*[|｜]|[ \t]|$)"
                    r"|(?:^|[ \t|｜])(?:计量)?单位(?:[ \t|｜]|$)|单位[:：]", re.M)
_CAPTION = re.compile(r"单位[:：][ \t]*(?P<units>[^\s（()）:：]{1,16})[）)]?[:：]?[ \t]*$", re.M)  # …如下（单位：件）：
_UNIT_CELL = re.compile(r"(?P<mag>[万亿萬億]?)(?P<u>[^\s|｜]{1,8})")  # up to 微克/立方米, 千克标准煤
_COLUMN_WORDS = _rows("table_columns.tsv")
_UNIT_COLUMN = frozenset(w for kind, w in _COLUMN_WORDS if kind == "unit_column")
_SERIAL = frozenset(w for kind, w in _COLUMN_WORDS if kind == "serial")
_TOTALS = frozenset(w for kind, w in _COLUMN_WORDS if kind == "total")
_MONEY_COLUMN = re.compile("|".join(w for kind, w in _COLUMN_WORDS if kind == "money"))
_BRACKET_UNIT = re.compile(r"[（(](?P<mag>[万亿萬億]?)(?P<u>[^（()）]{1,4})[）)]$")
_COUNT_UNIT = re.compile(r"(?P<u>[^\s|｜])数$")
_NUMBER = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"  # 1,026: a comma groups digits
                     r"|[-+]?[0-9]{1,3}(?: [0-9]{3})+(?:\.[0-9]+)?|[-+]?[0-9]+(?:\.[0-9]+)?")  # 31 462: so does a space
_RULE_ROW = re.compile(r"[|｜]?\s*:?-{2,}")  # |---|---| under a markdown header
_WIDE_GAP = re.compile(r"\S(?: {2,}|\t)\S")
_CELL = re.compile(r"[^|｜]+")
_WORD = re.compile(r"\S+")
_GROUPED_WORD = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+(?:\.[0-9]+)?(?!\S)|\S+")  # 31 462 as one cell
_WIDE = re.compile(r"\S+(?: \S+)*")  # cells of a table aligned by runs of spaces
_SPLIT = {"wide": _WIDE, "word": _WORD, "grouped": _GROUPED_WORD}
_NOTE = re.compile(r"[（(][^（()）]*[）)]")
_COUNTED = frozenset(("items", "persons", "person_times", "organizations"))  # kinds of a unit before 数
_MAGNITUDE = {"": 1, "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


def table_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """Return found with the bare numbers of every table row replaced by quantities in their column's unit."""
    cells: list[tuple[int, int, str, int, str]] = []  # (start, end, unit, magnitude, label) of each number cell
    done = 0  # lines before this are read (a header's rows included)
    for line_start, line_end in _hint_lines(text):  # only the lines that may be a header are looked at
        if line_start < done:
            continue
        caption = _CAPTION.search(text, line_start, line_end)
        if caption:  # the header is the next line (after one blank line at most)
            line_start, line_end = line_end + 1, _line_end(text, line_end + 1)
            if line_start == line_end and line_end < len(text):
                line_start, line_end = line_end + 1, _line_end(text, line_end + 1)
        mode = _mode(text[line_start:line_end])
        if (width := _headless_row(text, line_start, line_end, mode)) and not caption:  # the rows start here
            done = _rows(text, line_start, [None] + [(None, 0, "")] * (width - 1), mode, cells)
            continue
        units = _column_units(text, line_start, line_end, _caption_units(caption), mode)
        if units is None and (width := _vertical_width(text, line_start := _vertical_start(text, line_start))):
            line_end = _lines_end(text, line_start, width)  # a header of one cell a line: 项目⏎金额⏎占比（%）
            units, mode = _column_units(text, line_start, line_end, _caption_units(caption), "lines"), "lines"
        done = line_end + 1 if units is None else _rows(text, line_end + 1, units, mode, cells)
    if not cells:
        return found
    kept = [q for q in found if not any(q.span[0] < e and s < q.span[1] for s, e, *_ in cells)]
    made = [Quantity(text[s:e], _out(Decimal(re.sub("[ ,]", "", text[s:e])) * m), None, u, _INFO[u][0], None, (s, e),
                     True, None, label) for s, e, u, m, label in cells]
    return sorted(kept + made, key=lambda q: q.span)


_ANCHOR = re.compile("[数）)位]")  # every match of _MAYBE holds one of these


def _hint_lines(text: str):
    """Yield (start, end) of each line holding a match of _MAYBE, in order: the lines holding 数, a closing bracket
    or 位 (单位) are found first (a quick scan), and _MAYBE is tried on those lines only (its matches never cross a
    line)."""
    pos = 0
    while (anchor := _ANCHOR.search(text, pos)) is not None:
        start, end = text.rfind("\n", 0, anchor.start()) + 1, _line_end(text, anchor.start())
        if _MAYBE.search(text, start, end) is not None:
            yield start, end
        pos = end + 1


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _lines_end(text: str, start: int, count: int) -> int:
    """The end of the count-th line from start (one cell a line: a row of count cells)."""
    end = start - 1
    for _ in range(count):
        end = _line_end(text, end + 1)
    return end


_VERTICAL_MAX = 6  # header cells of a table written one cell a line


def _cell_line(text: str, start: int, end: int) -> bool:
    """Whether a line may be a header or name cell of a table written one cell a line: short, no figure outside
    brackets, not a sentence or a caption."""
    line = text[start:end].strip()
    return 0 < len(line) <= 16 and not re.search(r"[0-9]", _NOTE.sub("", line)) and not line.endswith(
        ("。", "：", ":", "，", "；")) and " " not in line


def _vertical_start(text: str, start: int) -> int:
    """The first line of the run of cell lines that holds the line at start (a header's unit may be in its second
    cell: 项目⏎金额（万元）)."""
    for _ in range(_VERTICAL_MAX - 1):
        if start == 0 or not _cell_line(text, before := text.rfind("\n", 0, start - 1) + 1, start - 1):
            break
        start = before
    return start


def _vertical_width(text: str, start: int) -> int:
    """The cell count of a table written one cell a line from start (a header of cell lines, then at least two rows
    of a name and figures), else 0."""
    lines, at = [], start
    while at < len(text) and len(lines) < 3 * _VERTICAL_MAX:
        end = _line_end(text, at)
        lines.append((at, end))
        at = end + 1
    run = next((i for i, (s, e) in enumerate(lines) if not _cell_line(text, s, e)), len(lines))
    width = run - 1  # the header, then the first row's name
    if not 2 <= width <= _VERTICAL_MAX or len(lines) < 3 * width:  # the header and two rows
        return 0
    rows = [lines[width * n + width:width * n + 2 * width] for n in range(2)]
    ok = all(_cell_line(text, *row[0]) and all(_NUMBER.fullmatch(text[s:e].strip()) for s, e in row[1:])
             for row in rows)
    return width if ok else 0


def _mode(header: str) -> str:
    """How the header's cells are split: on pipes, on runs of spaces (an aligned table), else on every space."""
    return "pipe" if "|" in header or "｜" in header else "wide" if _WIDE_GAP.search(header) else "word"


def _split(text: str, start: int, end: int, mode: str) -> list[tuple[int, int]]:
    """The cells of a line, stripped, as spans; between pipes an empty cell is kept (as an empty span), before a
    leading or after a trailing | it is dropped; between spaces there are no empty cells. Mode "grouped" splits on
    single spaces but keeps a space-grouped number whole (31 462), for a row whose plain split does not fit."""
    if mode == "lines":
        return [m.span() for m in _WIDE.finditer(text, start, end)]  # one cell a line (a cell holds no wide gap)
    if mode != "pipe":
        return [m.span() for m in _SPLIT[mode].finditer(text, start, end)]
    spans = []
    for m in _CELL.finditer(text, start, end):
        inner = m.group()
        left = len(inner) - len(inner.lstrip())
        spans.append((m.start() + left, max(m.start() + left, m.start() + len(inner.rstrip()))))
    if spans and spans[0][0] == spans[0][1] and not any(c in text[start:spans[0][0]] for c in "|｜"):
        spans = spans[1:]  # blanks before the first pipe
    if spans and spans[-1][0] == spans[-1][1] and not any(c in text[spans[-1][1]:end] for c in "|｜"):
        spans = spans[:-1]  # blanks after the last pipe
    return spans


_NO_UNIT = (None, 1, "")


def _caption_units(caption: re.Match | None) -> list[tuple[str, int]]:
    """The (unit, magnitude) pairs a caption 单位:个、万元 names."""
    if caption is None:
        return []
    whole = _cell_unit(caption.group("units"))  # 单位:微克/立方米 is one unit, 单位:个/万元 two
    if whole is not None:
        return [whole]
    pairs = [_cell_unit(part) for part in re.split(r"[、，,/；;]", caption.group("units"))]
    return [p for p in pairs if p is not None]


def _cell_unit(cell: str) -> tuple[str, int] | None:
    m = _UNIT_CELL.fullmatch(cell)
    return (m.group("u"), _MAGNITUDE[m.group("mag")]) if m and m.group("u") in _UNITS else None


def _column_units(text: str, start: int, end: int, caption: list[tuple[str, int]], mode: str):
    """The (unit, magnitude, name) of each column when the line is a table header naming a unit for at least one column
    after the first (in a header cell, a 单位 column or a caption above), else None. A 单位 column is ("@", 1, "")
    and a column that takes the row's unit (unit None, magnitude 0, name)."""
    units: list[tuple[str | None, int, str] | None] = []
    cells = [text[s:e] for s, e in _split(text, start, end, mode)]
    for cell in cells:
        m = _BRACKET_UNIT.search(cell) or _COUNT_UNIT.search(cell)
        unit = m.group("u") if m else None
        name = cell[:m.start()] if m and m.re is _BRACKET_UNIT else ""  # 接待游客（万人次）: 接待游客; 件数: nothing
        if unit in _UNITS and (m.re is _BRACKET_UNIT or _INFO[unit][0] in _COUNTED and not caption):  # 件数, not 完成数
            units.append((unit, _MAGNITUDE[m.groupdict().get("mag") or ""], name))
        elif cell in _UNIT_COLUMN:
            units.append(("@", 1, ""))
        elif not caption and (counted := _end_unit(cell)) is not None:  # 抽检批次: a count of 批次
            units.append((counted, 1, cell))
        elif cell in _SERIAL or not cell or not units:
            units.append(None)  # a row number, an empty header cell, the rows' names
        else:
            units.append((caption and _from_caption(caption, cell)) or (None, 0, cell))  # else the row's unit
    named = any(u is not None and u[0] is not None for u in units[1:])  # a unit in a cell, a 单位 column, a caption
    return units if len(units) >= 2 and named else None


def _end_unit(cell: str) -> str | None:
    """The count of times a header cell ends with (抽检批次 → 批次, 新增就业人次 → 人次, 服务户次 → 户次); a unit of
    one character ending a name is most often part of a word (常住人口, 开工时间, 养老床位, 统计年份), so it is none."""
    for size in (3, 2):
        unit = cell[-size:]
        if len(cell) > size and unit.endswith("次") and unit in _UNITS and _INFO[unit][0] in _COUNTED:
            return unit
    return None


def _headless_row(text: str, start: int, end: int, mode: str) -> int:
    """The cell count of a line that is a row of a table without a header (a name with its unit in brackets, then
    only two or more numbers: 用电量（亿千瓦时） 4.09 4.18), else 0."""
    row = _split(text, start, end, mode)
    if len(row) < 3 or _BRACKET_UNIT.search(text, *row[0]) is None:
        return 0
    return len(row) if all(_NUMBER.fullmatch(text, s, e) for s, e in row[1:]) else 0


def _from_caption(caption: list[tuple[str, int]], name: str) -> tuple[str, int, str] | None:
    """A column's unit from a caption: the only one, else money for a column named by money words, else the first
    unit that is not money."""
    if len(caption) == 1:
        return (*caption[0], name)
    money = bool(_MONEY_COLUMN.search(name))
    pick = next((c for c in caption if (_INFO[c[0]][0] == "money_cny") == money), None)
    return (*pick, name) if pick else None


def _row_unit(text: str, row: list[tuple[int, int]], by_row: int | None) -> tuple[str, int] | None:
    """A row's own unit: its 单位 cell, else a unit in brackets after its name (常住人口（万人）)."""
    if by_row is not None:
        return _cell_unit(text[slice(*row[by_row])])
    m = _BRACKET_UNIT.search(text, *row[0])
    return (m.group("u"), _MAGNITUDE[m.group("mag")]) if m and m.group("u") in _UNITS else None


def _rate_name(label: str, unit: str) -> str:
    """A change in per cent is named as a rate: 嵩原市 under 增长（%） → 嵩原市增长率 (not a dangling verb)."""
    return label + "率" if unit in ("%", "％") and label.endswith(_CHANGE_WORDS) else label


_CHANGE_WORDS = ("增长", "下降", "增加", "减少", "增長", "減少")


def _rows(text: str, start: int, units, mode: str, cells: list) -> int:
    """Collect the number cells of the rows from start on; return where the table ends."""
    by_row = next((i for i, u in enumerate(units) if u is not None and u[0] == "@"), None)
    if _RULE_ROW.match(text, start):
        start = _line_end(text, start) + 1
    while start < len(text):
        end = _lines_end(text, start, len(units)) if mode == "lines" else _line_end(text, start)
        row = _split(text, start, end, mode)
        if len(row) != len(units) and mode == "word":  # 人均地区生产总值（元） 31 462 34 188 8.7
            row = _split(text, start, end, "grouped")
        if len(row) == len(units) - 1 and row and units[0] is None and text[slice(*row[0])] in _TOTALS:
            row = [(row[0][0], row[0][0]), *row]  # 合计 40.0 12.0 under 序号 地区 …: the row number left empty
        if len(row) != len(units) or not any(_NUMBER.fullmatch(text[s:e]) for s, e in row[1:]):
            return start
        row_unit = _row_unit(text, row, by_row)
        row_name = _NOTE.sub("", next((text[s:e] for (s, e), u in zip(row, units)  # 序号 and 单位 cells: not it
                                        if s < e and (u is None or u[0] != "@") and not _NUMBER.fullmatch(text, s, e)),
                                       ""))
        for (s, e), unit in zip(row, units):
            if unit is None or unit[0] == "@" or not _NUMBER.fullmatch(text, s, e):
                continue
            if unit[0] is None:  # the row's unit (a 单位 column)
                if row_unit is None:
                    continue
                unit = (*row_unit, unit[2])
            cells.append((s, e, unit[0], unit[1], _rate_name(row_name + unit[2], unit[0])))
        start = end + 1
    return start
