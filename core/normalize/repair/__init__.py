"""Pinyin annotations and GBK byte-shift mojibake (REPAIR.md): detect, repair, strip.

Order in normalize: `repair_byte_loss` on the decoded text, then `strip_pinyin`, then OpenCC.
Heavy data (jieba's dict.txt, pypinyin's reading table, OpenCC) is loaded only when a damage anchor exists.
"""
from __future__ import annotations

import bisect
import heapq
import importlib.util
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path

from ..._chars import CJK as _CJK
from ..._chars import NUMERALS as _NUMERALS
from ...codes import WarningCode
from ...model import Repair, Unresolved, Warning
from .lm import PUNCT as _PUNCT
from .lm import Scorer as _Scorer
from .lm import bg_form as _bg_form
from .lm import bigrams as _bigrams
from .lm import bonus as _bonus
from .lm import tri_bonus as _tri_bonus
from .lm import word_model as _lm
from .lm import word_neighbours as _word_neighbours

__all__ = ["strip_pinyin", "repair_byte_loss", "has_damage_anchor"]

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_SYL = f"[a-z{_TONED}]{{1,7}}"
_ANNOT_RE = re.compile(rf"([{_CJK}])[(（]({_SYL})[)）]")
_SYL_CLOSE_RE = re.compile(rf"({_SYL})\)")
_SYL_PAREN_RE = re.compile(rf"\(({_SYL})\)")
_URL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:/._%&=?#+~-")
_MAX_RUN = 40
_MAX_UNASSIGNED = 4
_MAX_PATHS = 1000  # a long real run with several "?" has a few hundred readings; a run of "?" has 10^5: not our damage
_MAX_SOLVED = 400  # anchors solved per text; beyond it the rest are reported, not searched (bounded time)
_CTX = 10
_MARGIN = 6.0
_FOREIGN = "\u0370-\u04ff\u3040-\u30ff"  # Greek, Cyrillic, kana: GBK rows A4-A7 (悉。 shows as 障ぁ)
_ODD_RE = re.compile(rf"[^{_CJK}\s\w，。、；：？！“”‘’《》（）〔〕【】…—·.,;:!?()%+\-/|\"'<>\[\]]"
                     rf"|(?<![a-z{_TONED}])[{_TONED}](?![a-z{_TONED}])"  # a pinyin letter alone (GBK row A8)
                     rf"|(?<![{_FOREIGN}])[{_FOREIGN}](?![{_FOREIGN}])")  # one foreign letter alone; a run is real text
_GLUE_RE = re.compile(rf"[^\x00-\x7f{_TONED}][\x40-\x7e?]|[\x40-\x7e]\({_SYL}\)")
_STRONG_RE = re.compile(rf"[\x40-\x7e]|{_SYL}\)")
_STRONG_GLUE_RE = re.compile(rf"[^\x00-\x7f{_TONED}][\x40-\x7e]|[\x40-\x7e]\({_SYL}\)")
_LEAD_SIGN_RE = re.compile(rf"\?|[\x40-\x7e]|{_SYL}\)")
_RECOMBINE = 3  # beam states with the same last 3 model characters are merged (the best is kept)
_LOOK_WORD = 4.0  # lookahead bonus for a candidate that makes a word with the next slot
_CLOSE = 2  # characters of right context seen when the last slot is filled
_OPEN_TOP = 300  # a slot with no known byte: this many frequent characters, plus neighbours' partners
_FIRST_WIDTH = 4  # beam width when every path is tried
_DEEP_PATHS = 4  # paths searched again, wider, after every path was tried
_DEEP_WIDTH = 48  # beam width for those paths
_X80_PRIOR = -3.0
_SCRIPT_PEN = 6.0  # a simplified-only character in a traditional letter (or the reverse), unseen in it
_SENT_END = frozenset("。:;!?”\n")
_ENUM_RE = re.compile(rf"([{_NUMERALS}])是|[(（]([{_NUMERALS}])[)）]|^[ \t　]*([{_NUMERALS}])、", re.M)
_ENUM_BONUS = 6.0  # for a repair that continues the letter's enumeration (一是 … 二是, (二) … (三))
_UNIT_CHARS = frozenset("个個人万萬亿億元年月日号號家项項名次所天条條期批%.")
# a line does not begin with these
_NO_LINE_START = frozenset("个個万萬亿億元年月日号號项項次%.,，。、;；:：)）》”〕】")


