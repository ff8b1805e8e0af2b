"""Index rows -> the index page of the review site (`dafu review`): a sortable, filterable table of the letters."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .review import esc, html_document, json_script, page_href

__all__ = ["index_page", "index_row", "ROWS_AT_ONCE"]

def index_row(record: dict[str, Any]) -> dict[str, Any]:
    """Return the summary of one letter that the index shows."""
    norm = record.get("normalization") or {}
    return {"id": record.get("id"), "doc_type": record.get("doc_type"), "issuer": record.get("issuer"),
            "date": record.get("date"), "title": record.get("title"), "metrics": len(record.get("metrics") or ()),
            "warnings": len(record.get("warnings") or ()),
            "repairs": len(norm.get("mojibake_repaired") or ()) + len(norm.get("mojibake_unresolved") or ()),
            "corrections": len(record.get("corrections") or ())}


ROWS_AT_ONCE = 500  # rows in the document's layout at a time: 5,000 laid-out rows take seconds to render or sort
_COLUMNS = (("id", "letter", "text"), ("doc_type", "type", "text"), ("issuer", "issuer", "text"),
            ("date", "date", "text"), ("metrics", "metrics", "num"), ("warnings", "warnings", "num"),
            ("repairs", "repairs", "num"), ("corrections", "corrections", "num"))


def index_page(rows: Sequence[dict[str, Any]], *, base_corrections: Sequence[dict[str, Any]] = (),
               site_key: str = "", problems: Sequence[tuple[str, str]] = ()) -> str:
    """Return the index page: a sortable, filterable table of the letters with totals."""
    head = "".join(f'<th data-key="{key}" data-type="{kind}" class="{kind}"><button type="button" class="sort">'
                   f"{label}</button></th>" for key, label, kind in _COLUMNS)
    cols = "".join(f'<col class="{"num" if kind == "num" else "c-" + key}">' for key, _, kind in _COLUMNS)
    body = []
    for n, row in enumerate(rows):
        cells = [f'<td><a href="letters/{esc(page_href(str(row["id"])))}">{esc(row["id"])}</a>'
                 f'<div class="title">{esc(row.get("title"))}</div></td>']
        cells += [f"<td>{esc(row.get(key))}</td>" if kind == "text" else f'<td class="num">{esc(row.get(key))}</td>'
                  for key, _, kind in _COLUMNS[1:]]
        body.append(f"<tr hidden>{''.join(cells)}</tr>" if n >= ROWS_AT_ONCE else f"<tr>{''.join(cells)}</tr>")
    totals = "".join(f'<td class="num" id="total-{key}">{sum(int(r.get(key) or 0) for r in rows)}</td>'
                     for key, _, kind in _COLUMNS if kind == "num")
    skipped = ""
    if problems:
        skipped = ('<section class="panel problems"><h3>Records not shown</h3><ul>'
                   + "".join(f"<li>{esc(p)}: {esc(r)}</li>" for p, r in problems) + "</ul></section>")
    page = f"""<header class="top"><h1>dafu review</h1>
<p class="summary"><span id="matching">{len(rows)}</span> of {len(rows)} letters match</p></header>
<main class="index">
<p class="filters"><label>Filter <input type="search" id="filter" placeholder="id, issuer, title, type…"></label>
<label><input type="checkbox" id="only-warnings"> with warnings</label>
<label><input type="checkbox" id="only-repairs"> with repairs</label>
<label><input type="checkbox" id="only-corrected"> with corrections</label>
<button type="button" id="download-toml">Download corrections.toml</button>
<span id="pending-count"></span></p>
{skipped}
<table id="letters"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>
<tbody>{"".join(body)}</tbody>
<tfoot><tr><th colspan="4">Total (letters that match)</th>{totals}</tr></tfoot></table>
<p class="more"><span id="shown">{min(len(rows), ROWS_AT_ONCE)}</span> rows shown
<button type="button" id="show-more"{"" if len(rows) > ROWS_AT_ONCE else " hidden"}>show {ROWS_AT_ONCE} more</button>
<button type="button" id="show-all"{"" if len(rows) > ROWS_AT_ONCE else " hidden"}>show all</button></p>
</main>
{json_script({"site": site_key, "base": list(base_corrections), "rows_at_once": ROWS_AT_ONCE}, "data")}"""
    return html_document("dafu review", page, "review_index.js")
