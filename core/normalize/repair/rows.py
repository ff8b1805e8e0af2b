"""Rows: one slot's candidates scored after one beam state, a list pass at a time (the same arithmetic as
Scorer.extend and lm.bonus per candidate), and the caches that keep each row once (search.py runs the beam)."""
from __future__ import annotations

import math

from .accel import FAST
from .gbk import s5
from .lm import _RUN_ON, _WORD_COST, _char_cost
from .lm import bg_form as _bg_form
from .lm import bigrams as _bigrams
from .lm import clip as _clip
from .lm import tri_bonus as _tri_bonus
from .lm import trigrams as _trigrams
from .ngrams import _PMI_CLIP, _PMI_W, _TRI_PRIOR, _TRI_W
from .score import Ctx, brackets, enum_bonus, frame_bonus
from .slots import _FRAME_CHARS, _shared_slot, _Slot, _slot  # noqa: F401 (re-exported)

_NCLIP = -_PMI_CLIP  # clip(x) is x inside [-_PMI_CLIP, _PMI_CLIP] (min/max as one comparison, the same values)
_FEW = 3  # slots with at most this many forms look their words up one by one
_ROWS: dict[tuple, list] = {}  # rows that depend only on the shared tables (bigrams, trigrams), for every letter
_ROWS_SIZE = 0  # values held in _ROWS
_ROWS_MAX = 400_000  # about 15 MB


def _row_get(key: tuple):
    return _ROWS.get(key)


def _row_put(key: tuple, row):
    global _ROWS_SIZE
    if _ROWS_SIZE >= _ROWS_MAX:  # bounded memory: start again
        _ROWS.clear()
        _ROWS_SIZE = 0
    _ROWS[key] = row
    _ROWS_SIZE += 2 * len(row[0]) if isinstance(row, tuple) else len(row)
    return row


def _step(sc, info: _Slot, s: str, best: list) -> list[float]:
    """The word-path DP one character on, for every candidate of the slot after s (as Scorer.extend)."""
    bl, n_s = best[-1], len(s)
    b = [bl + v + _WORD_COST for v in info.costs]
    pos = info.pos
    if len(pos) <= _FEW:  # a few forms: each word looked up (the same values as sc.mids, no table of followers)
        ov, vget = sc.overlay.get, sc.vocab.get
        for k in range(1, min(5, n_s) + 1):
            q, bn = s[n_s - k :], best[n_s - k]
            for x, ix in pos.items():
                v = ov(q + x)
                if v is None:
                    v = vget(q + x)
                if v is not None:
                    t = bn + v + _WORD_COST
                    for i in ix:
                        if t > b[i]:
                            b[i] = t
        return _step_end(info, s, bl, b)
    for n, fol in sc.fols(s[-5:]):  # the words that continue the last 1-5 characters of s
        bn = best[n_s + 1 - n]
        if len(fol) < len(pos):
            for x, v in fol.items():
                ix = pos.get(x)
                if ix is not None:
                    t = bn + v + _WORD_COST
                    for i in ix:
                        if t > b[i]:
                            b[i] = t
        else:
            for x, ix in pos.items():
                v = fol.get(x)
                if v is not None:
                    t = bn + v + _WORD_COST
                    for i in ix:
                        if t > b[i]:
                            b[i] = t
    return _step_end(info, s, bl, b)


def _step_end(info: _Slot, s: str, bl: float, b: list[float]) -> list[float]:
    """A letter or digit after another runs on; a line end is a free boundary (as Scorer.extend)."""
    if s and s[-1].isascii() and s[-1].isalnum():
        for i in info.alnum:
            b[i] = bl + _RUN_ON
    for i in info.newline:
        b[i] = bl
    return b


def _pmi_row(bg, a: str, info: _Slot) -> list[float]:
    """pmi(bg, a, f) for every form f of the slot, `a` already in bigram form and not a line end."""
    uni, ba = bg.uni, bg.back.get(a, 0.0)
    if FAST is not None:
        return FAST.pmi_row(info.in_uni, ba, bg.by_first.get(a, {}), info.bgpos, uni)
    row = [ba if known else 0.0 for known in info.in_uni]  # pairs never seen: the back-off share
    pairs, at = bg.by_first.get(a, {}), info.bgpos
    if len(pairs) < len(at):
        for fb, pv in pairs.items():
            ix = at.get(fb)
            if ix is not None:
                v = pv - uni[fb]
                for i in ix:
                    row[i] = v
    else:
        for fb, ix in at.items():
            pv = pairs.get(fb)
            if pv is not None:
                v = pv - uni[fb]
                for i in ix:
                    row[i] = v
    return row


