"""The values that flow through the pipeline: frozen dataclasses holding tuples.

Every offset is a half-open ``Span`` ``(start, end)`` in characters of the normalized text,
so that ``text[start:end] == raw`` for every extracted value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

__all__ = [
    "Span", "Warning", "Quantity", "Metric", "Section", "DocNumber", "Proposal", "Addressee",
    "Contact", "CitedDocument", "Extracted", "Repair", "Unresolved", "Normalization", "Normalized", "Segmented",
    "Source", "Record", "AppliedCorrection", "SCHEMA_ID",
]

SCHEMA_ID = "dafu.letter/1"

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Warning:
    code: str
    message: str
    span: Span | None = None


# ---------------------------------------------------------------- normalize
@dataclass(frozen=True, slots=True)
class Repair:
    """One repaired span of GBK byte-loss damage (offsets into the text the repair step saw)."""

    start: int
    end: int
    damaged: str
    repaired: str
    confidence: float
    swallowed_byte: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Unresolved:
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Normalization:
    script_in: str = "simplified"  # simplified | traditional | mixed | none
    script_out: str = "simplified"
    pinyin_annotations_removed: int = 0
    mojibake_repaired: tuple[Repair, ...] = ()
    mojibake_unresolved: tuple[Unresolved, ...] = ()
    debris_removed: tuple[str, ...] = ()
    steps: tuple[tuple[str, int], ...] = ()  # (step name, changes) for each step that changed the text


@dataclass(frozen=True, slots=True)
class Normalized:
    """The normalized text, the metadata lifted from debris rows, and the report."""

    text: str
    metadata: tuple[tuple[str, str], ...] = ()
    report: Normalization = Normalization()
    warnings: tuple[Warning, ...] = ()
    # The same text in the page's own script and punctuation marks, character for character, when normalize changed
    # either (a traditional page converted to simplified; 各县(市、区) given full-width brackets): a metric's unit
    # and the names copied from the page are taken from it, as written (DESIGN §3.4).
    as_written: str | None = None


# ---------------------------------------------------------------- segment
@dataclass(frozen=True, slots=True)
class DocNumber:
    raw: str
    issuer_code: str
    year: int
    serial: int
    span: Span | None  # None when taken from the page's metadata (文号), not from the text


@dataclass(frozen=True, slots=True)
class Proposal:
    kind: str | None  # 提案 | 建议 | 议案
    body: str | None  # 政协 | 人大
    meeting: str | None
    number: str | None  # as written: 第20180218号
    title: str | None
    span: Span | None


@dataclass(frozen=True, slots=True)
class Addressee:
    name: str
    role: str | None
    and_others: bool
    span: Span


@dataclass(frozen=True, slots=True)
class Contact:
    person: str | None
    unit: str | None
    phones: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Section:
    kind: str  # SectionKind
    level: int  # 0 for opening/closing/unmarked body, 1..4 for 一、 （一） 1. （1）, 5 for 一是/第一
    marker: str | None
    heading: str | None
    path: str  # 一/（二）
    span: Span
    children: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class Segmented:
    """What segment() finds: header, addressees, body tree, signature block, sentences."""

    doc_type: str
    title: str | None = None
    doc_number: DocNumber | None = None
    category: str | None = None
    signer: str | None = None
    proposal: Proposal | None = None
    addressees: tuple[Addressee, ...] = ()
    issuer: str | None = None
    date: str | None = None
    contact: Contact | None = None
    cc: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    sentences: tuple[Span, ...] = ()
    warnings: tuple[Warning, ...] = ()


# ---------------------------------------------------------------- extract
@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit as found in text, metric or not."""

    raw: str
    value: float | int
    value_high: float | int | None
    unit: str | None
    unit_kind: str | None
    qualifier: str | None
    span: Span
    is_metric: bool
    reason: str | None = None  # why it is not a metric: year, date, doc_number, ordinal, ...
    label: str | None = None  # what the reading itself says is counted (a table's row and column names)


@dataclass(frozen=True, slots=True)
class Metric:
    raw: str
    value: float | int
    value_high: float | int | None
    unit: str
    unit_kind: str
    qualifier: str | None
    label: str | None
    category: str
    period: str | None
    per: str | None
    section: str | None
    sentence: str
    span: Span
    role: str = "result"  # result (achieved or measured), target (a goal or plan), standard (a rate, cap or threshold)


@dataclass(frozen=True, slots=True)
class CitedDocument:
    title: str
    doc_number: str | None
    span: Span


class Extracted(NamedTuple):
    """What extract() finds: a named tuple, so ``metrics, cited, warnings = extract(...)`` still unpacks."""

    metrics: tuple[Metric, ...]
    cited: tuple[CitedDocument, ...]
    warnings: tuple[Warning, ...]


# ---------------------------------------------------------------- corrections
@dataclass(frozen=True, slots=True)
class AppliedCorrection:
    """A person's correction as applied to this record (core/corrections.py): what it changed."""

    action: str  # drop | change | add | header
    raw: str | None = None
    start: int | None = None
    end: int | None = None
    field: str | None = None
    before: tuple[tuple[str, Any], ...] | None = None
    after: tuple[tuple[str, Any], ...] | None = None
    note: str | None = None


# ---------------------------------------------------------------- record
@dataclass(frozen=True, slots=True)
class Source:
    path: str
    sha256: str
    bytes: int
    encoding: str
    encoding_confidence: float
    url: str | None = None  # where the page was fetched from (--manifest or <letter>.meta.json)
    fetched_at: str | None = None  # when, ISO 8601 as given
    site: str | None = None  # the site's name as given


@dataclass(frozen=True, slots=True)
class Record:
    """One letter, fully processed. Fields follow DESIGN §4 in order."""

    schema: str
    id: str
    source: Source | None
    # the canonical copy's id when this letter is a mirror copy (--dedupe); keyword-only, so it can sit here
    duplicate_of: str | None = field(default=None, kw_only=True)
    doc_type: str
    title: str | None
    doc_number: DocNumber | None
    category: str | None
    signer: str | None
    metadata: tuple[tuple[str, str], ...]
    proposal: Proposal | None
    addressees: tuple[Addressee, ...]
    issuer: str | None
    date: str | None
    contact: Contact | None
    cc: tuple[str, ...]
    sections: tuple[Section, ...]
    metrics: tuple[Metric, ...]
    cited_documents: tuple[CitedDocument, ...]
    organizations: tuple[str, ...]
    normalization: Normalization
    warnings: tuple[Warning, ...]
    text: str
    corrections: tuple[AppliedCorrection, ...] = ()  # written before `warnings` in the JSON record

    if TYPE_CHECKING:  # given by dafu.output at import (serialising is output's job; model imports no stage)
        def to_dict(self) -> dict[str, Any]: ...

        def to_json(self) -> str: ...
