"""The library in a notebook: a letter file to a Record, records to a pandas DataFrame.

    import dafu
    record = dafu.process_file("samples/004_ec6a11e31d304edf.txt")
    dafu.to_dataframe([record]).groupby("unit_kind")["value"].sum()

(README.md's Python example, run by tests/test_readme.py, shows more.)
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .model import Record
from .options import DEFAULT_OPTIONS, Options

__all__ = ["process_file", "to_dataframe"]

_MAX_BYTES = 20_000_000  # as dafu.read.DEFAULT_MAX_BYTES (not imported here: dafu.read loads on first use)


def process_file(path: str | os.PathLike[str], *, options: Options = DEFAULT_OPTIONS, encoding: str | None = None,
                 max_bytes: int = _MAX_BYTES) -> Record:
    """Return the Record of one letter file, decoded as the CLI does (BOMs, UTF-8, GBK/GB18030, Big5, UTF-16).

    The id is the file name without .txt; ``record.source`` keeps the path, the encoding and its confidence.
    Raises ``dafu.ReadError`` for a file that is not a letter (binary, empty, too large, unreadable).
    """
    from .pipeline import process
    from .read import read_file

    path = os.fspath(path)
    decoded = read_file(path, max_bytes=max_bytes, encoding=encoding)
    name = os.path.basename(path)
    id = name[:-4] if name.lower().endswith(".txt") and len(name) > 4 else name
    return process(decoded.text, options=options, id=id, source=decoded.source(path))


def to_dataframe(records: Iterable[Record | dict[str, Any]], table: str = "metrics"):
    """Return a pandas DataFrame of the records' metrics (the columns of metrics.csv) or letters (of letters.csv).

    Values are typed as in datapackage.json: numbers, nullable integers, dates as datetime64, text as str
    (no formula neutralising: that is for spreadsheets). Needs pandas (``pip install 'dafu[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("dafu.to_dataframe needs pandas: pip install 'dafu[pandas]'") from None
    from .output import csv_rows_from_dict, record_to_dict
    from .output.columns import LETTERS, METRICS
    from .output.sqlite import typed_cells
    from .output.tables import letter_row_from_dict

    if table not in ("metrics", "letters"):
        raise ValueError(f"table must be 'metrics' or 'letters'; got {table!r}")
    columns = METRICS if table == "metrics" else LETTERS
    rows: list[list[Any]] = []
    for record in records:
        data = record if isinstance(record, dict) else record_to_dict(record)
        cells = csv_rows_from_dict(data, neutralise=False) if table == "metrics" else \
            [letter_row_from_dict(data, neutralise=False)]
        rows.extend(list(typed_cells(columns, row)) for row in cells)
    frame = pd.DataFrame(rows, columns=[c.name for c in columns])
    for c in columns:
        if c.type == "date":
            frame[c.name] = pd.to_datetime(frame[c.name], format="%Y-%m-%d", errors="coerce")
        elif c.type == "integer":
            frame[c.name] = frame[c.name].astype("Int64")
        elif c.type == "number":
            frame[c.name] = pd.to_numeric(frame[c.name])
    return frame
