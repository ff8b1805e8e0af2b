"""Normalize: decoded letter text -> clean text in one script, with a report of every change.

``STEPS`` is the one ordered table of steps that ``normalize()`` walks: debris lines, byte-loss repair,
debris again (a restored line break can make a line of page furniture), pinyin annotations, script
conversion (OpenCC), then Unicode, spacing and punctuation. Each step that changed something is recorded
with its name and count. Offsets of repairs are carried through the later steps, so they index the final text.

The steps live in ``debris``, ``repair/``, ``pinyin``, ``script`` and ``tidy``; ``offsets`` moves spans.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..model import Normalization, Normalized, Repair, Unresolved, Warning
from ..options import DEFAULT_OPTIONS, Options
from .offsets import carry, input_to_output, moved, remap, repair_spans_in_output
from .script import count_changes, detect_script, has_cjk, script_of, to_script
from .tidy import tidy_punctuation, tidy_spaces, unify_doc_brackets, unify_forms
from .wraps import join_hard_wraps

__all__ = [
    "normalize", "STEPS", "to_script", "detect_script", "tidy_spaces", "tidy_punctuation", "unify_forms",
    "unify_doc_brackets",
]


@dataclass(slots=True)
class _Work:
    """The text on its way through the steps, and what the steps found (spans index the current text)."""

    text: str
    options: Options
    steps: list[tuple[str, int]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # repairs, then unresolved, then warnings
    debris: tuple[str, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    repairs: tuple[Repair, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    warns: tuple[Warning, ...] = ()
    n_pinyin: int = 0
    script_in: str = "none"
    as_written: str | None = None  # the text in the page's script and marks, once a step changed either

    def set_text(self, new: str) -> None:
        """Replace the text by a copy of it with characters deleted (or changed in place), moving the spans."""
        if len(new) != len(self.text):
            self.spans = remap(self.spans, self.text, new)
        if self.as_written is not None:
            self.as_written = carry(self.as_written, self.text, new)
        self.text = new


def _drop_debris(w: _Work) -> int:
    from .debris import drop_debris_lines

    w.text, debris, metadata = drop_debris_lines(w.text)
    w.debris, w.metadata = tuple(debris), tuple(metadata)
    return len(debris)


def _repair(w: _Work) -> int:
    if "?" not in w.text:
        return 0  # every damage anchor is a '?': the repair module is not even imported
    from .repair import has_damage_anchor, repair_byte_loss

    if has_damage_anchor(w.text):
        w.text, w.repairs, w.unresolved, w.warns = repair_byte_loss(
            w.text, min_confidence=w.options.repair_min_confidence)
    w.spans = repair_spans_in_output(w.repairs) + [input_to_output(u.start, u.end, w.repairs) for u in w.unresolved]
    w.spans += [x.span for x in w.warns if x.span]
    return len(w.repairs)


def _drop_debris_after_repair(w: _Work) -> int:
    if not w.repairs:
        return 0
    from .debris import drop_debris_lines

    cleaned, debris, metadata = drop_debris_lines(w.text)
    if debris:
        w.set_text(cleaned)
        w.debris, w.metadata = w.debris + tuple(debris), w.metadata + tuple(metadata)
    return len(debris)


def _strip_pinyin(w: _Work) -> int:
    from .pinyin import strip_pinyin

    stripped, w.n_pinyin = strip_pinyin(w.text)
    w.set_text(stripped)
    return w.n_pinyin


def _to_script(w: _Work) -> int:
    text, script = w.text, w.options.script
    simplified = to_script(text, "simplified")
    trad = count_changes(text, simplified)  # counted once: the script and the step both need it
    w.script_in = script_of(text, trad) if has_cjk(text) else "none"
    converted = simplified if script == "simplified" else to_script(text, script)
    if converted == text:
        return 0
    w.text, w.as_written = converted, text  # length-preserving
    return trad if converted is simplified else count_changes(text, converted)


def _tidy_punctuation(w: _Work) -> int:
    """Marks made full-width beside Chinese text (length-preserving); the page-script copy keeps the page's own
    marks, so a name copied from the page is as written: 各县(市、区)人民政府 with its ASCII brackets."""
    out = tidy_punctuation(w.text)
    if out == w.text:
        return 0
    if w.as_written is None:
        w.as_written = w.text
    changes = count_changes(w.text, out)
    w.text = out
    return changes


def _plain(step: Callable[[str], str]) -> Callable[[_Work], int]:
    """Return a step of the table made from a ``str -> str`` function."""

    def run(w: _Work) -> int:
        out = step(w.text)
        if out == w.text:
            return 0
        changes = count_changes(w.text, out)
        w.set_text(out)
        return changes

    return run


STEPS: tuple[tuple[str, Callable[[_Work], int]], ...] = (
    ("drop_debris_lines", _drop_debris),
    ("join_hard_wraps", _plain(join_hard_wraps)),
    ("repair_byte_loss", _repair),
    ("drop_debris_lines", _drop_debris_after_repair),
    ("strip_pinyin", _strip_pinyin),
    ("to_script", _to_script),
    ("unify_forms", _plain(unify_forms)),
    ("tidy_spaces", _plain(tidy_spaces)),
    ("tidy_punctuation", _tidy_punctuation),
    ("unify_doc_brackets", _plain(unify_doc_brackets)),
)
"""The steps of normalize, in order: (name recorded in the report, step)."""


def normalize(text: str, *, options: Options = DEFAULT_OPTIONS) -> Normalized:
    """Return the normalized letter, the metadata lifted from page furniture, and the report.

    >>> normalize("當前位置：首頁 > 建議提案\\n關(guān)於技能培訓的答復(fù)\\n收悉,現答復如下:").text
    '关于技能培训的答复\\n收悉，现答复如下：'
    """
    if not isinstance(text, str):
        raise TypeError("normalize() takes str; decode bytes first with dafu.read.decode()")
    w = _Work(text.replace("\r\n", "\n").replace("\r", "\n"), options)
    for name, step in STEPS:
        changes = step(w)
        if changes:
            w.steps.append((name, changes))
    return _normalized(w)


def _normalized(w: _Work) -> Normalized:
    """Return the result of the walk: final text, metadata, report, warnings with final offsets."""
    n_rep, n_unres, text = len(w.repairs), len(w.unresolved), w.text
    report = Normalization(
        script_in=w.script_in,
        script_out=w.script_in if w.options.script == "keep" else w.options.script,
        pinyin_annotations_removed=w.n_pinyin,
        mojibake_repaired=tuple(moved(r, s, text) for r, s in zip(w.repairs, w.spans)),
        mojibake_unresolved=tuple(moved(u, s, text) for u, s in zip(w.unresolved, w.spans[n_rep:])),
        debris_removed=w.debris,
        steps=tuple(w.steps),
    )
    warnings = tuple(replace(x, span=s) for x, s in zip(w.warns, w.spans[n_rep + n_unres:]))
    return Normalized(text=text, metadata=w.metadata, report=report, warnings=warnings, as_written=w.as_written)
