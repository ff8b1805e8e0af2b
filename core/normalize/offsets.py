"""Offsets through the steps of normalize: a span of one step's input moved into its output."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from ..model import Repair

__all__ = ["Deletions", "remap", "carry", "moved", "repair_spans_in_output", "input_to_output"]


class Deletions:
    """Where a step deleted characters, so that offsets before it can be mapped after it."""

    def __init__(self, before: str, after: str) -> None:
        self.starts: list[int] = []  # start of each deleted run, in `before` coordinates
        self.ends: list[int] = []
        self.shift: list[int] = []  # characters deleted up to and including each run
        i = j = total = 0
        while i < len(before):
            if j < len(after) and before[i] == after[j]:
                i += 1
                j += 1
                continue
            start = i
            while i < len(before) and (j >= len(after) or before[i] != after[j]):
                i += 1
            total += i - start
            self.starts.append(start)
            self.ends.append(i)
            self.shift.append(total)

    def map(self, pos: int) -> int:
        k = bisect_right(self.starts, pos) - 1
        if k < 0:
            return pos
        if pos < self.ends[k]:  # inside a deleted run: snap to its start
            return self.starts[k] - (self.shift[k] - (self.ends[k] - self.starts[k]))
        return pos - self.shift[k]


def repair_spans_in_output(repairs: tuple[Repair, ...]) -> list[tuple[int, int]]:
    """Return where each repaired text stands in the repair step's output."""
    spans, delta = [], 0
    for r in repairs:
        start = r.start + delta
        spans.append((start, start + len(r.repaired)))
        delta += len(r.repaired) - (r.end - r.start)
    return spans


def input_to_output(start: int, end: int, repairs: tuple[Repair, ...]) -> tuple[int, int]:
    """Move a span of the repair step's input past the length changes of the repairs before it."""
    shift = sum(len(r.repaired) - (r.end - r.start) for r in repairs if r.end <= start)
    return start + shift, end + shift


def remap(spans: list[tuple[int, int]], before: str, after: str) -> list[tuple[int, int]]:
    """Return the spans moved from ``before`` to ``after`` (a copy of it with characters deleted)."""
    if not spans:
        return spans  # nothing to move: skip the character walk
    dels = Deletions(before, after)
    return [(dels.map(a), max(dels.map(a), dels.map(b))) for a, b in spans]


def carry(written: str, before: str, after: str) -> str | None:
    """Return ``written`` (``before`` in another script, character for character) changed as ``after`` changed
    ``before``: the same characters deleted, a character changed in place taken from ``after``. None when the
    two cannot be lined up."""
    if len(after) == len(before):
        return "".join(w if b == a else a for w, b, a in zip(written, before, after))
    out, j = [], 0
    for w, b in zip(written, before):
        if j < len(after) and b == after[j]:
            out.append(w)
            j += 1
    return "".join(out) if j == len(after) else None


def moved(item, span: tuple[int, int], text: str):
    """Return the repair or unresolved span moved to final-text offsets (shown text updated)."""
    if isinstance(item, Repair):
        return replace(item, start=span[0], end=span[1], repaired=text[span[0]:span[1]])
    return replace(item, start=span[0], end=span[1], text=text[span[0]:span[1]])
