"""Measure boilerplate-removal libraries on government pages of our own making (issue 22).

Run: ``.venv/bin/python bench/html_extractors.py`` (needs trafilatura, justext and readability-lxml).
Pages: 8 letters (tests/letters + samples) x 4 page shells of tests/html_pages.py = 32 pages.
Scores per extractor:
- letter lines kept: share of the lines dafu keeps from the .txt letter (normalize(txt).text) that
  come out as a line of normalize(extracted).text (a line merged with its neighbours does not count);
- chrome dropped: share of the shell's chrome strings absent from the extractor's raw output;
- + dafu debris: the same after dafu's normalizer (its debris rules) ran on the output;
- ms/page: mean extraction time.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dafu import normalize  # noqa: E402
from tests.html_pages import SHELLS, letter_parts, page  # noqa: E402

LETTERS = ["samples/000_08d6c07602bede5a.txt", "samples/004_ec6a11e31d304edf.txt",
           "tests/letters/05_bracket_numbers.txt", "tests/letters/07_lenticular_brackets.txt",
           "tests/letters/11_metadata_table.txt", "tests/letters/16_inline_yishi.txt",
           "tests/letters/22_meeting_training.txt", "tests/letters/26_notice_opinion.txt"]
_WS = re.compile(r"\s+")


def _squash(s: str) -> str:
    return _WS.sub("", s).strip("|")


def _html_text(fragment: str) -> str:
    """Return the text of an HTML fragment with a line break after each block element."""
    import lxml.html

    tree = lxml.html.fromstring(fragment)
    for el in tree.iter("p", "div", "br", "li", "h1", "h2", "h3", "tr", "td"):
        el.tail = "\n" + (el.tail or "")
    return tree.text_content()


def trafilatura_default(doc: str) -> str:
    import trafilatura
    return trafilatura.extract(doc, include_comments=False, deduplicate=False) or ""


def trafilatura_recall(doc: str) -> str:
    import trafilatura
    return trafilatura.extract(doc, include_comments=False, favor_recall=True, deduplicate=False) or ""


def trafilatura_precision(doc: str) -> str:
    import trafilatura
    return trafilatura.extract(doc, include_comments=False, favor_precision=True, deduplicate=False) or ""


def trafilatura_no_tables(doc: str) -> str:
    import trafilatura
    return trafilatura.extract(doc, include_comments=False, include_tables=False, deduplicate=False) or ""


def justext_neutral(doc: str) -> str:
    import justext
    paragraphs = justext.justext(doc.encode("utf-8"), frozenset(), stopwords_low=0, stopwords_high=0,
                                 length_low=10, length_high=30, encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def readability(doc: str) -> str:
    from readability import Document
    return _html_text(Document(doc).summary(html_partial=True))


def dafu_html(doc: str) -> str:
    """What dafu keeps: readability's main text, one line per block, the <h1> heading put first."""
    from dafu.html import extract_page
    return extract_page(doc).text


EXTRACTORS = [trafilatura_default, trafilatura_recall, trafilatura_precision, trafilatura_no_tables, justext_neutral,
              readability, dafu_html]


def pages():
    for k, rel in enumerate(LETTERS):
        text = (ROOT / rel).read_text("utf-8")
        title, body = letter_parts(text)
        for shell in SHELLS:
            data, chrome = page(shell, title, body, seed=k)
            doc = data.decode("gb18030" if shell == "table" else "utf-8")
            yield rel, shell, text, doc, chrome


def _add(total: list, values: list) -> None:
    for k, v in enumerate(values):
        total[k] += v


def main() -> None:
    rows = {f.__name__: [0, 0, 0, 0, 0.0, 0, 0] for f in EXTRACTORS}
    per_shell: dict[tuple[str, str], list[int]] = {}
    for rel, shell, text, doc, chrome in pages():
        want = [_squash(x) for x in normalize(text).text.splitlines() if _squash(x)]
        for f in EXTRACTORS:
            t = time.perf_counter()
            try:
                out = f(doc)
            except Exception as exc:  # an extractor that fails keeps nothing
                print(f"{f.__name__} failed on {rel} {shell}: {exc}", file=sys.stderr)
                out = ""
            ms = (time.perf_counter() - t) * 1000
            normalized = normalize(out).text if out.strip() else ""
            got = {_squash(x) for x in normalized.splitlines()}
            after = _squash(normalized)
            raw = _squash(out)
            kept = sum(1 for w in want if w in got)
            dropped = sum(1 for c in chrome if _squash(c) not in raw)
            after_debris = sum(1 for c in chrome if _squash(c) not in raw or _squash(normalize(c).text) not in after)
            _add(rows[f.__name__], [kept, len(want), dropped, len(chrome), ms, 1, after_debris])
            _add(per_shell.setdefault((f.__name__, shell), [0, 0, 0, 0]), [kept, len(want), dropped, len(chrome)])
    print(f"{'extractor':24} {'letter lines kept':>18} {'chrome dropped':>15} {'+ dafu debris':>14} {'ms/page':>8}")
    for name, (k, n, d, c, ms, pages_, d2) in rows.items():
        print(f"{name:24} {k}/{n} = {k / n:.3f}   {d}/{c} = {d / c:.3f}   {d2 / c:.3f}   {ms / pages_:8.1f}")
    print("\nper shell: letter lines kept / chrome dropped")
    for (name, shell), (k, n, d, c) in sorted(per_shell.items()):
        print(f"{name:24} {shell:7} {k / n:.3f} {d / c:.3f}")


if __name__ == "__main__":
    main()
