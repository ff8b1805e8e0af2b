"""Shared helpers of the segmenter: word tables, script folding, lines and sentences."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from .._chars import BRACKETS, CJK
from .._data import data_text, data_toml
from ..model import Span

__all__ = [
    "words", "alt", "fold", "lines", "split_sentences", "first_sentence", "split_top", "squeeze",
    "CJK", "CLOSING", "SEAL",
]



@cache
def words() -> dict[str, tuple[str, ...]]:
    """The word lists of ``data/segment_words.toml`` as tuples."""
    return {k: tuple(v) for k, v in data_toml("segment_words.toml").items()}


@cache
def alt(name: str) -> str:
    """A regex alternation of one word list, longest words first.

    >>> alt("next_steps")
    '下一阶段|下一步|下阶段|下步'
    """
    return "|".join(re.escape(w) for w in sorted(words()[name], key=lambda w: (-len(w), w)))


@cache
def _fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for line in data_text("segment_fold.tsv").splitlines():
        if line and not line.startswith("#"):
            src, dst = line.split("\t")
            table[ord(src)] = ord(dst)
    return table


def fold(text: str) -> str:
    """The text with traditional characters the patterns use mapped to simplified, same length.

    >>> fold("關於市七屆政協會議第20180218號")
    '关于市七届政协会议第20180218号'
    """
    pattern, table = _folder()
    return pattern.sub(table, text)  # few letters hold any such character: cheaper than translate


@cache
def _folder() -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    """The characters to fold as one pattern, and the function giving a match's replacement."""
    pairs = {chr(k): chr(v) for k, v in _fold_table().items()}
    pattern = re.compile("[" + re.escape("".join(pairs)) + "]")
    return pattern, lambda m: pairs[m.group()]


def lines(text: str) -> tuple[Span, ...]:
    """Spans of the non-empty lines of text, surrounding whitespace excluded.

    >>> lines("此复。\\n  \\n 2018年5月21日 ")
    ((0, 3), (8, 18))
    """
    spans = []
    start = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        start += len(raw) + 1
    return tuple(spans)


_OPEN = BRACKETS
_CLOSE = frozenset(_OPEN.values())
_ENDS = frozenset("。！？；")
_SPECIAL = re.compile("[\n。！？；" + re.escape("".join(_OPEN) + "".join(_CLOSE)) + "]")


def split_sentences(text: str) -> tuple[Span, ...]:
    """Sentence spans: split at 。！？； and line ends, never inside brackets, quotes or 《》.

    >>> split_sentences("完成任务的137.43%。一是（含“试点。”）；二是")
    ((0, 13), (13, 24), (24, 26))
    """
    out: list[Span] = []
    _split(text, out, len(text) + 1)
    return tuple(out)


def first_sentence(text: str) -> Span | None:
    """The first span ``split_sentences`` gives, found without splitting the rest of the text.

    >>> first_sentence("  （一）总体情况。全市共有3家。"), first_sentence(" \\n ")
    ((2, 10), None)
    """
    out: list[Span] = []
    _split(text, out, 1)
    return out[0] if out else None


def _split(text: str, out: list[Span], limit: int) -> None:
    """Append the sentence spans of text to out, stopping once out holds ``limit`` of them."""
    stack: list[str] = []
    waiting: dict[str, int] = {}
    start = 0
    for m in _SPECIAL.finditer(text):
        c, i = m.group(), m.start()
        if c == "\n":
            _emit(text, start, i, out)
            start, stack, waiting = i + 1, [], {}
            if len(out) >= limit:
                return
        elif c in _OPEN:
            closer = _OPEN[c]
            stack.append(closer)
            waiting[closer] = waiting.get(closer, 0) + 1
        elif c in _CLOSE:
            if waiting.get(c):
                while True:  # amortized: every pushed closer is popped once
                    top = stack.pop()
                    waiting[top] -= 1
                    if top == c:
                        break
        elif not stack:
            _emit(text, start, i + 1, out)
            start = i + 1
            if len(out) >= limit:
                return
    _emit(text, start, len(text), out)


def _emit(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((start, end))


def split_top(text: str, seps: str, base: int = 0) -> tuple[Span, ...]:
    """Spans of the parts of text split at any of seps outside brackets, each part stripped.

    >>> split_top("各县（市、区）人社局、市直各单位", "、")
    ((0, 10), (11, 16))
    """
    out: list[Span] = []
    depth = 0
    start = 0
    for i, c in enumerate(text):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif c in seps and depth == 0:
            _emit(text, start, i, out)
            start = i + 1
    _emit(text, start, len(text), out)
    return tuple((s + base, e + base) for s, e in out)


_SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")


def squeeze(text: str) -> str:
    """Text without whitespace next to Chinese characters.

    >>> squeeze("对市政协十三届二次会议 第82号提案的答复")
    '对市政协十三届二次会议第82号提案的答复'
    """
    return _SPACE_NEAR_CJK.sub("", text)


CLOSING = re.compile(rf"(?:{alt('closing')})")
"""The closing formulas of a letter (此复, 特此函复, ...), from data/segment_words.toml."""

SEAL = re.compile(r"[（(](?:盖章|印章|章|印)[）)]$")
"""The seal note after an issuer's name: 清远市人力资源和社会保障局（盖章）."""