# ---------------------------------------------------------------- cheap detection
def _in_url(text: str, i: int) -> bool:
    """True when text[i] sits in a URL-like ASCII token (REPAIR.md §3)."""
    a, b = i, i + 1
    while a > 0 and text[a - 1] in _URL_CHARS and i - a < 200:
        a -= 1
    while b < len(text) and text[b] in _URL_CHARS and b - i < 200:
        b += 1
    tok = text[a:b]
    return len(tok) >= 6 and ("/" in tok or "=" in tok or tok.lower().startswith("www"))


def _anchors(text: str) -> list[int]:
    """Offsets of every '?' outside URL-like tokens."""
    out, i = [], text.find("?")
    while i >= 0:
        if not _in_url(text, i):
            out.append(i)
        i = text.find("?", i + 1)
    return out


def _has_sign(text: str, i: int) -> bool:
    """True when the text after the '?' at i looks like a shifted run (odd char, glued letter, `syl)`)."""
    after = text[i + 1 : i + 1 + _MAX_RUN]
    rest = after.lstrip("?")
    before = len(text[max(0, i - _MAX_RUN):i]) - len(text[max(0, i - _MAX_RUN):i].rstrip("?"))
    if not rest or before + 1 + len(after) - len(rest) > _MAX_UNASSIGNED:
        return False  # a long run of '?': no byte of it is left to read, any "repair" would be invented
    return bool(_LEAD_SIGN_RE.match(after) or _GLUE_RE.search(after) or _ODD_RE.search(after))


def _strong_sign(text: str, i: int) -> bool:
    """Signs strong enough to report an anchor as unresolved: glued letter, `syl)`, odd character."""
    after = text[i + 1 : i + 1 + _MAX_RUN]
    return bool(_STRONG_RE.match(after) or _STRONG_GLUE_RE.search(after) or _ODD_RE.search(after))


def has_damage_anchor(text: str) -> bool:
    """True when some '?' (outside URLs) is followed by signs of a shifted GBK run.

    >>> has_damage_anchor("收悉?,F(xiàn)答復(fù)如下"), has_damage_anchor("嗎?答:可以")
    (True, False)
    """
    if "?" not in text:
        return False
    return any(_has_sign(text, i) for i in _anchors(text))


# ---------------------------------------------------------------- GBK tables and readings
@dataclass(frozen=True, slots=True)
class _Gbk:
    code2char: dict
    char2code: dict
    by_trail: dict
    by_lead: dict
    inv_leads: frozenset  # bytes that, used as a lead, make an unassigned pair with some lead byte


