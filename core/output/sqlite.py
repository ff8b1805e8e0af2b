"""Record -> SQLite rows: the schema of the database `dafu convert --sqlite` writes, its rows, the
full-text search helpers and Datasette's metadata.json. Writing the file is the caller's business.

Tables (every one but letters has letter_id, a foreign key to letters.letter_id):

- ``letters``: one row per letter, the columns of letters.csv, plus ``text`` (the normalized text) and
  ``letter_no`` (an integer key, the rowid of the full-text index);
- ``metrics``: one row per metric, the columns of metrics.csv;
- ``sections``: the section tree, one row per node (path, kind, level, marker, heading, span);
- ``warnings``: the record's warnings; ``repairs``: the GBK byte-loss repairs of normalization;
- ``letters_fts``: an FTS5 index of title and text. FTS5 has no Chinese tokenizer (``trigram`` cannot find a
  two-character word such as 培训), so the text is indexed with a space around every Chinese character:
  each character is a token and a word is a phrase of characters. ``fts_query("技能培训")`` gives
  ``"技 能 培 训"``, which matches exactly the letters holding 技能培训. The index is contentless
  (``content=''``): it keeps no second copy of the text; join on ``letters_fts.rowid = letters.letter_no``.

Values are plain (no formula neutralising: a database is not a spreadsheet); an absent value is NULL.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .._chars import CJK_WIDE
from .columns import LETTERS, METRICS, Column

__all__ = [
    "SCHEMA", "INDEXES", "TABLES", "INSERTS", "sqlite_rows", "typed_cells", "fts_text", "fts_query",
    "datasette_metadata",
]

_SQL_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "number": "NUMERIC"}
_FK = "REFERENCES letters(letter_id)"


def _column_sql(c: Column) -> str:
    return f"{c.name} {_SQL_TYPES[c.type]}" + (" NOT NULL" if c.required else "")


_EXTRA: dict[str, tuple[tuple[str, str, str], ...]] = {  # (name, SQL type, description) of the tables beyond the CSVs
    "sections": (
        ("path", "TEXT NOT NULL", "section path, e.g. 一/（二）, body/二是, next_steps"),
        ("parent_path", "TEXT", "path of the enclosing section; NULL at the top"),
        ("kind", "TEXT NOT NULL", "opening, body, next_steps or closing"),
        ("level", "INTEGER NOT NULL", "0 opening/closing/unmarked body, 1-4 for 一、（一）1.（1）, 5 for 一是/第一"),
        ("marker", "TEXT", "the marker as written (一、, （二）, 一是)"),
        ("heading", "TEXT", "the heading: the marker's line or first sentence"),
        ("span_start", "INTEGER NOT NULL", "start offset in the letter's text, in characters"),
        ("span_end", "INTEGER NOT NULL", "end offset (exclusive) in the letter's text, in characters"),
    ),
    "warnings": (
        ("code", "TEXT NOT NULL", "warning code (see core/codes.py)"),
        ("message", "TEXT NOT NULL", "what is wrong, for people"),
        ("span_start", "INTEGER", "start offset in the letter's text, in characters; NULL for the whole letter"),
        ("span_end", "INTEGER", "end offset (exclusive) in the letter's text, in characters"),
    ),
    "repairs": (
        ("span_start", "INTEGER NOT NULL", "start offset of the repaired text, in characters"),
        ("span_end", "INTEGER NOT NULL", "end offset (exclusive) of the repaired text, in characters"),
        ("damaged", "TEXT NOT NULL", "the damaged text as read (GBK byte-loss mojibake)"),
        ("repaired", "TEXT NOT NULL", "the repaired text as it stands in the letter's text"),
        ("confidence", "REAL NOT NULL", "confidence of the repair, 0 to 1"),
    ),
}

TABLES = ("letters", "metrics", "sections", "warnings", "repairs")


def _schema() -> tuple[str, ...]:
    letters = ", ".join(["letter_no INTEGER PRIMARY KEY", "letter_id TEXT NOT NULL UNIQUE"]
                        + [_column_sql(c) for c in LETTERS[1:]] + ["text TEXT NOT NULL"])
    metrics = ", ".join(["metric_no INTEGER PRIMARY KEY", f"letter_id TEXT NOT NULL {_FK}"]
                        + [_column_sql(c) for c in METRICS[1:]])
    statements = [f"CREATE TABLE letters ({letters})", f"CREATE TABLE metrics ({metrics})"]
    for table in ("sections", "warnings", "repairs"):
        columns = ", ".join([f"{table[:-1]}_no INTEGER PRIMARY KEY", f"letter_id TEXT NOT NULL {_FK}"]
                            + [f"{n} {t}" for n, t, _ in _EXTRA[table]])
        statements.append(f"CREATE TABLE {table} ({columns})")
    statements.append("CREATE VIRTUAL TABLE letters_fts USING fts5(title, text, content='', "
                      "tokenize='unicode61 remove_diacritics 0')")
    return tuple(statements)


SCHEMA = _schema()

# The columns people filter by; created after the rows are in (faster than keeping them up to date).
INDEXES = tuple(
    f"CREATE INDEX {table}_{column} ON {table}({column})" for table, column in (
        ("letters", "doc_type"), ("letters", "issuer"), ("letters", "date"), ("letters", "proposal_number"),
        ("metrics", "letter_id"), ("metrics", "doc_type"), ("metrics", "issuer"), ("metrics", "date"),
        ("metrics", "category"), ("metrics", "unit_kind"), ("metrics", "role"),
        ("sections", "letter_id"), ("warnings", "letter_id"), ("warnings", "code"), ("repairs", "letter_id"),
    )
)


def _insert(table: str, names: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


INSERTS = {
    "letters": _insert("letters", ["letter_no"] + [c.name for c in LETTERS] + ["text"]),
    "metrics": _insert("metrics", [c.name for c in METRICS]),
    **{t: _insert(t, ["letter_id"] + [n for n, _, _ in _EXTRA[t]]) for t in ("sections", "warnings", "repairs")},
    "letters_fts": _insert("letters_fts", ["rowid", "title", "text"]),
}

_CJK_CHAR = re.compile(f"([{CJK_WIDE}])")
_SPACES = re.compile(r"\s+")


def fts_text(text: str) -> str:
    """Return text as indexed: a space around every Chinese character, so that each is a token.

    >>> fts_text("2023年培训24.6万人次")
    '2023 年 培 训 24.6 万 人 次'
    """
    return _SPACES.sub(" ", _CJK_CHAR.sub(r" \1 ", text)).strip()


def fts_query(words: str) -> str:
    """Return an FTS5 query for letters_fts that finds letters holding every word of `words` (split at spaces).

    >>> fts_query("技能培训 补贴")
    '"技 能 培 训" "补 贴"'
    """
    phrases = [fts_text(w).replace('"', '""') for w in words.split()]
    return " ".join(f'"{p}"' for p in phrases if p)


def _walk(sections: Any, parent: str | None) -> Iterator[tuple[dict[str, Any], str | None]]:
    for s in sections:
        yield s, parent
        yield from _walk(s.get("children") or (), s["path"])


def sqlite_rows(record: dict[str, Any], letter_no: int) -> dict[str, list[tuple[Any, ...]]]:
    """Return {table: rows} for one record dict (as written to letters/<id>.json); keys are INSERTS' keys."""
    from . import csv_rows_from_dict
    from .tables import letter_row_from_dict

    id = record["id"]
    letter = letter_row_from_dict(record, neutralise=False)
    metrics = csv_rows_from_dict(record, neutralise=False)
    return {
        "letters": [(letter_no, *typed_cells(LETTERS, letter), record.get("text") or "")],
        "metrics": [tuple(typed_cells(METRICS, row)) for row in metrics],
        "sections": [(id, s["path"], parent, s["kind"], s["level"], s.get("marker"), s.get("heading"), *s["span"])
                     for s, parent in _walk(record.get("sections") or (), None)],
        "warnings": [(id, w["code"], w["message"], *(w.get("span") or (None, None)))
                     for w in record.get("warnings") or ()],
        "repairs": [(id, r["start"], r["end"], r["damaged"], r["repaired"], r["confidence"])
                    for r in (record.get("normalization") or {}).get("mojibake_repaired") or ()],
        "letters_fts": [(letter_no, fts_text(record.get("title") or ""), fts_text(record.get("text") or ""))],
    }


