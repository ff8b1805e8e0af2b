"""Search: a beam over each reading's slots, every reading scored, the best group against the text as it is."""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from operator import itemgetter

from ..pinyin import strip_annotations
from .candidates import MAX_PATHS, SYL_CLOSE_RE, RunPath, p2_leads, path_frame, run_paths, slot_lists
from .gbk import gbk, lmform, s5, simp
from .lm import bigrams as _bigrams
from .lm import bonus as _bonus
from .lm import tri_bonus as _tri_bonus
from .lm import word_neighbours as _word_neighbours
from .score import (
    BRACKETS,
    TAIL_LM,
    Ctx,
    brackets,
    char_penalty,
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
_LOOK_WORD = weight("choice", "look_word")
_LINE_END_IN_BRACKETS = weight("bonus", "line_end_in_brackets")

__all__ = ["Hyp", "solve", "decide"]

_CTX = 10
_RECOMBINE = 3  # beam states with the same last 3 model characters are merged (the best is kept)
_CLOSE = 2  # characters of right context seen when the last slot is filled
_FIRST_WIDTH = 4  # beam width when every path is tried
_DEEP_PATHS = 4  # paths searched again, wider, after every path was tried
_DEEP_WIDTH = 48  # beam width for those paths


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
    """
    g, sc, bg = gbk(), ctx.sc, _bigrams()
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
                f = lmform(c)
                s2 = s + f
                best2 = sc.extend(s2, best)
                gain = best2[-1] - best[-1] + _bonus(bg, s[-2:], f)
                gain += char_penalty(c, ctx, annotated_last and j == last)
                if c in BRACKETS:
                    gain += brackets(s5(c), ctx.line + "".join(map(s5, xs)), right_s)
                if j == last and close:
                    gain += sc.extend(s2 + close, best2)[-1] - best2[-1] + _bonus(bg, s2[-2:], close[0])
                    gain += _tri_bonus(bg, f, close[0], close[1]) if len(close) > 1 else 0.0
                gain += enum_bonus(ctx, s2[-3:] + (close if j == last else ""))
                gain += frame_bonus(s[-6:], f, close if j == last else "")
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
    forms = {lmform(b) for b in nxt}
    out = {}
    for c in cands:
        f = lmform(c)
        v = _LOOK_WORD if any(b in forms for b in after.get(f, ())) else 0.0
        for b in bg.followers.get(f, ()):
            if b in forms:
                v = max(v, _bonus(bg, f, b))
                break
        if v:
            out[c] = v
    return out


def _score_path(text: str, p: RunPath, ctx: Ctx, width: int) -> list[Hyp]:
    syl, rstart, forced = path_frame(text, p)
    right_s = simp(text[rstart : max(rstart, ctx.win_end)])
    lists = slot_lists(text, p, ctx, syl, right_s)
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
            score = ctx.sc.total(s, ctx.best_left) + extra + prior + frame
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
    ctx = Ctx(sc, left, sc.extend(left, [0.0]), win_end, annotated, trad, expected_enumerator(enums, i), line)
    first = {p: _score_path(text, p, ctx, _FIRST_WIDTH) for p in paths}
    ranked = sorted((p for p in paths if first[p]), key=lambda p: -max(h.score for h in first[p]))
    hyps = [h for p in paths for h in first[p]]
    for p in ranked[:_DEEP_PATHS]:
        hyps += _score_path(text, p, ctx, _DEEP_WIDTH)
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