@lru_cache(maxsize=1)
def _gbk() -> _Gbk:
    code2char, char2code, by_trail, by_lead = {}, {}, {}, {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                c = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            code2char[(lead, trail)] = c
            char2code.setdefault(c, (lead, trail))
            by_trail.setdefault(trail, []).append(c)
            by_lead.setdefault(lead, []).append(c)
    inv = frozenset(t for t in range(0x81, 0xFF) if any((t, x) not in code2char for x in range(0x81, 0xFF)))
    for table in (by_trail, by_lead):
        for chars in table.values():
            chars.sort(key=_variant_rank)  # stable: code order otherwise
    return _Gbk(code2char, char2code, by_trail, by_lead, inv)


@lru_cache(maxsize=1)
def _t2s_cc():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t_cc():
    import opencc

    return opencc.OpenCC("s2t")


@cache
def _t2s(c: str) -> str:
    return _t2s_cc().convert(c)


@cache
def _variant_rank(c: str) -> int:
    """0 for a character's usual form, 1 for a rare variant of it (侷 for 局): on a tie the usual form wins."""
    s = _t2s(c)
    return 0 if s == c or _s2t_cc().convert(s) == c else 1


@cache
def _lmform(c: str) -> str:
    """A candidate character as the scoring model sees it: after S5 and t2s."""
    s = _t2s(_s5(c))
    return s if len(s) == 1 else _s5(c)


@cache
def _is_trad_only(c: str) -> bool:
    return _t2s(c) != c


@cache
def _is_simp_only(c: str) -> bool:
    return _s2t_cc().convert(c) != c and _t2s(c) == c


@lru_cache(maxsize=1)
def _char_readings() -> dict:
    """pypinyin's table of single-character readings (code point -> "guān,wān,wǎn"), read on its own.

    Importing pypinyin loads its phrase dictionary too (+55 MB); the repair needs only this table,
    whose first reading is pypinyin's context-free default (`pinyin(c, style=Style.TONE)[0][0]`).
    """
    spec = importlib.util.find_spec("pypinyin")  # locate the file without importing the package
    path = Path(spec.submodule_search_locations[0]) / "pinyin_dict.py"
    loader = importlib.util.spec_from_file_location("_dafu_pinyin_dict", path)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module.pinyin_dict


@cache
def _default_reading(c: str) -> str:
    found = _char_readings().get(ord(c))
    return found.split(",")[0] if found else c


@cache
def _readings(c: str) -> frozenset:
    table, out = _char_readings(), set()
    for x in {c, _t2s(c)}:
        if found := table.get(ord(x)):
            out.update(found.split(","))
    return frozenset(out)


# ---------------------------------------------------------------- annotation stripping
def _strip(text: str) -> str:
    return _ANNOT_RE.sub(lambda m: m.group(1) if _is_annotation(m.group(1), m.group(2)) else m.group(0), text)


def _is_annotation(c: str, syl: str) -> bool:
    return _is_trad_only(c) and syl in _readings(c)


def strip_pinyin(text: str) -> tuple[str, int]:
    """Return text without pinyin annotations (REPAIR.md §2) and how many were removed.

    >>> strip_pinyin("各縣(市、區(qū))人社局")
    ('各縣(市、區)人社局', 1)
    """
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        if _is_annotation(m.group(1), m.group(2)):
            count += 1
            return m.group(1)
        return m.group(0)

    if "(" not in text and "（" not in text:
        return text, 0
    return _ANNOT_RE.sub(sub, text), count


# ---------------------------------------------------------------- language model
def _simp(raw: str) -> str:
    """Annotation-stripped, per-character t2s form used for scoring."""
    return "".join(_lmform(c) for c in _strip(raw))


# ---------------------------------------------------------------- hypotheses (REPAIR.md §3)
@dataclass(frozen=True, slots=True)
class _Path:
    """One reading of the run: slots are (lead, trail); None = unknown, tuple = one of these leads."""

    slots: tuple
    end: int  # offset after the last shown character of the run
    kind: str  # orphan | swallow | x80 | ascii
    ascii: str = ""  # the ASCII byte recovered from the last shown pair (kind 'ascii')
    unassigned: tuple = ()  # j: (trail of slot j, lead of slot j+1) is not a GBK code


def _shown_codes(o: str, g: _Gbk) -> list[tuple[int, int]]:
    """The byte pairs a shown character can stand for when the run goes on."""
    if o == "?":
        return [g.char2code["？"]]
    if "\x21" <= o <= "\x7e":
        code = g.char2code.get(chr(ord(o) + 0xFEE0))
        return [code] if code else []
    code = g.char2code.get(o)
    return [code] if code else []


def _paths(text: str, start: int, first_lead) -> list[_Path]:
    """Every structural reading of the run that starts at text[start] (depth-first, bounded)."""
    g, out = _gbk(), []

    def walk(pos: int, slots: tuple, lead, unassigned: tuple) -> None:
        if len(slots) >= _MAX_RUN or pos >= len(text) or len(out) > _MAX_PATHS:
            return
        o = text[pos]
        for a, b in _shown_codes(o, g):
            if b >= 0x81:
                walk(pos + 1, slots + ((lead, a),), b, unassigned)
            elif 0x40 <= b <= 0x7E:
                out.append(_Path(slots + ((lead, a),), pos + 1, "ascii", chr(b), unassigned))
        if o == "?":
            if len(unassigned) < _MAX_UNASSIGNED:
                walk(pos + 1, slots + ((lead, None),), None, unassigned + (len(slots),))
            out.append(_Path(slots + ((lead, None),), pos + 1, "swallow", "", unassigned))
            out.append(_Path(slots + ((lead, 0x80),), pos + 1, "x80", "", unassigned))
        elif "\x40" <= o <= "\x7e":
            out.append(_Path(slots + ((lead, ord(o)),), pos + 1, "orphan", "", unassigned))

    walk(start, (), first_lead, ())
    return out


@lru_cache(maxsize=1)
def _frequent_chars() -> tuple[str, ...]:
    """GBK characters whose simplified form is frequent (for slots with no known byte)."""
    g, (_, charf, _) = _gbk(), _lm()
    ranked = sorted(g.char2code, key=lambda c: (-charf.get(_lmform(c), 0.0), _variant_rank(c)))
    return tuple(ranked[:3000]) + tuple(c for c in ranked[3000:] if _lmform(c) in _PUNCT)


def _slot_chars(slot, g: _Gbk, before_unassigned: bool) -> list[str]:
    """Characters that fit a slot's known bytes."""
    lead, trail = slot
    if isinstance(lead, int) and trail is not None:
        c = g.code2char.get((lead, trail))
        return [c] if c else []
    if isinstance(lead, tuple):
        leads = lead
        cands = [g.code2char.get((x, trail)) for x in leads] if trail is not None else [
            c for x in leads for c in g.by_lead.get(x, [])]
    elif lead is None:
        cands = list(_frequent_chars()) if trail is None else g.by_trail.get(trail, [])
        if trail is None:
            cands = [c for c in cands if g.char2code[c][1] != 0x80]
    else:
        cands = g.by_lead.get(lead, [])
    cands = [c for c in cands if c]
    if before_unassigned:
        cands = [c for c in cands if g.char2code[c][1] in g.inv_leads]
    return cands


_HEADING_RE = re.compile(r"[一二三四五六七八九十]+、|[(（]|第|附件|抄送|聯系|联系")
_YEAR_RE = re.compile(r"(?:19|20)\d\d(?:年|[.-]\d)")
_DIGIT_LINE_START_RE = re.compile(r"(?:19|20)\d\d年|\d{1,2}[.、．](?!\d)")


def _swallow_options(xk: str, nxt: str) -> list[tuple[str, float]]:
    """Candidate ASCII bytes lost after a run (other than an annotation's '('), with log priors.

    Digits next: a lost newline needs what follows to start a line (a year, a list number); a
    number that now starts with 0, or a digit run cut short, points to a lost digit.
    """
    ends = xk in _SENT_END
    if nxt[:1].isdigit():
        nl = (0.0 if ends else -1.5) if _DIGIT_LINE_START_RE.match(nxt) else -6.0
        digit = -0.5 if nxt[0] == "0" else -1.5
        if _YEAR_RE.match(nxt):
            digit = -6.0  # a digit lost before a whole year (2023年) would make a five-digit year
    elif nxt[:1] in ".%" and nxt[1:2].isdigit():
        nl, digit = -6.0, -0.5  # ".2萬", "%": the number lost its first digit
    else:
        nl = 0.0 if ends else (-1.5 if _HEADING_RE.match(nxt) else -4.0)
        digit = -3.0 if nxt[:1] in _UNIT_CHARS else -6.0
        if nxt[:1] in _NO_LINE_START:
            nl = -8.0
    if ends:
        digit -= 2.0
    if xk in _PAIRS:
        nl, digit = -8.0, digit + 1.0
    space = -0.5 if "|" in (xk, nxt[:1]) else -12.0
    return [("\n", nl), ("□", digit), (" ", space)]


def _enumerators(text: str) -> tuple[list[int], list[str]]:
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


def _expected_enumerator(enums: tuple[list[int], list[str]], i: int) -> str:
    """The enumerator after the last one that ends before offset i ("" when there is none)."""
    k = bisect.bisect_right(enums[0], i) - 1
    return enums[1][k] if k >= 0 else ""


_FRAME_RE = re.compile(r"(?<![0-9□])(?:19|20)[0-9□]{2}年|年[0-9□]{1,2}月|月[0-9□]{1,2}日|第[0-9□]+[号號届屆次期批条條]")
_FRAME_BONUS = 6.0  # for each date or ordinal frame (2019年, 年6月, 月18日, 第36号) that a repair completes
_HAS_DIGIT_RE = re.compile(r"[0-9□]")


def _frame_bonus(left: str, new: str, right: str) -> float:
    """The bonus for the dates and ordinals (2019年6月18日, 第36号) that the repaired text `new` takes part in."""
    s, a, b = left + new + right, len(left), len(left) + len(new)
    if not _HAS_DIGIT_RE.search(s):
        return 0.0  # every frame holds a digit
    return _FRAME_BONUS * sum(1 for m in _FRAME_RE.finditer(s) if m.start() < b and m.end() > a)


def _enum_bonus(ctx: _Ctx, s: str) -> float:
    """The enumeration bonus when model text s (with a little right context) holds the expected enumerator."""
    return _ENUM_BONUS if ctx.expect and ctx.expect in s else 0.0


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What one anchor's scoring shares: scorer, left context and its DP, the window's end."""

    sc: _Scorer
    left: str
    best_left: list
    win_end: int
    annotated: frozenset
    trad: bool
    expect: str  # the enumerator that would continue the letter's last one (二是 after 一是), or ""
    line: str = ""  # the current line up to the run, annotations stripped (for brackets)


@dataclass(frozen=True, slots=True)
class _Hyp:
    score: float
    end: int
    xs: str  # X1..Xk as shown after S5
    tail: str  # swallowed byte or recovered ASCII
    tail_conf: float
    swallow: bool = False


def _path_frame(text: str, p: _Path) -> tuple[str | None, int, str | None]:
    """(reading Xk must have, where the right context starts, forced swallowed byte)."""
    if p.kind == "swallow":
        m = _SYL_CLOSE_RE.match(text, p.end)
        return (m.group(1), m.end(), "(") if m else (None, p.end, None)
    if p.kind in ("orphan", "x80"):
        m = _SYL_PAREN_RE.match(text, p.end)
        if m:
            return m.group(1), m.end(), None
    return None, p.end, None


def _char_penalty(c: str, ctx: _Ctx, annotated_here: bool) -> float:
    """Penalties outside the word model: annotated char left bare, wrong script, full-width alnum."""
    v = 0.0
    if c in ctx.annotated and not annotated_here:
        v -= 8.0
    if c not in ctx.sc.raw_chars and (_is_simp_only(c) if ctx.trad else _is_trad_only(c)):
        v -= _SCRIPT_PEN
    if "\uff10" <= c <= "\uff5a" and c.isalnum():
        v -= 6.0
    return v


def _extras(xs: tuple, ctx: _Ctx, annotated_last: bool) -> float:
    last = len(xs) - 1
    return sum(_char_penalty(c, ctx, annotated_last and j == last) for j, c in enumerate(xs))


_PAIRS = {"〔": "〕", "《": "》", "“": "”", "(": ")", "【": "】"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_UNMATCHED_CLOSER = 3.0  # a repaired ) 》 ” 〕 】 with no opener before it in its line
_LINE_MAX = 300  # characters of the current line kept as context for brackets
_BRACKETS = frozenset(_PAIRS) | frozenset(_CLOSERS) | frozenset("（）")


def _open_bracket(left: str) -> bool:
    line = left.rsplit("\n", 1)[-1]
    return any(line.count(o) > line.count(c) for o, c in _PAIRS.items())


def _brackets(shown: str, line: str, right: str) -> float:
    """Brackets and quotes the repair writes: a bonus when one completes an unmatched partner in
    its line, a penalty when a closing one has nothing to close (line: the line up to the run)."""
    v = 0.0
    for k, c in enumerate(shown):
        left = line + shown[:k]
        if c in _PAIRS:
            close = _PAIRS[c]
            open_left = left.count(c) > left.count(close) if c != close else left.count(c) % 2 == 1
            if not open_left and close in right and (c not in right or right.find(close) < right.find(c)):
                v += 4.0
        elif c in _CLOSERS:
            opener = _CLOSERS[c]
            closed_later = c in right and (opener not in right or right.find(c) < right.find(opener))
            if left.count(opener) > left.count(c):
                v += 0.0 if closed_later else 3.0
            else:
                v -= _UNMATCHED_CLOSER
    return v


def _slot_lists(text: str, p: _Path, ctx: _Ctx, syl: str | None, right_s: str) -> list[list[str]] | None:
    """Candidate characters for every slot of a path, or None when a slot cannot be filled."""
    g, lists = _gbk(), []
    k = len(p.slots)
    for j, slot in enumerate(p.slots):
        cands = _slot_chars(slot, g, j in p.unassigned)
        if j == k - 1 and syl is not None:
            cands = [c for c in cands if _is_trad_only(c) and _default_reading(c) == syl]
        if not cands:
            return None
        lists.append(cands)
    for j, cands in enumerate(lists):
        if len(cands) > _OPEN_TOP:
            lists[j] = _narrow(j, lists, ctx.left[-1:], right_s[:1])
    return lists


def _narrow(j: int, lists: list[list[str]], left_c: str, right_c: str) -> list[str]:
    """A slot with no known byte: frequent characters, marks, and those seen beside a neighbour's candidates."""
    bg, (after, before) = _bigrams(), _word_neighbours()
    prevs = {_lmform(c) for c in lists[j - 1]} if j else {left_c}
    nexts = {_lmform(c) for c in lists[j + 1]} if j + 1 < len(lists) else {right_c}
    want = set()
    for a in prevs:
        want.update(bg.followers.get(_bg_form(a), ()), after.get(a, ()))
    for b in nexts:
        want.update(bg.leaders.get(_bg_form(b), ()), before.get(b, ()))
    want.update(_PUNCT)
    cands = lists[j]
    return cands[:_OPEN_TOP] + [c for c in cands[_OPEN_TOP:] if _lmform(c) in want]


def _beam(lists: list[list[str]], p: _Path, ctx: _Ctx, right_s: str, annotated_last: bool, width: int) -> list[tuple]:
    """The best `width` fillings of the slots, left to right: word path, bigrams, brackets, penalties.

    The last slot is judged with the first characters of the right context too, and an open slot
    before another slot with a hint of how well each candidate can continue (`_lookahead`).
    """
    g, sc, bg = _gbk(), ctx.sc, _bigrams()
    states = [(0.0, (), ctx.left, ctx.best_left, 0.0)]
    last, close = len(lists) - 1, right_s[:_CLOSE]
    for j, cands in enumerate(lists):
        grown = []
        tied = j - 1 in p.unassigned
        ahead = _lookahead(cands, lists[j + 1]) if j < last and len(cands) > 1 else {}
        for score, xs, s, best, hint in states:
            t = g.char2code[xs[-1]][1] if tied else None
            for c in cands:
                if tied and (t, g.char2code[c][0]) in g.code2char:
                    continue
                f = _lmform(c)
                s2 = s + f
                best2 = sc.extend(s2, best)
                gain = best2[-1] - best[-1] + _bonus(bg, s[-2:], f)
                gain += _char_penalty(c, ctx, annotated_last and j == last)
                if c in _BRACKETS:
                    gain += _brackets(_s5(c), ctx.line + "".join(map(_s5, xs)), right_s)
                if j == last and close:
                    gain += sc.extend(s2 + close, best2)[-1] - best2[-1] + _bonus(bg, s2[-2:], close[0])
                    gain += _tri_bonus(bg, f, close[0], close[1]) if len(close) > 1 else 0.0
                gain += _enum_bonus(ctx, s2[-3:] + (close if j == last else ""))
                gain += _frame_bonus(s[-6:], f, close if j == last else "")
                h = ahead.get(c, 0.0)
                grown.append((score - hint + gain + h, xs + (c,), s2, best2, h))
        states = heapq.nlargest(width, _recombined(grown), key=itemgetter(0))
    return [st[1] for st in states]


def _recombined(states: list[tuple]) -> list[tuple]:
    """The best state for each recent context: the model looks only a few characters back."""
    best = {}
    for st in states:
        key = st[2][-_RECOMBINE:]
        if key not in best or st[0] > best[key][0]:
            best[key] = st
    return list(best.values())


def _lookahead(cands: list[str], nxt: list[str]) -> dict[str, float]:
    """For each candidate, a bonus when some candidate of the next slot makes a word or a seen pair with it."""
    bg, (after, _) = _bigrams(), _word_neighbours()
    forms = {_lmform(b) for b in nxt}
    out = {}
    for c in cands:
        f = _lmform(c)
        v = _LOOK_WORD if any(b in forms for b in after.get(f, ())) else 0.0
        for b in bg.followers.get(f, ()):
            if b in forms:
                v = max(v, _bonus(bg, f, b))
                break
        if v:
            out[c] = v
    return out


def _lm_phrase(left: str, per_char: str, shown: str, right: str) -> str:
    """The candidate as the model sees it, converted by OpenCC as a phrase in its context (答覆 -> 答复)."""
    seg = left + shown + right
    conv = _t2s_cc().convert(seg)
    if len(conv) != len(seg):
        return per_char
    return conv[len(left) : len(left) + len(shown)]


def _score_path(text: str, p: _Path, ctx: _Ctx, width: int) -> list[_Hyp]:
    syl, rstart, forced = _path_frame(text, p)
    right_s = _simp(text[rstart : max(rstart, ctx.win_end)])
    lists = _slot_lists(text, p, ctx, syl, right_s)
    if lists is None:
        return []
    out = []
    for xs in _beam(lists, p, ctx, right_s, syl is not None, width):
        shown = "".join(_s5(c) for c in xs)
        lm = _lm_phrase(ctx.left[-2:], "".join(_lmform(c) for c in xs), shown, right_s[:2])
        head = ctx.left + lm
        extra = _extras(xs, ctx, syl is not None) + _brackets(shown, ctx.line, right_s)
        extra += _enum_bonus(ctx, ctx.left[-2:] + lm + right_s[:2])
        if p.kind != "swallow" or forced:
            tails = [(forced or p.ascii, _X80_PRIOR if p.kind == "x80" else 0.0)]
        else:
            tails = _swallow_options(shown[-1:], text[rstart : rstart + 8])
        for tail, prior in tails:
            if tail == "\n" and _open_bracket(ctx.line + shown):
                prior -= 3.0  # a line does not end inside brackets
            tail_lm = _TAIL_LM.get(tail, tail)
            s = head + tail_lm + right_s
            frame = _frame_bonus(ctx.left[-6:], lm + (tail if tail == "□" else tail_lm), right_s[:6])
            score = ctx.sc.total(s, ctx.best_left) + extra + prior + frame
            out.append(_Hyp(score, p.end, shown, tail, 1.0, p.kind == "swallow"))
    return out


_TAIL_LM = {"(": "", "□": "0", " ": ""}  # a lost digit reads as a digit; the others are judged by their prior


def _s5(c: str) -> str:
    return chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c


_PREV_RE = re.compile(rf"([^\x00-\x7f])(?:\({_SYL}\))?$")


def _p2_leads(text: str, i: int) -> tuple | None:
    """Lost-lead candidates when `?syl)` at i is an annotation split off inside a character (P2)."""
    m = _SYL_CLOSE_RE.match(text, i + 1)
    prev = _PREV_RE.search(text, max(0, i - 10), i)
    if not m or not prev:
        return None
    g = _gbk()
    code = g.char2code.get(prev.group(1))
    if not code:
        return None
    leads = tuple(L for L in range(0x81, 0xFF) if (c := g.code2char.get((code[1], L)))
                  and _is_trad_only(c) and _default_reading(c) == m.group(1))
    return leads or None


def _solve(text: str, i: int, ctx_base: tuple) -> tuple[list[_Hyp], float] | None:
    """All scored hypotheses for the anchor at i, and the as-is score; None if nothing fits."""
    sc, left_raw, annotated, trad, enums = ctx_base
    paths = _paths(text, i + 1, None)
    leads = _p2_leads(text, i)
    if leads:
        m = _SYL_CLOSE_RE.match(text, i + 1)
        paths += _paths(text, m.end(), leads)
    if not paths or len(paths) > _MAX_PATHS:
        return None
    max_end = max(p.end for p in paths)
    nxt = text.find("?", max_end)
    win_end = min(len(text), max_end + _CTX + 2, nxt if nxt >= 0 else len(text))
    left = _simp(left_raw[-3 * _CTX :])[-_CTX:]
    line = _strip(left_raw.rsplit("\n", 1)[-1])
    ctx = _Ctx(sc, left, sc.extend(left, [0.0]), win_end, annotated, trad, _expected_enumerator(enums, i), line)
    first = {p: _score_path(text, p, ctx, _FIRST_WIDTH) for p in paths}
    ranked = sorted((p for p in paths if first[p]), key=lambda p: -max(h.score for h in first[p]))
    hyps = [h for p in paths for h in first[p]]
    for p in ranked[:_DEEP_PATHS]:
        hyps += _score_path(text, p, ctx, _DEEP_WIDTH)
    if not hyps:
        return None
    as_is = sc.total(left + _simp(text[i:win_end]), ctx.best_left)
    return hyps, as_is


def _decide(hyps: list[_Hyp], as_is: float) -> tuple[_Hyp, float, float]:
    """(best hypothesis, margin over as-is, posterior of its group among all groups and as-is)."""
    groups: dict[tuple, list[_Hyp]] = {}
    for h in {(h.end, h.xs, h.tail): h for h in hyps}.values():
        groups.setdefault((h.end, h.xs), []).append(h)
    gscore = {k: _logsumexp([h.score for h in v]) for k, v in groups.items()}
    key = max(gscore, key=gscore.get)
    best = max(groups[key], key=lambda h: h.score)
    best = _Hyp(best.score, best.end, best.xs, best.tail, math.exp(best.score - gscore[key]), best.swallow)
    z = _logsumexp(list(gscore.values()) + [as_is])
    return best, gscore[key] - as_is, math.exp(gscore[key] - z)


def _logsumexp(xs: list[float]) -> float:
    m = max(xs)
    return m + math.log(sum(math.exp(x - m) for x in xs))


def _undamaged(text: str, anchors: list[int]) -> str:
    """The letter with every anchor's visibly damaged stretch cut out (lines joined by newlines)."""
    parts, last = [], 0
    for i in anchors:
        if i >= last:
            parts.append(text[last:i])
            last = _sign_end(text, i)
    parts.append(text[last:])
    return "\n".join(parts)


def _annotated_chars(text: str) -> frozenset:
    return frozenset(m.group(1) for m in _ANNOT_RE.finditer(text) if _is_annotation(m.group(1), m.group(2)))


def _is_trad_text(text: str) -> bool:
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"][:5000]
    return sum(map(_is_trad_only, cjk)) > sum(map(_is_simp_only, cjk))


def repair_byte_loss(
    text: str, *, min_confidence: float = 0.0
) -> tuple[str, tuple[Repair, ...], tuple[Unresolved, ...], tuple[Warning, ...]]:
    """Return text with GBK byte-shift runs repaired, the repairs, the unresolved spans and warnings.

    `Repair.start/end` and `Unresolved.start/end` are offsets in the input `text`; a repair's
    offsets in the returned text are `start + shift` and `start + shift + len(repaired)`, where
    `shift` is the sum of `len(r.repaired) - len(r.damaged)` over the repairs before it (they are
    in text order). Warning spans are offsets in the returned text.

    >>> repair_byte_loss("議》(第20180218號)收悉?,F(xiàn)答復(fù)如下:")[0]
    '議》(第20180218號)收悉。現(xiàn)答復(fù)如下:'
    """
    if not has_damage_anchor(text):
        return text, (), (), ()
    anchors = _anchors(text)
    clean = _undamaged(text, anchors)
    sc = _Scorer(_simp(clean), frozenset(clean))  # the document cache; characters seen outside damage
    annotated, trad, enums = _annotated_chars(text), _is_trad_text(clean), _enumerators(text)
    out, repairs, unresolved, warns = [], [], [], []
    pos = 0  # next input offset to copy
    olen = 0  # length of the output so far
    solved_count = 0
    tail = ""
    for i in anchors:
        if i < pos:
            continue
        out.append(text[pos:i])
        olen += i - pos
        tail = (tail + text[max(pos, i - _LINE_MAX):i])[-_LINE_MAX:]
        pos = i
        left_raw = tail  # the last characters of the output so far (kept, not re-joined: linear)
        searched = _has_sign(text, i) and solved_count < _MAX_SOLVED
        solved_count += searched
        solved = _solve(text, i, (sc, left_raw, annotated, trad, enums)) if searched else None
        if solved is None:
            if _strong_sign(text, i):
                end = _sign_end(text, i)
                unresolved.append(Unresolved(i, end, text[i:end], "no_hypothesis"))
                warns.append(_warn(WarningCode.MOJIBAKE_UNRESOLVED, (olen, olen + end - i), text=text[i:end]))
            continue
        best, margin, conf = _decide(*solved)
        if margin < _MARGIN:
            continue
        damaged, repaired = text[i : best.end], best.xs + best.tail
        if conf < min_confidence:
            unresolved.append(Unresolved(i, best.end, damaged, "low_confidence"))
            warns.append(_warn(WarningCode.MOJIBAKE_UNRESOLVED, (olen, olen + len(damaged)), text=damaged))
            continue
        swallowed = {"char": best.tail, "confidence": round(best.tail_conf, 3)} if best.swallow else None
        repairs.append(Repair(i, best.end, damaged, repaired, round(conf, 4), swallowed))
        if conf < 0.5:
            warns.append(_warn(WarningCode.MOJIBAKE_LOW_CONFIDENCE, (olen, olen + len(repaired)),
                               damaged=damaged, repaired=repaired, confidence=conf))
        if "□" in repaired:
            k = olen + repaired.index("□")
            warns.append(_warn(WarningCode.MOJIBAKE_LOST_DIGIT, (k, k + 1)))
        out.append(repaired)
        olen += len(repaired)
        tail = (tail + repaired)[-_LINE_MAX:]
        pos = best.end
    out.append(text[pos:])
    return "".join(out), tuple(repairs), tuple(unresolved), tuple(warns)


def _sign_end(text: str, i: int) -> int:
    """End of the visibly damaged stretch after the anchor at i (up to the first ASCII byte run)."""
    j = i + 1
    while j < len(text) and j - i <= _MAX_RUN and (ord(text[j]) > 0x7F or text[j] == "?"):
        j += 1
    return min(len(text), j + 1)


def _warn(code: WarningCode, span: tuple[int, int], **kw) -> Warning:
    return Warning(code.value, code.template.format(**kw), span)
