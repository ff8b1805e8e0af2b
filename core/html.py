"""HTML page → the letter's main text and the page's own metadata (pure; no file access).

Decisions (issue 22; numbers in ``bench/html_extractors.py``):

- The main text is found by readability-lxml (the ``html`` extra). On 32 pages of our own making in
  four government page shells it kept 0.962 of the letter's lines and dropped 0.909 of the chrome;
  trafilatura kept 0.733 (0.966 without tables) and dropped 0.729, justext 0.767 / 0.586.
- A page too short for readability's scoring gives its whole ``<body>``.
- The extracted HTML becomes one line per block element (``<p>``, ``<div>``, ``<br>``, table rows):
  letters are read line by line downstream (headings, signature, date).
- The document's heading (first ``<h1>``, else an ``ArticleTitle``/``og:title`` meta) is put on the
  first line when the main text does not already hold it: shells put it outside the article body.
- The page's ``<title>`` and ``<meta>`` tags (``core/data/html_meta.tsv``) go to ``metadata`` under
  ``page_*`` keys; they are never read by ``segment``, so they never become the letter's date or issuer.
- ``declared_encoding`` reads the page's own declaration (``<meta charset>``, ``http-equiv``
  Content-Type, an XML declaration) in the first 4 KB; GB2312/GBK name GB18030, a superset.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cache

from ._data import data_text

__all__ = ["Page", "HtmlExtraMissing", "HTML_SUFFIXES", "is_html_name", "declared_encoding", "drop_xml_declaration",
           "extract_page"]

HTML_SUFFIXES = (".html", ".htm")
_HEAD = 4096
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})["']""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8", "iso8859-1": "cp1252"}
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
           "blockquote", "pre", "dd", "dt")
_SPACE = re.compile(r"[ \t\u00a0\u3000]+")
_SQUASH = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # lxml refuses them in text; no page needs them
# lxml refuses a str that starts with an encoding declaration; the page is decoded already, so it says nothing
_XML_DECL_TEXT = re.compile(r"\A\ufeff?\s*<\?xml\b[^>]{0,200}?\?>", re.I)


class HtmlExtraMissing(ImportError):
    """readability-lxml is not installed: reading HTML needs the ``html`` extra."""

    def __init__(self) -> None:
        super().__init__("reading .html/.htm pages needs the html extra: pip install 'dafu[html]'")


@dataclass(frozen=True, slots=True)
class Page:
    """The main text of a page (LF lines) and its metadata pairs (page_title, page_date, ...)."""

    text: str
    metadata: tuple[tuple[str, str], ...] = ()


def is_html_name(name: str) -> bool:
    """Return True for a file name ending in .html or .htm (any case).

    >>> is_html_name("a/b.HTM"), is_html_name("b.txt")
    (True, False)
    """
    return name.lower().endswith(HTML_SUFFIXES)


def declared_encoding(data: bytes) -> str | None:
    """Return the codec the page declares for itself, or None (no or unknown declaration).

    >>> declared_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    'gb18030'
    """
    head = data[:_HEAD]
    found = _CHARSET.search(head) or _XML_DECL.search(head)
    if not found:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii").strip().lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name).replace("_", "-")


@cache
def _meta_keys() -> tuple[tuple[str, str], ...]:
    rows = []
    for line in data_text("html_meta.tsv").splitlines():
        if line and not line.startswith("#"):
            name, key = line.split("\t")
            rows.append((name, key))
    return tuple(rows)


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _metadata(tree) -> tuple[tuple[str, str], ...]:
    """Return the page_* pairs of a parsed page: <title>, then the <meta> tags of html_meta.tsv."""
    found: dict[str, str] = {}
    title = tree.find(".//title")
    if title is not None and _clean(title.text_content()):
        found["page_title"] = _clean(title.text_content())
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = _clean(meta.get("content"))
        if name and content and name not in metas:
            metas[name] = content
    for name, key in _meta_keys():
        if key not in found and name in metas:
            found[key] = metas[name]
    return tuple(found.items())


def _heading(tree) -> str | None:
    """Return the document heading: the first non-empty <h1>, else an ArticleTitle / og:title meta."""
    for h1 in tree.iter("h1"):
        text = _clean(h1.text_content())
        if text:
            return text
    for meta in tree.iter("meta"):
        if (meta.get("name") or meta.get("property") or "").lower() in ("articletitle", "og:title"):
            text = _clean(meta.get("content"))
            if text:
                return text
    return None


def drop_xml_declaration(html: str) -> str:
    """Return the page text without a leading XML declaration (and BOM): the text is decoded already.

    >>> drop_xml_declaration("\\ufeff<?xml version='1.0' encoding='GBK'?>\\n<html></html>")
    '\\n<html></html>'
    """
    return _XML_DECL_TEXT.sub("", html, count=1)


def _lines(fragment: str) -> str:
    """Return the text of an HTML fragment, one line per block element, blank lines dropped."""
    import lxml.etree
    import lxml.html

    try:  # wrapped, so a fragment that is only text or a comment still parses to an element
        tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for el in tree.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    lines = (_clean(line) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def extract_page(html: str) -> Page:
    """Return the main text and page metadata of an HTML page given as text.

    >>> p = extract_page("<html><head><title>T</title></head><body><div><p>现答复如下：</p>"
    ...                  "<p>一、培训100人次。</p><p>此复。</p></div></body></html>")
    >>> p.text, p.metadata
    ('现答复如下：\\n一、培训100人次。\\n此复。', (('page_title', 'T'),))
    """
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        raise HtmlExtraMissing() from None
    import logging

    logging.getLogger("readability.readability").setLevel(logging.ERROR)  # it logs each page at INFO
    html = drop_xml_declaration(_CONTROL.sub("", html))
    if not html.strip():
        return Page("")
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return Page("")
    try:
        text = _lines(Document(html).summary(html_partial=True))
    except Exception:  # readability gives up on odd pages (lxml raises various errors)
        text = ""
    if not text and tree.find("body") is not None:  # too short for readability's scoring: the whole body
        text = _lines(lxml.html.tostring(tree.find("body"), encoding="unicode"))
    heading = _heading(tree)
    if heading and _SQUASH.sub("", heading) not in _SQUASH.sub("", text[: 4 * len(heading) + 200]):
        text = heading + "\n" + text if text else heading
    return Page(text, _metadata(tree))
