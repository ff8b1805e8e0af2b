"""The repair's language model: words, character bigrams and trigrams (ngrams.py), the letter's own text.

- words: jieba's general frequencies mixed with those of letters of the genre (genre_words.tsv);
- bigrams and trigrams: see ngrams.py (re-exported here);
- the letter's own words and pairs (the document cache).
The tables are built by bench/build_repair_data.py. Used by dafu.normalize.repair to score candidate readings
of a damaged run (REPAIR.md §3 'Scoring'). Everything is loaded lazily, once per process, and only
when a text has a damage anchor.
"""
from __future__ import annotations

import importlib.util
import math
import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

from ..._data import data_text, data_toml
from .accel import FAST
from .ngrams import Bigrams, Trigrams, _c_bonus, bg_form, bigrams, bonus, clip, pmi, tri_bonus, tri_pmi, trigrams
from .weights import weight

__all__ = ["Scorer", "Bigrams", "Trigrams", "word_model", "bigrams", "trigrams", "bg_form", "pmi", "tri_pmi",
           "bonus", "tri_bonus", "clip", "word_neighbours", "PUNCT"]

PUNCT: dict[str, float] = dict(data_toml("repair_chars.toml")["punct"])  # mark -> its share of running text
_DIGITS_RE = re.compile(r"[0-9□]")
_BIGRAM_W = weight("lm", "doc_bigram")
_GENRE_MIX = weight("lm", "genre_mix")
_WORD_COST = weight("lm", "word_cost")
_UNKNOWN_CJK = weight("lm", "unknown_cjk")
_UNKNOWN_DIGIT = weight("lm", "unknown_digit")
_UNKNOWN_LATIN = weight("lm", "unknown_latin")
_UNKNOWN_OTHER = weight("lm", "unknown_other")
_RUN_ON = weight("lm", "run_on")
_DOC_WORD = weight("lm", "doc_word")
_DOC_ONLY_WORD = weight("lm", "doc_only_word")
_NEIGHBOURS = 40  # characters kept per character in the follower and word-neighbour indexes


@lru_cache(maxsize=1)
def word_model() -> tuple[dict, dict, float]:
    """(word -> log p, char -> log summed frequency, log total) from jieba's dict.txt + domain words."""
    spec = importlib.util.find_spec("jieba")  # locate the data file without importing jieba
    path = Path(spec.submodule_search_locations[0]) / "dict.txt"
    freqs: dict[str, int] = {}
    ints: dict[int, int] = {}  # one object per distinct frequency (about 6,600 of them), not one per word
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) >= 2 and len(parts[0]) <= 8:
                n = int(parts[1])
                freqs[parts[0]] = ints.setdefault(n, n)
    total = sum(freqs.values())
    chars: dict[str, int] = {}
    for w, f in freqs.items():
        for c in w:
            chars[c] = chars.get(c, 0) + f
    for c, pr in PUNCT.items():
        chars[c] = chars.get(c, 0) + int(pr * total / 4)
    logt = math.log(total)
    vocab = freqs  # converted in place (one dict of 349k words, not two), the order kept
    for w in [w for w, f in freqs.items() if f <= 0]:
        del vocab[w]
    logs = {f: math.log(f) - logt for f in ints if f > 0}  # shared float objects: the same values
    for w, f in vocab.items():
        vocab[w] = logs[f]
    for w, p in _genre_words().items():  # the genre's own frequencies, mixed in (待遇 is common in letters)
        vocab[w] = math.log((1 - _GENRE_MIX) * math.exp(vocab.get(w, -99.0)) + _GENRE_MIX * p)
    for w in _domain_words():
        vocab[w] = max(vocab.get(w, -99.0), -10.0)
    for form, w in _variants():
        if w in vocab:
            vocab[form] = max(vocab.get(form, -99.0), vocab[w])
    return vocab, {c: math.log(f + 1) for c, f in chars.items()}, logt


def _variants() -> list[tuple[str, str]]:
    """(traditional form read character by character, jieba word): 答覆 -> 答复 (see the data file)."""
    raw = data_text("repair_variants.tsv")
    return [tuple(line.split("\t")) for line in raw.splitlines() if line and not line.startswith("#")]


def _genre_words() -> dict[str, float]:
    """word -> its probability among the Chinese tokens of letters of the genre (see the data file)."""
    raw = data_text("genre_words.tsv")
    rows = [line.split("\t") for line in raw.splitlines() if line and not line.startswith("#")]
    total = int(rows[0][1])
    return {w: int(n) / total for w, n in rows[1:]}


