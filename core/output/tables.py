"""Record -> the row of letters.csv (one per letter); the columns are listed in .columns."""
from __future__ import annotations

from typing import Any

from ..model import Record
from .columns import LETTERS_COLUMNS

__all__ = ["LETTERS_COLUMNS", "letter_row", "letter_row_from_dict", "addressees_text", "warning_codes"]


def addressees_text(addressees: Any) -> str:
    """Return the addressees as the letter writes them, joined by 、 (dicts of the record's JSON).

    >>> addressees_text([{"name": "苏灿", "role": "代表", "and_others": True},
    ...                  {"name": "廖力嘉", "role": "委员", "and_others": False}])
    '苏灿等代表、廖力嘉委员'
    """
    return "、".join(a["name"] + ("等" if a.get("and_others") else "") + (a.get("role") or "") for a in addressees)


def warning_codes(warnings: Any) -> str:
    """Return the distinct warning codes, sorted, joined by ;.

    >>> warning_codes([{"code": "no_title"}, {"code": "date_invalid"}, {"code": "no_title"}])
    'date_invalid;no_title'
    """
    return ";".join(sorted({w["code"] for w in warnings}))


def letter_row_from_dict(record: dict[str, Any], *, neutralise: bool = True) -> list[str]:
    """Return the letters.csv row of a record dict (as written to letters/<id>.json), cells in LETTERS_COLUMNS order.

    `neutralise=False` keeps cells a spreadsheet would run as formulas as they are (for a database).
    """
    from . import neutralise_cell

    source = record.get("source") or {}
    number = record.get("doc_number") or {}
    proposal = record.get("proposal") or {}
    cells = {
        "letter_id": record["id"], "source_path": source.get("path"), "source_url": source.get("url"),
        "fetched_at": source.get("fetched_at"), "doc_type": record["doc_type"],
        "title": record.get("title"), "doc_number": number.get("raw"), "issuer": record.get("issuer"),
        "date": record.get("date"), "category": record.get("category"),
        "proposal_kind": proposal.get("kind"), "proposal_body": proposal.get("body"),
        "proposal_meeting": proposal.get("meeting"), "proposal_number": proposal.get("number"),
        "proposal_title": proposal.get("title"), "addressees": addressees_text(record.get("addressees") or ()),
        "metric_count": str(len(record.get("metrics") or ())),
        "warning_codes": warning_codes(record.get("warnings") or ()),
    }
    return [neutralise_cell(cells[c] or "") if neutralise else cells[c] or "" for c in LETTERS_COLUMNS]


def letter_row(record: Record) -> list[str]:
    """Return the letters.csv row of a Record (the same cells as letter_row_from_dict of its dict)."""
    p = record.proposal
    return letter_row_from_dict({
        "id": record.id,
        "source": {"path": record.source.path, "url": record.source.url, "fetched_at": record.source.fetched_at}
        if record.source else None,
        "doc_type": record.doc_type, "title": record.title,
        "doc_number": {"raw": record.doc_number.raw} if record.doc_number else None, "issuer": record.issuer,
        "date": record.date, "category": record.category,
        "proposal": {"kind": p.kind, "body": p.body, "meeting": p.meeting, "number": p.number, "title": p.title}
        if p else None,
        "addressees": [{"name": a.name, "role": a.role, "and_others": a.and_others} for a in record.addressees],
        "metrics": record.metrics, "warnings": [{"code": w.code} for w in record.warnings],
    })
