"""Record -> JSON bytes, dict, CSV rows; and the shipped JSON Schema of the record."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import Record

_DATA = Path(__file__).with_name("data")

__all__ = [
    "record_to_dict", "record_to_json", "csv_rows", "csv_rows_from_dict", "CSV_COLUMNS", "json_schema",
    "neutralise_cell",
]

CSV_COLUMNS = (
    "letter_id", "source_path", "doc_type", "issuer", "date", "doc_number", "section", "label",
    "category", "raw", "value", "value_high", "unit", "unit_kind", "qualifier", "period",
    "sentence", "start", "end",
)


def _plain(value: Any) -> Any:
    """Return a JSON-ready copy of a dataclass tree: tuples to lists, whole floats to ints."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # 16000.0 -> 16000 (exact below 2**53; larger stays a float for JSON readers)
    return value


def record_to_dict(record: Record) -> dict[str, Any]:
    """Return the record as a dict with the keys of DESIGN §4 in order."""
    out = _plain(record)
    out["metadata"] = dict(record.metadata)
    out["normalization"]["steps"] = [{"name": n, "changes": c} for n, c in record.normalization.steps]
    return out


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


_NUMBER_COLUMNS = frozenset({"value", "value_high", "start", "end"})


def csv_rows_from_dict(record: dict[str, Any]) -> list[list[str]]:
    """Return one CSV row per metric of a record dict (as written to letters/<id>.json), in span order."""
    source = record.get("source") or {}
    number = record.get("doc_number") or {}
    head = {"letter_id": record["id"], "source_path": source.get("path"), "doc_type": record["doc_type"],
            "issuer": record.get("issuer"), "date": record.get("date"), "doc_number": number.get("raw")}
    rows = []
    for m in sorted(record["metrics"], key=lambda m: tuple(m["span"])):
        cells = {**head, **m, "start": m["span"][0], "end": m["span"][1]}
        rows.append([_number(cells[c]) if c in _NUMBER_COLUMNS else neutralise_cell(cells[c] or "")
                     for c in CSV_COLUMNS])
    return rows


def csv_rows(record: Record) -> list[list[str]]:
    """Return one CSV row per metric, in span order, cells in CSV_COLUMNS order."""
    return csv_rows_from_dict(record_to_dict(record))


@lru_cache(maxsize=1)
def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a record, as shipped in dafu/data."""
    return json.loads((_DATA / "record.schema.json").read_text("utf-8"))
