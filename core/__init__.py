"""dafu: Chinese government reply letters to structured records.

The pipeline is ``read -> normalize -> segment -> extract -> record``; each stage is importable alone::

    from dafu import process, normalize, segment, extract, find_quantities, Options

Names are resolved lazily so that ``import dafu`` (and ``dafu --help``) stays cheap.
"""
from __future__ import annotations

import sys
import types
from importlib import import_module

__version__ = "0.1.0"
__all__ = [
    "process", "normalize", "segment", "extract", "find_quantities", "Options", "DEFAULT_OPTIONS",
    "Record", "Quantity", "WarningCode", "__version__",
]

_EXPORTS = {
    "process": "pipeline", "normalize": "normalize", "segment": "segment", "extract": "extract",
    "find_quantities": "quantities", "Options": "options", "DEFAULT_OPTIONS": "options",
    "Record": "model", "Quantity": "model", "WarningCode": "codes",
}
_STAGES = frozenset({"normalize", "segment", "extract"})


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'dafu' has no attribute {name!r}")


class _Package(types.ModuleType):
    """The package module; ``dafu.normalize`` stays the function after its module is imported."""

    def __setattr__(self, name: str, value) -> None:
        # The import system binds each imported submodule on its package; for the stage modules
        # that would hide the stage function of the same name, so bind the function instead.
        if name in _STAGES and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
