"""The repair's character n-grams: bigrams of running text and letters, trigrams of letters of the genre.

- bigrams: running text (People's Daily) plus letters of the genre, line ends included (Witten-Bell);
- trigrams: letters of the genre only (genre_trigrams.tsv.gz).
The tables are built by bench/build_repair_data.py and loaded lazily, once per process (lm.py: the word model).
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

from ..._data import data_text
from .accel import FAST
from .weights import weight

__all__ = ["Bigrams", "Trigrams", "bigrams", "trigrams", "bg_form", "pmi", "tri_pmi", "bonus", "tri_bonus", "clip"]

_PMI_W = weight("lm", "pmi")
_PMI_CLIP = weight("lm", "pmi_clip")
_TRI_W = weight("lm", "trigram")
_TRI_PRIOR = weight("lm", "trigram_prior")
_NEIGHBOURS = 40  # characters kept per character in the follower index


@dataclass(frozen=True, slots=True)
class Bigrams:
    """Witten-Bell character bigrams of running text and letters (core/data/char_bigrams.tsv.gz), digits as 0."""

    by_first: dict  # a -> {b: log P(b | a)} (one small dict per first character: no string key per pair)
    back: dict  # a -> log of the share of P(. | a) left for followers never seen after a
    uni: dict  # c -> log P(c)
    floor: float  # log P of a character never seen
    followers: dict  # a -> the characters seen most often after a
    leaders: dict  # b -> the characters seen most often before b


def _gz_rows(name: str):
    """The tab-separated rows of a gzipped table in dafu/data, comment lines left out (one at a time)."""
    for line in io.StringIO(data_text(name)):
        if not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


@lru_cache(maxsize=1)
def bigrams() -> Bigrams:
    chars, pairs = {}, {}
    for key, n, *rest in _gz_rows("char_bigrams.tsv.gz"):
        if len(key) == 1:
            chars[key] = (int(n), int(rest[0]))
        else:
            pairs[key] = int(n)
    total = sum(n for n, _ in chars.values()) + 0.5 * len(chars)
    uni = {c: math.log((n + 0.5) / total) for c, (n, _) in chars.items()}
    back = {a: math.log(t / (n + t)) for a, (n, t) in chars.items() if t}
    followers, leaders, by_first = {}, {}, {}
    one = {c: c for c in chars}  # one string object per character (not one per pair it is in)
    for ab in sorted(pairs, key=pairs.get, reverse=True):
        a, b = one.get(ab[0], ab[0]), one.get(ab[1], ab[1])
        followers.setdefault(a, []).append(b)
        leaders.setdefault(b, []).append(a)
        by_first.setdefault(a, {})[b] = math.log((pairs[ab] + chars[a][1] * math.exp(uni[b])) / sum(chars[a]))
    cut = lambda d: {k: tuple(v[:_NEIGHBOURS]) for k, v in d.items()}  # noqa: E731
    return Bigrams(by_first, back, uni, math.log(0.5 / total), cut(followers), cut(leaders))


def bg_form(c: str) -> str:
    """The character as the bigram table writes it: every digit (and □, a lost digit) is 0, a line end ¶."""
    return "0" if c.isdigit() or c == "□" else "¶" if c == "\n" else c


def pmi(bg: Bigrams, a: str, b: str) -> float:
    """log P(b | a) - log P(b): how much more (or less) likely b is right after a; b may be the end of
    a line (how often a line ends with a), but nothing is known across a line (a is a line end).

    Inside a word too: the word model gives a word's frequency in general text, the pair its
    frequency in running text and in letters of the genre (the second session's rule, 0 inside a
    word, measured 16 more wrong characters on 582 held-out sites once the genre letters were in).
    """
    if a == "\n" or not a:
        return 0.0
    a, b = bg_form(a), bg_form(b)
    d = bg.by_first.get(a)
    v = d.get(b) if d is not None else None
    if v is not None:
        return v - bg.uni[b]
    return bg.back.get(a, 0.0) if b in bg.uni else 0.0


def clip(v: float) -> float:
    return _PMI_CLIP if v > _PMI_CLIP else -_PMI_CLIP if v < -_PMI_CLIP else v  # max(-C, min(C, v)), cheaper


def bonus(bg: Bigrams, left: str, b: str) -> float:
    """What b gains or loses right after the last one or two characters of `left`: the weighted,
    clipped bigram term, and the genre's trigram term when two characters are known."""
    if FAST is not None and bg is bigrams():
        return _c_bonus()(left, b)
    if not left:
        return 0.0
    v = _PMI_W * clip(pmi(bg, left[-1], b))
    return v + tri_bonus(bg, left[-2], left[-1], b) if len(left) >= 2 else v


@lru_cache(maxsize=1)
def _c_bonus():
    """The C accelerator's bonus (the same arithmetic) over this process's tables."""
    bg, tg = bigrams(), trigrams()
    FAST.set_tables(bg.by_first, bg.back, bg.uni, bg.floor, tg.after, tg.triple)
    return FAST.bonus


def tri_bonus(bg: Bigrams, a: str, b: str, c: str) -> float:
    """The weighted, clipped trigram term for c after a b."""
    return _TRI_W * clip(tri_pmi(bg, a, b, c))


@dataclass(frozen=True, slots=True)
class Trigrams:
    """Character triples of letters of the genre (core/data/genre_trigrams.tsv.gz)."""

    triple: dict  # "abc" -> count
    after: dict  # "ab" -> number of triples that start with ab
    by_pair: dict  # "ab" -> {c: count of abc} (the same counts, read without building "abc")
    after_by_first: dict  # a -> {b: after["ab"]}


@lru_cache(maxsize=1)
def trigrams() -> Trigrams:
    triple, after, by_pair, after_by_first = {}, {}, {}, {}
    for key, n in _gz_rows("genre_trigrams.tsv.gz"):
        (triple if len(key) == 3 else after)[key] = int(n)
    for key, n in triple.items():
        by_pair.setdefault(key[:2], {})[key[2]] = n
    for key, n in after.items():
        after_by_first.setdefault(key[0], {})[key[1]] = n
    return Trigrams(triple, after, by_pair, after_by_first)


def tri_pmi(bg: Bigrams, a: str, b: str, c: str) -> float:
    """log P(c | a b) - log P(c | b) in letters of the genre, P(c | a b) smoothed towards P(c | b);
    0 where the pair a b was never seen there or a line ends in it."""
    if a == "\n" or b == "\n":
        return 0.0
    a, b, c = bg_form(a), bg_form(b), bg_form(c)
    tg = trigrams()
    n_ab = tg.after.get(a + b)
    if not n_ab:
        return 0.0
    p2 = math.exp(pmi(bg, b, c) + bg.uni.get(c, bg.floor))
    return math.log((tg.triple.get(a + b + c, 0) + _TRI_PRIOR * p2) / (n_ab + _TRI_PRIOR)) - math.log(p2)