@lru_cache(maxsize=1)
def _domain_words() -> tuple[str, ...]:
    raw = data_text("repair_words.txt")
    return tuple(w for w in (x.strip() for x in raw.splitlines()) if w and not w.startswith("#"))


@lru_cache(maxsize=1)
def _sorted_words() -> dict[int, list[str]]:
    """The model's words of 2-6 characters by length, each list in code point order (a prefix is a range)."""
    by_len: dict[int, list[str]] = {n: [] for n in range(2, 7)}
    for w in word_model()[0]:
        if 2 <= len(w) <= 6:
            by_len[len(w)].append(w)
    for words in by_len.values():
        words.sort()
    return by_len


_MIDS: dict[tuple, dict] = {}  # (q, t) -> {x: log p of the word q + x + t}, filled on demand, shared by every letter
_MIDS_MAX = 100_000
_NONE: dict = {}  # the (shared, never written) answer of most look-ups: no such word


def _scan(by_len: dict[int, list[str]], q: str, t: str, values: dict) -> dict[str, float]:
    """{x: values[w]} for the words w = q + x + t of sorted word lists by length (in code point order)."""
    words = by_len.get(len(q) + 1 + len(t))
    if not words:
        return {}
    if FAST is not None:
        return FAST.scan(words, q, t, values)
    value = values.__getitem__
    k, lo = len(q), bisect_left(words, q)
    hi = bisect_left(words, q + "\U0010ffff", lo)  # no word holds the last code point
    if not t:
        return {w[k]: value(w) for w in words[lo:hi]}
    return {w[k]: value(w) for w in words[lo:hi] if w.endswith(t)}


def mids(q: str, t: str = "") -> dict[str, float]:
    """The characters x for which q + x + t is a word of the model (q not empty), with its log probability."""
    r = _MIDS.get((q, t))
    if r is None:
        if len(_MIDS) >= _MIDS_MAX:
            _MIDS.clear()
        r = _MIDS[(q, t)] = _scan(_sorted_words(), q, t, word_model()[0]) or _NONE
    return r


def followers(u: str) -> dict[str, float]:
    """The characters x for which u + x is a word of the model, with that word's log probability."""
    return mids(u, "")


_BONUS: dict[str, float] = {}  # a character after 1-2 characters of context -> bonus(), shared by every letter
_BONUS_MAX = 50_000


def _bonus_cache() -> dict[str, float]:
    """The bonus terms computed so far (they read only the shared tables), emptied when full (bounded memory)."""
    if len(_BONUS) >= _BONUS_MAX:
        _BONUS.clear()
    return _BONUS


def _char_cost(c: str, vocab: dict) -> float:
    v = vocab.get(c)
    if v is not None:
        return v
    if c in PUNCT:
        return math.log(PUNCT[c])
    o = ord(c)
    if 0x3400 <= o <= 0x9FFF:
        return _UNKNOWN_CJK
    if "0" <= c <= "9":
        return _UNKNOWN_DIGIT
    if c.isascii() and c.isalpha():
        return _UNKNOWN_LATIN
    return _UNKNOWN_OTHER


