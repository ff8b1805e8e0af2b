"""The Frictionless Data Package (datapackage.json) that describes metrics.csv and letters.csv."""
from __future__ import annotations

from typing import Any

from .columns import LETTERS, METRICS, Column, enum_values

__all__ = ["datapackage", "table_schema"]


def _field(column: Column, lexicon: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.enum:
        constraints["enum"] = list(enum_values(column.enum, lexicon))
    field = {"name": column.name, "type": column.type, "description": column.description}
    return {**field, "constraints": constraints} if constraints else field


def table_schema(table: str, lexicon: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """Return the Table Schema of "metrics" or "letters" (fields, keys, missing values)."""
    if table == "letters":
        return {"fields": [_field(c, lexicon) for c in LETTERS], "missingValues": [""], "primaryKey": ["letter_id"]}
    return {"fields": [_field(c, lexicon) for c in METRICS], "missingValues": [""],
            "primaryKey": ["letter_id", "span_start"],
            "foreignKeys": [{"fields": ["letter_id"], "reference": {"resource": "letters", "fields": ["letter_id"]}}]}


def _resource(name: str, title: str, description: str, excel: bool, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name, "path": f"{name}.csv", "title": title, "description": description,
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8-sig" if excel else "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True, "lineTerminator": "\r\n"},
        "schema": schema,
    }


def datapackage(*, excel: bool, version: str, lexicon: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """Return the Frictionless Data Package descriptor of metrics.csv and letters.csv."""
    return {
        "profile": "tabular-data-package",
        "name": "dafu-letters",
        "title": "Chinese government letters and the metrics they report",
        "description": f"Written by dafu {version}: letters.csv has one row per letter (ordered by letter_id), "
                       "metrics.csv one row per metric (ordered by letter_id then span_start).",
        "resources": [
            _resource("metrics", "Metrics", "One row per number a letter reports, in its base unit.", excel,
                      table_schema("metrics", lexicon)),
            _resource("letters", "Letters", "One row per letter: who wrote to whom, about which proposal, when.",
                      excel, table_schema("letters", lexicon)),
        ],
    }
