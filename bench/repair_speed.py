"""Repair speed, accuracy and memory, for the issue 20 table (bench/README.md).

    python bench/repair_speed.py measure [--every 4]        # this interpreter's dafu: one JSON line
    python bench/repair_speed.py compare OLD_PYTHON NEW_PYTHON [--every 4] [--rounds 1]

`measure` times, in this process, each damaged region of the held-out letters (bench/holdout, damage
seed 0) cut out alone with its context (bench/repair_accuracy.py --snippets), after one tiny repair that
loads the tables: CPU ms per damaged site (median, p95, max), character accuracy and exact snippets,
the table load time, and false repairs on the clean truth of the snippets. Then, in a child process,
the peak RSS of `dafu convert samples/000_08d6c07602bede5a.txt` (the real damaged letter).
`compare` runs `measure` with two interpreters (two installs of dafu), alternating, and prints both.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(every: int) -> dict:
    rss = _convert_rss()  # first: a child forked later would count this process's tables in its peak RSS
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
    from damage import damage
    from repair_accuracy import _lev, _regions, snippets

    t0 = time.process_time()
    from dafu.normalize.repair import repair_byte_loss
    repair_byte_loss("預熱?,F(xiàn)")
    load = time.process_time() - t0
    items = []
    for p in sorted((ROOT / "bench" / "holdout").glob("*.txt")):
        dmg, truth = damage(p.read_text(encoding="utf-8"), 0)
        items += snippets(truth, dmg, 0)
    items = items[::every]
    ms, chars, wrong, exact, fp = [], 0, 0, 0, 0
    for truth, damaged in items:
        t = time.process_time()
        repaired = repair_byte_loss(damaged)[0]
        ms.append(1000 * (time.process_time() - t))
        c = sum(max(1, b - a) for a, b, _, _ in _regions(truth, damaged))
        w = _lev(truth, repaired) if repaired != truth else 0
        chars, wrong, exact = chars + c, wrong + w, exact + (not w)
        _, reps, _, warns = repair_byte_loss(truth)
        fp += len(reps) + len(warns)
    ms.sort()
    return {"snippets": len(items), "ms_median": statistics.median(ms), "ms_p95": ms[int(0.95 * (len(ms) - 1))],
            "ms_max": ms[-1], "ms_total": sum(ms), "accuracy": 1 - wrong / chars, "exact": exact / len(items),
            "false_repairs": fp, "load_s": load, "convert_rss_mb": rss}


def _convert_rss() -> float:
    """Peak RSS (MB) of a child `dafu convert` of the damaged sample 000."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "dafu", "convert", str(ROOT / "samples" / "000_08d6c07602bede5a.txt"),
               "-o", out, "--quiet"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["measure", "compare"])
    ap.add_argument("pythons", nargs="*")
    ap.add_argument("--every", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    if args.mode == "measure":
        print(json.dumps(measure(args.every)))
        return
    for r in range(args.rounds):
        for name, py in zip(("old", "new"), args.pythons):
            out = subprocess.run([py, __file__, "measure", "--every", str(args.every)], capture_output=True,
                                 text=True, check=True).stdout
            print(name, r, out.strip(), flush=True)


if __name__ == "__main__":
    main()
