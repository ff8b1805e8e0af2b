"""A slot's candidates as scoring needs them (_Slot): what every letter shares, once per process, and the letter's
penalties over it, once per letter (rows.py and search.py read them)."""
from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from itertools import compress

from ..script import is_simp_only, is_trad_only
from .gbk import gbk, lmform
from .lm import _char_cost, word_model
from .lm import bg_form as _bg_form
from .lm import bigrams as _bigrams
from .score import _HAS_DIGIT_RE, BRACKETS, Ctx, char_penalty

__all__ = ["_Slot", "_slot", "_shared_slot", "_FRAME_CHARS"]

_FRAME_CHARS = frozenset("0123456789□年月日第号號届屆次期批条條")  # every character _FRAME_RE can match


@dataclass(frozen=True, slots=True)
class _Slot:
    """What scoring needs of one slot's candidates, worked out once per letter (Scorer.memo)."""

    key: tuple  # the candidates
    sid: int  # a number for them (never reused in the process): the key of their rows
    forms: tuple  # their model forms (lmform)
    costs: tuple  # the model's cost of each form as a one-character word
    pos: dict  # form -> indices of the candidates with it
    leads: tuple  # GBK lead byte of each candidate
    pen: tuple  # (index, penalty) where char_penalty is not 0
    alnum: tuple  # indices of ASCII letters and digits (they run on after one)
    newline: tuple  # indices of a line end (a free boundary)
    digit: tuple  # indices whose form holds a digit (frames)
    brackets: tuple  # indices of brackets and quotes
    bgf: tuple  # the forms as the bigram table writes them (bg_form)
    frame: tuple  # indices of the forms a date or ordinal frame can hold (digits, 年 月 日 第 号 ...)
    first: dict  # form -> the first index with it
    uniq: tuple | None  # the first index of each form (None: the forms are distinct)
    bgpos: dict  # bigram form -> indices
    in_uni: tuple  # whether each bigram form is in the unigram table
    fid: tuple  # the first index of each candidate's form
    scripts: tuple = ((), (), ())  # indices of simplified-only, traditional-only and full-width alnum candidates


_SLOTS: dict[tuple, _Slot] = {}  # candidates -> what every letter shares of them (pen left empty)
_SLOTS_SIZE = 0  # candidates held in _SLOTS
_SLOTS_MAX = 40_000  # about 12 MB
_SID_COUNT = itertools.count()
_PROPS: dict[str, tuple] = {}  # character -> what a slot needs of it (bounded by the GBK table, ~22k characters)


def _slot(sc, cands: list[str], ctx: Ctx, annotated: bool) -> _Slot:
    """What scoring needs of a slot's candidates: the letter's penalties over the part every letter shares."""
    key = tuple(cands)
    info = sc.memo.get(("slot", annotated, key))
    if info is None:
        info = _shared_slot(key)
        pen = tuple((i, v) for i in _may_pay(info, ctx, annotated) if (v := char_penalty(key[i], ctx, annotated)))
        if pen:
            info = dataclasses.replace(info, pen=pen)
        sc.memo[("slot", annotated, key)] = info
    return info


def _may_pay(info: _Slot, ctx: Ctx, annotated: bool) -> list[int]:
    """The indices, in order, of the only candidates char_penalty can charge: annotated elsewhere, of the wrong
    script, full-width letters and digits (every other candidate's penalty is 0)."""
    simp, trad, fw = info.scripts
    idx = {*fw, *(simp if ctx.trad else trad)}
    if not annotated and not ctx.annotated.isdisjoint(info.key):
        idx.update(i for i, c in enumerate(info.key) if c in ctx.annotated)
    return sorted(idx)


def _props(c: str) -> tuple:
    """(form, cost, lead byte, bigram form, in the unigram table, alnum, line end, digit, bracket, frame,
    simplified-only, traditional-only, full-width alnum) of a candidate character, once per process."""
    p = _PROPS.get(c)
    if p is None:
        f = lmform(c)
        fb = _bg_form(f)
        p = _PROPS[c] = (f, _char_cost(f, word_model()[0]), gbk().char2code[c][0], fb, fb in _bigrams().uni,
                         f.isascii() and f.isalnum(), f == "\n", bool(_HAS_DIGIT_RE.search(f)), c in BRACKETS,
                         f in _FRAME_CHARS, is_simp_only(c), is_trad_only(c), "\uff10" <= c <= "\uff5a" and c.isalnum())
    return p


def _shared_slot(key: tuple) -> _Slot:
    """The part of a slot's _Slot that depends only on its candidates and the shared tables, once per process."""
    global _SLOTS_SIZE
    info = _SLOTS.get(key)
    if info is not None:
        return info
    if _SLOTS_SIZE >= _SLOTS_MAX:  # bounded memory: start again (new slot numbers: rows are never mixed up)
        _SLOTS.clear()
        _SLOTS_SIZE = 0
    forms, costs, leads, bgf, in_uni, *flags = zip(*map(_props, key))
    alnum, newline, digit, brk, frame, simp, trad, fw = (tuple(compress(range(len(key)), f)) for f in flags)
    pos: dict = {}
    for i, f in enumerate(forms):
        pos.setdefault(f, []).append(i)
    bgpos: dict = {}
    for i, fb in enumerate(bgf):
        bgpos.setdefault(fb, []).append(i)
    info = _Slot(key, next(_SID_COUNT), forms, costs, pos, leads, (), alnum, newline, digit, brk, bgf, frame,
                 {f: ix[0] for f, ix in pos.items()},
                 None if len(pos) == len(forms) else tuple(sorted(ix[0] for ix in pos.values())),
                 bgpos, in_uni, tuple(pos[f][0] for f in forms), (simp, trad, fw))
    _SLOTS[key] = info
    _SLOTS_SIZE += len(key) + 1
    return info
