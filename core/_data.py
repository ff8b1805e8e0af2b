"""The one way to read the files in ``core/data/`` (lexicons, tables, weights, the JSON Schema).

Readers are not cached themselves: each table is parsed once by the function that builds it (those are
cached), so the raw text of the large tables is not kept alive next to the parsed form.
"""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

__all__ = ["DATA_DIR", "data_path", "data_text", "data_toml"]

DATA_DIR = Path(__file__).with_name("data")


def data_path(name: str) -> Path:
    """Return the path of ``core/data/<name>``."""
    return DATA_DIR / name


def data_text(name: str) -> str:
    """Return the UTF-8 text of ``core/data/<name>``, decompressed when the name ends in ``.gz``.

    >>> data_text("numerals.tsv").splitlines()[0][:1] != ""
    True
    """
    raw = (DATA_DIR / name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def data_toml(name: str) -> dict[str, Any]:
    """Return the parsed TOML file ``core/data/<name>``."""
    import tomllib  # only when a TOML table is first built: keeps `import dafu` cheap

    return tomllib.loads(data_text(name))
