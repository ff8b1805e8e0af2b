"""A person's corrections (DESIGN §4): parsed from corrections.toml / .jsonl, applied to a Record after extraction.

A correction names a letter by id and a metric by its ``raw`` text and ``start`` offset::

    [[correction]]
    letter = "000_08d6c07602bede5a"
    action = "change"        # drop | change | add (a metric)  or  header (a header field)
    raw = "7所"
    start = 541
    label = "职业技工院校"       # change/add: value, unit, unit_kind, label, category, role, per, period, qualifier

    [[correction]]
    letter = "000_08d6c07602bede5a"
    action = "header"
    field = "issuer"         # doc_type | title | category | signer | issuer | date
    value = "清远市人力资源和社会保障局"
    was = "清远市人社局"       # optional: apply only while the extracted value is still this

The same objects, one per line, make the .jsonl form. Applied corrections are listed in ``record.corrections``;
one that matches nothing in its letter becomes a ``correction_stale`` warning. Parsing and applying are pure.
"""
from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

from .codes import DocType, Qualifier, Role, UnitKind, WarningCode
from .model import AppliedCorrection, Metric, Record, Warning

__all__ = [
    "Correction", "Corrections", "CorrectionsError", "parse_corrections", "apply_corrections", "ACTIONS",
    "HEADER_FIELDS", "METRIC_FIELDS", "ROLES", "NO_CORRECTIONS",
]

ACTIONS = ("drop", "change", "add", "header")
HEADER_FIELDS = ("doc_type", "title", "category", "signer", "issuer", "date")
# the metric fields a correction can set, and the type each takes
METRIC_FIELDS = {"value": "number", "unit": "str", "unit_kind": "enum", "label": "str", "category": "str",
                 "role": "enum", "per": "str", "period": "str", "qualifier": "enum"}
ROLES = tuple(r.value for r in Role)
# the values an enum field takes ("" clears an optional one), as in record.schema.json
_ENUMS = {"unit_kind": tuple(u.value for u in UnitKind), "role": ROLES,
          "qualifier": ("", *(q.value for q in Qualifier))}
_REQUIRED = frozenset({"category"})  # string fields the schema does not let be null ("" would clear them)
_KEYS = {"letter", "action", "raw", "start", "field", "value", "was", "note", *METRIC_FIELDS}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CorrectionsError(ValueError):
    """A corrections file that cannot be used: the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One fix: `changes` holds (field, value) pairs (for header: the one (field, value))."""

    letter: str
    action: str
    raw: str | None = None
    start: int | None = None
    field: str | None = None
    was: str | None = None
    changes: tuple[tuple[str, Any], ...] = ()
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the correction as written in a file (the review pages start from these)."""
        out: dict[str, Any] = {"letter": self.letter, "action": self.action}
        if self.action == "header":
            out.update(field=self.field, value=self.changes[0][1] if self.changes else None)
            if self.was is not None:
                out["was"] = self.was
        else:
            out.update(raw=self.raw, start=self.start, **dict(self.changes))
        if self.note is not None:
            out["note"] = self.note
        return out

    def describe(self) -> str:
        return (f"header {self.field}" if self.action == "header" else f"{self.action} {self.raw!r} at {self.start}")


@dataclass(frozen=True)
class Corrections:
    """Every correction of a file, in file order; `for_letter(id)` gives one letter's."""

    entries: tuple[Correction, ...] = ()
    digest: str = ""  # sha256 of the file's bytes: a new file means the records change

    @cached_property
    def _by_letter(self) -> dict[str, tuple[Correction, ...]]:
        index: dict[str, list[Correction]] = {}
        for c in self.entries:
            index.setdefault(c.letter, []).append(c)
        return {k: tuple(v) for k, v in index.items()}

    def for_letter(self, letter_id: str) -> tuple[Correction, ...]:
        return self._by_letter.get(letter_id, ())

    @property
    def letters(self) -> frozenset[str]:
        return frozenset(self._by_letter)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.entries]

    def __bool__(self) -> bool:
        return bool(self.entries)


NO_CORRECTIONS = Corrections()


