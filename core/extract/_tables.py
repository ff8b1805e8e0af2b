"""The number tables of core/data/ as the scanner and the reasons read them (loaded once, at import)."""
from __future__ import annotations

import re
from bisect import bisect_right

from .numerals import _alternation, _rows

_UNITS = {r[0]: (r[1], None if r[2] == "-" else r[2], "" if r[3] == "-" else r[3])
          for r in _rows("units.tsv")}
_QUAL = {(r[1], r[0]): r[2] for r in _rows("quantity_qualifiers.tsv")}
_CONTEXT = {(r[0], r[1]): r[2] for r in _rows("quantity_context.tsv")}
_PREFIXES = tuple(w for (side, w) in _CONTEXT if side == "prefix")
_INFO = {**{w: (_CONTEXT[("prefix", w)], None, "") for w in _PREFIXES}, **_UNITS}  # units and currency signs
_WORDS = frozenset(r[0] for r in _rows("quantity_words.tsv"))
_NOT_BEFORE = {r[0]: r[1] for r in _rows("quantity_words.tsv") if len(r) > 1}  # 十分 → 钟: chars it is never before
_WORD_SHAPES: dict[str, list[tuple[int, int]]] = {}  # char -> (word length, offset of the char), longest first
for _w in _WORDS:
    for _off, _ch in enumerate(_w):
        _WORD_SHAPES.setdefault(_ch, []).append((len(_w), _off))
_WORD_SHAPES = {ch: sorted(set(shapes), key=lambda t: (-t[0], t[1])) for ch, shapes in _WORD_SHAPES.items()}
_WORD_PAIRS = frozenset(w[i:i + 2] for w in _WORDS for i in range(len(w) - 1))  # a word covering s holds one
_UNIT_WORDS = _alternation(_UNITS)
_QUOTES = re.compile(r"“[^“”\n]{0,80}”|「[^「」\n]{0,80}」|\"[^\"\n]{0,80}\""
                     r"|(?P<t>《[^《》\n]{0,120}》)")
_CLAUSE_END = frozenset("，。；：！？、,;:!?\n（）()“”《》")


def _words(side: str) -> tuple[str, ...]:
    """The words of one side of core/data/quantity_context.tsv, longest first."""
    return tuple(sorted((w for (sd, w) in _CONTEXT if sd == side), key=len, reverse=True))


def _cjk(ch: str) -> bool:
    """True for an ordinary Chinese character (the Unified block); False for '' and anything else."""
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _quoted(quotes, s: int) -> str | None:
    """Return 'title' or 'quoted' when s lies inside 《…》 or “…”."""
    i = bisect_right(quotes, (s, float("inf"))) - 1
    if i >= 0 and quotes[i][0] < s < quotes[i][1]:
        return "title" if quotes[i][2] else "quoted"
    return None


def _word_end(text: str, s: int) -> int:
    """Return the end of a listed word (统一, 四川, 千方百计) that covers s, else 0; not a word before one of the
    characters its row names (十分 before 钟 is ten minutes)."""
    if text[s:s + 2] not in _WORD_PAIRS and (s == 0 or text[s - 1:s + 1] not in _WORD_PAIRS):
        return 0  # no listed word has the pair of characters before or after s: none covers it
    for size, off in _WORD_SHAPES.get(text[s], ()):
        if off <= s and (word := text[s - off:s - off + size]) in _WORDS:
            end = s - off + size
            if word not in _NOT_BEFORE or end >= len(text) or text[end] not in _NOT_BEFORE[word]:
                return end
    return 0
