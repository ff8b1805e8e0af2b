"""Pinyin annotations glued to traditional characters (關(guān)于 -> 關于): found, checked, stripped (REPAIR.md §2).

An annotation is stripped only when the character is a traditional form and the syllable is one of its
readings in pypinyin's table; pypinyin's single-character table is read on its own, on first use.
Toneless annotations (农(nong)(nong)村, 會(hui) 議, FIELD-GUIDE part 2) may follow any character: each group
must be one of its readings without tone marks.
"""
from __future__ import annotations

import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

from .._chars import CJK
from .script import is_trad_only, t2s_char

__all__ = ["strip_pinyin", "strip_toneless", "strip_annotations", "annotated_chars", "is_annotation",
           "default_reading", "readings", "toneless_readings", "TONED", "SYL", "ANNOT_RE"]

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
SYL = f"[a-z{TONED}]{{1,7}}"
ANNOT_RE = re.compile(rf"([{CJK}])[(（]({SYL})[)）]")
_ANNOT_CUE = re.compile(f"[(（][a-z{TONED}]")  # in every match of ANNOT_RE and _TONELESS_RE


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

    if not _ANNOT_CUE.search(text):
        return text, 0  # no bracket opens on a letter: no annotation, toned or not (a cheap search)
    text = ANNOT_RE.sub(sub, text)
    text, toneless = strip_toneless(text)
    return text, count + toneless


# 农(nong)(nong)村, 會(hui) 議, 2021年(nian): toneless, maybe doubled, after any character (FIELD-GUIDE part 2, 4)
_TONELESS_RE = re.compile(rf"([{CJK}])((?:[(（][a-z]{{1,6}}[)）])+)(?: (?=[{CJK}]))?")
_UNTONE = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")


@cache
def toneless_readings(c: str) -> frozenset:
    """Return c's readings without tone marks (ü also written v or u).

    >>> sorted(toneless_readings("农"))
    ['nong']
    """
    out = {r.translate(_UNTONE) for r in readings(c)}
    return frozenset(out | {r.replace("ü", "v") for r in out} | {r.replace("ü", "u") for r in out})


def strip_toneless(text: str) -> tuple[str, int]:
    """Return text without toneless annotations, each group one of the character's readings, and their count.

    One or more groups may follow the character, and the space an annotation leaves inside a word goes too.

    >>> strip_toneless("农(nong)(nong)牧厅, 會(hui) 議, 设施(场地), 第三条(a)项")
    ('农牧厅, 會議, 设施(场地), 第三条(a)项', 3)
    """
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        syllables = re.findall(r"[a-z]+", m.group(2))
        if not all(syl in toneless_readings(m.group(1)) for syl in syllables):
            return m.group(0)
        count += len(syllables)
        return m.group(1)

    return _TONELESS_RE.sub(sub, text), count
