"""Per-field header accuracy on gold pages (the scoring of eval_pages.py, field by field).

usage: header_fields.py BIN_DIR GOLD_DIR [-v]
Runs `BIN_DIR/dafu convert` over every NAME.txt with a NAME.gold.json, then prints, for each header field
(doc_type, doc_number, issuer, date, addressees, proposal number), how many pages are right, and with -v
every miss as `field: expected | got`. The per-field rules are eval_pages.py's, so the mean of the six
figures equals its `header` figure.
"""
import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile


def s(x):
    return json.dumps(x, ensure_ascii=False) if x not in (None, "", [], {}) else ""


def digits(x):
    return re.sub(r"\D", "", str(x or ""))


def judge(gold: dict, rec: dict) -> list[tuple[str, bool, object, object]]:
    """(field, ok, expected, got) for each header field, as eval_pages.py scores it."""
    out = [("doc_type", rec.get("doc_type") == gold.get("doc_type"), gold.get("doc_type"), rec.get("doc_type"))]
    gdn, rdn = gold.get("doc_number"), rec.get("doc_number")
    if gdn:
        want = [str(gdn.get(k)) for k in ("issuer_code", "year", "serial") if gdn.get(k)]
        out.append(("doc_number", all(w in s(rdn) for w in want), gdn.get("raw"), (rdn or {}).get("raw")))
    else:
        out.append(("doc_number", not s(rdn), None, (rdn or {}).get("raw")))
    gi = gold.get("issuer")
    out.append(("issuer", (gi in s(rec.get("issuer"))) if gi else not s(rec.get("issuer")), gi, rec.get("issuer")))
    gd = gold.get("date")
    out.append(("date", (gd in s(rec.get("date"))) if gd else not s(rec.get("date")), gd, rec.get("date")))
    ga = [a.get("name") for a in gold.get("addressees") or [] if a.get("name")]
    ra = s(rec.get("addressees"))
    got_a = [a.get("name") for a in rec.get("addressees") or []]
    out.append(("addressees", all(n in ra for n in ga) if ga else not ra, ga, got_a))
    gp = (gold.get("proposal") or {}).get("number")
    rp = rec.get("proposal")
    rnum = rp.get("number") if isinstance(rp, dict) else rp
    ok = (bool(digits(gp)) and digits(gp) in digits(s(rp))) if gp else not digits(s(rnum))
    out.append(("proposal", ok, gp, rnum))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bin_dir", type=pathlib.Path)
    ap.add_argument("gold_dir", type=pathlib.Path)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    a = ap.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="dafu-hdr-"))
    (work / "in").mkdir()
    golds = {}
    for g in sorted(a.gold_dir.glob("*.gold.json")):
        name = g.name[: -len(".gold.json")]
        src = a.gold_dir / f"{name}.txt"
        if src.is_file():
            shutil.copy(src, work / "in" / src.name)
            golds[name] = json.loads(g.read_text())
    subprocess.run([str(a.bin_dir / "dafu"), "convert", str(work / "in"), "-o", str(work / "out")],
                   capture_output=True, text=True, timeout=600)
    tally: dict[str, list[int]] = {}
    for name, gold in golds.items():
        p = work / "out" / "letters" / f"{name}.json"
        rec = json.loads(p.read_text()) if p.is_file() else {}
        for field, ok, want, got in judge(gold, rec):
            t = tally.setdefault(field, [0, 0])
            t[0] += ok
            t[1] += 1
            if a.verbose and not ok:
                print(f"{name[:32]:32} {field:10} want {want!r} | got {got!r}")
    shutil.rmtree(work, ignore_errors=True)
    total = [sum(t[0] for t in tally.values()), sum(t[1] for t in tally.values())]
    print("| field | right | accuracy |\n|---|---|---|")
    for field, (ok, n) in tally.items():
        print(f"| {field} | {ok}/{n} | {ok / n:.3f} |")
    print(f"| **header** | {total[0]}/{total[1]} | {total[0] / max(1, total[1]):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