def _bonus_row(sc, bg, left: str, info: _Slot) -> list[float]:
    """_bonus(bg, left, f) for every form f of the slot, once per letter (the same arithmetic, hoisted)."""
    key = ("bonus", left, info.sid)
    row = _row_get(key)
    if row is not None:
        return row
    n = len(info.forms)
    if not left:
        row = [0.0] * n
    elif left[-1] == "\n":  # pmi and the trigram term are 0 across a line end
        row = [_PMI_W * _clip(0.0)] * n
        if len(left) >= 2:
            row = [v + _TRI_W * _clip(0.0) for v in row]
    else:
        a = _bg_form(left[-1])
        pkey = ("pmi", a, info.sid)
        got = _row_get(pkey)
        if got is None:
            pmis = _pmi_row(bg, a, info)
            got = _row_put(pkey, (pmis, _pmi_terms(pmis)))
        pmis, row = got
        if len(left) >= 2:
            row = _add_tri(bg, left[-2], a, pmis, info.bgf, row)
    return _row_put(key, row)


def _pmi_terms(pmis: list[float]) -> list[float]:
    """[_PMI_W * clip(x) for x in pmis] (the same values, one comparison or two per term instead of two calls)."""
    if FAST is not None:
        return FAST.pmi_terms(pmis)
    c, n, w = _PMI_CLIP, _NCLIP, _PMI_W
    return [w * (c if x > c else n if x < n else x) for x in pmis]


def _add_tri(bg, a2: str, a: str, pmis: list[float], fbs: tuple, row: list[float]) -> list[float]:
    """row[i] + tri_bonus(bg, a2, a, f_i): a in bigram form, pmis[i] = pmi(bg, a, f_i) (the same arithmetic)."""
    n_ab = 0 if a2 == "\n" else _trigrams().after.get(_bg_form(a2) + a)
    if not n_ab:
        z = _TRI_W * _clip(0.0)
        return row if z == 0.0 else [v + z for v in row]  # v + 0.0 is v (a -0.0 aside, which sums and compares as 0)
    tg, uni, floor, ab = _trigrams(), bg.uni, bg.floor, _bg_form(a2) + a
    triple, den = tg.by_pair.get(ab, {}), n_ab + _TRI_PRIOR  # triple[fb]: the count of ab + fb
    if FAST is not None:
        return FAST.add_tri(row, pmis, fbs, triple, uni, floor, den)
    out = []
    for v, x, fb in zip(row, pmis, fbs):
        p2 = math.exp(x + uni.get(fb, floor))
        tp = math.log((triple.get(fb, 0) + _TRI_PRIOR * p2) / den) - math.log(p2)
        out.append(v + _TRI_W * (_PMI_CLIP if tp > _PMI_CLIP else _NCLIP if tp < _NCLIP else tp))
    return out


def _word_row(sc, info: _Slot, t: str) -> list:
    """Scorer.word(f + t) for every form f of the slot (None: not a word), once per letter."""
    key = ("words", t, info.sid)
    row = sc.memo.get(key)
    if row is None:
        row = sc.memo[key] = [sc.word(f + t) for f in info.forms]
    return row


def _close_rows(sc, info: _Slot, s: str, best: list, b: list, close: str) -> list[float]:
    """Scorer.extend(s + f + close, best + [b_f])[-1] for every form f of the slot (the same arithmetic)."""
    vocab, n_s, bl = sc.vocab, len(s), best[-1]
    cols = [b]
    for k, c in enumerate(close):
        prev = cols[k]
        if c == "\n":
            cols.append(prev[:])
            continue
        run_on = c.isascii() and c.isalnum()
        if k and run_on and close[k - 1].isascii() and close[k - 1].isalnum():
            cols.append([x + _RUN_ON for x in prev])
            continue
        cost = _char_cost(c, vocab)
        new = [x + cost + _WORD_COST for x in prev]
        t = close[: k + 1]
        for n in range(2, min(6, n_s + 2 + k) + 1):
            if n <= k + 1:
                v = sc.word(close[k + 1 - n : k + 1])
                if v is not None:
                    col = cols[k + 1 - n]
                    for i, x in enumerate(col):
                        y = x + v + _WORD_COST
                        if y > new[i]:
                            new[i] = y
            elif n == k + 2:
                for i, v in enumerate(_word_row(sc, info, t)):
                    if v is not None:
                        y = bl + v + _WORD_COST
                        if y > new[i]:
                            new[i] = y
            else:
                d = sc.mids(s[n_s - (n - k - 2) :], t)
                if d:
                    bn = best[n_s + 2 + k - n]
                    for x, v in d.items():
                        for i in info.pos.get(x, ()):
                            y = bn + v + _WORD_COST
                            if y > new[i]:
                                new[i] = y
        if not k and run_on:
            for i in info.alnum:
                new[i] = prev[i] + _RUN_ON
        cols.append(new)
    return cols[-1]


