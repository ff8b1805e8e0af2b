"""Record -> JSON bytes, dict, CSV rows (metrics.csv; letters.csv in .tables); the shipped JSON Schema of the record.

The columns of both CSVs are listed once, with their types and descriptions, in .columns.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from .._data import data_text
from ..model import (
    Addressee,
    AppliedCorrection,
    CitedDocument,
    Metric,
    Normalization,
    Record,
    Section,
    Span,
    Warning,
)
from .columns import METRICS_COLUMNS

__all__ = [
    "record_to_dict", "record_to_json", "csv_rows", "csv_rows_from_dict", "CSV_COLUMNS", "json_schema",
    "neutralise_cell", "section_kinds",
]

# DESIGN §5's order; start/end are span_start/span_end (SQL reserved words). See .columns.
CSV_COLUMNS = METRICS_COLUMNS


def _plain(value: Any) -> Any:
    """Return a JSON-ready copy of a dataclass tree: tuples to lists, whole floats to ints."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return _num(value)


def _num(value: Any) -> Any:
    """Return a whole float as an int (16000.0 -> 16000); any other value as it is."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # exact below 2**53; larger stays a float for JSON readers
    return value


def _span(span: Span | None) -> list[int] | None:
    return None if span is None else [_num(span[0]), _num(span[1])]


# Direct builders for the parts every record has many of (the generic _plain walk cost ~0.2 ms a
# letter); the rare parts still go through _plain. A test checks both give the same dict.
def _section(s: Section) -> dict[str, Any]:
    return {"kind": s.kind, "level": _num(s.level), "marker": s.marker, "heading": s.heading, "path": s.path,
            "span": _span(s.span), "children": [_section(c) for c in s.children]}


def _metric(m: Metric) -> dict[str, Any]:
    return {"raw": m.raw, "value": _num(m.value), "value_high": _num(m.value_high), "unit": m.unit,
            "unit_kind": m.unit_kind, "qualifier": m.qualifier, "label": m.label, "category": m.category,
            "period": m.period, "per": m.per, "section": m.section, "sentence": m.sentence, "span": _span(m.span),
            "role": m.role}


def _warning(w: Warning) -> dict[str, Any]:
    return {"code": w.code, "message": w.message, "span": _span(w.span)}


def _cited(c: CitedDocument) -> dict[str, Any]:
    return {"title": c.title, "doc_number": c.doc_number, "span": _span(c.span)}


def _addressee(a: Addressee) -> dict[str, Any]:
    return {"name": a.name, "role": a.role, "and_others": a.and_others, "span": _span(a.span)}


def _normalization(n: Normalization) -> dict[str, Any]:
    return {"script_in": n.script_in, "script_out": n.script_out,
            "pinyin_annotations_removed": _num(n.pinyin_annotations_removed),
            "mojibake_repaired": _plain(n.mojibake_repaired), "mojibake_unresolved": _plain(n.mojibake_unresolved),
            "debris_removed": list(n.debris_removed),
            "steps": [{"name": name, "changes": changes} for name, changes in n.steps]}


def _correction(c: AppliedCorrection) -> dict[str, Any]:
    def values(pairs):
        return None if pairs is None else {k: _num(v) for k, v in pairs}

    return {"action": c.action, "raw": c.raw, "start": c.start, "end": c.end, "field": c.field,
            "before": values(c.before), "after": values(c.after), "note": c.note}


def record_to_dict(record: Record) -> dict[str, Any]:
    """Return the record as a dict with the keys of DESIGN §4 in order."""
    r = record
    return {
        "schema": r.schema, "id": r.id, "source": _plain(r.source), "duplicate_of": r.duplicate_of,
        "doc_type": r.doc_type, "title": r.title,
        "doc_number": _plain(r.doc_number), "category": r.category, "signer": r.signer,
        "metadata": dict(r.metadata), "proposal": _plain(r.proposal),
        "addressees": [_addressee(a) for a in r.addressees], "issuer": r.issuer, "date": r.date,
        "contact": _plain(r.contact), "cc": list(r.cc), "sections": [_section(s) for s in r.sections],
        "metrics": [_metric(m) for m in r.metrics], "cited_documents": [_cited(c) for c in r.cited_documents],
        "organizations": list(r.organizations), "normalization": _normalization(r.normalization),
        "corrections": [_correction(c) for c in r.corrections],
        "warnings": [_warning(w) for w in r.warnings], "text": r.text,
    }


def record_to_json(record: Record) -> bytes:
    """Return the record as compact JSON (UTF-8, no trailing newline)."""
    import orjson

    return orjson.dumps(record_to_dict(record))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(cell: str) -> str:
    """Return a cell a spreadsheet will not run as a formula (a leading ' is added).

    >>> neutralise_cell("=SUM(A1)"), neutralise_cell("-5"), neutralise_cell("培训")
    ("'=SUM(A1)", "'-5", '培训')
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


_NUMBER_COLUMNS = frozenset({"value", "value_high", "span_start", "span_end"})


def section_kinds(sections: Any) -> dict[str, str]:
    """Return {section path: kind} for a section tree (Section values or their dicts).

    The kind of a numbered section (三、下一步工作) is only in the tree: a metric's path is 三.
    """
    kinds: dict[str, str] = {}
    stack = list(sections)
    while stack:
        s = stack.pop()
        if isinstance(s, dict):
            kinds.setdefault(s["path"], s["kind"])
            stack.extend(s.get("children") or ())
        else:
            kinds.setdefault(s.path, s.kind)
            stack.extend(s.children)
    return kinds


def csv_rows_from_dict(record: dict[str, Any], *, neutralise: bool = True) -> list[list[str]]:
    """Return one CSV row per metric of a record dict (as written to letters/<id>.json), in span order.

    `neutralise=False` keeps cells a spreadsheet would run as formulas as they are (for a database).
    """
    text = neutralise_cell if neutralise else _plain_cell
    source = record.get("source") or {}
    number = record.get("doc_number") or {}
    proposal = record.get("proposal") or {}
    kinds = section_kinds(record.get("sections") or ())
    head = {"letter_id": record["id"], "source_path": source.get("path"),
            "source_url": source.get("url"), "fetched_at": source.get("fetched_at"), "doc_type": record["doc_type"],
            "issuer": record.get("issuer"), "date": record.get("date"), "doc_number": number.get("raw"),
            "proposal_kind": proposal.get("kind"), "proposal_number": proposal.get("number")}
    rows = []
    for m in sorted(record["metrics"], key=lambda m: tuple(m["span"])):
        cells = {**head, **m, "span_start": m["span"][0], "span_end": m["span"][1],
                 "section_kind": kinds.get(m.get("section") or "")}
        rows.append([_number(cells.get(c)) if c in _NUMBER_COLUMNS else text(cells.get(c) or "")
                     for c in CSV_COLUMNS])
    return rows


def csv_rows(record: Record) -> list[list[str]]:
    """Return one CSV row per metric, in span order, cells in CSV_COLUMNS order (as csv_rows_from_dict)."""
    source, number, proposal = record.source, record.doc_number, record.proposal
    head = [neutralise_cell(v or "") for v in (record.id, source.path if source else None,
                                               source.url if source else None, source.fetched_at if source else None,
                                               record.doc_type, record.issuer, record.date,
                                               number.raw if number else None)]
    tail = [_cell(proposal.kind if proposal else None), _cell(proposal.number if proposal else None)]
    kinds = section_kinds(record.sections)
    return [head + [_cell(m.section), _cell(m.label), _cell(m.category), _cell(m.raw), _number(m.value),
                    _number(m.value_high), _cell(m.unit), _cell(m.unit_kind), _cell(m.qualifier),
                    _cell(m.role), _cell(m.per), _cell(m.period), _cell(kinds.get(m.section or ""))] + tail
            + [_cell(m.sentence), _number(m.span[0]), _number(m.span[1])]
            for m in sorted(record.metrics, key=_span_start)]


def _plain_cell(cell: str) -> str:
    return cell


def _cell(value: str | None) -> str:
    """neutralise_cell(value or "") in one call (a metric row has some 20 cells)."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _span_start(metric: Metric) -> tuple[int, ...]:
    return tuple(metric.span)


def _record_to_dict_method(self: Record) -> dict[str, Any]:
    """Return the record as a dict with the keys of DESIGN §4 in order (what letters/<id>.json holds)."""
    return record_to_dict(self)


def _record_to_json_method(self: Record) -> str:
    """Return the record as compact JSON text (the bytes of letters/<id>.json, decoded)."""
    return record_to_json(self).decode("utf-8")


# Record.to_dict() / to_json() for notebooks; set here because dafu.model must not import a stage.
Record.to_dict = _record_to_dict_method  # type: ignore[method-assign]
Record.to_json = _record_to_json_method  # type: ignore[method-assign]


@lru_cache(maxsize=1)
def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a record, as shipped in dafu/data."""
    return json.loads(data_text("record.schema.json"))


def quick_check(schema: dict[str, Any]) -> Any:
    """Return a fast ``is_valid(value) -> bool`` for ``schema`` (jsonschema-rs, compiled), or None when it is not
    installed. Only its yes is taken: a no is explained by jsonschema, whose messages the user sees."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(schema).is_valid

