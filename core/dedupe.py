"""Mirror copies: letters whose text is the same or nearly the same, grouped; one canonical per group (pure).

Decisions (issue 22; thresholds measured by ``bench/dedupe_eval.py``):

- The comparable text is the normalized text with everything but CJK characters, letters and digits
  removed (punctuation, spaces and line breaks differ between copies); its SHA-256 is the exact key.
- Near copies: MinHash (datasketch, the ``dedupe`` extra; 128 permutations, ``affine32``, fixed
  seed) of the set of character 5-grams; MinHashLSH at a low Jaccard threshold finds candidate
  pairs, and a pair is a copy when the smaller text is mostly contained in the larger one
  (containment ≥ ``CONTAINMENT``, estimated from the Jaccard estimate and both set sizes) and the
  Jaccard estimate is ≥ ``MIN_JACCARD``. Containment, not Jaccard, decides: a truncated copy keeps
  half of a letter's 5-grams (Jaccard 0.5) but all it keeps is in the full text. Texts with fewer
  than ``MIN_SHINGLES`` 5-grams only ever match exactly (too little text to tell a copy).
- Copies of about the same size (``PEER_SHARE``) join one group, transitively. A much smaller text held
  by larger ones (a truncated copy) joins only the one it shares most with: a fragment that two
  different letters both start with cannot merge them.
- Two texts that name different proposal numbers or different document numbers are never near
  copies (one bureau's replies to two proposals share whole paragraphs); exact copies always group.
- Groups are the connected parts of that relation. The canonical member is the most complete
  copy (its 5-gram set at least 90% of the group's largest, then a signature block: a date or an
  issuer), then one from an official domain (``.gov.cn``), then the earliest ``fetched_at``, then
  the smallest id. Everything depends only on the members, never on their order.
- A ``Member`` keeps the signature (512 bytes of hash values), never the text: memory stays small.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Member", "Copy", "DedupeExtraMissing", "comparable_text", "member", "record_member", "dict_member",
           "group", "require",
           "CONTAINMENT", "MIN_JACCARD", "MIN_SHINGLES"]

SHINGLE = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.3  # candidates only; CONTAINMENT decides
CONTAINMENT = 0.9  # bench/dedupe_eval.py: 0.95 loses spam and truncated copies, 0.8 lets siblings in
MIN_JACCARD = 0.3
MIN_SHINGLES = 50
PEER_SHARE = 0.8  # two copies of about the same size are peers; a smaller one is a part (a truncated copy)
FULL_SHARE = 0.9  # a copy with at least this share of the largest copy's 5-grams is complete
_KEEP = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class DedupeExtraMissing(ImportError):
    """datasketch is not installed: --dedupe needs the ``dedupe`` extra."""

    def __init__(self) -> None:
        super().__init__("grouping mirror copies needs the dedupe extra: pip install 'dafu[dedupe]'")


@dataclass(frozen=True, slots=True)
class Member:
    """What grouping needs of one letter (no text): hashes, size and the canonical-choice facts."""

    id: str
    exact: str  # SHA-256 of the comparable text
    hashes: bytes  # MinHash values, uint32 little-endian (empty for a text too short to sketch)
    size: int  # number of distinct 5-grams
    signed: bool  # the letter has a signature block (a date or an issuer)
    official: bool  # fetched from a government domain
    fetched_at: str | None
    refs: tuple[str | None, ...] = ()  # (proposal number, document number): different ones veto a near copy


@dataclass(frozen=True, slots=True)
class Copy:
    """A non-canonical member: the canonical member's id and how they match."""

    canonical: str
    how: str  # "same text" | "near copy, similarity 0.93"


def require() -> None:
    """Raise DedupeExtraMissing when datasketch cannot be imported."""
    try:
        import datasketch  # noqa: F401
    except ImportError:
        raise DedupeExtraMissing() from None


def comparable_text(text: str) -> str:
    """Return the text with only CJK characters, letters and digits (what copies share).

    >>> comparable_text("一、培训 1,000人次。\\n此复")
    '一培训1000人次此复'
    """
    return _KEEP.sub("", text)


def _shingles(text: str) -> set[bytes]:
    return {text[k:k + SHINGLE].encode("utf-8") for k in range(max(0, len(text) - SHINGLE + 1))}


def member(id: str, text: str, *, signed: bool = False, url: str | None = None, fetched_at: str | None = None,
           refs: tuple[str | None, ...] = ()) -> Member:
    """Return the grouping signature of one letter's normalized text."""
    from .provenance import is_official

    plain = comparable_text(text)
    shingles = _shingles(plain)
    hashes = b""
    if len(shingles) >= MIN_SHINGLES:
        import numpy as np

        mh = _minhash()
        mh.update_batch(sorted(shingles))
        hashes = np.asarray(mh.hashvalues, dtype="<u4").tobytes()
    return Member(id, hashlib.sha256(plain.encode("utf-8")).hexdigest(), hashes, len(shingles), signed,
                  is_official(url), fetched_at, tuple(refs))


