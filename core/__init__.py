"""dafu: Chinese government reply letters to structured records.

The pipeline is ``read -> normalize -> segment -> extract -> record``; each stage is importable alone::

    from dafu import process, normalize, segment, extract, find_quantities, Options

The stage functions share their module's name, so they are bound here eagerly (a submodule
import would otherwise shadow them); other names are resolved lazily so ``import dafu`` stays cheap.
"""
from __future__ import annotations

from importlib import import_module

from .extract import extract
from .normalize import normalize
from .segment import segment

__version__ = "0.1.0"
__all__ = [
    "process", "normalize", "segment", "extract", "find_quantities", "Options", "DEFAULT_OPTIONS",
    "Record", "Quantity", "WarningCode", "__version__",
]

_EXPORTS = {
    "process": "pipeline", "find_quantities": "quantities", "Options": "options", "DEFAULT_OPTIONS": "options",
    "Record": "model", "Quantity": "model", "WarningCode": "codes",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'dafu' has no attribute {name!r}")
