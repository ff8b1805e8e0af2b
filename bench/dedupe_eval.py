"""Measure mirror-copy grouping (issue 22): pair precision/recall and canonical choice, per threshold.

Run: ``.venv/bin/python bench/dedupe_eval.py`` (needs the dedupe extra).
Set: 12 letters x 5 mirror copies (tests/mirror_copies.py: original, other debris, injected site name,
spam, truncated) + 200 different letters (every invented page and letter in the repository, then
letters assembled from their sentences with one bureau's opening and closing formulas), and 36 hard
negatives: for each of the 12 letters, another reply of the same bureau keeping 30%, 50% or 70% of its
body lines (``sibling``), which must not be grouped with it.
The original copy has a .gov.cn URL and the truncated copy the earliest fetched_at: the canonical member
must be the original (most complete, then official).
"""
from __future__ import annotations

import itertools
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dafu.dedupe as D  # noqa: E402
from dafu import process  # noqa: E402
from dafu.model import Source  # noqa: E402
from tests.mirror_copies import DAMAGE, copies, corpus, different_letters, sibling  # noqa: E402

BASES = 12


def _source(url, fetched_at):
    return Source(path="-", sha256="0" * 64, bytes=0, encoding="utf-8", encoding_confidence=1.0, url=url,
                  fetched_at=fetched_at)


def build():
    """Return (members, truth: id -> group name, expected canonical per group)."""
    names = [name for name, _ in corpus() if name.startswith(("samples/", "tests/letters/"))][:BASES]
    texts = dict(corpus())
    members, truth, expected = [], {}, {}
    for g, name in enumerate(names):
        for k, (kind, text) in enumerate(zip(DAMAGE, copies(texts[name], seed=g), strict=True)):
            id = f"g{g:02d}_{k}_{kind}"
            url = f"https://rsj.place{g}.gov.cn/{g}.html" if kind == "original" else f"https://mirror{k}.example.com/{g}"
            fetched = f"2024-0{k + 1}-01" if kind != "truncated" else "2023-01-01"
            r = process(text)
            members.append(D.record_member(replace(r, id=id, source=_source(url, fetched))))
            truth[id] = name
        expected[name] = f"g{g:02d}_0_original"
        for share in (0.3, 0.5, 0.7):  # another reply of the same bureau sharing this share of the body
            id = f"s{g:02d}_{int(share * 10)}"
            r = process(sibling(texts[name], share, seed=g * 10 + int(share * 10)))
            members.append(D.record_member(replace(r, id=id)))
            truth[id] = id
    for k, (_, text) in enumerate(different_letters(200, seed=7, exclude=tuple(names))):
        r = process(text)
        id = f"x{k:03d}"
        members.append(D.record_member(replace(r, id=id)))
        truth[id] = id
    return members, truth, expected


def score(members, truth, expected, copies_found, skip=""):
    canon = {m.id: copies_found[m.id].canonical if m.id in copies_found else m.id for m in members}
    ids = sorted(i for i in truth if not (skip and i.startswith(skip)))
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        same, got = truth[a] == truth[b], canon[a] == canon[b]
        tp += same and got
        fp += got and not same
        fn += same and not got
    right = sum(1 for name, c in expected.items() if all(canon[i] == c for i in ids if truth[i] == name))
    false_groups = len({canon[i] for i in ids if i.startswith("x") and canon[i] != i})
    siblings = {share: sum(1 for i in ids if i.startswith("s") and i.endswith(share) and canon[i] != i)
                for share in ("3", "5", "7")}
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), right, false_groups, siblings


def main() -> None:
    t = time.perf_counter()
    members, truth, expected = build()
    print(f"{len(members)} letters ({BASES} x 5 copies + 200 different + {3 * BASES} siblings) "
          f"built in {time.perf_counter() - t:.1f} s")
    print(f"{'containment':>11} {'min jaccard':>11} {'precision':>9} {'recall':>7} {'canonical ok':>12} "
          f"{'false groups':>12}")
    for containment, min_j in [(0.5, 0.2), (0.6, 0.3), (0.7, 0.3), (0.8, 0.3), (0.85, 0.3), (0.9, 0.3), (0.95, 0.3),
                               (0.85, 0.5)]:
        D.CONTAINMENT, D.MIN_JACCARD = containment, min_j
        t = time.perf_counter()
        found = D.group(sorted(members, key=lambda m: m.exact))
        p, r, right, false_groups, sib = score(members, truth, expected, found)
        p2, r2, *_ = score([m for m in members if not m.id.startswith("s")], truth, expected,
                           D.group(m for m in members if not m.id.startswith("s")), skip="s")
        print(f"{containment:11.2f} {min_j:11.2f} {p:9.3f} {r:7.3f} {right:>7}/{len(expected)} {false_groups:12}"
              f"   without siblings: precision {p2:.3f} recall {r2:.3f}"
              f"   siblings grouped 30/50/70%: {sib['3']}/{sib['5']}/{sib['7']} of {BASES}"
              f"   ({(time.perf_counter() - t) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
