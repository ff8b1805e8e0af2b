"""process(): one letter's text through normalize -> redact (optional) -> segment -> extract -> Record."""
from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import replace

from .codes import WarningCode
from .model import SCHEMA_ID, Extracted, Normalization, Normalized, Record, Segmented, Source, Warning
from .options import DEFAULT_OPTIONS, Options

__all__ = ["process", "redact", "redact_text", "REDACTED"]  # noqa: F822 (REDACTED: from __getattr__)


def __getattr__(name: str):
    """REDACTED from ``core/redact.py``, whose patterns are compiled only when a letter is redacted (--redact)."""
    if name == "REDACTED":
        from .redact import REDACTED

        return REDACTED
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def redact_text(text: str, names: tuple[str, ...]) -> tuple[str, Callable[[int], int]]:
    """Return text with contact names, phone numbers and e-mail addresses as [redacted], and an offset map.

    The names of every contact line are found in the text (``core/redact.py``); ``names`` adds more.

    >>> redact_text("联系人：朱华，电话：0763-3362101", ("朱华",))[0]
    '联系人：[redacted]，电话：[redacted]'
    """
    from .redact import redact as redact_spans

    return redact_spans(text, names)


def redact(norm: Normalized) -> Normalized:
    """Return the normalized letter with the contact person's name and every phone number replaced.

    A named step of ``process`` between normalize and segment: the name is found without segmenting
    (``segment.contact_person``), so the letter is segmented once, already redacted. The normalization
    report's offsets are moved into the redacted text.
    """
    from .redact import contact_names
    from .segment import contact_person

    try:
        person = contact_person(norm.text)
    except Exception:  # segment will report its own failure; redact the phone numbers at least
        person = None
    names = ((person,) if person else ()) + contact_names(norm.text)
    text, move = redact_text(norm.text, names)
    norm = _redact_aside(norm, names)
    return _moved_report(norm, text, move) if text != norm.text else norm


def _redact_aside(norm: Normalized, names: tuple[str, ...]) -> Normalized:
    """Return `norm` with the metadata values and removed debris lines redacted too (they are in the record)."""
    from .redact import redact_plain

    metadata = tuple((k, redact_plain(v, names)) for k, v in norm.metadata)
    debris = tuple(redact_plain(line, names) for line in norm.report.debris_removed)
    return replace(norm, metadata=metadata, report=replace(norm.report, debris_removed=debris))


def _moved_report(norm: Normalized, text: str, move: Callable[[int], int]) -> Normalized:
    """Return the normalization report and warnings with their offsets moved into the redacted text."""
    report = norm.report
    repaired = tuple(replace(r, start=move(r.start), end=move(r.end), repaired=text[move(r.start):move(r.end)])
                     for r in report.mojibake_repaired)
    unresolved = tuple(replace(u, start=move(u.start), end=move(u.end), text=text[move(u.start):move(u.end)])
                       for u in report.mojibake_unresolved)
    warnings = tuple(replace(w, span=(move(w.span[0]), move(w.span[1]))) if w.span else w for w in norm.warnings)
    return replace(norm, text=text, as_written=_moved_written(norm, text, move),
                   report=replace(report, mojibake_repaired=repaired, mojibake_unresolved=unresolved),
                   warnings=warnings)


def _moved_written(norm: Normalized, text: str, move: Callable[[int], int]) -> str | None:
    """Return the page-script text redacted as ``text`` is: kept characters from it, the rest from ``text``."""
    if norm.as_written is None:
        return None
    out = list(text)
    for i, (old, written) in enumerate(zip(norm.text, norm.as_written)):
        j = move(i)
        if j < len(out) and out[j] == old:
            out[j] = written
    return "".join(out)


def process(text: str, *, options: Options = DEFAULT_OPTIONS, id: str = "-", source: Source | None = None,
            page_metadata: tuple[tuple[str, str], ...] = ()) -> Record:
    """Return the Record of one letter; never raises on a string (problems become warnings).

    ``page_metadata`` (a web page's own ``page_*`` pairs, ``Decoded.metadata``) is added to the record's
    metadata after segmentation: it never becomes the letter's title, date or issuer.

    The steps: normalize, redact (with ``options.redact``), segment, extract, corrections (with
    ``options.corrections``); a step that fails on a bug becomes an ``internal_error`` warning and the
    letter goes on.
    """
    if not isinstance(text, str):
        raise TypeError("process() takes str; decode bytes first with dafu.read.decode()")
    norm = _safe_normalize(text, options)
    if options.redact:
        norm = redact(norm)
    seg = _safe_segment(norm.text, norm.metadata, norm.as_written)
    found = _safe_extract(norm.text, seg, options, norm.as_written)
    record = _record(norm, seg, found, id=id, source=source, page_metadata=page_metadata)
    return _corrected(record, options)


def _record(norm: Normalized, seg: Segmented, found: Extracted, *, id: str,
            source: Source | None, page_metadata: tuple[tuple[str, str], ...] = ()) -> Record:
    """Return the Record assembled from the stages' results."""
    from .extract import find_organizations

    return Record(
        schema=SCHEMA_ID, id=id, source=source, doc_type=seg.doc_type, title=seg.title,
        doc_number=seg.doc_number, category=seg.category, signer=seg.signer,
        metadata=norm.metadata + tuple(p for p in page_metadata if p[0] not in dict(norm.metadata)),
        proposal=seg.proposal, addressees=seg.addressees, issuer=seg.issuer, date=seg.date,
        contact=seg.contact, cc=seg.cc, sections=seg.sections, metrics=found.metrics, cited_documents=found.cited,
        organizations=find_organizations(seg, norm.metadata), normalization=norm.report,
        warnings=norm.warnings + seg.warnings + found.warnings, text=norm.text,
    )


def _corrected(record: Record, options: Options) -> Record:
    """Return the record with the person's corrections for its id applied (step `corrections`)."""
    if not options.corrections:
        return record
    from .corrections import apply_corrections

    try:
        return apply_corrections(record, options.corrections.for_letter(record.id))
    except Exception as exc:
        return replace(record, warnings=record.warnings + (_internal("corrections", exc),))


def _safe_normalize(text: str, options: Options) -> Normalized:
    from .normalize import normalize

    try:
        return normalize(text, options=options)
    except Exception as exc:  # a bug must not cost the letter: keep the raw text, say so
        return Normalized(text=text, report=Normalization(), warnings=(_internal("normalize", exc),))


def _safe_extract(text: str, seg: Segmented, options: Options, as_written: str | None) -> Extracted:
    from .extract import extract

    try:
        return extract(text, seg, options=options, as_written=as_written)
    except Exception as exc:
        return Extracted((), (), (_internal("extract", exc),))


def _safe_segment(text: str, metadata, written: str | None) -> Segmented:
    from .segment import segment

    try:
        return segment(text, metadata=metadata, written=written)
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