def typed_cells(columns: tuple[Column, ...], cells: list[str]) -> Iterator[Any]:
    """Yield the CSV cells as typed values: None for empty, int or float for numeric columns.

    >>> value_columns = tuple(c for c in METRICS if c.name in ("value", "value_high"))
    >>> list(typed_cells(value_columns, ["16000", ""]))
    [16000, None]
    """
    for c, cell in zip(columns, cells):
        if cell == "":
            yield None
        elif c.type == "integer":
            yield int(cell)
        elif c.type == "number":
            yield int(cell) if cell.lstrip("-").isdigit() else float(cell)
        else:
            yield cell


def datasette_metadata(database: str, *, version: str) -> dict[str, Any]:
    """Return Datasette's metadata.json for a database file named `database` (its name without .db)."""
    def columns(cols: tuple[Column, ...]) -> dict[str, str]:
        return {c.name: c.description for c in cols}

    def extra(table: str) -> dict[str, str]:
        return {"letter_id": "the letter (letters.letter_id)", **{n: d for n, _, d in _EXTRA[table]}}

    search = ('Full-text search over title and text: Chinese is indexed one character per token, so write a word '
              'with a space between its characters, in double quotes: "技 能 培 训" (in SQL: '
              "letters_fts MATCH '\"技 能 培 训\"', with letters_fts.rowid = letters.letter_no).")
    return {
        "title": "dafu: Chinese government letters",
        "description": f"Written by dafu {version}. letters: one row per letter; metrics: one row per number a letter "
                       "reports (value in the base unit: 元 for money, per cent for percent, the unit column for "
                       "the rest); sections, warnings, repairs: the rest of each record.",
        "databases": {database: {"tables": {
            "letters": {"title": "Letters", "description": "One row per letter. " + search,
                        "columns": {"letter_no": "integer key (the rowid of letters_fts)", **columns(LETTERS),
                                    "text": "the normalized text of the letter; spans point into it"},
                        "fts_table": "letters_fts", "fts_pk": "letter_no", "searchmode": "raw",
                        "label_column": "title", "sort": "letter_id"},
            "metrics": {"title": "Metrics", "description": "One row per number a letter reports; sum value only "
                        "over rows of one unit_kind and role, and never over rows with a per (rates).",
                        "columns": {"metric_no": "integer key", **columns(METRICS)}, "sort": "metric_no"},
            "sections": {"title": "Sections", "description": "The section tree of each letter, one row per node.",
                         "columns": {"section_no": "integer key", **extra("sections")}},
            "warnings": {"title": "Warnings", "description": "What dafu doubted in each letter.",
                         "columns": {"warning_no": "integer key", **extra("warnings")}},
            "repairs": {"title": "Repairs", "description": "GBK byte-loss damage repaired in each letter.",
                        "columns": {"repair_no": "integer key", **extra("repairs")}},
            "letters_fts": {"hidden": True},
        }}},
    }
