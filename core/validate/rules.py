"""Validation rules: the rules file format (TOML), parsed into frozen values, and checked against the schema.

See ``dafu.validate`` for the format. Unknown keys, unknown tables and malformed values are refused with a
``RulesError`` naming them.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..codes import DocType

__all__ = ["Requirement", "Rules", "RuleBook", "RulesError", "parse_rules", "default_rules", "unknown_paths"]

Requirement = tuple[str, ...]  # dotted paths; at least one must be present


class RulesError(ValueError):
    """A rules file that cannot be used; the message says which key and why."""


@dataclass(frozen=True, slots=True)
class Rules:
    """One block of checks: for every letter (doc_type None) or for one doc_type."""

    doc_type: str | None = None
    required: tuple[Requirement, ...] = ()
    min_metrics: int | None = None
    categories: tuple[str, ...] | None = None
    doc_types: tuple[str, ...] | None = None
    date_min: str | None = None
    date_max: str | None = None
    no_unresolved_damage: bool = False
    forbid_warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleBook:
    """The blocks of one rules file, and whether the built-in rules still apply."""

    blocks: tuple[Rules, ...] = ()
    defaults: bool = True


_KEYS = frozenset({"required", "min_metrics", "categories", "doc_types", "date_min", "date_max",
                   "no_unresolved_damage", "forbid_warnings"})
_DOC_TYPES = tuple(t.value for t in DocType)


def parse_rules(text: str) -> RuleBook:
    """Return the rule book written in a TOML text; raise RulesError if it is not usable.

    >>> parse_rules('min_metrics = 2\\n[reply_letter]\\nrequired = ["date"]').blocks[1].required
    (('date',),)
    """
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"not valid TOML: {exc}") from None
    defaults = data.pop("defaults", True)
    if not isinstance(defaults, bool):
        raise RulesError(f"defaults: expected true or false, got {defaults!r}")
    tables = {k: data.pop(k) for k in list(data) if isinstance(data[k], dict)}
    blocks = [_block(data, None)]
    for name, table in tables.items():
        if name not in _DOC_TYPES:
            raise RulesError(f"[{name}]: unknown table; tables are named after a doc_type: "
                             + ", ".join(_DOC_TYPES))
        blocks.append(_block(table, name))
    return RuleBook(tuple(b for b in blocks if b != Rules(doc_type=b.doc_type)), defaults)


def _block(table: dict[str, Any], doc_type: str | None) -> Rules:
    """Return one Rules block from a TOML table, checking every key."""
    where = f"[{doc_type}] " if doc_type else ""
    for key, value in table.items():
        if key not in _KEYS or (doc_type and key == "doc_types"):
            raise RulesError(f"{where}{key}: unknown key; expected one of " + ", ".join(sorted(_KEYS)))
        if isinstance(value, dict):
            raise RulesError(f"{where}{key}: expected a value, got a table")
    try:
        return Rules(
            doc_type=doc_type,
            required=tuple(_requirement(r) for r in _list(table.get("required", []))),
            min_metrics=_count(table.get("min_metrics")),
            categories=_strings(table.get("categories")),
            doc_types=_doc_types(table.get("doc_types")),
            date_min=_iso_date(table.get("date_min")),
            date_max=_iso_date(table.get("date_max")),
            no_unresolved_damage=_flag(table.get("no_unresolved_damage", False)),
            forbid_warnings=_strings(table.get("forbid_warnings"), "forbid_warnings") or (),
        )
    except _BadValue as exc:
        raise RulesError(f"{where}{exc}") from None


class _BadValue(ValueError):
    pass


_PATH = re.compile(r"[^.\s]+(?:\.[^.\s]+)*")  # metadata keys are Chinese: metadata.索引号


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _BadValue(f"required: expected a list of field paths, got {value!r}")
    return value


def _requirement(item: Any) -> Requirement:
    paths = tuple(item) if isinstance(item, list) else (item,)
    for path in paths:
        if not isinstance(path, str) or not _PATH.fullmatch(path):
            raise _BadValue(f"required: {path!r} is not a dotted field path such as 'proposal.number'")
    if not paths:
        raise _BadValue("required: an empty list of alternatives")
    return paths


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _BadValue(f"min_metrics: expected a whole number >= 0, got {value!r}")
    return value


def _strings(value: Any, key: str = "categories") -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _BadValue(f"{key}: expected a list of strings, got {value!r}")
    return tuple(value)


def _doc_types(value: Any) -> tuple[str, ...] | None:
    names = _strings(value, "doc_types")
    for name in names or ():
        if name not in _DOC_TYPES:
            raise _BadValue(f"doc_types: unknown doc_type {name!r}; expected " + ", ".join(_DOC_TYPES))
    return names


def _iso_date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise _BadValue(f"date_min/date_max: expected a date such as 2018-01-01, got {value!r}")


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _BadValue(f"no_unresolved_damage: expected true or false, got {value!r}")
    return value


@cache
def default_rules() -> RuleBook:
    """Return the built-in rules (core/data/default_rules.toml), parsed once."""
    from .._data import data_text

    return parse_rules(data_text("default_rules.toml"))


def unknown_paths(book: RuleBook, schema: dict[str, Any]) -> tuple[str, ...]:
    """Return the required paths of a rule book that no record can have, per the JSON Schema."""
    paths = {p for rules in book.blocks for alts in rules.required for p in alts}
    return tuple(sorted(p for p in paths if not _schema_has(schema, schema, p.split("."))))


def _schema_has(root: dict[str, Any], node: Any, parts: list[str]) -> bool:
    if not isinstance(node, dict):
        return False
    if "$ref" in node and isinstance(node["$ref"], str) and node["$ref"].startswith("#/"):
        target: Any = root
        for key in node["$ref"][2:].split("/"):
            target = target.get(key, {}) if isinstance(target, dict) else {}
        return _schema_has(root, target, parts)
    for key in ("anyOf", "oneOf", "allOf"):
        if any(_schema_has(root, sub, parts) for sub in node.get(key, ())):
            return True
    if not parts:
        return True
    head, rest = parts[0], parts[1:]
    if head.isdigit() and "items" in node:
        return _schema_has(root, node["items"], rest)
    props = node.get("properties", {})
    if head in props:
        return _schema_has(root, props[head], rest)
    types = node.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types)
    extra = node.get("additionalProperties", is_object and "properties" not in node)
    return _schema_has(root, extra, rest) if isinstance(extra, dict) else extra is True
