"""Search: a beam over each reading's slots, every reading scored, the best group against the text as it is."""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from operator import itemgetter

from ..pinyin import strip_annotations
from .accel import FAST
from .ahead import _ahead_row, _allowed
from .candidates import MAX_PATHS, SYL_CLOSE_RE, RunPath, p2_leads, path_frame, run_paths, slot_lists
from .fastrows import close_plan, fols_isect, gain_adds
from .gbk import gbk, lmform, s5, simp
from .lm import bigrams as _bigrams
from .rows import _FEW, _ROWS, _bonus_row, _close_bonus_row, _close_tri, _gains, _slot, _step
from .score import (
    TAIL_LM,
    Ctx,
    brackets,
    enum_bonus,
    expected_enumerator,
    extras,
    frame_bonus,
    lm_phrase,
    open_bracket,
    swallow_options,
)
from .weights import weight

_X80_PRIOR = weight("choice", "x80_prior")
_LINE_END_IN_BRACKETS = weight("bonus", "line_end_in_brackets")

__all__ = ["Hyp", "solve", "decide"]

_CTX = 10
_RECOMBINE = 3  # beam states with the same last 3 model characters are merged (the best is kept)
_CLOSE = 2  # characters of right context seen when the last slot is filled
_FIRST_WIDTH = 4  # beam width when every path is tried
_DEEP_PATHS = 4  # paths searched again, wider, after every path was tried
_DEEP_WIDTH = 48  # beam width for those paths
_MEMO_MAX = 100_000  # entries of a letter's Scorer.memo before it starts again (per anchor, between searches)


@dataclass(frozen=True, slots=True)
class Hyp:
    score: float
    end: int
    xs: str  # X1..Xk as shown after S5
    tail: str  # swallowed byte or recovered ASCII
    tail_conf: float
    swallow: bool = False


def _beam(lists: list[list[str]], p: RunPath, ctx: Ctx, right_s: str, annotated_last: bool, width: int) -> list[tuple]:
    """The best `width` fillings of the slots, left to right: word path, bigrams, brackets, penalties.

    The last slot is judged with the first characters of the right context too, and an open slot
    before another slot with a hint of how well each candidate can continue (`_lookahead`).
    Each slot is scored a row at a time (every candidate after one state); only the states kept are built.
    """
    g, sc = gbk(), ctx.sc
    states = [(0.0, (), ctx.left, ctx.best_left, 0.0)]
    last, close = len(lists) - 1, right_s[:_CLOSE]
    for j, cands in enumerate(lists):
        is_last = j == last
        info = _slot(sc, cands, ctx, annotated_last and is_last)
        tied = j - 1 in p.unassigned
        hs = _ahead_row(sc, info, lists[j + 1]) if j < last and len(cands) > 1 else None
        allowed = (lambda xs, info=info: _allowed(g.char2code[xs[-1]][1], info, g.code2char)) if tied else None
        if FAST is not None:
            states = _fast_pass(ctx, info, states, hs, allowed, close if is_last else "", right_s, width, cands)
            continue
        kept: dict = {}
        first: dict = {}  # the state's part of a merge key -> the first state with it
        _pass(ctx, info, states, hs, allowed, close if is_last else "", right_s, width, kept, first)
        top = _top(kept, width, None if tied else (info, states, first))
        forms = info.forms
        states = [(total, states[si][1] + (cands[i],), states[si][2] + forms[i], states[si][3] + [bi], h)
                  for total, si, i, bi, h in top]
    return [st[1] for st in states]