# ---------------------------------------------------------------- parse
def parse_corrections(text: str, *, name: str = "corrections", jsonl: bool | None = None) -> Corrections:
    """Return the corrections of a TOML or JSON Lines text; raise CorrectionsError naming the bad entry.

    >>> parse_corrections('[[correction]]\\nletter = "a"\\naction = "drop"\\nraw = "5人"\\nstart = 3\\n').entries
    (Correction(letter='a', action='drop', raw='5人', start=3, field=None, was=None, changes=(), note=None),)
    """
    import hashlib

    if jsonl is None:
        jsonl = name.endswith(".jsonl")
    items = _jsonl_items(text, name) if jsonl else _toml_items(text, name)
    entries = tuple(_entry(obj, f"{name}: {where}") for where, obj in items)
    return Corrections(entries, hashlib.sha256(text.encode("utf-8")).hexdigest())


def _jsonl_items(text: str, name: str) -> list[tuple[str, Any]]:
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((f"line {n}", json.loads(line)))
        except ValueError as exc:
            raise CorrectionsError(f"{name}: line {n}: not JSON ({exc})") from None
    return items


def _toml_items(text: str, name: str) -> list[tuple[str, Any]]:
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CorrectionsError(f"{name}: not TOML ({exc})") from None
    extra = sorted(set(doc) - {"correction"})
    if extra:
        raise CorrectionsError(f"{name}: unknown table {extra[0]!r} (write each fix as a [[correction]] table)")
    entries = doc.get("correction", [])
    if not isinstance(entries, list):
        raise CorrectionsError(f"{name}: 'correction' must be an array of tables ([[correction]])")
    return [(f"correction #{n}", obj) for n, obj in enumerate(entries, 1)]


def _entry(obj: Any, where: str) -> Correction:
    """Return one checked Correction, or raise CorrectionsError saying what is wrong with it."""
    if not isinstance(obj, dict):
        raise CorrectionsError(f"{where}: not a table/object")
    unknown = sorted(set(obj) - _KEYS)
    if unknown:
        raise CorrectionsError(f"{where}: unknown key {unknown[0]!r}")
    letter, action = _required_str(obj, "letter", "the letter id", where), obj.get("action")
    if action not in ACTIONS:
        raise CorrectionsError(f"{where}: 'action' must be one of {', '.join(ACTIONS)}")
    note = _opt_str(obj, "note", where)
    if action == "header":
        return _header_entry(obj, letter, note, where)
    raw, start = _required_str(obj, "raw", "the figure as written", where), obj.get("start")
    if not isinstance(start, int) or isinstance(start, bool) or start < 0:
        raise CorrectionsError(f"{where}: 'start' must be the figure's offset (an integer ≥ 0)")
    for key in ("field", "was"):
        if key in obj:
            raise CorrectionsError(f"{where}: {key!r} belongs to a header correction")
    changes = []
    for key, kind in METRIC_FIELDS.items():
        if key not in obj or obj[key] is None:
            continue
        why = _field_error(key, kind, obj[key])
        if why:
            raise CorrectionsError(f"{where}: {why}")
        changes.append((key, obj[key]))
    if action == "drop" and changes:
        raise CorrectionsError(f"{where}: a drop takes no {changes[0][0]!r}")
    if action == "change" and not changes:
        raise CorrectionsError(f"{where}: a change needs at least one of {', '.join(METRIC_FIELDS)}")
    if action == "add" and not {"value", "unit"} <= {k for k, _ in changes}:
        raise CorrectionsError(f"{where}: an added figure needs 'value' and 'unit'")
    return Correction(letter, action, raw=raw, start=start, changes=tuple(changes), note=note)


def _required_str(obj: dict[str, Any], key: str, what: str, where: str) -> str:
    value = obj.get(key)
    if value is None or value == "":
        raise CorrectionsError(f"{where}: {key!r} ({what}) is missing")
    if not isinstance(value, str):
        raise CorrectionsError(f"{where}: {key!r} ({what}) must be a string, not {_shown(value)}")
    return value


