"""Scoring terms outside the language model: lost-byte priors, enumerations, dates, brackets, script, penalties."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..._chars import NUMERALS as _NUMERALS
from ..._data import data_toml
from ..script import converter, is_simp_only, is_trad_only
from .lm import Scorer as _Scorer
from .weights import weight

_W_BARE_ANNOTATED = weight("penalty", "bare_annotated")
_W_WRONG_SCRIPT = weight("penalty", "wrong_script")
_W_FULLWIDTH_ALNUM = weight("penalty", "fullwidth_alnum")
_ENUM_BONUS = weight("bonus", "enumeration")
_FRAME_BONUS = weight("bonus", "frame")
_W_BRACKET_COMPLETES = weight("bonus", "bracket_completes")
_W_CLOSER_CLOSES = weight("bonus", "closer_closes")
_UNMATCHED_CLOSER = weight("bonus", "unmatched_closer")

__all__ = [
    "Ctx", "swallow_options", "enumerators", "expected_enumerator", "frame_bonus", "enum_bonus", "char_penalty",
    "extras", "open_bracket", "brackets", "lm_phrase", "BRACKETS", "TAIL_LM",
]

_CHARS = data_toml("repair_chars.toml")
_SENT_END = frozenset(_CHARS["sentence_end"])
_ENUM_RE = re.compile(rf"([{_NUMERALS}])是|[(（]([{_NUMERALS}])[)）]|^[ \t　]*([{_NUMERALS}])、", re.M)
_UNIT_CHARS = frozenset(_CHARS["unit_chars"])
_NO_LINE_START = frozenset(_CHARS["no_line_start"])
_HEADING_RE = re.compile(r"[一二三四五六七八九十]+、|[(（]|第|附件|抄送|聯系|联系")
_YEAR_RE = re.compile(r"(?:19|20)\d\d(?:年|[.-]\d)")
_DIGIT_LINE_START_RE = re.compile(r"(?:19|20)\d\d年|\d{1,2}[.、．](?!\d)")
_FRAME_RE = re.compile(r"(?<![0-9□])(?:19|20)[0-9□]{2}年|年[0-9□]{1,2}月|月[0-9□]{1,2}日|第[0-9□]+[号號届屆次期批条條]")
_HAS_DIGIT_RE = re.compile(r"[0-9□]")
_PAIRS = {"〔": "〕", "《": "》", "“": "”", "(": ")", "【": "】"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
BRACKETS = frozenset(_PAIRS) | frozenset(_CLOSERS) | frozenset("（）")
TAIL_LM = {"(": "", "□": "0", " ": ""}  # a lost digit reads as a digit; the others are judged by their prior


_NL_AT_SENTENCE_END = weight("lost_byte", "newline_at_sentence_end")
_NL_BEFORE_LINE_START = weight("lost_byte", "newline_before_line_start")
_NL_MID_LINE = weight("lost_byte", "newline_mid_line")
_NL_UNLIKELY = weight("lost_byte", "newline_unlikely")
_NL_NEVER = weight("lost_byte", "newline_never")
_DIGIT_BEFORE_ZERO = weight("lost_byte", "digit_before_zero")
_DIGIT_BEFORE_DIGIT = weight("lost_byte", "digit_before_digit")
_DIGIT_BEFORE_YEAR = weight("lost_byte", "digit_before_year")
_DIGIT_BEFORE_UNIT = weight("lost_byte", "digit_before_unit")
_DIGIT_ELSEWHERE = weight("lost_byte", "digit_elsewhere")
_DIGIT_AFTER_SENTENCE_END = weight("lost_byte", "digit_after_sentence_end")
_DIGIT_AFTER_OPENER = weight("lost_byte", "digit_after_opener")
_SPACE_BY_BAR = weight("lost_byte", "space_by_bar")
_SPACE_ELSEWHERE = weight("lost_byte", "space_elsewhere")


def swallow_options(xk: str, nxt: str) -> list[tuple[str, float]]:
    """Candidate ASCII bytes lost after a run (other than an annotation's '('), with log priors.

    Digits next: a lost newline needs what follows to start a line (a year, a list number); a
    number that now starts with 0, or a digit run cut short, points to a lost digit.
    """
    ends = xk in _SENT_END
    if nxt[:1].isdigit():
        starts_line = _DIGIT_LINE_START_RE.match(nxt)
        nl = (_NL_AT_SENTENCE_END if ends else _NL_BEFORE_LINE_START) if starts_line else _NL_UNLIKELY
        digit = _DIGIT_BEFORE_ZERO if nxt[0] == "0" else _DIGIT_BEFORE_DIGIT
        if _YEAR_RE.match(nxt):
            digit = _DIGIT_BEFORE_YEAR
    elif nxt[:1] in ".%" and nxt[1:2].isdigit():
        nl, digit = _NL_UNLIKELY, _DIGIT_BEFORE_ZERO  # ".2萬", "%": the number lost its first digit
    else:
        nl = _NL_AT_SENTENCE_END if ends else (_NL_BEFORE_LINE_START if _HEADING_RE.match(nxt) else _NL_MID_LINE)
        digit = _DIGIT_BEFORE_UNIT if nxt[:1] in _UNIT_CHARS else _DIGIT_ELSEWHERE
        if nxt[:1] in _NO_LINE_START:
            nl = _NL_NEVER
    if ends:
        digit += _DIGIT_AFTER_SENTENCE_END
    if xk in _PAIRS:
        nl, digit = _NL_NEVER, digit + _DIGIT_AFTER_OPENER
    space = _SPACE_BY_BAR if "|" in (xk, nxt[:1]) else _SPACE_ELSEWHERE
    return [("\n", nl), ("□", digit), (" ", space)]


def enumerators(text: str) -> tuple[list[int], list[str]]:
    """Ends of the enumerators in text (一是, (二), 三、 at a line start) and the one that would come next."""
    ends, nexts = [], []
    for m in _ENUM_RE.finditer(text):
        k = next(g for g in (1, 2, 3) if m.group(g))
        n = _NUMERALS.index(m.group(k))
        if n + 1 < len(_NUMERALS):
            succ = _NUMERALS[n + 1]
            ends.append(m.end())
            nexts.append((f"{succ}是", f"({succ})", f"{succ}、")[k - 1])
    return ends, nexts


def expected_enumerator(enums: tuple[list[int], list[str]], i: int) -> str:
    """The enumerator after the last one that ends before offset i ("" when there is none)."""
    k = bisect.bisect_right(enums[0], i) - 1
    return enums[1][k] if k >= 0 else ""


def frame_bonus(left: str, new: str, right: str) -> float:
    """The bonus for the dates and ordinals (2019年6月18日, 第36号) that the repaired text `new` takes part in."""
    s, a, b = left + new + right, len(left), len(left) + len(new)
    if not _HAS_DIGIT_RE.search(s):
        return 0.0  # every frame holds a digit
    return _FRAME_BONUS * sum(1 for m in _FRAME_RE.finditer(s) if m.start() < b and m.end() > a)


@dataclass(frozen=True, slots=True)
class Ctx:
    """What one anchor's scoring shares: scorer, left context and its DP, the window's end."""

    sc: _Scorer
    left: str
    best_left: list
    win_end: int
    annotated: frozenset
    trad: bool
    expect: str  # the enumerator that would continue the letter's last one (二是 after 一是), or ""
    line: str = ""  # the current line up to the run, annotations stripped (for brackets)


def enum_bonus(ctx: Ctx, s: str) -> float:
    """The enumeration bonus when model text s (with a little right context) holds the expected enumerator."""
    return _ENUM_BONUS if ctx.expect and ctx.expect in s else 0.0


def char_penalty(c: str, ctx: Ctx, annotated_here: bool) -> float:
    """Penalties outside the word model: annotated char left bare, wrong script, full-width alnum."""
    v = 0.0
    if c in ctx.annotated and not annotated_here:
        v += _W_BARE_ANNOTATED
    if c not in ctx.sc.raw_chars and (is_simp_only(c) if ctx.trad else is_trad_only(c)):
        v += _W_WRONG_SCRIPT
    if "\uff10" <= c <= "\uff5a" and c.isalnum():
        v += _W_FULLWIDTH_ALNUM
    return v


def extras(xs: tuple, ctx: Ctx, annotated_last: bool) -> float:
    last = len(xs) - 1
    return sum(char_penalty(c, ctx, annotated_last and j == last) for j, c in enumerate(xs))


def open_bracket(left: str) -> bool:
    line = left.rsplit("\n", 1)[-1]
    return any(line.count(o) > line.count(c) for o, c in _PAIRS.items())


def brackets(shown: str, line: str, right: str) -> float:
    """Brackets and quotes the repair writes: a bonus when one completes an unmatched partner in
    its line, a penalty when a closing one has nothing to close (line: the line up to the run)."""
    v = 0.0
    for k, c in enumerate(shown):
        left = line + shown[:k]
        if c in _PAIRS:
            close = _PAIRS[c]
            open_left = left.count(c) > left.count(close) if c != close else left.count(c) % 2 == 1
            if not open_left and close in right and (c not in right or right.find(close) < right.find(c)):
                v += _W_BRACKET_COMPLETES
        elif c in _CLOSERS:
            opener = _CLOSERS[c]
            closed_later = c in right and (opener not in right or right.find(c) < right.find(opener))
            if left.count(opener) > left.count(c):
                v += 0.0 if closed_later else _W_CLOSER_CLOSES
            else:
                v += _UNMATCHED_CLOSER
    return v


def lm_phrase(left: str, per_char: str, shown: str, right: str) -> str:
    """The candidate as the model sees it, converted by OpenCC as a phrase in its context (答覆 -> 答复)."""
    seg = left + shown + right
    conv = converter("t2s").convert(seg)
    if len(conv) != len(seg):
        return per_char
    return conv[len(left) : len(left) + len(shown)]
