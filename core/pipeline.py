"""process(): one letter's text through normalize -> segment -> extract -> Record."""
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

__all__ = ["process", "redact_text", "REDACTED"]

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
    """Return the Record of one letter; never raises on a string (problems become warnings)."""
    from .extract import extract, find_organizations
    from .normalize import normalize
    from .segment import segment

    if not isinstance(text, str):
        raise TypeError("process() takes str; decode bytes first with dafu.read.decode()")
    try:
        norm = normalize(text, options=options)
    except Exception as exc:  # a bug must not cost the letter: keep the raw text, say so
        norm = Normalized(text=text, report=Normalization(), warnings=(_internal("normalize", exc),))
    body = norm.text
    seg = _safe_segment(segment, body, norm.metadata)
    if options.redact:
        body, move = redact_text(body, (seg.contact.person,) if seg.contact and seg.contact.person else ())
        if body != norm.text:
            norm = _moved_report(norm, body, move)
            seg = _safe_segment(segment, body, norm.metadata)
    try:
        metrics, cited, extract_warnings = extract(body, seg, options=options)
    except Exception as exc:
        metrics, cited, extract_warnings = (), (), (_internal("extract", exc),)
    return Record(
        schema=SCHEMA_ID, id=id, source=source, doc_type=seg.doc_type, title=seg.title,
        doc_number=seg.doc_number, category=seg.category, signer=seg.signer, metadata=norm.metadata,
        proposal=seg.proposal, addressees=seg.addressees, issuer=seg.issuer, date=seg.date,
        contact=seg.contact, cc=seg.cc, sections=seg.sections, metrics=metrics, cited_documents=cited,
        organizations=find_organizations(seg, norm.metadata), normalization=norm.report,
        warnings=norm.warnings + seg.warnings + extract_warnings, text=body,
    )


def _safe_segment(segment, text: str, metadata) -> Segmented:
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
