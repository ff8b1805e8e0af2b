"""Synthetic GBK byte-shift damage, the recipe of REPAIR.md §6 (tests and benchmarks).

`damage(clean_simplified_text, seed)` returns `(damaged, truth)`; both are text after stage S5
(full-width forms as ASCII), `truth` keeps the annotations at every aligned table character.
"""
from __future__ import annotations

import random
import re
from functools import cache, lru_cache

__all__ = ["damage", "TABLE_CORE", "s4_decode", "s5"]

TABLE_CORE = "優內創務區協嚴學導復應戰擔據數業構標準現環產當發監礎穩節結統經續習聯術規訓設認調負責貿質轉農鄉醫關預領風養驅"
_TO_FULL = {c: chr(ord(c) + 0xFEE0) for c in ",:;!?()"}
_ALNUM = re.compile(r"[A-Za-z0-9]")


@lru_cache(maxsize=1)
def _cc(name: str = "s2t"):
    import opencc

    return opencc.OpenCC(name)


@cache
def _reading(c: str) -> str | None:
    from pypinyin import Style, pinyin

    r = pinyin(c, style=Style.TONE)[0][0]
    return r if r != c and r.isalpha() and r.islower() else None


def _gbk(s: str) -> bytes | None:
    try:
        return s.encode("gbk")
    except UnicodeEncodeError:
        return None


def _gbk_clean(text: str) -> str:
    """Step 0: NBSP -> space, non-GBK -> space, ASCII punctuation -> full width between non-alnum."""
    out = []
    for i, c in enumerate(text):
        if c == "\u00a0" or _gbk(c) is None:
            c = " "
        elif c in _TO_FULL:
            prev, nxt = text[i - 1 : i], text[i + 1 : i + 2]
            if not (_ALNUM.match(prev or " ") and _ALNUM.match(nxt or " ")):
                c = _TO_FULL[c]
        out.append(c)
    return "".join(out)


def _table(trad: str, rng: random.Random) -> list[str]:
    """Step 2: the core table plus a quarter of the letter's other traditional-only characters."""
    t2s = _cc("t2s")
    extra = sorted({c for c in trad if c not in TABLE_CORE and t2s.convert(c) != c})
    chosen = set(TABLE_CORE) | {c for c in extra if rng.random() < 0.25}
    keep = [c for c in chosen if _gbk(c) and _reading(c) and _gbk("(" + _reading(c) + ")")]
    return sorted(keep, key=_gbk)


def _annotate(b: bytes, table: list[str]) -> tuple[bytes, list[bool]]:
    """Step 3: insert (reading) after every occurrence, aligned or not; mask marks inserted bytes."""
    mask = [False] * len(b)
    for c in table:
        pat, ins = _gbk(c), _gbk("(" + _reading(c) + ")")
        nb, nm, i = bytearray(), [], 0
        while (j := b.find(pat, i)) >= 0:
            nb += b[i : j + 2] + ins
            nm += mask[i : j + 2] + [True] * len(ins)
            i = j + 2
        nb += b[i:]
        nm += mask[i:]
        b, mask = bytes(nb), nm
    return b, mask


def _sites(b: bytes, mask: list[bool], rng: random.Random) -> list[int]:
    """Step 4: lead bytes of aligned two-byte characters outside annotations, >= 60 bytes apart."""
    sites, i, nxt = [], 0, rng.randint(20, 80)
    while i < len(b):
        if b[i] < 0x80:
            i += 1
            continue
        if i >= nxt and not mask[i] and i + 1 < len(b) and not mask[i + 1]:
            sites.append(i)
            nxt = i + 60 + rng.randint(0, 60)
        i += 2
    return sites


def s4_decode(b: bytes) -> str:
    """Pairwise decoder: ASCII alone, 0x81-0xFE takes the next byte, invalid pair -> one '?'."""
    out, i, n = [], 0, len(b)
    while i < n:
        x = b[i]
        if x < 0x80:
            out.append(chr(x))
            i += 1
        elif x in (0x80, 0xFF) or i + 1 >= n:
            out.append("?")
            i += 1
        else:
            try:
                c = b[i : i + 2].decode("gbk")
                out.append(c if len(c) == 1 else "?")
            except UnicodeDecodeError:
                out.append("?")
            i += 2
    return "".join(out)


def s5(text: str) -> str:
    """Full-width forms U+FF01-U+FF5E -> ASCII; nothing else."""
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)


def damage(clean_simplified_text: str, seed: int) -> tuple[str, str]:
    """Return (damaged, truth) for a clean simplified letter; deterministic in `seed`."""
    rng = random.Random(seed)
    trad = _cc("s2t").convert(_gbk_clean(clean_simplified_text))
    table = _table(trad, rng)
    tset = set(table)
    truth = s5("".join(c + ("(" + _reading(c) + ")" if c in tset else "") for c in trad))
    b, mask = _annotate(trad.encode("gbk"), table)
    ba = bytearray(b)
    for site in _sites(b, mask, rng):
        ba[site] = 0x3F
    return s5(s4_decode(bytes(ba))), truth