def _field_error(key: str, kind: str, value: Any) -> str | None:
    """Return why `value` cannot go in metric field `key` (None when it can): the record must stay schema-valid.

    >>> _field_error("value", "number", float("nan")), _field_error("qualifier", "enum", "")
    ("'value' must be a finite number, not nan", None)
    """
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{key!r} must be a number, not {_shown(value)}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{key!r} must be a finite number, not {value}"
        if isinstance(value, int) and not -2**63 <= value < 2**63:
            return f"{key!r} is too large ({value:.3g}; a figure is below 9.2e18)"
        return None
    if not isinstance(value, str):
        return f"{key!r} must be a string, not {_shown(value)}"
    allowed = _ENUMS.get(key)
    if allowed is not None and value not in allowed:
        names = ", ".join(a if a else '"" (none)' for a in allowed)
        return f"{key!r} must be one of {names}, not {value!r}"
    if value == "" and key in _REQUIRED:
        return f"{key!r} cannot be empty (a figure always has one; \"other\" is the catch-all)"
    return None


def _shown(value: Any) -> str:
    """Return how a TOML/JSON value reads in a message: its type, and short values themselves."""
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array",
            dict: "a table"}.get(type(value), type(value).__name__)
    text = json.dumps(value, ensure_ascii=False)
    return f"{kind} {text}" if len(text) <= 20 and not isinstance(value, (list, dict)) else kind


def _header_entry(obj: dict[str, Any], letter: str, note: str | None, where: str) -> Correction:
    name = obj.get("field")
    if name not in HEADER_FIELDS:
        raise CorrectionsError(f"{where}: 'field' must be one of {', '.join(HEADER_FIELDS)}")
    extra = sorted(set(obj) - {"letter", "action", "field", "value", "was", "note"})
    if extra:
        raise CorrectionsError(f"{where}: {extra[0]!r} belongs to a metric correction")
    value = _opt_str(obj, "value", where)
    value = value.strip() if value else None  # "" clears the field
    if name == "date" and value is not None and not _valid_date(value):
        raise CorrectionsError(f"{where}: 'value' of date must be a date as YYYY-MM-DD")
    if name == "doc_type" and value not in (None, *(d.value for d in DocType)):
        raise CorrectionsError(f"{where}: 'value' of doc_type must be one of {', '.join(d.value for d in DocType)}")
    return Correction(letter, "header", field=name, was=_opt_str(obj, "was", where), changes=((name, value),),
                      note=note)


def _valid_date(value: str) -> bool:
    from datetime import date

    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _opt_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise CorrectionsError(f"{where}: {key!r} must be a string")
    return value


# ---------------------------------------------------------------- apply
_METRIC_ATTRS = frozenset(f.name for f in fields(Metric))


def apply_corrections(record: Record, corrections: tuple[Correction, ...]) -> Record:
    """Return the record with one letter's corrections applied (in order), each listed or warned about."""
    if not corrections:
        return record
    applied: list[AppliedCorrection] = []
    warnings: list[Warning] = []
    for c in corrections:
        handler = _HEADER if c.action == "header" else _METRIC_ACTIONS[c.action]
        record, done, why = handler(record, c)
        if done is not None:
            applied.append(done)
        else:
            span = _span_of(record, c)
            warnings.append(Warning(WarningCode.CORRECTION_STALE.value,
                                    WarningCode.CORRECTION_STALE.template.format(what=c.describe(), why=why), span))
    return replace(record, corrections=record.corrections + tuple(applied), warnings=record.warnings + tuple(warnings))


def _span_of(record: Record, c: Correction) -> tuple[int, int] | None:
    if c.raw is None or c.start is None or c.start + len(c.raw) > len(record.text):
        return None
    return (c.start, c.start + len(c.raw))


def _find(record: Record, c: Correction) -> int | None:
    for k, m in enumerate(record.metrics):
        if m.span[0] == c.start and m.raw == c.raw:
            return k
    return None


