"""GBK byte-shift mojibake (REPAIR.md): detect, read every way the bytes allow, score, repair when sure.

The parts: ``detect`` (damage anchors), ``gbk`` (tables), ``candidates`` (readings of a run and the characters
of each slot), ``lm`` (the language model), ``score`` (the other scoring terms), ``search`` (beam and choice),
``weights`` (``core/data/repair_weights.toml``); ``accel``, ``fastrows`` and ``_fast.c``: the optional C
accelerator of the search (the same answers). This module is the driver, ``repair_byte_loss``.
Heavy data (jieba's dict.txt, pypinyin's reading table, OpenCC) is loaded only when a damage anchor exists.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from ...codes import WarningCode
from ...model import Repair, Unresolved, Warning
from ..pinyin import annotated_chars
from ..script import is_simp_only, is_trad_only
from .detect import anchors, has_damage_anchor, has_sign, sign_end, strong_sign, undamaged
from .gbk import simp
from .lm import Scorer
from .score import enumerators
from .search import Hyp, decide, solve
from .weights import weight

__all__ = ["repair_byte_loss", "repair_budget", "has_damage_anchor"]

_MARGIN = weight("choice", "margin")
_MAX_SOLVED = 400  # anchors solved per text; beyond it the rest are reported, not searched (bounded time)
_LINE_MAX = 300  # characters of the current line kept as context for brackets


_BUDGET_BASE = 5_000  # work units any letter may spend on repairs (about 1 s of CPU at most)
_BUDGET_PER_CHAR = 50  # and per character (damaged held-out letters use at most 28): bounded, linear in the text


def repair_budget(text: str) -> int:
    """Return the work units a letter of this length may spend on repairs (proportional to its length)."""
    return _BUDGET_BASE + _BUDGET_PER_CHAR * len(text)


def repair_byte_loss(
    text: str, *, min_confidence: float = 0.0, budget: int | None = None
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
    with _gc_paused():
        return _repair(text, min_confidence, budget)


@contextmanager
def _gc_paused():
    """The cyclic garbage collector off while a text is repaired (as it was after): the search makes many small
    containers, and each collection they trigger would walk the model's tables and caches again (~20 % of the
    repair's CPU). The repair makes no reference cycles to collect; reference counting frees its garbage."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _repair(text: str, min_confidence: float, budget: int | None):
    """repair_byte_loss for a text with a damage anchor."""
    found = anchors(text)
    clean = undamaged(text, found)
    sc = Scorer(simp(clean), frozenset(clean))  # the document cache; characters seen outside damage
    annotated, trad, enums = annotated_chars(text), _is_trad_text(clean), enumerators(text)
    run, solved_count = _Run(text), 0
    left = [repair_budget(text) if budget is None else budget]  # work units still to spend
    for i in found:
        if i < run.pos:
            continue
        run.copy_to(i)
        searched = has_sign(text, i) and solved_count < _MAX_SOLVED and left[0] >= 0
        solved_count += searched
        solved = solve(text, i, (sc, run.tail, annotated, trad, enums), left) if searched else None
        if left[0] < 0 and strong_sign(text, i) and not any(
                w.code == WarningCode.REPAIR_BUDGET_EXHAUSTED for w in run.warns):
            run.warns.append(_warn(WarningCode.REPAIR_BUDGET_EXHAUSTED, None, done=solved_count - 1,
                                   total=len(found)))
        if solved is None:
            run.unsolved(i)
        else:
            run.decided(i, *decide(*solved), min_confidence)
    return run.result()


@dataclass(slots=True)
class _Run:
    """The repaired text as it is written, anchor by anchor, and what was found on the way."""

    text: str
    out: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    warns: list[Warning] = field(default_factory=list)
    pos: int = 0  # next input offset to copy
    olen: int = 0  # length of the output so far
    tail: str = ""  # the last characters of the output (kept, not re-joined: linear)

    def copy_to(self, i: int) -> None:
        """Copy the input up to offset i unchanged."""
        self.out.append(self.text[self.pos:i])
        self.olen += i - self.pos
        self.tail = (self.tail + self.text[max(self.pos, i - _LINE_MAX):i])[-_LINE_MAX:]
        self.pos = i

    def unsolved(self, i: int) -> None:
        """No reading fits the anchor at i: report it when the damage is plain to see, else leave it."""
        if strong_sign(self.text, i):
            end = sign_end(self.text, i)
            self.unresolved.append(Unresolved(i, end, self.text[i:end], "no_hypothesis"))
            span = (self.olen, self.olen + end - i)
            self.warns.append(_warn(WarningCode.MOJIBAKE_UNRESOLVED, span, text=self.text[i:end]))

    def decided(self, i: int, best: Hyp, margin: float, conf: float, min_confidence: float) -> None:
        """Write the best reading of the anchor at i when it is clearly better than the text as it is."""
        if margin < _MARGIN:
            return
        damaged, repaired = self.text[i : best.end], best.xs + best.tail
        if conf < min_confidence:
            self.unresolved.append(Unresolved(i, best.end, damaged, "low_confidence"))
            span = (self.olen, self.olen + len(damaged))
            self.warns.append(_warn(WarningCode.MOJIBAKE_UNRESOLVED, span, text=damaged))
            return
        swallowed = {"char": best.tail, "confidence": round(best.tail_conf, 3)} if best.swallow else None
        self.repairs.append(Repair(i, best.end, damaged, repaired, round(conf, 4), swallowed))
        if conf < 0.5:
            self.warns.append(_warn(WarningCode.MOJIBAKE_LOW_CONFIDENCE, (self.olen, self.olen + len(repaired)),
                                    damaged=damaged, repaired=repaired, confidence=conf))
        if "□" in repaired:
            k = self.olen + repaired.index("□")
            self.warns.append(_warn(WarningCode.MOJIBAKE_LOST_DIGIT, (k, k + 1)))
        self.out.append(repaired)
        self.olen += len(repaired)
        self.tail = (self.tail + repaired)[-_LINE_MAX:]
        self.pos = best.end

    def result(self) -> tuple[str, tuple[Repair, ...], tuple[Unresolved, ...], tuple[Warning, ...]]:
        """Return the repaired text (the rest of the input copied) and the findings."""
        return (("".join(self.out) + self.text[self.pos:]), tuple(self.repairs), tuple(self.unresolved),
                tuple(self.warns))


def _is_trad_text(text: str) -> bool:
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"][:5000]
    return sum(map(is_trad_only, cjk)) > sum(map(is_simp_only, cjk))


def _warn(code: WarningCode, span: tuple[int, int], **kw) -> Warning:
    return Warning(code.value, code.template.format(**kw), span)
