"""Script conversion (OpenCC t2s / s2t) and script detection; the project's one cache of OpenCC converters."""
from __future__ import annotations

import re
from array import array
from functools import cache, lru_cache

from .._chars import CJK_WIDE

__all__ = [
    "converter", "to_script", "detect_script", "script_of", "count_changes", "has_cjk",
    "t2s_char", "is_trad_only", "is_simp_only", "variant_rank",
]

_CJK_RE = re.compile(f"[{CJK_WIDE}]")
_CHUNK = 256
_UTF32, _LONE = "utf-32-le", "surrogatepass"  # a lone surrogate (from surrogateescape) is a character too
_WORD = next(code for code in "IL" if array(code).itemsize == 4)  # one UTF-32 code unit


@lru_cache(maxsize=4)
def converter(config: str):
    """Return the OpenCC converter for ``config`` ("t2s", "s2t"), made once per process."""
    import opencc  # lazy: 20 ms import, not needed by `dafu --help`

    return opencc.OpenCC(config)


def has_cjk(text: str) -> bool:
    """Return whether text holds a CJK character (supplementary planes included)."""
    return _CJK_RE.search(text) is not None


def to_script(text: str, script: str = "simplified") -> str:
    """Return ``text`` in the wanted script (OpenCC t2s / s2t), length-preserving.

    >>> to_script("關於職業技能培訓的答復")
    '关于职业技能培训的答复'
    """
    if script == "keep" or not _CJK_RE.search(text):
        return text
    conv = converter("t2s" if script == "simplified" else "s2t")
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    # A phrase rule changed the length: convert character by character so offsets stay valid.
    return "".join(c if len(s := conv.convert(c)) != 1 else s for c in text)


def detect_script(text: str, simplified: str | None = None) -> str:
    """Return simplified, traditional, mixed or none from the characters OpenCC would change.

    >>> detect_script("關於技能培訓"), detect_script("关于技能培训"), detect_script("2024")
    ('traditional', 'simplified', 'none')
    """
    if not _CJK_RE.search(text):
        return "none"
    simplified = to_script(text, "simplified") if simplified is None else simplified
    return script_of(text, count_changes(text, simplified))


def script_of(text: str, trad: int) -> str:
    """Return detect_script's answer for CJK text in which t2s changes ``trad`` characters."""
    if trad == 0:
        return "simplified"  # valid simplified text (no need to load the s2t converter)
    simp = count_changes(text, to_script(text, "traditional"))
    if trad + simp == 0:
        return "none"
    share = trad / (trad + simp)
    return "traditional" if share >= 0.9 else "simplified" if share <= 0.1 else "mixed"


def count_changes(before: str, after: str) -> int:
    """Return how many characters differ (same length), else the difference in length.

    Equal chunks are skipped by one C comparison each; in a chunk that differs, the characters are compared
    all at once: XOR of the two chunks' UTF-32 bytes as integers, then the zero words of that counted.

    >>> count_changes("關於技能", "关于技能"), count_changes("abc", "a")
    (2, 2)
    """
    if len(before) != len(after):
        return abs(len(before) - len(after))
    changed = 0
    for i in range(0, len(before), _CHUNK):
        a, b = before[i:i + _CHUNK], after[i:i + _CHUNK]
        if a != b:
            changed += _differing(a, b)
    return changed


def _differing(a: str, b: str) -> int:
    """Return how many characters of two strings of one length differ."""
    xor = int.from_bytes(a.encode(_UTF32, _LONE), "little") ^ int.from_bytes(b.encode(_UTF32, _LONE), "little")
    return len(a) - array(_WORD, xor.to_bytes(4 * len(a), "little")).count(0)


# ---------------------------------------------------------------- one character at a time (the repair's view)
@cache
def t2s_char(c: str) -> str:
    """Return OpenCC's simplified form of one character (may be longer than one for a few)."""
    return converter("t2s").convert(c)


@cache
def variant_rank(c: str) -> int:
    """0 for a character's usual form, 1 for a rare variant of it (侷 for 局): on a tie the usual form wins."""
    s = t2s_char(c)
    return 0 if s == c or converter("s2t").convert(s) == c else 1


@cache
def is_trad_only(c: str) -> bool:
    """Return whether c is a traditional form that t2s changes."""
    return t2s_char(c) != c


@cache
def is_simp_only(c: str) -> bool:
    """Return whether c is a simplified form that s2t changes (and t2s leaves)."""
    return converter("s2t").convert(c) != c and t2s_char(c) == c
