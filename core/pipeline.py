"""process(): one letter's text through normalize -> segment -> extract -> Record."""
from __future__ import annotations

import re
import traceback

from .codes import WarningCode
from .model import SCHEMA_ID, Normalization, Normalized, Record, Segmented, Source, Warning
from .options import DEFAULT_OPTIONS, Options

__all__ = ["process", "redact_text", "REDACTED"]

REDACTED = "[redacted]"
_PHONE = re.compile(r"(?<![0-9])(?:0\d{2,3}-?)?\d{7,8}(?![0-9])|(?<![0-9])1[3-9]\d{9}(?![0-9])")


def redact_text(text: str, names: tuple[str, ...]) -> str:
    """Return text with the given names and every phone number replaced by [redacted].

    >>> redact_text("联系人：朱华，电话：0763-3362101", ("朱华",))
    '联系人：[redacted]，电话：[redacted]'
    """
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = text.replace(name, REDACTED)
    return _PHONE.sub(REDACTED, text)


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
    if options.redact and seg.contact and (seg.contact.person or seg.contact.phones):
        body = redact_text(body, (seg.contact.person,) if seg.contact.person else ())
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
        message=f"{stage} failed ({type(exc).__name__}: {exc} at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}); please report it",
        span=None,
    )