def _snapshot(m: Metric, names: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    return tuple((n, getattr(m, n)) for n in names if n in _METRIC_ATTRS)


_SHOWN = ("value", "unit", "label", "category", "role")


def _drop(record: Record, c: Correction):
    k = _find(record, c)
    if k is None:
        return record, None, f"no metric {c.raw!r} starts at {c.start}"
    m = record.metrics[k]
    done = AppliedCorrection(action="drop", raw=c.raw, start=m.span[0], end=m.span[1], before=_snapshot(m, _SHOWN),
                             note=c.note)
    return replace(record, metrics=record.metrics[:k] + record.metrics[k + 1:]), done, None


def _clean(name: str, value: Any) -> Any:
    """Return a corrected value; an empty string clears a field (a unit stays as written)."""
    return None if value == "" and name != "unit" else value


def _change(record: Record, c: Correction):
    k = _find(record, c)
    if k is None:
        return record, None, f"no metric {c.raw!r} starts at {c.start}"
    missing = [name for name, _ in c.changes if name not in _METRIC_ATTRS]
    if missing:
        return record, None, f"this dafu has no metric field {missing[0]!r}"
    m = record.metrics[k]
    new = {name: _clean(name, value) for name, value in c.changes}
    done = AppliedCorrection(action="change", raw=c.raw, start=m.span[0], end=m.span[1],
                             before=tuple((n, getattr(m, n)) for n in new), after=tuple(new.items()), note=c.note)
    metrics = list(record.metrics)
    metrics[k] = replace(m, **new)
    return replace(record, metrics=tuple(metrics)), done, None


def _add(record: Record, c: Correction):
    text, start = record.text, c.start
    end = start + len(c.raw)
    if text[start:end] != c.raw:
        return record, None, f"the text at {start} is not {c.raw!r}"
    if _find(record, c) is not None:
        return record, None, "the figure is now extracted (make it a change, or remove this correction)"
    for m in record.metrics:
        if m.span[0] < end and start < m.span[1]:
            return record, None, f"it overlaps the extracted figure {m.raw!r} at {m.span[0]}"
    missing = [name for name, _ in c.changes if name not in _METRIC_ATTRS]
    if missing:
        return record, None, f"this dafu has no metric field {missing[0]!r}"
    metric = _new_metric(record, c, (start, end))
    metrics = sorted(record.metrics + (metric,), key=lambda m: m.span)
    done = AppliedCorrection(action="add", raw=c.raw, start=start, end=end, after=_snapshot(metric, _SHOWN),
                             note=c.note)
    return replace(record, metrics=tuple(metrics)), done, None


def _new_metric(record: Record, c: Correction, span: tuple[int, int]) -> Metric:
    """Return the metric a person added: their fields, the rest found as extraction would (section, sentence)."""
    from .extract.quantities import find_quantities
    from .segment import section_path_at, split_sentences

    given = {name: _clean(name, value) for name, value in c.changes}
    found = [q for q in find_quantities(c.raw) if q.unit == given.get("unit")]
    sentences = split_sentences(record.text)
    k = bisect_right([s for s, _ in sentences], span[0]) - 1
    s_start, s_end = sentences[k] if k >= 0 and sentences[k][0] <= span[0] < sentences[k][1] else span
    values: dict[str, Any] = {
        "raw": c.raw, "value": given["value"], "value_high": None, "unit": given["unit"],
        "unit_kind": found[0].unit_kind if found and found[0].unit_kind else "other",
        "qualifier": found[0].qualifier if found else None, "label": None, "category": "other", "period": None,
        "per": None, "section": section_path_at(record.sections, span[0]),
        "sentence": record.text[s_start:max(s_end, span[1])], "span": span,
    }
    if "role" in _METRIC_ATTRS:
        values["role"] = "result"
    values.update(given)
    return Metric(**{k: v for k, v in values.items() if k in _METRIC_ATTRS})


def _header(record: Record, c: Correction):
    name = c.field
    value = c.changes[0][1] if c.changes else None
    current = getattr(record, name)
    if c.was is not None and current != c.was:
        return record, None, f"{name} is now {current!r}, not {c.was!r} as when it was corrected"
    done = AppliedCorrection(action="header", field=name, before=((name, current),), after=((name, value),),
                             note=c.note)
    return replace(record, **{name: value}), done, None


_METRIC_ACTIONS = {"drop": _drop, "change": _change, "add": _add}
_HEADER = _header
