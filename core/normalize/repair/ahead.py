"""Rows that depend only on the shared tables, for the beam (search.py): the candidates allowed after an unassigned
pair and the lookahead hint of an open slot, once per process (rows.py's bounded cache)."""
from __future__ import annotations

from itertools import compress

from .accel import FAST
from .gbk import lmform
from .lm import bigrams as _bigrams
from .lm import bonus as _bonus
from .lm import word_neighbours as _word_neighbours
from .ngrams import _c_bonus
from .rows import _row_get, _row_put, _Slot
from .weights import weight

__all__ = ["_allowed", "_ahead_row"]

_LOOK_WORD = weight("choice", "look_word")
_AFTER: dict[int, bytes] = {}  # trail byte -> _after's table


def _allowed(t: int, info: _Slot, code2char: dict) -> list[int]:
    """The candidates whose lead byte, after trail byte t, does not make a GBK code (they follow an unassigned
    pair), once per (t, slot)."""
    key = ("allowed", t, info.sid)
    row = _row_get(key)
    if row is None:
        row = _row_put(key, list(compress(range(len(info.leads)), bytes(info.leads).translate(_after(t, code2char)))))
    return row


def _after(t: int, code2char: dict) -> bytes:
    """A byte table: 1 for the lead bytes that, after trail byte t, do not make a GBK code (once per t)."""
    table = _AFTER.get(t)
    if table is None:
        table = _AFTER[t] = bytes(int((t, x) not in code2char) for x in range(256))
    return table


def _ahead_row(sc, info: _Slot, nxt: list[str]) -> list[float] | None:
    """_lookahead as a row over the slot's candidates (None when every value is 0), once per process: it reads
    only the shared tables."""
    key = ("ahead", info.sid, tuple(nxt))
    row = _row_get(key)
    if row is None and FAST is not None:  # the same values in C (the C bonus reads the tables _c_bonus gave it)
        _c_bonus()
        row = _row_put(key, FAST.lookahead_row(info.forms, {lmform(b) for b in nxt}, _word_neighbours()[0],
                                               _bigrams().followers, _LOOK_WORD) or [])
    elif row is None:
        ahead = _lookahead(list(info.key), nxt)
        row = _row_put(key, [ahead.get(c, 0.0) for c in info.key] if ahead else [])
    return row or None


def _lookahead(cands: list[str], nxt: list[str]) -> dict[str, float]:
    """For each candidate, a bonus when some candidate of the next slot makes a word or a seen pair with it."""
    bg, (after, _) = _bigrams(), _word_neighbours()
    forms = {lmform(b) for b in nxt}
    out = {}
    for c in cands:
        f = lmform(c)
        v = _LOOK_WORD if not forms.isdisjoint(after.get(f, ())) else 0.0
        for b in bg.followers.get(f, ()):
            if b in forms:
                v = max(v, _bonus(bg, f, b))
                break
        if v:
            out[c] = v
    return out
