"""The doctests of every dafu module, run once, under the names the package is imported by (dafu.*)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dafu


def _modules() -> list[str]:
    names = ["dafu"]
    for info in pkgutil.walk_packages(dafu.__path__, "dafu."):
        if not info.name.endswith("__main__"):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests failed in {name}"