class Scorer:
    """Best-path word-unigram score with a document cache (REPAIR.md §3 'Scoring')."""

    def __init__(self, doc: str, raw_chars: frozenset = frozenset()):
        self.vocab = word_model()[0]
        self.overlay = self._doc_overlay(doc)
        self.raw_chars = raw_chars
        self.memo: dict = {}  # this letter's scoring work, done once (search.py)
        self.ov_sorted: dict[int, list[str]] = {}
        for w in sorted(self.overlay):
            self.ov_sorted.setdefault(len(w), []).append(w)
        self.ov_prefixes = frozenset(w[:k] for w in self.overlay for k in range(1, len(w)))
        digits = _DIGITS_RE.sub("0", doc)
        self.bigrams: dict[str, int] = {}
        for i in range(len(digits) - 1):
            b = digits[i : i + 2]
            self.bigrams[b] = self.bigrams.get(b, 0) + 1

    def total(self, s: str, best_left: list[float], right: str = "") -> float:
        """Word-path score of s plus the document-cache bigram bonus past the shared prefix.

        best_left is the DP of a prefix of s (its length says which): the score is kept once per letter.
        `right`, a suffix of s that many readings share (the right context): its words are looked up once.
        """
        key = ("total", s, len(best_left))
        r = self.memo.get(key)
        if r is None:
            if not right or len(s) - len(right) < len(best_left) + 2:
                right = ""
            r = self.memo[key] = self._total(s, best_left, right)
        return r

    def _total(self, s: str, best_left: list[float], right: str) -> float:
        v = self.extend(s, best_left)[-1] if not right else self._extend_right(s, best_left, right)
        n0 = len(s) - len(right)  # terms whose inputs lie inside `right` are shared
        t = _DIGITS_RE.sub("0", s[max(0, len(best_left) - 2) : n0])
        memo = _bonus_cache()
        start = max(0, len(best_left) - 3)
        if FAST is not None:
            _c_bonus()  # the C bonus reads the tables it was given (None below: bonus(bg, key[:-1], key[-1]) in C)
            docs, terms = FAST.total_terms(t, s, start, min(len(s), n0 + 2), memo, None, self.bigrams)
        else:
            docs, terms = self._terms(t, s, start, n0)
        if right:
            shared = self._right_terms(right)
            docs.append(math.log1p(self.bigrams.get(_DIGITS_RE.sub("0", s[n0 - 1 : n0 + 1]), 0)))
            docs += shared[0]
            terms += shared[1]
        return v + _BIGRAM_W * sum(docs) + sum(terms)

    def _terms(self, t: str, s: str, start: int, n0: int) -> tuple[list[float], list[float]]:
        """_total's document-bigram terms of t and bonus terms of s up to the shared right context (n0)."""
        docs = [math.log1p(self.bigrams.get(t[i : i + 2], 0)) for i in range(len(t) - 1)]
        bg, memo, terms = bigrams(), _bonus_cache(), []
        for k in range(start + 1, min(len(s), n0 + 2)):
            key = s[max(start, k - 2) : k + 1]  # the left context and the character: the term's whole input
            t = memo.get(key)
            if t is None:
                t = memo[key] = bonus(bg, key[:-1], key[-1])
            terms.append(t)
        return docs, terms

    def _right_terms(self, right: str) -> tuple[list[float], list[float]]:
        """The document-bigram and bonus terms that lie wholly inside a shared right context, once."""
        key = ("rterms", right)
        got = self.memo.get(key)
        if got is None:
            t, bg, memo = _DIGITS_RE.sub("0", right), bigrams(), _bonus_cache()
            docs = [math.log1p(self.bigrams.get(t[i : i + 2], 0)) for i in range(len(t) - 1)]
            terms = []
            for k in range(2, len(right)):
                w = right[k - 2 : k + 1]
                v = memo.get(w)
                if v is None:
                    v = memo[w] = bonus(bg, w[:-1], w[-1])
                terms.append(v)
            got = self.memo[key] = (docs, terms)
        return got

    def _ends(self, right: str) -> list:
        """How extend reads each character of a shared right context: None (a line end), False (a letter or
        digit running on), or (its cost as a word, [(n, log p) of the words of n characters ending there])."""
        key = ("ends", right)
        got = self.memo.get(key)
        if got is None:
            got = self.memo[key] = []
            for q in range(1, len(right) + 1):
                c = right[q - 1]
                if c == "\n":
                    got.append(None)
                elif q >= 2 and c.isascii() and c.isalnum() and right[q - 2].isascii() and right[q - 2].isalnum():
                    got.append(False)
                else:
                    v = self.overlay.get(c)
                    words = [(n, w) for n in range(2, min(6, q) + 1) if (w := self.word(right[q - n : q])) is not None]
                    got.append((v if v is not None else _char_cost(c, self.vocab), words))
        return got

    def _extend_right(self, s: str, best_left: list[float], right: str) -> float:
        """extend(s, best_left)[-1] (the same arithmetic), the words inside `right` (a suffix of s) read once."""
        n0 = len(s) - len(right)
        if FAST is not None:
            return FAST.extend_right(s, best_left, n0, self._ends(right), self.overlay, self.vocab, _char_cost)
        best = self.extend(s[:n0], best_left)
        ov, vget = self.overlay.get, self.vocab.get
        for q, e in enumerate(self._ends(right), 1):
            p = n0 + q
            if e is None:
                best.append(best[p - 1])
                continue
            if e is False or (q == 1 and s[p - 1].isascii() and s[p - 1].isalnum() and s[p - 2].isascii()
                              and s[p - 2].isalnum()):
                best.append(best[p - 1] + _RUN_ON)
                continue
            b = best[p - 1] + e[0] + _WORD_COST
            for n, v in e[1]:
                if best[p - n] + v + _WORD_COST > b:
                    b = best[p - n] + v + _WORD_COST
            best.append(_words_ending(s, p, q + 1, best, b, ov, vget))  # the words that begin before `right`
        return best[-1]

    def _doc_overlay(self, doc: str) -> dict:
        ov, seen = {}, {}
        for i in range(len(doc)):
            for n in range(2, 5):
                w = doc[i : i + n]
                if len(w) < n or not all("\u4e00" <= c <= "\u9fff" for c in w):
                    break
                if w in self.vocab:
                    ov[w] = self.vocab[w] + _DOC_WORD
                else:
                    seen[w] = seen.get(w, 0) + 1
        for w, k in seen.items():
            if k >= 2:
                ov[w] = _DOC_ONLY_WORD
        return ov

    def mids(self, q: str, t: str = "") -> dict[str, float]:
        """`mids(q, t)` with this letter's own words (the document cache) over them, as `word` reads them."""
        if q not in self.ov_prefixes:
            return mids(q, t)
        key = ("mids", q, t)
        r = self.memo.get(key)
        if r is None:
            r = self.memo[key] = {**mids(q, t), **_scan(self.ov_sorted, q, t, self.overlay)}
        return r

    def fols(self, tail: str) -> list[tuple[int, dict]]:
        """[(len(q) + 1, self.mids(q))] for the suffixes q of tail (up to 5 characters) that a word continues."""
        key = ("fols", tail)
        r = self.memo.get(key)
        if r is None:
            r = self.memo[key] = [(k + 1, d) for k in range(1, len(tail) + 1) if (d := self.mids(tail[-k:]))]
        return r

    def word(self, w: str) -> float | None:
        v = self.overlay.get(w)
        return v if v is not None else self.vocab.get(w)

    def extend(self, s: str, best: list[float]) -> list[float]:
        """DP best path over s, reusing best[0..len(best)-1] for a shared prefix."""
        if FAST is not None and best:
            return FAST.extend(s, best, self.overlay, self.vocab, _char_cost)
        best = best[:]
        ov, vget, vocab = self.overlay.get, self.vocab.get, self.vocab
        for p in range(len(best), len(s) + 1):
            c = s[p - 1]
            if c == "\n":
                best.append(best[p - 1])  # a line break is a free boundary
                continue
            if p >= 2 and c.isascii() and c.isalnum() and s[p - 2].isascii() and s[p - 2].isalnum():
                best.append(best[p - 1] + _RUN_ON)  # digits and Latin letters run on as one token
                continue
            v = ov(c)
            b = best[p - 1] + (v if v is not None else _char_cost(c, vocab)) + _WORD_COST
            best.append(_words_ending(s, p, 2, best, b, ov, vget))
        return best


