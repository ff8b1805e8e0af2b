"""Warning codes and small enumerations shared by every stage.

| code                     | raised by  | meaning                                                        |
|--------------------------|------------|----------------------------------------------------------------|
| mojibake_unresolved      | normalize  | a span shows GBK byte-loss damage that could not be repaired    |
| mojibake_low_confidence  | normalize  | a repair was applied with confidence below 0.5                  |
| mojibake_lost_digit      | normalize  | a digit was swallowed by the damage; shown as □                 |
| repair_budget_exhausted  | normalize  | the repair's work budget for the letter ran out; the rest is left |
| decode_replaced          | read (cli) | bytes that could not be decoded stand as U+FFFD in the text     |
| doc_type_unsure          | segment    | the document type was decided on weak evidence                  |
| no_title                 | segment    | no title line was found                                         |
| no_signature             | segment    | no issuer or date was found at the end of the letter            |
| date_invalid             | segment    | a date-like phrase is not a valid calendar date                 |
| no_issuer                | segment    | a reply letter with a date but no issuing organisation          |
| no_date                  | segment    | a reply letter with an issuer but no date of its own            |
| no_proposal              | segment    | a reply letter that names no proposal number                    |
| date_ambiguous           | segment    | glued date digits (2009112) read more than one way: date null   |
| weak_evidence            | segment    | a header field taken from weaker evidence than the signature    |
| injected_text            | segment    | injected text (mirror name, spam, URL) kept out of a field      |
| truncated                | segment    | the text stops mid-sentence: the page was cut off               |
| metric_damaged           | extract    | a number overlaps damaged text and is not reported as a metric  |
| correction_stale         | corrections| a correction of the corrections file matches nothing here      |
| id_collision             | cli        | two inputs mapped to the same id; a suffix was added            |
| provenance_invalid       | cli        | the letter's .meta.json sidecar is unusable; url/fetched_at null |
| mirror_copy              | cli        | the letter is a copy of another letter (--dedupe): duplicate_of |
| internal_error           | any stage  | a stage failed on this text (a bug); the rest of the record stands |
"""
from __future__ import annotations

from enum import StrEnum

__all__ = ["WarningCode", "UnitKind", "Qualifier", "Role", "DocType", "SectionKind"]


class WarningCode(StrEnum):
    """A warning's stable code; `.template` is its message pattern."""

    MOJIBAKE_UNRESOLVED = "mojibake_unresolved"
    MOJIBAKE_LOW_CONFIDENCE = "mojibake_low_confidence"
    MOJIBAKE_LOST_DIGIT = "mojibake_lost_digit"
    REPAIR_BUDGET_EXHAUSTED = "repair_budget_exhausted"
    DECODE_REPLACED = "decode_replaced"
    DOC_TYPE_UNSURE = "doc_type_unsure"
    NO_TITLE = "no_title"
    NO_SIGNATURE = "no_signature"
    DATE_INVALID = "date_invalid"
    NO_ISSUER = "no_issuer"
    NO_DATE = "no_date"
    NO_PROPOSAL = "no_proposal"
    DATE_AMBIGUOUS = "date_ambiguous"
    WEAK_EVIDENCE = "weak_evidence"
    INJECTED_TEXT = "injected_text"
    TRUNCATED = "truncated"
    METRIC_DAMAGED = "metric_damaged"
    CORRECTION_STALE = "correction_stale"
    ID_COLLISION = "id_collision"
    PROVENANCE_INVALID = "provenance_invalid"
    MIRROR_COPY = "mirror_copy"
    INTERNAL_ERROR = "internal_error"

    @property
    def template(self) -> str:
        return _TEMPLATES[self]


_TEMPLATES = {
    WarningCode.MOJIBAKE_UNRESOLVED: "damaged text left as it is: {text!r}",
    WarningCode.MOJIBAKE_LOW_CONFIDENCE: "repair {damaged!r} -> {repaired!r} applied with confidence {confidence:.2f}",
    WarningCode.MOJIBAKE_LOST_DIGIT: "a digit was lost in damaged text and is shown as □",
    WarningCode.REPAIR_BUDGET_EXHAUSTED: ("repair work budget for this letter used up after {done} of {total} "
                                          "damaged places; the rest is left as it is"),
    WarningCode.DECODE_REPLACED: "{count} undecodable byte(s) or character(s) replaced by U+FFFD",
    WarningCode.DOC_TYPE_UNSURE: "document type {doc_type} decided on weak evidence: {evidence}",
    WarningCode.NO_TITLE: "no title line found",
    WarningCode.NO_SIGNATURE: "no signature block (issuer and date) found",
    WarningCode.DATE_INVALID: "not a valid date: {text!r}",
    WarningCode.NO_ISSUER: "reply letter without an issuing organisation",
    WarningCode.NO_DATE: "reply letter without a date of its own",
    WarningCode.NO_PROPOSAL: "reply letter that names no proposal number",
    WarningCode.DATE_AMBIGUOUS: "date digits {text!r} can be read more than one way; date left null",
    WarningCode.WEAK_EVIDENCE: "{field} taken from weaker evidence: {source}",
    WarningCode.INJECTED_TEXT: "injected text kept out of {field}: {text!r}",
    WarningCode.TRUNCATED: "the text stops mid-sentence: {text!r}",
    WarningCode.METRIC_DAMAGED: "number {raw!r} overlaps damaged text; not reported as a metric",
    WarningCode.CORRECTION_STALE: "correction not applied ({what}): {why}",
    WarningCode.ID_COLLISION: "id {id!r} already used; this letter is {new_id!r}",
    WarningCode.PROVENANCE_INVALID: "provenance not read: {reason}",
    WarningCode.MIRROR_COPY: "a copy of letter {canonical!r} ({how}); its metrics are counted there",
    WarningCode.INTERNAL_ERROR: "{stage} failed ({error}); please report it",
}


class UnitKind(StrEnum):
    PERSON_TIMES = "person_times"
    PERSONS = "persons"
    ORGANIZATIONS = "organizations"
    ITEMS = "items"
    MONEY_CNY = "money_cny"
    PERCENT = "percent"
    PERCENTAGE_POINT = "percentage_point"  # 个百分点: a difference of percentages, not a percentage
    RATIO = "ratio"
    MEASURE = "measure"  # 公里, 米, 亩, 公顷, 平方米, 吨, 立方米, 千瓦
    OTHER = "other"


class Qualifier(StrEnum):
    MORE_THAN = "more_than"
    NEARLY = "nearly"
    ABOUT = "about"
    AT_LEAST = "at_least"
    UP_TO = "up_to"


class Role(StrEnum):
    RESULT = "result"  # achieved or measured
    TARGET = "target"  # a goal, plan or commitment
    STANDARD = "standard"  # a rate, cap or threshold of a policy


class DocType(StrEnum):
    REPLY_LETTER = "reply_letter"
    MEETING_REPORT = "meeting_report"
    NOTICE = "notice"
    OTHER = "other"


class SectionKind(StrEnum):
    OPENING = "opening"
    BODY = "body"
    NEXT_STEPS = "next_steps"
    CLOSING = "closing"
