"""What the C accelerator (_fast.c, accel.py) reads of a slot's rows: rows.py's terms, laid out for C, once per
letter. The values are the ones rows.py computes; only the layout differs (search._fast_pass uses them)."""
from __future__ import annotations

import struct

from .accel import FAST
from .gbk import s5
from .lm import _char_cost, _sorted_words
from .rows import _Slot
from .score import Ctx, brackets, enum_bonus, frame_bonus

__all__ = ["fols_isect", "gain_adds", "close_plan"]

_REC = struct.Struct("dn")  # one follow record of _fast.c: (log p of a word, candidate index)


def fols_isect(sc, info: _Slot, tail: str) -> list:
    """sc.fols(tail) over the slot's forms: [(n, records (log p, index))] (rows._step reads the same pairs)."""
    key = ("fx", tail, info.sid)
    r = sc.memo.get(key)
    if r is None:
        r = sc.memo[key] = FAST.fols_isect(sc.fols(tail), info.pos)
    return r


def gain_adds(ctx: Ctx, info: _Slot, xs: tuple, s: str, right_s: str, close: str) -> tuple[list, list]:
    """rows._gains_rest's sparse terms as (index, value), to add in order: (brackets, then enumeration and frames);
    the last slot's right-context rows go between the two (a term of 0.0 may be left out)."""
    pre, post = [], []
    if info.brackets:
        line = ctx.line + "".join(map(s5, xs))
        pre = [(i, brackets(s5(info.key[i]), line, right_s)) for i in info.brackets]
    e = ctx.expect
    if e:  # enum_bonus(ctx, s[-2:] + f + close): the bonus where the expected enumerator is in it
        sfx, v = s[-2:], enum_bonus(ctx, e)
        if e in sfx or e in close:
            post = [(i, v) for i in range(len(info.forms))]
        else:
            post = [(i, v) for c in dict.fromkeys(e) if e in sfx + c + close for i in info.pos.get(c, ())]
    if info.frame:
        s6 = s[-6:]
        key = ("frames", s6, close, info.sid)
        got = ctx.sc.memo.get(key)
        if got is None:
            got = ctx.sc.memo[key] = [(i, frame_bonus(s6, info.forms[i], close)) for i in info.frame]
        post += got
    return pre, post


def close_plan(sc, info: _Slot, s: str, close: str) -> list:
    """How rows._close_rows reads the right context `close` after s, per character: 0 (a line end: the column
    copied), 1 (a letter or digit after another: run on), or (cost, alnum, ops): the column after the character's
    own cost, raised by each op (source column or -1, offset of the best value from len(s), value, records)."""
    key = ("cplan", close, s[-4:], info.sid)
    plan = sc.memo.get(key)
    if plan is None:  # _close_step for every character, in C (the same plan)
        plan = sc.memo[key] = FAST.close_plan(s, close, info.forms, info.pos, sc.overlay, sc.vocab, _sorted_words(),
                                              sc.ov_prefixes, _char_cost, lambda q, t: _records(sc, info, q, t))
    return plan


def _close_step(sc, info: _Slot, s: str, close: str, k: int):
    """One character of close_plan (the same terms as rows._close_rows, the same values)."""
    c, n_s = close[k], len(s)
    if c == "\n":
        return 0
    run_on = c.isascii() and c.isalnum()
    if k and run_on and close[k - 1].isascii() and close[k - 1].isalnum():
        return 1
    ops, t = [], close[: k + 1]
    for n in range(2, min(6, n_s + 2 + k) + 1):
        if n <= k + 1:
            v = sc.word(close[k + 1 - n : k + 1])
            if v is not None:
                ops.append((k + 1 - n, 0, v, b""))
        elif n == k + 2:
            ops.append((-1, 0, 0.0, _records(sc, info, "", t)))
        else:
            recs = _records(sc, info, s[n_s - (n - k - 2) :], t)
            if recs is not None:
                ops.append((-1, 2 + k - n, 0.0, recs))
    return (_char_cost(c, sc.vocab), not k and run_on, ops)


def _records(sc, info: _Slot, q: str, t: str) -> bytes | None:
    """The words q + f + t over the slot's forms f as records (log p, index), once per letter: q "" is
    rows._word_row (every index with a word), else sc.mids(q, t) (None when it is empty)."""
    key = ("recs", q, t, info.sid)
    recs = sc.memo.get(key, False)
    if recs is False:
        if not q:  # every form f with a word f + t (rows._word_row's values)
            recs = FAST.word_records(info.forms, t, sc.overlay, sc.vocab)
        elif q not in sc.ov_prefixes:  # the shared words alone (lm.mids), read straight into records
            words = _sorted_words().get(len(q) + 1 + len(t))
            recs = FAST.records(words, q, t, sc.vocab, info.pos) if words else None
        else:
            d = sc.mids(q, t)
            recs = b"".join(_REC.pack(v, i) for x, v in d.items() for i in info.pos.get(x, ())) if d else None
        sc.memo[key] = recs
    return recs
