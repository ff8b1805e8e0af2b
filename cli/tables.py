"""The per-letter tables of `dafu convert`: letters.csv in the output folder, the `--sqlite` database and
the `--xlsx` workbook.

Both are written the way metrics.csv is: row by row as the records come (in id order, whatever --jobs),
into a hidden temp file beside the target, put in place by one rename when the run publishes its
outputs, and dropped when it does not. So they always hold the same letters as metrics.csv, with
--incremental (unchanged letters' records are read back) and --prune alike. Memory stays flat: nothing is
kept per letter.

SQLite is written with the standard library's sqlite3: the schema is fixed and small (dafu.output.sqlite),
and sqlite-utils would add five packages to the install for what a few CREATE and INSERT statements do.
"""
from __future__ import annotations

import os
import secrets
from typing import Any

__all__ = ["Tables", "SqliteWriter", "WorkbookWriter", "metadata_path"]


def metadata_path(db_path: str) -> str:
    """Return where Datasette's metadata goes: beside the database, `<name>.metadata.json`.

    >>> metadata_path("out/dafu.db")
    'out/dafu.metadata.json'
    """
    return os.path.splitext(db_path)[0] + ".metadata.json"


class SqliteWriter:
    """A SQLite database built in a temp file beside `path`, renamed over it on `commit()`."""

    def __init__(self, path: str, version: str) -> None:
        import sqlite3

        from dafu.output.sqlite import SCHEMA

        from .writers import TEMP_MARK

        self.path, self.version = os.path.abspath(path), version
        folder = os.path.dirname(self.path)
        name = f".{os.path.basename(self.path)}.{secrets.token_hex(4)}{TEMP_MARK}"
        self._temp: str | None = os.path.join(folder, name)
        # the file is new and private until renamed: no journal, no syncs until the one fsync at the end
        fd = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        os.close(fd)
        self.conn = None
        try:
            self.conn = sqlite3.connect(self._temp, isolation_level=None)
            for pragma in ("page_size = 4096", "journal_mode = OFF", "synchronous = OFF"):
                self.conn.execute(f"PRAGMA {pragma}")
            self.conn.execute("BEGIN")
            for statement in SCHEMA:
                self.conn.execute(statement)
        except BaseException:
            self.discard()
            raise
        self.letters = 0

    def add(self, record: dict[str, Any]) -> None:
        """Insert one record (a dict as written to letters/<id>.json)."""
        from dafu.output.sqlite import INSERTS, sqlite_rows

        self.letters += 1
        try:
            for table, rows in sqlite_rows(record, self.letters).items():
                if rows:
                    self.conn.executemany(INSERTS[table], rows)
        except BaseException:  # a row SQLite refuses (a bug, since records are schema-valid) leaves no temp file
            self.discard()
            raise

    def commit(self) -> None:
        """Index, close, flush to disk and put the database in place; then its Datasette metadata."""
        import orjson

        from dafu.output.sqlite import INDEXES, datasette_metadata

        from .writers import atomic_write

        try:
            for statement in INDEXES:
                self.conn.execute(statement)
            self.conn.execute("INSERT INTO letters_fts(letters_fts) VALUES ('optimize')")
            self.conn.execute("COMMIT")
            self.conn.close()
        except BaseException:
            self.discard()
            raise
        _put_in_place(self)
        name = os.path.splitext(os.path.basename(self.path))[0]
        atomic_write(metadata_path(self.path),
                     orjson.dumps(datasette_metadata(name, version=self.version), option=orjson.OPT_INDENT_2) + b"\n")

    def discard(self) -> None:
        """Forget the database; the one at `path` (if any) stays as it was."""
        try:
            if self.conn is not None:
                self.conn.close()
        except Exception:  # already closed
            pass
        _drop_temp(self)