def record_member(record) -> Member:
    """Return the grouping signature of a Record (its text, signature block, provenance, numbers)."""
    source = record.source
    return member(record.id, record.text, signed=bool(record.date or record.issuer),
                  url=source.url if source else None, fetched_at=source.fetched_at if source else None,
                  refs=(record.proposal.number if record.proposal else None,
                        record.doc_number.raw if record.doc_number else None))


def dict_member(record: dict) -> Member:
    """Return the grouping signature of a record dict (a record file read back)."""
    source = record.get("source") or {}
    return member(record["id"], record["text"], signed=bool(record.get("date") or record.get("issuer")),
                  url=source.get("url"), fetched_at=source.get("fetched_at"),
                  refs=((record.get("proposal") or {}).get("number"), (record.get("doc_number") or {}).get("raw")))


def _minhash(hashvalues=None):
    try:
        from datasketch import MinHash
    except ImportError:
        raise DedupeExtraMissing() from None
    return MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", hashvalues=hashvalues)


def _similar(a: Member, b: Member) -> float | None:
    """Return the Jaccard estimate of two sketched members when one is a copy of the other, else None."""
    import numpy as np

    if any(x and y and x != y for x, y in zip(a.refs, b.refs)):
        return None  # answers to different proposals, or different documents: never copies
    ha, hb = np.frombuffer(a.hashes, dtype="<u4"), np.frombuffer(b.hashes, dtype="<u4")
    jaccard = float(np.count_nonzero(ha == hb)) / NUM_PERM
    if jaccard < MIN_JACCARD:
        return None
    shared = jaccard / (1 + jaccard) * (a.size + b.size)
    return jaccard if shared / min(a.size, b.size) >= CONTAINMENT else None


class _Sets:
    """Union-find over ids; the root of a set is its smallest id (order-independent)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group(members: Iterable[Member]) -> dict[str, Copy]:
    """Return {id: Copy} for every member that is a copy of another; canonical members are absent.

    >>> a = Member("a", "x", b"", 3, True, False, None); b = Member("b", "x", b"", 3, True, True, None)
    >>> group([a, b])
    {'a': Copy(canonical='b', how='same text')}
    """
    by_id = {m.id: m for m in sorted(members, key=lambda m: m.id)}
    sets = _Sets()
    exact_rep: dict[str, str] = {}
    for m in by_id.values():
        sets.find(m.id)
        if m.exact in exact_rep:
            sets.union(exact_rep[m.exact], m.id)
        else:
            exact_rep[m.exact] = m.id
    sketched = [by_id[i] for i in exact_rep.values() if by_id[i].hashes]
    similarity: dict[frozenset[str], float] = {}
    parts: dict[str, list[tuple[float, str]]] = {}  # a shorter copy -> (-jaccard, id of a longer text holding it)
    for a, b, j in _copy_pairs(sketched, by_id):
        small, big = sorted((a, b), key=lambda m: (m.size, m.id))
        if small.size >= PEER_SHARE * big.size:
            sets.union(a.id, b.id)
            similarity[frozenset((a.id, b.id))] = j
        else:
            parts.setdefault(small.id, []).append((-j, big.id))
    for small, found in sorted(parts.items()):  # a part joins only its closest text: no chaining through it
        j, big = min(found)
        sets.union(small, big)
        similarity[frozenset((small, big))] = -j
    groups: dict[str, list[Member]] = {}
    for m in by_id.values():
        groups.setdefault(sets.find(m.id), []).append(m)
    copies: dict[str, Copy] = {}
    for found in groups.values():
        if len(found) < 2:
            continue
        canon = min(found, key=_rank_key(found))
        for m in found:
            if m.id != canon.id:
                copies[m.id] = Copy(canon.id, _how(m, canon, by_id, exact_rep, similarity))
    return dict(sorted(copies.items()))


def _copy_pairs(sketched: list[Member], by_id: dict[str, Member]):
    """Yield (a, b, jaccard) for each pair of sketched members where one is a copy of the other."""
    if len(sketched) < 2:
        return
    import numpy as np
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for m in sketched:
        mh = _minhash(np.frombuffer(m.hashes, dtype="<u4"))
        for other in sorted(lsh.query(mh)):
            j = _similar(m, by_id[other])
            if j is not None:
                yield m, by_id[other], j
        lsh.insert(m.id, mh)


def _rank_key(found: list[Member]):
    largest = max(m.size for m in found)

    def key(m: Member):
        return (m.size < FULL_SHARE * largest, not m.signed, not m.official, m.fetched_at is None,
                m.fetched_at or "", m.id)

    return key


def _how(m: Member, canon: Member, by_id, exact_rep, similarity) -> str:
    if m.exact == canon.exact:
        return "same text"
    pair = frozenset((by_id[exact_rep[m.exact]].id, by_id[exact_rep[canon.exact]].id))
    j = similarity.get(pair)
    return f"near copy, similarity {j:.2f}" if j is not None else "near copy, through another copy"
