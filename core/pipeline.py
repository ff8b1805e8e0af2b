"""process(): one letter's text through normalize -> redact (optional) -> segment -> extract -> Record."""
from __future__ import annotations

import re
import traceback
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

from ._chars import PHONE
from .codes import WarningCode
from .model import SCHEMA_ID, Normalization, Normalized, Record, Segmented, Source, Warning
from .options import DEFAULT_OPTIONS, Options

__all__ = ["process", "redact", "redact_text", "REDACTED"]

REDACTED = "[redacted]"


def redact_text(text: str, names: tuple[str, ...]) -> tuple[str, Callable[[int], int]]:
    """Return text with the names and every phone number replaced by [redacted], and an offset map.

    The map moves an offset of the old text to the new one (an offset inside a replaced span goes to
    the start of its [redacted]).

    >>> redact_text("联系人：朱华，电话：0763-3362101", ("朱华",))[0]
    '联系人：[redacted]，电话：[redacted]'
    """
    words = "|".join(re.escape(n) for n in sorted({n for n in names if n}, key=len, reverse=True))
    pattern = re.compile(f"{words}|{PHONE.pattern}" if words else PHONE.pattern)
    pieces, old_starts, old_ends, new_starts, last, shift = [], [], [], [], 0, 0
    for m in pattern.finditer(text):
        pieces += [text[last:m.start()], REDACTED]
        old_starts.append(m.start())
        old_ends.append(m.end())
        new_starts.append(m.start() + shift)
        shift += len(REDACTED) - (m.end() - m.start())
        last = m.end()
    pieces.append(text[last:])

    def move(pos: int) -> int:
        k = bisect_right(old_starts, pos) - 1
        if k < 0:
            return pos
        if pos < old_ends[k]:
            return new_starts[k]
        return pos + new_starts[k] + len(REDACTED) - old_ends[k]

    return "".join(pieces), move


def redact(norm: Normalized) -> Normalized:
    """Return the normalized letter with the contact person's name and every phone number replaced.

    A named step of ``process`` between normalize and segment: the name is found without segmenting
    (``segment.contact_person``), so the letter is segmented once, already redacted. The normalization
    report's offsets are moved into the redacted text.
    """
    from .segment import contact_person

    try:
        person = contact_person(norm.text)
    except Exception:  # segment will report its own failure; redact the phone numbers at least
        person = None
    text, move = redact_text(norm.text, (person,) if person else ())
    return _moved_report(norm, text, move) if text != norm.text else norm


def _moved_report(norm: Normalized, text: str, move: Callable[[int], int]) -> Normalized:
    """Return the normalization report and warnings with their offsets moved into the redacted text."""
    report = norm.report
    repaired = tuple(replace(r, start=move(r.start), end=move(r.end), repaired=text[move(r.start):move(r.end)])
                     for r in report.mojibake_repaired)
    unresolved = tuple(replace(u, start=move(u.start), end=move(u.end), text=text[move(u.start):move(u.end)])
                       for u in report.mojibake_unresolved)
    warnings = tuple(replace(w, span=(move(w.span[0]), move(w.span[1]))) if w.span else w for w in norm.warnings)
    return replace(norm, text=text, report=replace(report, mojibake_repaired=repaired, mojibake_unresolved=unresolved),
                   warnings=warnings)


def process(text: str, *, options: Options = DEFAULT_OPTIONS, id: str = "-", source: Source | None = None) -> Record:
    """Return the Record of one letter; never raises on a string (problems become warnings).

    The steps: normalize, redact (with ``options.redact``), segment, extract; a step that fails on a
    bug becomes an ``internal_error`` warning and the letter goes on.
    """
    if not isinstance(text, str):
        raise TypeError("process() takes str; decode bytes first with dafu.read.decode()")
    norm = _safe_normalize(text, options)
    if options.redact:
        norm = redact(norm)
    seg = _safe_segment(norm.text, norm.metadata)
    metrics, cited, extract_warnings = _safe_extract(norm.text, seg, options)
    return _record(norm, seg, metrics, cited, extract_warnings, id=id, source=source)


def _record(norm: Normalized, seg: Segmented, metrics, cited, extract_warnings, *, id: str,
            source: Source | None) -> Record:
    """Return the Record assembled from the stages' results."""
    from .extract import find_organizations

    return Record(
        schema=SCHEMA_ID, id=id, source=source, doc_type=seg.doc_type, title=seg.title,
        doc_number=seg.doc_number, category=seg.category, signer=seg.signer, metadata=norm.metadata,
        proposal=seg.proposal, addressees=seg.addressees, issuer=seg.issuer, date=seg.date,
        contact=seg.contact, cc=seg.cc, sections=seg.sections, metrics=metrics, cited_documents=cited,
        organizations=find_organizations(seg, norm.metadata), normalization=norm.report,
        warnings=norm.warnings + seg.warnings + extract_warnings, text=norm.text,
    )


def _safe_normalize(text: str, options: Options) -> Normalized:
    from .normalize import normalize

    try:
        return normalize(text, options=options)
    except Exception as exc:  # a bug must not cost the letter: keep the raw text, say so
        return Normalized(text=text, report=Normalization(), warnings=(_internal("normalize", exc),))


def _safe_extract(text: str, seg: Segmented, options: Options):
    from .extract import extract

    try:
        return extract(text, seg, options=options)
    except Exception as exc:
        return (), (), (_internal("extract", exc),)


def _safe_segment(text: str, metadata) -> Segmented:
    from .segment import segment

    try:
        return segment(text, metadata=metadata)
    except Exception as exc:
        return Segmented(doc_type="other", warnings=(_internal("segment", exc),))


def _internal(stage: str, exc: Exception) -> Warning:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return Warning(
        code=WarningCode.INTERNAL_ERROR.value,
        message=(f"{stage} failed ({type(exc).__name__}: {exc} at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}); "
                 "please report it"),
        span=None,
    )
