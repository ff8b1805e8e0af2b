"""Character classes and patterns shared by the stages, each defined once.

The CJK ranges differ on purpose, and their names say how:

- ``CJK``: the BMP ideographs a letter is written in (Extension A, the Unified block, the compatibility
  ideographs); what segment and repair match names, titles and annotations with.
- ``CJK_WIDE``: ``CJK`` plus the supplementary planes (Extensions B-F); normalize uses it to decide whether
  a text is Chinese at all, so a rare character outside the BMP still counts.
- ``CJK_BASIC``: the Unified block only (U+4E00-U+9FFF), for the quick tests that a character is an
  ordinary Chinese character (label words in extract, traditional/simplified counts in repair).
"""
from __future__ import annotations

import re

__all__ = ["CJK", "CJK_WIDE", "CJK_BASIC", "NUMERALS", "BRACKETS", "PHONE"]

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_WIDE = CJK + "\U00020000-\U0002ffff"
CJK_BASIC = "\u4e00-\u9fff"

NUMERALS = "一二三四五六七八九十"
"""The Chinese numerals one to ten, in order (一是 … 十是, （一） … （十））."""

BRACKETS = dict(zip("（([〔【《“‘「『〈", "）)]〕】》”’」』〉"))
"""Opening bracket or quote -> its closer."""

PHONE = re.compile(r"(?<![\d-])(?:0\d{2,3}[-－—]?\d{7,8}(?:[-转]\d{1,6})?|1[3-9]\d{9}|\d{7,8})(?![\d])")
"""A telephone number: area code and number (0763-3362101), a mobile (18926661293) or a bare local number.

>>> [m.group() for m in PHONE.finditer("电话：0763-3362101，18926661293")]
['0763-3362101', '18926661293']
"""