def _pass(ctx: Ctx, info, states: list, hs, allowed, close: str, right_s: str, width: int, kept: dict,
          first: dict) -> None:
    """Every state against every candidate of one slot: the entries kept (by merge key) and each key's first state.
    `allowed(xs)`: after an unassigned pair, the candidates that can follow (None: any)."""
    sc, forms, thr = ctx.sc, info.forms, -math.inf
    for si, (score, xs, s, best, hint) in enumerate(states):
        b = _step(sc, info, s, best)
        gain = _gains(ctx, info, xs, s, best, b, close, right_s)
        rk = s[1 - _RECOMBINE :]  # rk + f: the last _RECOMBINE model characters (the merge key)
        base = score - hint
        if allowed is not None:  # after an unassigned pair some candidates cannot follow: the plain way
            for i in allowed(xs):
                f = forms[i]
                h = hs[i] if hs else 0.0
                total = base + gain[i] + h
                key = rk + f
                old = kept.get(key)
                if old is None or total > old[0]:
                    kept[key] = (total, si, i, b[i], h)
            continue
        totals = [base + x + h for x, h in zip(gain, hs)] if hs else [base + x + 0.0 for x in gain]
        if len(totals) > width:  # `width` distinct keys of this state at or above thr: below it, nothing is kept
            uniq = totals if info.uniq is None else [totals[i] for i in info.uniq]
            if len(uniq) >= width:
                thr = max(thr, heapq.nlargest(width, uniq)[-1])
        first.setdefault(rk, si)
        for i in [i for i, x in enumerate(totals) if x >= thr]:
            total = totals[i]
            key = rk + forms[i]
            old = kept.get(key)
            if old is None or total > old[0]:
                kept[key] = (total, si, i, b[i], hs[i] if hs else 0.0)


def _fast_pass(ctx: Ctx, info, states: list, hs, allowed, close: str, right_s: str, width: int,
               cands: list) -> list[tuple]:
    """_pass, _top and the next states by the C accelerator (the same arithmetic, the same order): the rows kept in
    caches are read through callables (fastrows.py)."""
    sc, bg, sid = ctx.sc, _bigrams(), (info.sid,)
    # a cached row as C reads it: (cache, key head, key tail, the function that computes and keeps it): the keys are
    # those of fols_isect, _bonus_row, close_plan (by s[-4:]: the plan reads no more of s) and _close_bonus_row
    fols = None if len(info.pos) <= _FEW else (sc.memo, ("fx",), sid, lambda tail: fols_isect(sc, info, tail))
    closer = adds = None
    if close:
        closer = ((sc.memo, ("cplan", close), sid, lambda s4: close_plan(sc, info, s4, close)),
                  _close_tri(sc, bg, info, close),
                  (_ROWS, ("cbonus",), (close[0], info.sid), lambda s1: _close_bonus_row(sc, bg, s1, close[0], info)))
    if info.brackets or info.frame or ctx.expect:
        adds = lambda xs, s: gain_adds(ctx, info, xs, s, right_s, close)  # noqa: E731
    bonus = (_ROWS, ("bonus",), sid, lambda left: _bonus_row(sc, bg, left, info))
    return FAST.slot_pass(states, info.costs, info.pos, sc.overlay, sc.vocab, fols, info.alnum, info.newline,
                          info.pen, bonus, closer, hs, allowed, width, info.uniq, info.forms, info.fid, adds, cands)


def _top(kept: dict, width: int, plain: tuple | None) -> list[tuple]:
    """The `width` best entries kept, in the plain way's order: a key's first appearance (its first state, its
    first candidate); after an unassigned pair (plain None), nlargest's (insertion order on ties)."""
    if plain is None:
        return heapq.nlargest(width, kept.values(), key=itemgetter(0))
    info, states, first = plain
    at, forms, n = info.first, info.forms, 1 - _RECOMBINE
    ranked = sorted(((-e[0], first[states[e[1]][2][n:]], at[forms[e[2]]]), e) for e in kept.values())
    return [e for _, e in ranked[:width]]  # the first three are unique: e itself is never compared


def _prepare(text: str, p: RunPath, ctx: Ctx) -> tuple:
    """(syl, rstart, forced, right_s, lists) of a path: the same for each of its searches (solve keeps it)."""
    syl, rstart, forced = path_frame(text, p)
    right_s = simp(text[rstart : max(rstart, ctx.win_end)])
    return syl, rstart, forced, right_s, slot_lists(text, p, ctx, syl, right_s)