class WorkbookWriter:
    """An Excel workbook (sheets letters and metrics) built in a temp file beside `path`, renamed on `commit()`.

    XlsxWriter in constant-memory mode streams each row to disk (inline strings), so memory stays flat; ids
    and every text column are written as text cells (never turned into numbers or dates), numbers as numbers,
    dates as ISO text. A fixed creation date keeps the bytes the same from run to run.
    """

    def __init__(self, path: str, version: str) -> None:
        import datetime

        import xlsxwriter

        from dafu.output.columns import LETTERS, METRICS

        from .writers import TEMP_MARK

        self.path = os.path.abspath(path)
        folder = os.path.dirname(self.path)
        self._temp: str | None = os.path.join(folder, f".{os.path.basename(self.path)}.{secrets.token_hex(4)}"
                                                      f"{TEMP_MARK}")
        open(self._temp, "xb").close()  # claim the name (and fail here on an unwritable folder)
        self.book = xlsxwriter.Workbook(self._temp, {"constant_memory": True, "tmpdir": folder,
                                                     "strings_to_numbers": False, "strings_to_formulas": False,
                                                     "strings_to_urls": False})
        self.book.set_properties({"title": "dafu letters and metrics", "comments": f"Written by dafu {version}",
                                  "created": datetime.datetime(2000, 1, 1)})
        bold = self.book.add_format({"bold": True})
        self.sheets = {}
        for name, columns in (("letters", LETTERS), ("metrics", METRICS)):
            sheet = self.book.add_worksheet(name)
            sheet.freeze_panes(1, 0)
            sheet.write_row(0, 0, [c.name for c in columns], bold)
            self.sheets[name] = [sheet, columns, 1]

    def add(self, letter: list[str], metrics: list[list[str]]) -> None:
        """Add one letter's row and its metrics' rows (cells as in the CSVs, not neutralised)."""
        self._rows("letters", [letter])
        self._rows("metrics", metrics)

    def _rows(self, name: str, rows: list[list[str]]) -> None:
        from dafu.output.sqlite import typed_cells

        sheet, columns, row = self.sheets[name]
        for cells in rows:
            for col, (column, value) in enumerate(zip(columns, typed_cells(columns, cells))):
                if value is None:
                    continue
                if column.type in ("integer", "number"):
                    sheet.write_number(row, col, value)
                else:
                    sheet.write_string(row, col, value)
            row += 1
        self.sheets[name][2] = row

    def commit(self) -> None:
        """Close the workbook, flush it to disk and put it in place."""
        try:
            self.book.close()
        except OSError as exc:
            self.discard()
            raise OSError(exc.errno, exc.strerror, self.path) from exc
        _put_in_place(self)

    def discard(self) -> None:
        """Forget the workbook; the one at `path` (if any) stays as it was."""
        _drop_temp(self)


class Tables:
    """letters.csv of the output folder (when there is one), the --sqlite database and the --xlsx workbook."""

    def __init__(self, folder: str | None, sqlite_path: str | None, *, excel: bool,
                 xlsx_path: str | None = None) -> None:
        import dafu
        from dafu.output.columns import LETTERS_COLUMNS

        from .writers import BOM, AtomicFile, csv_bytes

        self.letters_csv = self.sqlite = self.xlsx = None
        try:
            if folder is not None:
                self.letters_csv = AtomicFile(os.path.join(folder, "letters.csv"))
                self.letters_csv.write((BOM if excel else b"") + csv_bytes([list(LETTERS_COLUMNS)]))
            if sqlite_path is not None:
                try:
                    self.sqlite = SqliteWriter(sqlite_path, dafu.__version__)
                except OSError as exc:
                    raise OSError(exc.errno, exc.strerror, sqlite_path) from exc
            if xlsx_path is not None:
                try:
                    self.xlsx = WorkbookWriter(xlsx_path, dafu.__version__)
                except OSError as exc:
                    raise OSError(exc.errno, exc.strerror, xlsx_path) from exc
        except BaseException:
            self.discard()
            raise

    def add(self, record: bytes | dict[str, Any], letter_csv: bytes | None = None) -> None:
        """Add one letter: its record as JSON bytes or as the dict they load to (and its letters.csv row when
        the worker made it from the Record, so the JSON is not read back for it)."""
        import orjson

        from dafu.output.tables import letter_row_from_dict

        from .writers import csv_bytes

        if letter_csv is not None and self.letters_csv is not None:
            self.letters_csv.write(letter_csv)
            if self.sqlite is None and self.xlsx is None:
                return
        if isinstance(record, (bytes, bytearray, memoryview)):
            record = orjson.loads(record)
        if self.letters_csv is not None and letter_csv is None:
            self.letters_csv.write(csv_bytes([letter_row_from_dict(record)]))
        if self.sqlite is not None:
            self.sqlite.add(record)
        if self.xlsx is not None:
            from dafu.output import csv_rows_from_dict

            self.xlsx.add(letter_row_from_dict(record, neutralise=False), csv_rows_from_dict(record, neutralise=False))

    def commit(self) -> None:
        if self.letters_csv is not None:
            self.letters_csv.commit()
            self.letters_csv = None
        if self.sqlite is not None:
            self.sqlite.commit()
            self.sqlite = None
        if self.xlsx is not None:
            self.xlsx.commit()
            self.xlsx = None

    def discard(self) -> None:
        for sink in (self.letters_csv, self.sqlite, self.xlsx):
            if sink is not None:
                sink.discard()
        self.letters_csv = self.sqlite = self.xlsx = None


def _put_in_place(sink) -> None:
    """Flush `sink._temp` to disk and rename it over `sink.path`; on failure discard it (the old file stays)."""
    try:
        fd = os.open(sink._temp, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(sink._temp, sink.path)
    except OSError as exc:
        sink.discard()
        raise OSError(exc.errno, exc.strerror, sink.path) from exc
    sink._temp = None


def _drop_temp(sink) -> None:
    """Remove `sink._temp` if it is there (the file at `sink.path` stays as it was)."""
    if sink._temp is not None:
        try:
            os.unlink(sink._temp)
        except FileNotFoundError:
            pass
        sink._temp = None
