"""Unicode, spacing and punctuation: the last steps of normalize, each ``str -> str``, idempotent.

Chinese full-width punctuation beside Chinese text, ASCII inside numbers and Latin text (DESIGN §3.2).
"""
from __future__ import annotations

import re
import unicodedata

from .._chars import CJK_WIDE as _CJK

__all__ = ["unify_forms", "tidy_spaces", "tidy_punctuation", "unify_doc_brackets"]

_FORMS = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
     "％": "%", "\u00a0": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
     "\u202f": " ", "\t": " "}
)


_FORMS_RE = re.compile("[" + re.escape("".join(map(chr, _FORMS))) + "]")


def unify_forms(text: str) -> str:
    """Return NFC text with full-width digits and letters and odd spaces made ASCII (1:1).

    >>> unify_forms("培训１２００人次，占３５％")
    '培训1200人次，占35%'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.translate(_FORMS) if _FORMS_RE.search(text) else text  # the search is ~15x cheaper


_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{2,}")


def tidy_spaces(text: str) -> str:
    """Return text without zero-width characters, indentation, trailing spaces or blank lines.

    >>> tidy_spaces("  一、总体情况  \\n\\n\\n  全市共有3家。\\u200b")
    '一、总体情况\\n全市共有3家。'
    """
    text = _ZERO_WIDTH.sub("", text)
    if " " in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))  # str.strip: linear on any run of spaces
        text = _SPACE_RUN.sub(" ", text)
    if "\n\n" in text:
        text = _BLANK_LINES.sub("\n", text)
    return text.strip("\n")


_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_TO_HALF = {v: k for k, v in _TO_FULL.items()}
_MARKS = frozenset(_TO_FULL) | frozenset(_TO_HALF)
_PUNCT_RE = re.compile(r"[,;:?!()，；：？！（）]")
# "Chinese text" around a mark: CJK and the CJK punctuation this step never changes. The marks it
# changes are skipped when looking for a neighbour, so the decision cannot depend on its own output
# (that keeps the step idempotent).
_CHINESE_SIDE = re.compile(f"[{_CJK}\u3001-\u303f\uff02-\uff07\uff0a-\uff0b\uff0d-\uff0f\uff1c-\uff1e\uff20“”‘’—…·]")
_ALNUM = re.compile(r"[A-Za-z0-9%.]")
# A full-width ，；：？！（） right next to Chinese text stays as it is (a bracket: its pair is Chinese, see
# _tidy_line); a line whose marks are all such needs no look at its neighbours. Any other mark does.
_SIDE = _CHINESE_SIDE.pattern
_MARK_TO_LOOK_AT = re.compile(f"[,;:?!()]|[，；：？！（）](?<!{_SIDE}[，；：？！（）])(?!{_SIDE})")
# (the look-behind is written after the mark, where it asks the same of the character before it: a pattern that
# starts with a character class lets the regex engine skip to the next mark instead of testing every position)


def tidy_punctuation(text: str) -> str:
    """Return text with full-width punctuation beside Chinese text and ASCII inside numbers and Latin.

    >>> tidy_punctuation("收悉,现答复如下:(一)共3,500人(CEPA)")
    '收悉，现答复如下：（一）共3,500人（CEPA）'
    """
    return "\n".join(_tidy_line(line) for line in text.split("\n"))


def _tidy_line(line: str) -> str:
    if not _MARK_TO_LOOK_AT.search(line):
        return line
    for ascii_mark, easy in _EASY_MARKS:  # 收悉,现: a mark between two Chinese characters is Chinese (no look)
        if ascii_mark in line:
            line = easy.sub(_TO_FULL[ascii_mark], line)
    return _tidy_marks(line)


# An ASCII mark (no bracket) with Chinese text right on both sides: _simple_mark makes it full-width, and making it
# so first changes no other mark's look (the look treats an ASCII and a full-width mark alike).
_EASY_MARKS = tuple((mark, re.compile(f"{re.escape(mark)}(?<={_SIDE}{re.escape(mark)})(?={_SIDE})"))
                    for mark in ",;:?!")  # the look-behind after the mark, as in _MARK_TO_LOOK_AT


def _tidy_marks(line: str) -> str:
    """Return the line with each mark made full-width or ASCII by its neighbours (the full look).

    Only the marks ``_MARK_TO_LOOK_AT`` finds can change: a full-width mark right beside Chinese text is Chinese
    whatever the look says of the rest (its pair, if a bracket, holds or touches that text)."""
    out: list[str] = []
    done = 0
    look = None  # the neighbours and bracket pairs, found only when a mark is not a simple one
    for m in _MARK_TO_LOOK_AT.finditer(line):
        i = m.start()
        c = line[i]
        chinese = _simple_mark(line, i)
        if chinese is None:
            look = look or _Look(line)
            chinese = look.chinese(line, i)
        new = _TO_FULL.get(c, c) if chinese else _TO_HALF.get(c, c)
        if new != c:
            out.append(line[done:i])
            out.append(new)
            done = i + 1
    if not out:
        return line
    out.append(line[done:])
    return "".join(out)


_BRACKETS = frozenset("()（）")
_ALNUM_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%.")
_NOT_A_SIDE = _MARKS | {" "}


def _simple_mark(line: str, i: int) -> bool | None:
    """Whether the mark at i is Chinese, when it is no bracket and both its neighbours are characters
    (neither a mark nor a space: they are then its neighbours in ``_Look``); None for any other mark."""
    if line[i] in _BRACKETS or i == 0 or i + 1 == len(line):
        return None
    before, after = line[i - 1], line[i + 1]
    if before in _NOT_A_SIDE or after in _NOT_A_SIDE:
        return None
    if before in _ALNUM_CHARS and after in _ALNUM_CHARS:
        return False  # 3,500  10:30  ?id=1
    return _chinese_char(before) or _chinese_char(after)


class _Look:
    """A line's matched brackets and, on demand, the nearest characters on each side of its marks (linear)."""

    def __init__(self, line: str, marks: list[int] | None = None) -> None:
        self.line = line
        self.pairs = _bracket_pairs(line)
        self._left: dict[int, int] = {}
        self._right: dict[int, int] = {}
        self.next_chinese = _next_chinese(line, sorted(self.pairs)) if self.pairs else {}

    def left(self, i: int) -> int:
        return _side(self.line, i, -1, self._left)

    def right(self, i: int) -> int:
        return _side(self.line, i, 1, self._right)

    def chinese(self, line: str, i: int) -> bool:
        """Whether the mark at i sits in Chinese text (so is written full-width)."""
        pairs = self.pairs
        if i in pairs:  # Chinese inside the pair
            lo, hi = sorted((i, pairs[i]))
            return (self.next_chinese[lo] <= hi or _is_chinese(line, self.left(lo))
                    or _is_chinese(line, self.right(hi)))
        left, right = self.left(i), self.right(i)
        if line[i] in _BRACKETS:  # an unmatched bracket: its outer neighbour decides
            return _is_chinese(line, left) or _is_chinese(line, right)
        before = line[left] if left >= 0 else ""
        after = line[right] if right >= 0 else ""
        if (before and after and _ALNUM.fullmatch(before) and _ALNUM.fullmatch(after)
                and right == i + 1 and left == i - 1):
            return False  # 3,500  10:30  ?id=1
        return _is_chinese(line, left) or _is_chinese(line, right)


