"""Check the invariants of issue 17 on folders of letters, printing one summary line per folder.

usage: label_check.py DIR [DIR ...] [-v]
For every DIR/*.txt: (1) script parity: `process` under --script simplified, traditional and keep gives the same
metrics (span, value, unit as written, qualifier, role); (2) labels: no label starts or ends with a verb
or function word (the word lists of tests/test_extract.py, written apart from core/data/label_trim.tsv) and none is
empty. Held-out folders are meant to be scored with this and no -v, so nobody reads their failures.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dafu import Options, process  # noqa: E402
from tests.test_extract import DANGLING_END, DANGLING_START, WORDS_AT_EDGES  # noqa: E402


def _key(m):
    return (m.span, m.value, m.value_high, m.unit, m.unit_kind, m.qualifier, m.role)


def _bad_label(label: str) -> bool:
    if not label:
        return True
    if label.startswith(WORDS_AT_EDGES) or label.endswith(WORDS_AT_EDGES):
        return False
    return label.endswith(DANGLING_END) or label.startswith(DANGLING_START)


def check(folder: Path, verbose: bool) -> str:
    letters = metrics = parity = labels = 0
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text("utf-8")
        runs = {s: process(text, options=Options(script=s)).metrics for s in ("simplified", "traditional", "keep")}
        keys = {s: [_key(m) for m in ms] for s, ms in runs.items()}
        letters += 1
        metrics += len(runs["simplified"])
        if not keys["simplified"] == keys["traditional"] == keys["keep"]:
            parity += 1
            if verbose:
                print(f"  parity differs: {path.stem}")
        for m in runs["simplified"]:
            if _bad_label(m.label or ""):
                labels += 1
                if verbose:
                    print(f"  label {m.label!r} of {m.raw} in {path.stem}")
    return (f"{folder}: {letters} letters, {metrics} metrics; script parity differs on {parity} letters; "
            f"{labels} labels empty or with a dangling verb/function word")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    for arg in args:
        print(check(Path(arg), "-v" in sys.argv[1:]))
