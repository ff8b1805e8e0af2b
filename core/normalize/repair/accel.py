"""The optional C accelerator of the beam's inner loops (_fast.c), or None for the Python code.

The compiled module gives byte-identical answers (tests/test_repair_fast.py); it is absent when no C compiler was
there at install, and ignored when the environment sets DAFU_PURE=1.
"""
from __future__ import annotations

import importlib
import os

from .weights import weight

__all__ = ["FAST"]


def _load():
    if os.environ.get("DAFU_PURE", "") not in ("", "0"):
        return None
    try:
        fast = importlib.import_module(__package__ + "._fast")  # not `from . import`: no import of the package
    except ImportError:
        return None
    fast.configure(*(weight("lm", k) for k in ("word_cost", "run_on", "pmi", "pmi_clip", "trigram", "trigram_prior")))
    return fast


FAST = _load()
