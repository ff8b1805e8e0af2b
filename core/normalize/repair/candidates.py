"""Candidates: the structural readings of a damaged run (paths of byte slots) and the characters for each slot."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..pinyin import SYL, default_reading
from ..script import is_trad_only, variant_rank
from .detect import MAX_RUN, MAX_UNASSIGNED
from .gbk import Gbk, gbk, lmform, shown_codes
from .lm import PUNCT as _PUNCT
from .lm import bg_form as _bg_form
from .lm import bigrams as _bigrams
from .lm import word_model as _lm
from .lm import word_neighbours as _word_neighbours

if TYPE_CHECKING:
    from .score import Ctx

__all__ = ["RunPath", "run_paths", "slot_lists", "p2_leads", "path_frame", "SYL_CLOSE_RE", "MAX_PATHS"]

SYL_CLOSE_RE = re.compile(rf"({SYL})\)")
_SYL_PAREN_RE = re.compile(rf"\(({SYL})\)")
MAX_PATHS = 1000  # a long real run with several "?" has a few hundred readings; a run of "?" has 10^5: not our damage
_OPEN_TOP = 300  # a slot with no known byte: this many frequent characters, plus neighbours' partners
_PREV_RE = re.compile(rf"([^\x00-\x7f])(?:\({SYL}\))?$")


@dataclass(frozen=True, slots=True)
class RunPath:
    """One reading of the run: slots are (lead, trail); None = unknown, tuple = one of these leads."""

    slots: tuple
    end: int  # offset after the last shown character of the run
    kind: str  # orphan | swallow | x80 | ascii
    ascii: str = ""  # the ASCII byte recovered from the last shown pair (kind 'ascii')
    unassigned: tuple = ()  # j: (trail of slot j, lead of slot j+1) is not a GBK code


def run_paths(text: str, start: int, first_lead) -> list[RunPath]:
    """Every structural reading of the run that starts at text[start] (depth-first, bounded)."""
    g, out = gbk(), []

    def walk(pos: int, slots: tuple, lead, unassigned: tuple) -> None:
        if len(slots) >= MAX_RUN or pos >= len(text) or len(out) > MAX_PATHS:
            return
        o = text[pos]
        for a, b in shown_codes(o, g):
            if b >= 0x81:
                walk(pos + 1, slots + ((lead, a),), b, unassigned)
            elif 0x40 <= b <= 0x7E:
                out.append(RunPath(slots + ((lead, a),), pos + 1, "ascii", chr(b), unassigned))
        if o == "?":
            if len(unassigned) < MAX_UNASSIGNED:
                walk(pos + 1, slots + ((lead, None),), None, unassigned + (len(slots),))
            out.append(RunPath(slots + ((lead, None),), pos + 1, "swallow", "", unassigned))
            out.append(RunPath(slots + ((lead, 0x80),), pos + 1, "x80", "", unassigned))
        elif "\x40" <= o <= "\x7e":
            out.append(RunPath(slots + ((lead, ord(o)),), pos + 1, "orphan", "", unassigned))

    walk(start, (), first_lead, ())
    walk = None  # noqa: F841 (the closure refers to itself: a reference cycle, broken here rather than by the gc)
    return out


@lru_cache(maxsize=1)
def _frequent_chars() -> tuple[str, ...]:
    """GBK characters whose simplified form is frequent (for slots with no known byte)."""
    g, (_, charf, _) = gbk(), _lm()
    ranked = sorted(g.char2code, key=lambda c: (-charf.get(lmform(c), 0.0), variant_rank(c)))
    return tuple(ranked[:3000]) + tuple(c for c in ranked[3000:] if lmform(c) in _PUNCT)


@lru_cache(maxsize=1)
def _frequent_open() -> tuple[str, ...]:
    """The frequent characters that can fill a slot with no known byte (not trail 0x80)."""
    g = gbk()
    return tuple(c for c in _frequent_chars() if g.char2code[c][1] != 0x80)


def _slot_chars(slot, g: Gbk, before_unassigned: bool) -> list[str]:
    """Characters that fit a slot's known bytes (a new list: the caller may change it)."""
    return list(_fitting(slot, before_unassigned))


@lru_cache(maxsize=4096)
def _fitting(slot, before_unassigned: bool) -> tuple[str, ...]:
    """_slot_chars, once per process for each slot's bytes (they depend only on the GBK table)."""
    g = gbk()
    lead, trail = slot
    if isinstance(lead, int) and trail is not None:
        c = g.code2char.get((lead, trail))
        return (c,) if c else ()
    if isinstance(lead, tuple):
        leads = lead
        cands = [g.code2char.get((x, trail)) for x in leads] if trail is not None else [
            c for x in leads for c in g.by_lead.get(x, [])]
    elif lead is None:
        cands = list(_frequent_open()) if trail is None else g.by_trail.get(trail, [])
    else:
        cands = g.by_lead.get(lead, [])
    cands = [c for c in cands if c]
    if before_unassigned:
        cands = [c for c in cands if g.char2code[c][1] in g.inv_leads]
    return tuple(cands)


def slot_lists(text: str, p: RunPath, ctx: Ctx, syl: str | None, right_s: str) -> list[list[str]] | None:
    """Candidate characters for every slot of a path, or None when a slot cannot be filled."""
    g, lists = gbk(), []
    k = len(p.slots)
    for j, slot in enumerate(p.slots):
        cands = _slot_chars(slot, g, j in p.unassigned)
        if j == k - 1 and syl is not None:
            cands = [c for c in cands if is_trad_only(c) and default_reading(c) == syl]
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
    prevs = {lmform(c) for c in lists[j - 1]} if j else {left_c}
    nexts = {lmform(c) for c in lists[j + 1]} if j + 1 < len(lists) else {right_c}
    want = set()
    for a in prevs:
        want.update(bg.followers.get(_bg_form(a), ()), after.get(a, ()))
    for b in nexts:
        want.update(bg.leaders.get(_bg_form(b), ()), before.get(b, ()))
    want.update(_PUNCT)
    cands = lists[j]
    return cands[:_OPEN_TOP] + [c for c in cands[_OPEN_TOP:] if lmform(c) in want]


def p2_leads(text: str, i: int) -> tuple | None:
    """Lost-lead candidates when `?syl)` at i is an annotation split off inside a character (P2)."""
    m = SYL_CLOSE_RE.match(text, i + 1)
    prev = _PREV_RE.search(text, max(0, i - 10), i)
    if not m or not prev:
        return None
    g = gbk()
    code = g.char2code.get(prev.group(1))
    if not code:
        return None
    leads = tuple(L for L in range(0x81, 0xFF) if (c := g.code2char.get((code[1], L)))
                  and is_trad_only(c) and default_reading(c) == m.group(1))
    return leads or None


def path_frame(text: str, p: RunPath) -> tuple[str | None, int, str | None]:
    """(reading Xk must have, where the right context starts, forced swallowed byte)."""
    if p.kind == "swallow":
        m = SYL_CLOSE_RE.match(text, p.end)
        return (m.group(1), m.end(), "(") if m else (None, p.end, None)
    if p.kind in ("orphan", "x80"):
        m = _SYL_PAREN_RE.match(text, p.end)
        if m:
            return m.group(1), m.end(), None
    return None, p.end, None
