"""Pinyin annotations glued to traditional characters (關(guān)于 -> 關于): found, checked, stripped (REPAIR.md §2).

An annotation is stripped only when the character is a traditional form and the syllable is one of its
readings in pypinyin's table; pypinyin's single-character table is read on its own, on first use.
"""
from __future__ import annotations

import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

from .._chars import CJK
from .script import is_trad_only, t2s_char

__all__ = ["strip_pinyin", "strip_annotations", "annotated_chars", "is_annotation", "default_reading", "readings",
           "TONED", "SYL", "ANNOT_RE"]

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
SYL = f"[a-z{TONED}]{{1,7}}"
ANNOT_RE = re.compile(rf"([{CJK}])[(（]({SYL})[)）]")


@lru_cache(maxsize=1)
def _char_readings() -> dict:
    """pypinyin's table of single-character readings (code point -> "guān,wān,wǎn"), read on its own.

    Importing pypinyin loads its phrase dictionary too (+55 MB); the repair needs only this table,
    whose first reading is pypinyin's context-free default (`pinyin(c, style=Style.TONE)[0][0]`).
    """
    spec = importlib.util.find_spec("pypinyin")  # locate the file without importing the package
    path = Path(spec.submodule_search_locations[0]) / "pinyin_dict.py"
    loader = importlib.util.spec_from_file_location("_dafu_pinyin_dict", path)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module.pinyin_dict


@cache
def default_reading(c: str) -> str:
    """Return the first (context-free default) reading of c, or c itself when the table has none."""
    found = _char_readings().get(ord(c))
    return found.split(",")[0] if found else c


@cache
def readings(c: str) -> frozenset:
    """Return every reading of c and of its simplified form."""
    table, out = _char_readings(), set()
    for x in {c, t2s_char(c)}:
        if found := table.get(ord(x)):
            out.update(found.split(","))
    return frozenset(out)


def is_annotation(c: str, syl: str) -> bool:
    """Return whether ``syl`` in brackets after ``c`` is a pinyin annotation of it."""
    return is_trad_only(c) and syl in readings(c)


def strip_annotations(text: str) -> str:
    """Return text without pinyin annotations (strip_pinyin without the count)."""
    return ANNOT_RE.sub(lambda m: m.group(1) if is_annotation(m.group(1), m.group(2)) else m.group(0), text)


def annotated_chars(text: str) -> frozenset:
    """Return the characters that carry a pinyin annotation somewhere in text."""
    return frozenset(m.group(1) for m in ANNOT_RE.finditer(text) if is_annotation(m.group(1), m.group(2)))


def strip_pinyin(text: str) -> tuple[str, int]:
    """Return text without pinyin annotations (REPAIR.md §2) and how many were removed.

    >>> strip_pinyin("各縣(市、區(qū))人社局")
    ('各縣(市、區)人社局', 1)
    """
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        if is_annotation(m.group(1), m.group(2)):
            count += 1
            return m.group(1)
        return m.group(0)

    if "(" not in text and "（" not in text:
        return text, 0
    return ANNOT_RE.sub(sub, text), count
