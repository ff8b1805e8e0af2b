"""dafu: Chinese government reply letters to structured records.

The pipeline is ``read -> normalize -> segment -> extract -> output``; each stage is a package of
``dafu`` whose function of the same name is what the package root exports::

    from dafu import process, normalize, segment, extract, find_quantities, Options

``dafu.normalize`` (and ``segment``, ``extract``) is therefore the *function*; reach a stage's module
with ``from dafu.normalize import debris`` or ``importlib.import_module("dafu.normalize")``.
The stage packages import nothing heavy at import time (opencc, jieba, charset_normalizer and jsonschema
are imported by the functions that need them, and a stage's parts, with their compiled patterns, when the
stage first runs); ``process``, the reader and the number scanner are loaded on first use.

In a notebook: ``dafu.process_file(path)`` (any encoding the CLI reads) gives a ``Record``;
``record.to_dict()`` / ``record.to_json()`` its JSON form; ``dafu.to_dataframe(records)`` the metrics (or
``table="letters"``) as a pandas DataFrame (the ``pandas`` extra).
"""
from importlib import import_module as _import_module

from . import output as _output  # noqa: F401  (gives Record its to_dict() and to_json())
from .codes import WarningCode
from .extract import extract
from .model import Quantity, Record
from .normalize import normalize
from .options import DEFAULT_OPTIONS, Options
from .segment import segment

__version__ = "0.1.0"
__all__ = [
    "process", "normalize", "segment", "extract", "find_quantities", "Options", "DEFAULT_OPTIONS",
    "Record", "Quantity", "WarningCode", "read_file", "read_stream", "decode", "ReadError",
    "record_to_dict", "record_to_json", "csv_rows", "CSV_COLUMNS", "json_schema", "process_file", "to_dataframe",
    "__version__",
]

_LAZY = {
    "process": "pipeline", "find_quantities": "extract.quantities",
    "read_file": "read", "read_stream": "read", "decode": "read", "ReadError": "read",
    "record_to_dict": "output", "record_to_json": "output", "csv_rows": "output", "CSV_COLUMNS": "output",
    "json_schema": "output", "process_file": "api", "to_dataframe": "api",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(_import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dafu' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