_DOC_YEAR_BRACKETS = re.compile(
    f"(?<=[{_CJK}])[\\[【［]((?:19|20)[0-9]{{2}})[\\]】］](?=[0-9]{{1,6}} ?[号號])"
)


def unify_doc_brackets(text: str) -> str:
    """Return text with [] and 【】 around a document number's year made 〔〕, the standard's brackets.

    >>> unify_doc_brackets("粤人社函[2020]58号、平人社【2021】3号、第[2021]期")
    '粤人社函〔2020〕58号、平人社〔2021〕3号、第[2021]期'
    """
    if "[" not in text and "【" not in text and "［" not in text:
        return text  # the usual case: no bracket to look at
    return _DOC_YEAR_BRACKETS.sub(r"〔\1〕", text)


def _side(line: str, i: int, step: int, memo: dict[int, int]) -> int:
    """The index of the nearest character on one side of the mark at i that is neither a mark nor a space (-1:
    none). Every mark passed on the way has the same answer and keeps it in memo, so a run is walked once."""
    if i in memo:
        return memo[i]
    passed = [i]
    j = i + step
    n = len(line)
    while 0 <= j < n and (line[j] == " " or line[j] in _MARKS):
        if j in memo:
            j = memo[j]
            break
        if line[j] != " ":
            passed.append(j)
        j += step
    else:
        j = j if 0 <= j < n else -1
    for k in passed:
        memo[k] = j
    return j


def _is_chinese(line: str, i: int) -> bool:
    return i >= 0 and _chinese_char(line[i])


_CHINESE_CHARS: dict[str, bool] = {}  # a memo of _CHINESE_SIDE on one character (one entry per character seen)


def _chinese_char(c: str) -> bool:
    known = _CHINESE_CHARS.get(c)
    if known is None:
        known = _CHINESE_CHARS[c] = _CHINESE_SIDE.match(c) is not None
    return known


_ROUND = re.compile(r"[()（）]")


def _bracket_pairs(line: str) -> dict[int, int]:
    """Map each matched round bracket (ASCII or full-width) to its partner; one pass, a stack."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in _ROUND.finditer(line):
        i = m.start()
        if line[i] in "(（":
            stack.append(i)
        elif stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def _next_chinese(line: str, stops: list[int]) -> dict[int, int]:
    """For each stop (sorted), the index of the first Chinese-side character at or after it (len: none).

    Each search ends at the next stop, whose answer it then shares, so 100k nested brackets stay linear.
    """
    found: dict[int, int] = {}
    after = len(line)
    end = len(line)
    for stop in reversed(stops):
        m = _CHINESE_SIDE.search(line, stop, end)
        after = found[stop] = m.start() if m else after
        end = stop
    return found
