"""The columns of the two tables (metrics, letters): one list that the CSVs, datapackage.json, the SQLite
schema and Datasette's metadata.json are all made from.

A column is (name, type, description, constraints). Types are Frictionless Table Schema types (string,
number, integer, date); an enumeration is a ``constraints.enum`` built from the StrEnums of ``dafu.codes``
(and, for ``category``, from the keyword lexicon), so a new value added there shows here too.
``start`` and ``end`` are SQL reserved words (DuckDB and PostgreSQL refuse them unquoted): the CSV columns
are ``span_start`` and ``span_end``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = [
    "Column", "METRICS", "LETTERS", "METRICS_COLUMNS", "LETTERS_COLUMNS", "enum_values",
    "category_values",
]

@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # Frictionless type: string | number | integer | date
    description: str
    required: bool = False
    enum: str | None = None  # the name of the value list (see enum_values)
    minimum: int | None = None


def _c(name: str, type: str, description: str, **kw: Any) -> Column:
    return Column(name, type, description, **kw)


_ID = "id of the letter: its input path relative to the folder given, without .txt, separators as __; " \
      "the record is letters/<letter_id>.json"

# The columns both tables start with (metrics.csv repeats them on every row of a letter).
_LETTER_HEAD: tuple[Column, ...] = (
    _c("letter_id", "string", _ID, required=True),
    _c("source_path", "string", "input file path as given on the command line"),
    _c("source_url", "string", "URL the letter's page was fetched from (--manifest or <letter>.meta.json); "
                               "empty when not given"),
    _c("fetched_at", "string", "when the page was fetched, ISO 8601 as given in the manifest or sidecar; "
                               "empty when not given"),
    _c("doc_type", "string", "reply_letter, meeting_report, notice or other", required=True, enum="doc_type"),
)

# Columns both tables have, in different places.
_ISSUER = _c("issuer", "string", "signing organization; empty when the letter does not name it")
_DATE = _c("date", "date", "date the letter was written (成文日期), ISO 8601; empty when not stated")
_DOC_NUMBER = _c("doc_number", "string", "document number (发文字号) as written, e.g. 清人社函〔2018〕192号")

METRICS: tuple[Column, ...] = (
    *_LETTER_HEAD,
    _ISSUER,
    _DATE,
    _DOC_NUMBER,
    _c("section", "string", "section path of the metric, e.g. 一/（二） or body/二是"),
    _c("label", "string", "the words that say what is counted"),
    _c("category", "string", "category from the keyword lexicon", enum="category"),
    _c("raw", "string", "the number exactly as written in the normalized text "
                        "(a leading ' marks a neutralised formula sign)", required=True),
    _c("value", "number", "value in the base unit: magnitudes applied (1.6万人次 -> 16000; money in 元 (CNY); "
                          "percent as percentage points: 34.9% -> 34.9; tenths in 成 as written: 三成 -> 3); "
                          "the low end of a range", required=True),
    _c("value_high", "number", "high end of a range (3至5个 -> 5), same unit as value; empty otherwise"),
    _c("unit", "string", "unit as written on the page, without the magnitude "
                         "(人次, 人, 家, 个 or 個, 元, %, 台(套) ...)"),
    _c("unit_kind", "string", "kind of unit", enum="unit_kind"),
    _c("qualifier", "string", "more_than, nearly, about, at_least, up_to; empty when exact", enum="qualifier"),
    _c("role", "string", "result (achieved or measured), target (a goal or plan) or standard (a rate, cap or "
                         "threshold of a policy); never sum a standard with results", enum="role"),
    _c("per", "string", "the base of a rate (每人每年, 人均 ...); empty for a total. A rate is never summed "
                        "with totals"),
    _c("period", "string", "time phrase that scopes the metric (2022年以来, 截至2024年4月底 ...)"),
    _c("section_kind", "string", "kind of the section the metric is in: opening, body, next_steps (下一步) "
                                 "or closing; empty outside the body", enum="section_kind"),
    _c("proposal_kind", "string", "kind of proposal the letter answers: 提案, 建议 or 议案 (traditional forms "
                                  "with --script traditional)", enum="proposal_kind"),
    _c("proposal_number", "string", "number of the proposal as written, e.g. 第1916号"),
    _c("sentence", "string", "the sentence the metric is in"),
    _c("span_start", "integer", "start offset of raw in the record's text, in characters (half-open span)",
       required=True, minimum=0),
    _c("span_end", "integer", "end offset (exclusive) of raw in the record's text, in characters",
       required=True, minimum=0),
)

LETTERS: tuple[Column, ...] = (
    *_LETTER_HEAD,
    _c("title", "string", "title line of the letter; empty when none was found"),
    _DOC_NUMBER,
    _ISSUER,
    _DATE,
    _c("category", "string", "answer category (答复类别) A, B or C when stated"),
    _c("proposal_kind", "string", "kind of proposal answered: 提案, 建议 or 议案", enum="proposal_kind"),
    _c("proposal_body", "string", "who filed it: 政协 (CPPCC) or 人大 (people's congress)"),
    _c("proposal_meeting", "string", "the meeting it was filed at, e.g. 广东省十四届人大二次会议"),
    _c("proposal_number", "string", "number of the proposal as written, e.g. 第1916号"),
    _c("proposal_title", "string", "title of the proposal"),
    _c("addressees", "string", "the addressees as written, joined by 、 (廖力嘉委员; 苏灿等代表)"),
    _c("metric_count", "integer", "number of metrics (rows of metrics.csv) of the letter", required=True, minimum=0),
    _c("warning_codes", "string", "distinct warning codes of the record, sorted, joined by ; (see core/codes.py)"),
)

METRICS_COLUMNS = tuple(c.name for c in METRICS)
LETTERS_COLUMNS = tuple(c.name for c in LETTERS)


@cache
def _builtin_categories() -> tuple[str, ...]:
    from .._data import data_text

    names = {line.split("\t")[1].strip() for line in data_text("categories.tsv").splitlines()
             if line.strip() and not line.startswith("#") and "\t" in line}
    return tuple(sorted(names | {"other"}))


@cache
def _proposal_kinds() -> tuple[str, ...]:
    """The kinds the record's JSON Schema allows (traditional forms too, for --script traditional)."""
    import json

    from .._data import data_text

    schema = json.loads(data_text("record.schema.json"))
    return tuple(k for k in schema["properties"]["proposal"]["oneOf"][1]["properties"]["kind"]["enum"] if k)


def category_values(lexicon: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """Return every category a metric can have: the built-in lexicon's, a user lexicon's, and other.

    >>> "training" in category_values() and "other" in category_values()
    True
    """
    return tuple(sorted(set(_builtin_categories()) | {c for _, c in lexicon}))


def enum_values(name: str, lexicon: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """Return the allowed values of the enumeration `name` (a Column.enum).

    >>> enum_values("section_kind")
    ('opening', 'body', 'next_steps', 'closing')
    """
    from .. import codes

    if name == "category":
        return category_values(lexicon)
    if name == "proposal_kind":
        return _proposal_kinds()
    kinds = {"doc_type": codes.DocType, "unit_kind": codes.UnitKind, "qualifier": codes.Qualifier,
             "section_kind": codes.SectionKind, "role": codes.Role}
    return tuple(str(v) for v in kinds[name])
