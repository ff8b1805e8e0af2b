"""Validation of records: the JSON Schema, dafu's default rules and user rules from a TOML file.

Everything here is pure: a record comes in as the dict of ``record_to_dict``, a rules file comes in
as the text the caller read, problems go out as values.

Rules file format (TOML; ``tests/cases/rules_example.toml`` shows every key)::

    defaults = true            # false: skip the built-in rules (core/data/default_rules.toml);
                               # the JSON Schema is always checked
    required = ["date", ["issuer", "contact.unit"]]
                               # dotted paths into the record (proposal.number, addressees.0.name);
                               # a nested list means "at least one of these"; present means not
                               # null, not "" and not an empty list or table
    min_metrics = 3            # at least this many metrics
    categories = ["training", "employment"]
                               # every metric's category must be one of these
    doc_types = ["reply_letter", "notice"]
                               # the letter's doc_type must be one of these (top level only)
    date_min = 2018-01-01      # the letter's date (成文日期), when it has one, is in this range;
    date_max = "2025-12-31"    # a TOML date or an ISO string; a missing date is `required`'s job
    no_unresolved_damage = true
                               # normalization.mojibake_unresolved must be empty
    forbid_warnings = ["internal_error", "date_invalid"]
                               # no record warning may carry one of these codes (core/codes.py)

    [reply_letter]             # a table named after a doc_type: the same keys (but doc_types),
    required = ["title"]       # checked only on letters of that type, on top of the keys above

User rules add to the default rules; they never loosen them (``defaults = false`` does that).
Unknown keys, unknown tables and malformed values are refused with a ``RulesError`` naming them.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..codes import DocType

__all__ = [
    "Rules", "RuleBook", "RulesError", "Problem", "Verdict",
    "parse_rules", "default_rules", "check", "check_schema", "check_rules", "unknown_paths",
    "present", "lookup", "counts", "report_dict", "junit_xml", "REPORT_SCHEMA",
]

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


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str  # schema | doc_type | required | damage | warning | min_metrics | category | date
    message: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for one input: its problems, or the reason it could not be read."""

    id: str
    path: str
    problems: tuple[Problem, ...] = ()
    error: str | None = None

    @property
    def status(self) -> str:
        return "error" if self.error is not None else "fail" if self.problems else "pass"


# ---------------------------------------------------------------- parsing rules
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


# ---------------------------------------------------------------- checking
_MISSING = object()


def lookup(doc: Any, path: str) -> Any:
    """Return the value at a dotted path of a record dict (list items by number), or a sentinel.

    >>> lookup({"proposal": {"number": "第440号"}}, "proposal.number")
    '第440号'
    """
    for part in path.split("."):
        if isinstance(doc, dict):
            doc = doc.get(part, _MISSING)
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            return _MISSING
    return doc


def present(value: Any) -> bool:
    """Return whether a looked-up value states a fact (not missing, null, "" or empty)."""
    return value is not _MISSING and value is not None and value != "" and value != [] and value != {}


def check(doc: dict[str, Any], book: RuleBook | None = None) -> tuple[Problem, ...]:
    """Return every problem of a record dict: schema, default rules (unless off), the book's rules."""
    book = book or RuleBook()
    books = (default_rules(), book) if book.defaults else (book,)
    found = list(check_schema(doc))
    for b in books:
        for problem in check_rules(doc, b):
            if problem not in found:
                found.append(problem)
    return tuple(found)


_MAX_SCHEMA_ERRORS = 5


