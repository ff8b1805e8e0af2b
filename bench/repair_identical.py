"""Freeze the repair's outputs and compare them byte for byte after a change (issue 20).

    python bench/repair_identical.py freeze OUT.json [--seeds 2] [--limit N]
    python bench/repair_identical.py check OUT.json   # exit 1 when any output differs

The inputs: every row of tests/cases/repair_vectors.tsv and repair_negatives.tsv, the samples/ letters,
bench/holdout letters damaged with tests/damage.py (seeds 0..N-1), whole and cut into snippets as
bench/repair_accuracy.py --snippets does. The output of each is the whole repair_byte_loss tuple
(text, repairs, unresolved spans, warnings), and the CPU seconds it took.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from damage import damage  # noqa: E402
from repair_accuracy import snippets  # noqa: E402

from dafu.normalize.repair import repair_byte_loss  # noqa: E402


def _unesc(s: str) -> str:
    return s.replace("\\\\", "\0").replace("\\n", "\n").replace("\\t", "\t").replace("\0", "\\")


def inputs(seeds: int) -> list[tuple[str, str]]:
    out = []
    for name in ("repair_vectors.tsv", "repair_negatives.tsv"):
        rows = (ROOT / "tests" / "cases" / name).read_text(encoding="utf-8").splitlines()[1:]
        out += [(f"{name}:{k}", _unesc(r.split("\t")[0])) for k, r in enumerate(rows) if r]
    for p in sorted((ROOT / "samples").glob("*.txt")):
        out.append((f"samples/{p.name}", p.read_text(encoding="utf-8")))
    for seed in range(seeds):
        for p in sorted((ROOT / "bench" / "holdout").glob("*.txt")):
            dmg, truth = damage(p.read_text(encoding="utf-8"), seed)
            out.append((f"holdout/{p.stem}#{seed}", dmg))
            out += [(f"snippet/{p.stem}#{seed}:{k}", d) for k, (_, d) in enumerate(snippets(truth, dmg, seed))]
    return out


def run(items: list[tuple[str, str]]) -> dict:
    repair_byte_loss("預熱?,F(xiàn)")  # load the tables outside the timing
    res = {}
    for key, text in items:
        t0 = time.process_time()
        r = repair_byte_loss(text)
        res[key] = (repr(r), time.process_time() - t0)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["freeze", "check"])
    ap.add_argument("path", type=Path)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--only", default="", help="only keys starting with this prefix")
    args = ap.parse_args()
    if args.mode == "freeze":
        items = [(k, t) for k, t in inputs(args.seeds) if k.startswith(args.only)]
        res = run(items)
        args.path.write_text(json.dumps({"seeds": args.seeds, "out": res}, ensure_ascii=False), encoding="utf-8")
    else:
        frozen = json.loads(args.path.read_text(encoding="utf-8"))
        items = [(k, t) for k, t in inputs(frozen["seeds"]) if k in frozen["out"] and k.startswith(args.only)]
        res = run(items)
        bad = [k for k, _ in items if res[k][0] != frozen["out"][k][0]]
        for k in bad[:20]:
            print("DIFF", k, "\n  was", frozen["out"][k][0][:300], "\n  now", res[k][0][:300])
        old = sum(frozen["out"][k][1] for k, _ in items)
        new = sum(res[k][1] for k, _ in items)
        ratio = old / max(new, 1e-9)
        print(f"{len(items)} inputs, {len(bad)} differ; CPU {old:.1f} s then, {new:.1f} s now ({ratio:.2f}x)")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
