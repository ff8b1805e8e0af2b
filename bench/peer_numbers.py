"""Score find_quantities on the Recognizers-Text Chinese number specs (bench/peer-specs/).

Scoring follows bench/peer-specs/recognizers-text/SOURCE.md, "How a result is scored":
a case is exact when the values returned match the case's Results one for one (multiset,
relative tolerance 1e-9). NumberModel counts every quantity except percentages (metric or not);
PercentModel percentages only (values in per cent); CurrencyModel CNY amounts only (in yuan).
Inputs are converted with OpenCC t2s first unless --keep-script is given (the pipeline hands
find_quantities normalized, simplified text); full-width digits are left as they are.

    python bench/peer_numbers.py [--keep-script] [--quiet] [SPEC.json ...]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from dafu.extract.quantities import find_quantities

HERE = Path(__file__).parent / "peer-specs" / "recognizers-text" / "Specs"
FILES = {
    "Number/Chinese/NumberModel.json": "number",
    "Number/Chinese/PercentModel.json": "percent",
    "NumberWithUnit/Chinese/CurrencyModel.json": "currency",
}


def counted(quantities, model: str) -> list[float]:
    """Return the values of the quantities that the given peer model scores."""
    percent = ("percent", "percentage_point")  # the peer's percent model reads 个百分点 as a percentage
    if model == "number":
        return [q.value for q in quantities if q.unit_kind not in percent]
    if model == "percent":  # ‰ ÷ 10 and ‱ ÷ 100 into per cent, as SOURCE.md's scoring converts them
        scale = {"‰": 0.1, "‱": 0.01}
        return [q.value * scale.get(q.unit, 1) for q in quantities if q.unit_kind in percent]
    return [q.value for q in quantities if q.unit_kind == "money_cny"]


def expected(case: dict) -> list[float]:
    """Return the peer's expected values as numbers (per cent for percentages)."""
    return [float(r["Resolution"]["value"].rstrip("%")) for r in case["Results"]]


def same(got: list[float], want: list[float]) -> bool:
    """True when got and want hold the same values, one for one, in any order."""
    if len(got) != len(want):
        return False
    rest = list(want)
    for g in got:
        hit = next((i for i, w in enumerate(rest) if math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-12)), None)
        if hit is None:
            return False
        rest.pop(hit)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("specs", nargs="*", help="spec files (default: the three in bench/peer-specs)")
    ap.add_argument("--keep-script", action="store_true", help="do not convert inputs with OpenCC t2s")
    ap.add_argument("--quiet", action="store_true", help="print the totals only")
    args = ap.parse_args(argv)
    convert = str
    if not args.keep_script:
        import opencc

        convert = opencc.OpenCC("t2s").convert
    by_name = {Path(f).stem: m for f, m in FILES.items()}  # other files in the peer's format: the model by file name
    paths = [(Path(p), by_name.get(Path(p).stem, "number")) for p in args.specs] \
        or [(HERE / f, m) for f, m in FILES.items()]
    grand = [0, 0]
    for path, model in paths:
        cases = json.loads(path.read_text(encoding="utf-8"))
        exact, failures = 0, []
        for case in cases:
            got = counted(find_quantities(convert(case["Input"])), model)
            want = expected(case)
            if same(got, want):
                exact += 1
            else:
                failures.append((case["Input"], want, got))
        grand[0] += exact
        grand[1] += len(cases)
        print(f"{path.name:24} {exact:4}/{len(cases):<4} exact ({exact / len(cases):.1%})")
        if not args.quiet:
            for text, want, got in failures:
                print(f"    {text!r}: want {want} got {got}")
    print(f"{'total':24} {grand[0]:4}/{grand[1]:<4} exact ({grand[0] / grand[1]:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
