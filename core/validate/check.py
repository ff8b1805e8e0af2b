"""Checking records: a record dict (``record_to_dict``) against the JSON Schema and a RuleBook; problems as values."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from .rules import RuleBook, Rules, default_rules

__all__ = ["Problem", "Verdict", "check", "check_schema", "check_rules", "present", "lookup", "counts"]

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
    quick, validator = _validator()
    if quick is not None and quick(doc):
        return ()
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path).__repr__())
    problems = [Problem("schema", f"{e.json_path}: {_short(e.message)}") for e in errors[:_MAX_SCHEMA_ERRORS]]
    if len(errors) > _MAX_SCHEMA_ERRORS:
        problems.append(Problem("schema", f"and {len(errors) - _MAX_SCHEMA_ERRORS} more schema errors"))
    return tuple(problems)


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from ..output import json_schema, quick_check

    return quick_check(json_schema()), Draft202012Validator(json_schema())


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


def counts(verdicts: list[Verdict]) -> dict[str, int]:
    """Return how many inputs passed, failed and could not be read.

    >>> counts([Verdict("a", "a.txt"), Verdict("b", "b.txt", error="empty file")])
    {'letters': 2, 'passed': 1, 'failed': 0, 'errors': 1}
    """
    status = [v.status for v in verdicts]
    return {"letters": len(status), "passed": status.count("pass"), "failed": status.count("fail"),
            "errors": status.count("error")}
