"""Record dicts -> the letter pages of the review site (`dafu review`): pure functions, strings in, strings out.

The page frame (escaping, JSON blocks, the script and its policy) is here too; the index is ``review_index``.

Every piece of letter text reaches the page through ``html.escape`` (element text and attributes) or
through ``json_script`` (a ``<script type="application/json">`` block, read by the page's own script with
``JSON.parse``); the page's script puts letter text back only with ``textContent`` and ``value``. No
event handler is written into the HTML, and a Content-Security-Policy lets only the page's own script
(by its hash) run, so a letter holding ``<script>`` or ``<img onerror=…>`` is shown as text and runs nothing.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from html import escape
from typing import Any
from urllib.parse import quote

from .._data import data_text

__all__ = [
    "letter_page", "page_name", "page_href", "record_problem", "marked_text", "json_script", "HEADER_FIELDS",
    "METRIC_FIELDS", "CATEGORIES", "ROLES",
]

# header fields a reviewer can correct (each a string or null in the record)
HEADER_FIELDS = ("doc_type", "title", "category", "signer", "issuer", "date")
# the fields the details panel shows, in this order
METRIC_FIELDS = ("raw", "value", "value_high", "unit", "unit_kind", "qualifier", "role", "per", "label", "category",
                 "period", "section", "sentence")
CATEGORIES = ("training", "certification", "employment", "funding", "institutions", "competitions", "talent",
              "participants", "policy", "other")
ROLES = ("result", "target", "standard")

_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                 ("\u2029", "\\u2029"))  # str.replace in a row: ~10x faster than str.translate on CJK text


def json_script(data: Any, element_id: str) -> str:
    """Return a ``<script type="application/json">`` element holding ``data``; no text in it can end it.

    >>> json_script({"t": "</script><b>"}, "d")
    '<script type="application/json" id="d">{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}</script>'
    """
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char, escaped in _JSON_ESCAPES:
        body = body.replace(char, escaped)
    return f'<script type="application/json" id="{escape(element_id)}">{body}</script>'


# characters a page's file name never holds as they are: unsafe in a file name on Windows, macOS or Linux
# (/ \\ : * ? " < > |, controls), the escape % itself and the ~ that starts the suffix (so no id can forge either)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|%~]|[\ud800-\udfff]')
_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL",
                              *(f"{d}{n}" for d in ("COM", "LPT") for n in "0123456789¹²³")})
_NAME_BYTES = 255  # the longest file name ext4, APFS and NTFS take (NTFS counts UTF-16 units: never more than bytes)


def _escape_char(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group().encode("utf-8", "surrogatepass"))


def page_name(letter_id: str) -> str:
    """Return the file name of a letter's page: the id itself where it is a safe file name, else an escaped form.

    Unsafe characters become %XX (their UTF-8 bytes), a leading dot %2E. An id that a case-insensitive or
    normalizing file system would take for another (not its own casefolded NFC form), a Windows device
    name, or one too long for a file name gets ``~`` and 10 hex digits of its hash: no two ids share a name.

    >>> [page_name(i) for i in ("关于答复", "with space", "a/b:c", "a%2fb", "A")]
    ['关于答复.html', 'with space.html', 'a%2Fb%3Ac.html', 'a%252fb.html', 'A~559aead082.html']
    """
    stem = _UNSAFE.sub(_escape_char, letter_id)
    if stem.startswith("."):
        stem = "%2E" + stem[1:]
    suffix = ""
    if (letter_id != unicodedata.normalize("NFC", letter_id.casefold()) or not stem
            or stem.split(".")[0].rstrip(" ").upper() in _WINDOWS_DEVICES
            or len((stem + ".html").encode("utf-8")) > _NAME_BYTES):
        suffix = "~" + hashlib.sha256(letter_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        room = _NAME_BYTES - len(suffix) - len(".html")
        while len(stem.encode("utf-8")) > room:  # cut whole characters and whole %XX escapes only
            stem = stem[:-3] if re.search(r"%[0-9A-F]{2}$", stem) else stem[:-1]
    return stem + suffix + ".html"


def page_href(letter_id: str) -> str:
    """Return the link to a letter's page from a page beside it: its file name, percent-encoded.

    A browser decodes %XX in a file:// URL, so the link must be the encoding of the exact name on disk.

    >>> [page_href(i) for i in ("关于", "with space", "a/b")]
    ['%E5%85%B3%E4%BA%8E.html', 'with%20space.html', 'a%252Fb.html']
    """
    return quote(page_name(letter_id), safe="")


def record_problem(record: Any) -> str | None:
    """Return why a letters/*.json value cannot have a page (None when it can).

    The check is the record's JSON Schema (``dafu validate``'s) with two allowances: a field may be missing
    (a record of an older dafu: the page shows what is there; only ``text`` is needed) and a record may
    hold fields the schema does not name. A field that is there must have its shape (type, items, enum):
    ``"metrics": "x"`` or ``"sections": "x"`` is no record, and no page is written for it.

    >>> record_problem({"id": "b", "text": "abc", "metrics": "x"})
    "not a dafu record ($.metrics: 'x' is not of type 'array')"
    """
    if not isinstance(record, dict):
        return "not a dafu record (not a JSON object)"
    quick, validator = _shape_validator()
    if quick is not None and quick(record):
        return None  # the common case, ~200 times faster than asking jsonschema
    errors = sorted(validator.iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return None
    message = errors[0].message if len(errors[0].message) <= 100 else errors[0].message[:99] + "…"
    return f"not a dafu record ({errors[0].json_path}: {message})"


def _relaxed(schema: Any) -> Any:
    """Return a schema with no ``required`` and no ``additionalProperties: false`` (types, enums, items kept)."""
    if isinstance(schema, dict):
        return {k: _relaxed(v) for k, v in schema.items()
                if k != "required" and not (k == "additionalProperties" and v is False)}
    if isinstance(schema, list):
        return [_relaxed(v) for v in schema]
    return schema


@cache
def _shape_validator() -> Any:
    from jsonschema import Draft202012Validator

    from . import json_schema, quick_check

    schema = _relaxed(json_schema())
    schema["required"] = ["text"]
    return quick_check(schema), Draft202012Validator(schema)


def esc(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


@cache
def _asset(name: str) -> str:
    return data_text(name)


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def _script_and_policy(script_name: str) -> tuple[str, str]:
    """Return a page's script and the Content-Security-Policy that lets only that script run."""
    script = _asset("review_common.js") + _asset(script_name)
    return script, ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                    f"script-src {_csp_hash(script)}; base-uri 'none'; form-action 'none'")


def html_document(title: str, body: str, script_name: str) -> str:
    """Return a whole page: inline CSS, the body, and the page's script (the only one allowed to run)."""
    script, csp = _script_and_policy(script_name)
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        f"<title>{esc(title)}</title>\n<style>{_asset('review.css')}</style>\n</head>\n"
        f"<body>\n{body}\n<script>{script}</script>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------- the text with its marks
def _in_text(span: Any, size: int) -> tuple[int, int] | None:
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    start, end = span
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start <= end <= size:
        return None
    return start, end


def _repair_spans(record: dict[str, Any]) -> list[tuple[int, int, int]]:
    """Return (start, end, k) of the repairs whose span still holds the repaired text."""
    text = record.get("text") or ""
    found = []
    for k, rep in enumerate((record.get("normalization") or {}).get("mojibake_repaired") or ()):
        span = _in_text([rep.get("start"), rep.get("end")], len(text))
        if span and span[1] > span[0] and text[span[0]:span[1]] == rep.get("repaired"):
            found.append((span[0], span[1], k))
    return found


def marked_text(text: str, metrics: Sequence[dict[str, Any]], *, repairs: Iterable[tuple[int, int, int]] = (),
                warnings: Iterable[tuple[int, int, int]] = (), dropped: Iterable[tuple[int, int, int]] = ()) -> str:
    """Return the text as HTML: each metric one ``<mark class="metric">``, repairs/warnings/dropped as spans.

    Metrics are the outer elements (exactly one per metric; one overlapping an earlier metric is cut to
    start where that one ends, and may be empty); repairs, warning spans and dropped figures are inner
    spans, split where a metric starts or ends. The text inside is the text, character for character.

    >>> marked_text("培训<b>5人次", [{"span": [5, 8], "category": "training"}])
    '培训&lt;b&gt;<mark class="metric c-training" data-k="0" data-start="5" data-end="8">5人次</mark>'
    """
    size = len(text)
    outer: list[tuple[int, int, int]] = []
    last = 0
    for k, m in sorted(enumerate(metrics), key=lambda km: (tuple(km[1].get("span") or (0, 0)), km[0])):
        span = _in_text(m.get("span"), size) or (last, last)
        start = max(span[0], last)
        end = max(span[1], start)
        outer.append((start, end, k))
        last = end
    inner = sorted([(s, e, "repair", k) for s, e, k in repairs] + [(s, e, "warn", k) for s, e, k in warnings]
                   + [(s, e, "dropped", k) for s, e, k in dropped])
    bounds = {0, size}
    for s, e, *_ in inner:
        bounds.update((s, e))
    for s, e, _ in outer:
        bounds.update((s, e))
    cuts = sorted(b for b in bounds if 0 <= b <= size)
    empties = [o for o in outer if o[0] == o[1]]
    spans = [o for o in outer if o[0] < o[1]]
    out: list[str] = []
    first_piece: set[tuple[str, int]] = set()
    ei = j = 0
    current = None
    for a, b in zip(cuts, cuts[1:]):
        while ei < len(empties) and empties[ei][0] <= a:
            out.append(_metric_open(metrics, empties[ei]) + "</mark>")
            ei += 1
        while j < len(spans) and spans[j][1] <= a:
            j += 1
        if current is None and j < len(spans) and spans[j][0] <= a:
            current = spans[j]
            out.append(_metric_open(metrics, current))
        out.append(_inner(text[a:b], a, b, inner, first_piece))
        if current is not None and current[1] == b:
            out.append("</mark>")
            current = None
    out.extend(_metric_open(metrics, o) + "</mark>" for o in empties[ei:])
    return "".join(out)


def _metric_open(metrics: Sequence[dict[str, Any]], item: tuple[int, int, int]) -> str:
    start, end, k = item
    m = metrics[k]
    classes = ["metric", "c-" + _css_word(m.get("category"))]
    if m.get("role"):
        classes.append("r-" + _css_word(m.get("role")))
    if m.get("_corrected"):
        classes.append("corrected")
    if m.get("_added"):
        classes.append("added")
    return f'<mark class="{" ".join(classes)}" data-k="{k}" data-start="{start}" data-end="{end}">'


def _css_word(value: Any) -> str:
    word = str(value or "other")
    return word if word.isascii() and word.replace("_", "").isalnum() else "other"


def _inner(piece: str, a: int, b: int, inner: list[tuple[int, int, str, int]], first: set[tuple[str, int]]) -> str:
    """Return one piece of text (between two cuts) wrapped in the inner spans that cover it."""
    html = escape(piece, quote=False)
    for _, _, kind, k in reversed([x for x in inner if x[0] <= a and b <= x[1]]):
        ident = f' id="{kind}-{k}"' if (kind, k) not in first else ""
        first.add((kind, k))
        html = f'<span class="{kind}" data-{kind}="{k}"{ident}>{html}</span>'
    return html


# ---------------------------------------------------------------- the letter page
def _display_metrics(record: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the record's metrics marked with what the applied corrections did, and the dropped ones."""
    applied = record.get("corrections") or ()
    changed = {(c.get("raw"), c.get("start")): c for c in applied if c.get("action") in ("change", "add")}
    metrics = []
    for m in record.get("metrics") or ():
        c = changed.get((m.get("raw"), (m.get("span") or [None])[0]))
        if c is not None:
            m = {**m, "_corrected": True, "_added": c.get("action") == "add", "_before": c.get("before")}
        metrics.append(m)
    dropped = [c for c in applied if c.get("action") == "drop"]
    return metrics, dropped


def letter_page(record: dict[str, Any], *, prev_id: str | None, next_id: str | None, position: tuple[int, int],
                base_corrections: Sequence[dict[str, Any]] = (), site_key: str = "") -> str:
    """Return the review page of one letter (a record dict as written to letters/<id>.json)."""
    text = record.get("text") or ""
    metrics, dropped = _display_metrics(record)
    warnings = record.get("warnings") or []
    warn_spans = [(s[0], s[1], k) for k, w in enumerate(warnings)
                  if (s := _in_text(w.get("span"), len(text))) and s[1] > s[0]]
    drop_spans = [(s[0], s[1], k) for k, c in enumerate(dropped)
                  if (s := _in_text([c.get("start"), c.get("end")], len(text))) and s[1] > s[0]]
    repairs = _repair_spans(record)
    letter_id = str(record.get("id", ""))
    nav = _nav(prev_id, next_id, position)
    body = f"""<header class="top">
<h1><a href="../index.html">dafu review</a> › <span class="id">{esc(letter_id)}</span></h1>
{nav}
</header>
<main class="letter">
<section class="text-pane">
<h2>{esc(record.get("title") or "(no title)")}</h2>
{_legend(metrics)}
<div id="text" class="text" lang="zh">{marked_text(text, metrics, repairs=repairs, warnings=warn_spans,
                                                  dropped=drop_spans)}</div>
</section>
<aside class="side">
<section id="details" class="panel"><h3>Figure</h3><p class="hint">Click a highlighted figure to see and correct it;
select text to add a missed one.</p><div id="details-body"></div></section>
<section class="panel"><h3>Header</h3>{_header_table(record)}</section>
<section class="panel"><h3>Figures ({len(metrics)})</h3>{_metric_list(metrics)}</section>
<section class="panel"><h3>Corrections</h3>{_dropped_list(dropped)}<div id="pending"></div>
<p><button type="button" id="download-toml">Download corrections.toml</button>
<button type="button" id="download-jsonl">.jsonl</button></p>
<p class="hint">Put the file beside the outputs as corrections.toml (or pass it with
<code>dafu convert … --corrections FILE</code>); every later run applies it.</p></section>
<section class="panel"><h3>Warnings ({len(warnings)})</h3>{_warning_list(warnings, warn_spans)}</section>
<section class="panel"><h3>Repairs</h3>{_repair_list(record, repairs)}</section>
</aside>
</main>
<footer>{nav}</footer>
{json_script(_page_data(record, metrics, base_corrections, site_key), "data")}"""
    return html_document(f"{letter_id} · dafu review", body, "review_letter.js")


def _nav(prev_id: str | None, next_id: str | None, position: tuple[int, int]) -> str:
    prev = (f'<a rel="prev" href="{esc(page_href(prev_id))}">← {esc(prev_id)}</a>' if prev_id
            else '<span class="off">←</span>')
    nxt = (f'<a rel="next" href="{esc(page_href(next_id))}">{esc(next_id)} →</a>' if next_id
           else '<span class="off">→</span>')
    return f'<nav class="prevnext">{prev} <span class="pos">{position[0]} / {position[1]}</span> {nxt}</nav>'


def _legend(metrics: Sequence[dict[str, Any]]) -> str:
    used = sorted({_css_word(m.get("category")) for m in metrics})
    items = "".join(f'<li><span class="swatch c-{c}"></span>{c}</li>' for c in used)
    roles = sorted({m.get("role") for m in metrics} & {"target", "standard"})
    items += "".join(f'<li><span class="swatch r-{r}-sw"></span>{r} (role)</li>' for r in roles)
    return (f'<ul class="legend" aria-label="legend">{items}<li><span class="swatch corrected-sw"></span>corrected</li>'
            '<li><span class="swatch repair-sw"></span>repaired text</li>'
            '<li><span class="swatch warn-sw"></span>warning</li><li><span class="swatch dropped-sw"></span>'
            'dropped</li></ul>')


def _header_value(record: dict[str, Any], field: str) -> Any:
    return record.get(field)


def _header_table(record: dict[str, Any]) -> str:
    rows = []
    for field in HEADER_FIELDS:
        rows.append(f'<tr><th>{field}</th><td class="hv" data-field="{field}">{esc(_header_value(record, field))}</td>'
                    f'<td><button type="button" class="edit-header" data-field="{field}">edit</button></td></tr>')
    number = (record.get("doc_number") or {}).get("raw")
    proposal = record.get("proposal") or {}
    extra = [("doc_number", number), ("proposal", " ".join(str(v) for v in (proposal.get("meeting"),
             proposal.get("number"), proposal.get("kind")) if v)),
             ("addressees", "、".join(str(a.get("name")) for a in record.get("addressees") or ())),
             ("contact", (record.get("contact") or {}).get("person")),
             ("cc", "、".join(str(c) for c in record.get("cc") or ())),
             ("source", (record.get("source") or {}).get("path"))]
    rows += [f"<tr><th>{k}</th><td colspan=\"2\">{esc(v)}</td></tr>" for k, v in extra if v]
    rows += [f"<tr><th>{esc(k)}</th><td colspan=\"2\">{esc(v)}</td></tr>"
             for k, v in (record.get("metadata") or {}).items()]
    return f'<table class="header">{"".join(rows)}</table>'


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) else esc(value)


def _metric_list(metrics: Sequence[dict[str, Any]]) -> str:
    items = []
    for k, m in sorted(enumerate(metrics), key=lambda km: tuple(km[1].get("span") or (0, 0))):
        items.append(f'<li><a href="#" class="goto-metric" data-k="{k}">{esc(m.get("raw"))}</a> '
                     f'<span class="v">{_number(m.get("value"))} {esc(m.get("unit"))}</span> '
                     f'<span class="l">{esc(m.get("label"))}</span>'
                     + (' <span class="badge">corrected</span>' if m.get("_corrected") else "") + "</li>")
    return f'<ol class="metrics">{"".join(items)}</ol>' if items else "<p>none</p>"


def _dropped_list(dropped: Sequence[dict[str, Any]]) -> str:
    if not dropped:
        return ""
    items = "".join(f'<li><a href="#dropped-{k}">{esc(c.get("raw"))}</a> at {esc(c.get("start"))} '
                    f'<span class="l">{esc((c.get("before") or {}).get("label"))}</span> '
                    f'<button type="button" class="withdraw-drop" data-raw="{esc(c.get("raw"))}" '
                    f'data-start="{esc(c.get("start"))}">keep it after all</button></li>'
                    for k, c in enumerate(dropped))
    return f'<p>Dropped by the corrections file:</p><ul class="dropped-list">{items}</ul>'


def _warning_list(warnings: Sequence[dict[str, Any]], spans: Sequence[tuple[int, int, int]]) -> str:
    linked = {k for _, _, k in spans}
    items = []
    for k, w in enumerate(warnings):
        code = f'<code>{esc(w.get("code"))}</code>'
        link = f' <a href="#warn-{k}" class="goto-warn" data-k="{k}">at {esc(w["span"][0])}</a>' if k in linked else ""
        items.append(f'<li>{code} {esc(w.get("message"))}{link}</li>')
    return f'<ul class="warnings">{"".join(items)}</ul>' if items else "<p>none</p>"


def _repair_list(record: dict[str, Any], located: Sequence[tuple[int, int, int]]) -> str:
    norm = record.get("normalization") or {}
    shown = {k for _, _, k in located}
    items = []
    for k, rep in enumerate(norm.get("mojibake_repaired") or ()):
        where = f'<a href="#repair-{k}">at {esc(rep.get("start"))}</a>' if k in shown else "(not located in the text)"
        items.append(f'<li><del>{esc(rep.get("damaged"))}</del> → <ins>{esc(rep.get("repaired"))}</ins> {where}</li>')
    for u in norm.get("mojibake_unresolved") or ():
        items.append(f'<li class="unresolved">unresolved <code>{esc(u.get("text"))}</code> at {esc(u.get("start"))}: '
                     f'{esc(u.get("reason"))}</li>')
    pinyin = norm.get("pinyin_annotations_removed") or 0
    if pinyin:
        items.append(f"<li>{esc(pinyin)} pinyin annotations removed</li>")
    return f'<ul class="repairs">{"".join(items)}</ul>' if items else "<p>none</p>"


def _page_data(record: dict[str, Any], metrics: Sequence[dict[str, Any]], base: Sequence[dict[str, Any]],
               site_key: str) -> dict[str, Any]:
    """Return what the page's script needs: the metrics, header values, and the corrections so far."""
    keep = (*METRIC_FIELDS, "span")
    return {
        "id": record.get("id"), "site": site_key, "categories": list(_categories()), "roles": list(_roles()),
        "metrics": [{**{f: m.get(f) for f in keep}, "corrected": bool(m.get("_corrected")),
                     "added": bool(m.get("_added")), "before": m.get("_before")} for m in metrics],
        "header": {f: _header_value(record, f) for f in HEADER_FIELDS},
        "base": list(base),
        "repairs": [{"damaged": r.get("damaged"), "repaired": r.get("repaired"), "confidence": r.get("confidence")}
                    for r in (record.get("normalization") or {}).get("mojibake_repaired") or ()],
        "warnings": [{"code": w.get("code"), "message": w.get("message")} for w in record.get("warnings") or ()],
    }


@cache
def _categories() -> tuple[str, ...]:
    """Return the categories a reviewer can choose: the built-in lexicon's, then other."""
    from ..extract.labels import builtin_lexicon

    found = {category for _, category in builtin_lexicon()} - {"other"}
    return (*sorted(found | set(CATEGORIES[:-1])), "other")


@cache
def _roles() -> tuple[str, ...]:
    """Return the roles a reviewer can choose: none when this dafu's metrics have no `role` yet."""
    from dataclasses import fields

    from ..model import Metric

    return ROLES if any(f.name == "role" for f in fields(Metric)) else ()