def check_schema(doc: dict[str, Any]) -> tuple[Problem, ...]:
    """Return a problem for each place where a record dict breaks the record's JSON Schema."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path).__repr__())
    problems = [Problem("schema", f"{e.json_path}: {_short(e.message)}") for e in errors[:_MAX_SCHEMA_ERRORS]]
    if len(errors) > _MAX_SCHEMA_ERRORS:
        problems.append(Problem("schema", f"and {len(errors) - _MAX_SCHEMA_ERRORS} more schema errors"))
    return tuple(problems)


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from ..output import json_schema

    return Draft202012Validator(json_schema())


def check_rules(doc: dict[str, Any], book: RuleBook) -> tuple[Problem, ...]:
    """Return the problems the blocks of one rule book find in a record dict."""
    out: list[Problem] = []
    for rules in book.blocks:
        if rules.doc_type is None or rules.doc_type == doc.get("doc_type"):
            out.extend(_check_block(doc, rules))
    return tuple(out)


def _check_block(doc: dict[str, Any], rules: Rules) -> list[Problem]:
    where = f" ({rules.doc_type})" if rules.doc_type else ""
    out = []
    if rules.doc_types is not None and doc.get("doc_type") not in rules.doc_types:
        out.append(Problem("doc_type", f"doc_type is {doc.get('doc_type')}, not one of "
                           + ", ".join(rules.doc_types)))
    for alternatives in rules.required:
        if not any(present(lookup(doc, p)) for p in alternatives):
            out.append(Problem("required", "missing " + " or ".join(alternatives) + where))
    if rules.no_unresolved_damage:
        out.extend(_damage(doc))
    out.extend(_warnings(doc.get("warnings") or [], rules.forbid_warnings))
    metrics = doc.get("metrics") or []
    if rules.min_metrics is not None and len(metrics) < rules.min_metrics:
        out.append(Problem("min_metrics", f"{len(metrics)} metrics, at least {rules.min_metrics} wanted{where}"))
    if rules.categories is not None:
        out.extend(_categories(metrics, rules.categories, where))
    out.extend(_date_range(doc.get("date"), rules, where))
    return out


_MAX_SHOWN = 3


def _damage(doc: dict[str, Any]) -> list[Problem]:
    spans = lookup(doc, "normalization.mojibake_unresolved")
    if not present(spans):
        return []
    shown = ", ".join(f"{_short(str(s.get('text')), 20)!r} at {s.get('start')}" for s in spans[:_MAX_SHOWN])
    more = f" and {len(spans) - _MAX_SHOWN} more" if len(spans) > _MAX_SHOWN else ""
    return [Problem("damage", f"{len(spans)} unresolved damaged span(s): {shown}{more}")]


def _warnings(warnings: list[dict[str, Any]], forbidden: tuple[str, ...]) -> list[Problem]:
    return [Problem("warning", f"{w.get('code')}: {_short(str(w.get('message')))}")
            for w in warnings if w.get("code") in forbidden]


def _categories(metrics: list[dict[str, Any]], allowed: tuple[str, ...], where: str) -> list[Problem]:
    seen: dict[str, list[str]] = {}
    for m in metrics:
        if m.get("category") not in allowed:
            seen.setdefault(str(m.get("category")), []).append(str(m.get("raw")))
    return [Problem("category", f"category {cat} not allowed{where}: {len(raws)} metric(s), e.g. {raws[0]!r}")
            for cat, raws in seen.items()]


def _date_range(date: Any, rules: Rules, where: str) -> list[Problem]:
    if not isinstance(date, str) or (rules.date_min is None and rules.date_max is None):
        return []
    try:
        iso = _dt.date.fromisoformat(date).isoformat()
    except ValueError:
        return [Problem("date", f"date {date!r} is not an ISO date")]
    if rules.date_min is not None and iso < rules.date_min:
        return [Problem("date", f"date {iso} is before {rules.date_min}{where}")]
    if rules.date_max is not None and iso > rules.date_max:
        return [Problem("date", f"date {iso} is after {rules.date_max}{where}")]
    return []


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- rule paths against the schema
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


# ---------------------------------------------------------------- reports
REPORT_SCHEMA = "dafu.validation/1"
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def counts(verdicts: list[Verdict]) -> dict[str, int]:
    """Return how many inputs passed, failed and could not be read.

    >>> counts([Verdict("a", "a.txt"), Verdict("b", "b.txt", error="empty file")])
    {'letters': 2, 'passed': 1, 'failed': 0, 'errors': 1}
    """
    status = [v.status for v in verdicts]
    return {"letters": len(status), "passed": status.count("pass"), "failed": status.count("fail"),
            "errors": status.count("error")}


def report_dict(verdicts: list[Verdict], *, rules: str | None = None, seconds: float | None = None) -> dict[str, Any]:
    """Return the JSON report: counts, the rules file used, one entry per input in order."""
    return {
        "schema": REPORT_SCHEMA,
        **counts(verdicts),
        "rules": rules,
        "seconds": seconds,
        "results": [
            {"id": _text(v.id), "path": _text(v.path), "status": v.status, "error": v.error,
             "problems": [{"rule": p.rule, "message": _text(p.message)} for p in v.problems]}
            for v in verdicts
        ],
    }


def junit_xml(verdicts: list[Verdict], *, seconds: float | None = None) -> bytes:
    """Return a JUnit XML report: one testsuite, one testcase per input, failures and errors."""
    import xml.etree.ElementTree as ET

    n = counts(verdicts)
    attrs = {"name": "dafu validate", "tests": str(n["letters"]), "failures": str(n["failed"]),
             "errors": str(n["errors"]), "skipped": "0", "time": f"{seconds or 0:.3f}"}
    root = ET.Element("testsuites", attrs)
    suite = ET.SubElement(root, "testsuite", attrs)
    for v in verdicts:
        case = ET.SubElement(suite, "testcase", {"classname": "dafu.validate", "name": _xml(v.id),
                                                "file": _xml(v.path)})
        if v.error is not None:
            ET.SubElement(case, "error", {"type": "unreadable", "message": _xml(v.error)}).text = _xml(v.error)
        elif v.problems:
            failure = ET.SubElement(case, "failure", {
                "type": v.problems[0].rule, "message": _xml("; ".join(p.message for p in v.problems))})
            failure.text = _xml("\n".join(f"{p.rule}: {p.message}" for p in v.problems))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _text(value: str) -> str:
    """Return a string that encodes as UTF-8 (lone surrogates from undecodable names become U+FFFD)."""
    return _SURROGATE.sub("\ufffd", value)


def _xml(value: str) -> str:
    """Return a string XML 1.0 can hold: characters it forbids (controls, surrogates) become U+FFFD.

    >>> _xml("a\\x00b\\udcb9")
    'a\\ufffdb\\ufffd'
    """
    return _NOT_XML.sub("\ufffd", value)