def _close_bonus_row(sc, bg, s1: str, c0: str, info: _Slot) -> list[float]:
    """_bonus(bg, s1 + f, c0) for every form f of the slot (s1: the character before it, or ""), once per letter."""
    key = ("cbonus", s1, c0, info.sid)
    row = _row_get(key)
    if row is not None:
        return row
    pkey = ("cpmi", c0, info.sid)
    pm = _row_get(pkey)
    if pm is None:
        pmis = _close_pmis(bg, info, _bg_form(c0))
        pm = _row_put(pkey, (pmis, _pmi_terms(pmis)))
    pmis, base = pm
    if not s1:
        row = base
    elif s1 == "\n":
        z = _TRI_W * _clip(0.0)
        row = [v + z for v in base]
    else:
        tg, uni, floor = _trigrams(), bg.uni, bg.floor
        a2, b = _bg_form(s1), _bg_form(c0)
        after, triple = tg.after_by_first.get(a2, {}), tg.triple  # after[a]: tg.after[a2 + a]
        p_c = uni.get(b, floor)
        z = _TRI_W * _clip(0.0)
        if FAST is not None:
            return _row_put(key, FAST.close_tri_row(base, pmis, info.forms, info.bgf, after, triple, a2, b, p_c, z))
        row = []
        for v, x, f, a in zip(base, pmis, info.forms, info.bgf):
            n_ab = 0 if f == "\n" else after.get(a)
            if not n_ab:
                row.append(v + z)
                continue
            p2 = math.exp(x + p_c)
            tp = math.log((triple.get(a2 + a + b, 0) + _TRI_PRIOR * p2) / (n_ab + _TRI_PRIOR)) - math.log(p2)
            row.append(v + _TRI_W * (_PMI_CLIP if tp > _PMI_CLIP else _NCLIP if tp < _NCLIP else tp))
    return _row_put(key, row)


def _close_pmis(bg, info: _Slot, b: str) -> list[float]:
    """pmi(bg, f, b) for every form f of the slot, b in bigram form (0 after a line end)."""
    by_first, uni, back = bg.by_first, bg.uni, bg.back
    if FAST is not None:
        return FAST.close_pmi_row(info.forms, info.bgf, by_first, uni, back, b)
    pmis = []
    for f, a in zip(info.forms, info.bgf):
        if f == "\n":
            pmis.append(0.0)
            continue
        d = by_first.get(a)
        pv = d.get(b) if d is not None else None
        pmis.append(pv - uni[b] if pv is not None else (back.get(a, 0.0) if b in uni else 0.0))
    return pmis


def _close_tri(sc, bg, info: _Slot, close: str) -> list[float]:
    key = ("ctri", close, info.sid)
    row = _row_get(key)
    if row is None:
        row = _row_put(key, [_tri_bonus(bg, f, close[0], close[1]) if len(close) > 1 else 0.0 for f in info.forms])
    return row


def _gains(ctx: Ctx, info: _Slot, xs: tuple, s: str, best: list, b: list, close: str, right_s: str) -> list[float]:
    """What each candidate of the slot adds after the state (xs, s, best); b: its word-path row (_step).
    `close`: the right context's first characters when this is the last slot ("" otherwise)."""
    sc, bg, forms = ctx.sc, _bigrams(), info.forms
    bl = best[-1]
    bon = _bonus_row(sc, bg, s[-2:], info)
    gain = [x - bl + y for x, y in zip(b, bon)]
    for i, v in info.pen:
        gain[i] += v
    if info.brackets:
        line = ctx.line + "".join(map(s5, xs))
        for i in info.brackets:
            gain[i] += brackets(s5(info.key[i]), line, right_s)
    if close:
        ends = _close_rows(sc, info, s, best, b, close)
        tri = _close_tri(sc, bg, info, close)
        cbs = _close_bonus_row(sc, bg, s[-1:], close[0], info)
        for i in range(len(forms)):
            gain[i] += ends[i] - b[i] + cbs[i]
            gain[i] += tri[i]
    sfx = s[-2:]
    if ctx.expect:
        for i, f in enumerate(forms):
            gain[i] += enum_bonus(ctx, sfx + f + close)
    s6 = s[-6:]
    for i in info.frame:  # a frame that takes in the new character holds it: 0 for any other
        gain[i] += frame_bonus(s6, forms[i], close)
    return gain
