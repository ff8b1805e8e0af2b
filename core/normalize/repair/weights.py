"""The repair's weights, read once from ``core/data/repair_weights.toml`` (each line there says why)."""
from __future__ import annotations

from ..._data import data_toml

__all__ = ["weight"]

_TABLE = data_toml("repair_weights.toml")


def weight(section: str, name: str) -> float:
    """Return one weight of the table as a float.

    >>> weight("choice", "margin")
    6.0
    """
    return float(_TABLE[section][name])