def _words_ending(s: str, p: int, lo: int, best: list[float], b: float, ov, vget) -> float:
    """The best path to p: b (the last character alone), or a word of lo..6 characters s[p - n : p] after best[p - n]
    (the word DP's step, Scorer.extend and _extend_right)."""
    for n in range(lo, min(6, p) + 1):
        w = s[p - n : p]
        v = ov(w)
        if v is None:
            v = vget(w)
        if v is not None and best[p - n] + v + _WORD_COST > b:
            b = best[p - n] + v + _WORD_COST
    return b


@lru_cache(maxsize=1)
def word_neighbours() -> tuple[dict, dict]:
    """(a -> characters that follow a in two-character words, b -> those before b).

    Domain words first, then frequent ones.
    """
    vocab = word_model()[0]
    after, before = {}, {}
    pairs = [w[i : i + 2] for w in _domain_words() for i in range(len(w) - 1)]  # the genre's own pairs first
    pairs += sorted((w for w in vocab if len(w) == 2), key=vocab.get, reverse=True)
    one: dict[str, str] = {}  # one string object per character (not one per word it is in)
    for w in dict.fromkeys(pairs):  # each pair once: a repeated pair would take a place among the first 40
        a, b = one.setdefault(w[0], w[0]), one.setdefault(w[1], w[1])
        after.setdefault(a, []).append(b)
        before.setdefault(b, []).append(a)
    return ({a: tuple(v[:_NEIGHBOURS]) for a, v in after.items()},
            {b: tuple(v[:_NEIGHBOURS]) for b, v in before.items()})