def _score_path(text: str, p: RunPath, ctx: Ctx, width: int, prep: tuple) -> list[Hyp]:
    syl, rstart, forced, right_s, lists = prep
    if lists is None:
        return []
    out = []
    for xs in _beam(lists, p, ctx, right_s, syl is not None, width):
        shown = "".join(s5(c) for c in xs)
        lm = lm_phrase(ctx.left[-2:], "".join(lmform(c) for c in xs), shown, right_s[:2])
        head = ctx.left + lm
        extra = extras(xs, ctx, syl is not None) + brackets(shown, ctx.line, right_s)
        extra += enum_bonus(ctx, ctx.left[-2:] + lm + right_s[:2])
        if p.kind != "swallow" or forced:
            tails = [(forced or p.ascii, _X80_PRIOR if p.kind == "x80" else 0.0)]
        else:
            tails = swallow_options(shown[-1:], text[rstart : rstart + 8])
        for tail, prior in tails:
            if tail == "\n" and open_bracket(ctx.line + shown):
                prior += _LINE_END_IN_BRACKETS  # a line does not end inside brackets
            tail_lm = TAIL_LM.get(tail, tail)
            s = head + tail_lm + right_s
            frame = frame_bonus(ctx.left[-6:], lm + (tail if tail == "□" else tail_lm), right_s[:6])
            score = ctx.sc.total(s, ctx.best_left, right_s) + extra + prior + frame
            out.append(Hyp(score, p.end, shown, tail, 1.0, p.kind == "swallow"))
    return out


def solve(text: str, i: int, ctx_base: tuple, budget: list[int] | None = None) -> tuple[list[Hyp], float] | None:
    """All scored hypotheses for the anchor at i, and the as-is score; None if nothing fits.

    `budget` is the letter's remaining work ([units]); a search that would cost more is not started
    and the budget is set to -1 (used up).
    """
    sc, left_raw, annotated, trad, enums = ctx_base
    paths = run_paths(text, i + 1, None)
    leads = p2_leads(text, i)
    if leads:
        m = SYL_CLOSE_RE.match(text, i + 1)
        paths += run_paths(text, m.end(), leads)
    if not paths or len(paths) > MAX_PATHS:
        return None
    if budget is not None:
        cost = sum(len(p.slots) for p in paths) * _FIRST_WIDTH + _DEEP_PATHS * _DEEP_WIDTH * 5
        if cost > budget[0]:
            budget[0] = -1
            return None
        budget[0] -= cost
    max_end = max(p.end for p in paths)
    nxt = text.find("?", max_end)
    win_end = min(len(text), max_end + _CTX + 2, nxt if nxt >= 0 else len(text))
    left = simp(left_raw[-3 * _CTX :])[-_CTX:]
    line = strip_annotations(left_raw.rsplit("\n", 1)[-1])
    if len(sc.memo) >= _MEMO_MAX:  # a long letter: bounded memory
        sc.memo.clear()
    ctx = Ctx(sc, left, sc.extend(left, [0.0]), win_end, annotated, trad, expected_enumerator(enums, i), line)
    preps = {p: _prepare(text, p, ctx) for p in paths}
    first = {p: _score_path(text, p, ctx, _FIRST_WIDTH, preps[p]) for p in paths}
    ranked = sorted((p for p in paths if first[p]), key=lambda p: -max(h.score for h in first[p]))
    hyps = [h for p in paths for h in first[p]]
    for p in ranked[:_DEEP_PATHS]:
        hyps += _score_path(text, p, ctx, _DEEP_WIDTH, preps[p])
    if not hyps:
        return None
    as_is = sc.total(left + simp(text[i:win_end]), ctx.best_left)
    return hyps, as_is


def decide(hyps: list[Hyp], as_is: float) -> tuple[Hyp, float, float]:
    """(best hypothesis, margin over as-is, posterior of its group among all groups and as-is)."""
    groups: dict[tuple, list[Hyp]] = {}
    for h in {(h.end, h.xs, h.tail): h for h in hyps}.values():
        groups.setdefault((h.end, h.xs), []).append(h)
    gscore = {k: _logsumexp([h.score for h in v]) for k, v in groups.items()}
    key = max(gscore, key=gscore.get)
    best = max(groups[key], key=lambda h: h.score)
    best = Hyp(best.score, best.end, best.xs, best.tail, math.exp(best.score - gscore[key]), best.swallow)
    z = _logsumexp(list(gscore.values()) + [as_is])
    return best, gscore[key] - as_is, math.exp(gscore[key] - z)


def _logsumexp(xs: list[float]) -> float:
    m = max(xs)
    return m + math.log(sum(math.exp(x - m) for x in xs))
