"""Hard-wrapped pages: lines broken every N characters, mid-word and mid-number, joined again (FIELD-GUIDE §F).

A page is hard-wrapped when most of its prose lines have one width (±1) and most of those end without sentence
punctuation: the width is the wrap, not the writer's. Each such line that does not end a sentence is joined to the
next, unless the next starts a paragraph (an indent) or a section (一、 （二） 3.). Tables (pipes, runs of spaces,
numbers separated by single spaces) are neither counted nor joined. ``str -> str``, idempotent: a joined page no
longer looks wrapped.

    >>> lines = ["截至2023年8月底，全区60周岁以上户籍老年人1", "8.74万人，其中80周岁以上高龄老人2.96万"]
    >>> page = "\\n".join(lines * 3 + ["6万人。"])
    >>> join_hard_wraps(page).count("\\n")
    0
"""
from __future__ import annotations

import re
from collections import Counter

__all__ = ["join_hard_wraps"]

_MIN_WIDTH = 20  # a shorter line is no wrapped prose
_MIN_LINES = 5  # lines of the wrap width needed to call a page wrapped
_WRAP_SHARE = 0.4  # of the prose lines at least this share has the wrap width
_OPEN_SHARE = 0.6  # of those, at least this share ends mid-sentence
_SLACK = (3, 4)  # characters fewer / more than the wrap width that a wrapped line may hold
_SENTENCE_END = frozenset("。；;：:！？!?”）)》】")
_TABLE = re.compile(r"  |\t|[|｜]")
_NUMBER_CELL = re.compile(r"(?:(?<=\s)|^)[0-9][0-9,.]*%?(?=\s|$)")  # 岜山镇 812 7,420 1,113,000: a table row
_STARTS_BLOCK = re.compile(  # an indent, 一、 （二） 3. : a paragraph or a section starts on the next line
    r"[ 　]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十0-9]{1,3}[）)]|[0-9]{1,2}[.、．](?![0-9])")


def join_hard_wraps(text: str) -> str:
    """Return text with the line breaks of a hard wrap removed (unchanged when the page is not hard-wrapped)."""
    lines = text.split("\n")
    width = _wrap_width(lines)
    if width is None:
        return text
    out = [lines[0]]
    for prev, line in zip(lines, lines[1:]):
        if _wrapped(prev, width) and line and not _STARTS_BLOCK.match(line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _wrap_width(lines: list[str]) -> int | None:
    prose = [len(line) for line in lines if len(line) >= _MIN_WIDTH and not _table(line)]
    if len(prose) < _MIN_LINES:
        return None
    width = Counter(prose).most_common(1)[0][0]
    at_width = [line for line in lines if abs(len(line) - width) <= 1 and not _table(line)]
    open_ended = sum(1 for line in at_width if line[-1] not in _SENTENCE_END)
    if len(at_width) < max(_MIN_LINES, _WRAP_SHARE * len(prose)) or open_ended < _OPEN_SHARE * len(at_width):
        return None
    return width


def _wrapped(line: str, width: int) -> bool:
    """A line of a wrapped page broken by the wrap: about the wrap width (a wrap counts display columns, so a line
    with Latin digits holds a few more characters) and open at its end."""
    return width - _SLACK[0] <= len(line) <= width + _SLACK[1] and not _table(line) \
        and line[-1] not in _SENTENCE_END


def _table(line: str) -> bool:
    """A line of a table: pipes, tabs or runs of spaces, or numbers parted by single spaces."""
    if _TABLE.search(line) is not None:
        return True
    if " " not in line:
        return False
    cells = _NUMBER_CELL.findall(line)  # 共计 12 604 人: one number grouped by a space, not two cells
    return len(cells) >= 3 or (len(cells) == 2 and not (len(cells[1]) == 3 and cells[1].isdigit()))
