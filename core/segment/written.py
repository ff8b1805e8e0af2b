"""Header fields as the page writes them.

Segmentation reads the normalized text, which is in the output script (simplified by default). The names and titles
it copies from the page — title, issuer, signer, addressees, document number, the proposal's title and meeting, cc and
contact — are given in the page's own script and marks, as a metric's unit is (GOLD-FORMAT: copied as found): a
traditional page gives 某市人力資源和社會保障局 whatever ``--script``, and a page's ASCII brackets stay
(各县(市、区)人民政府). ``written`` is the normalized text in the page's script, character for character
(``Normalized.as_written``); a field is found in ``text`` (spaces and line breaks of the layout may sit inside it: a
title on two lines, 答 复 的 函) and read at the same places in ``written``. A field not found in the text stays as
segmentation gave it.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..model import Addressee, Segmented, Span

__all__ = ["fields_as_written"]

_GAP = r"[ \t\n　]*"  # layout spaces and line breaks a field may span


def fields_as_written(seg: Segmented, text: str, written: str | None) -> Segmented:
    """Return seg with its copied names and titles read in ``written`` (unchanged when no conversion was needed)."""
    if written is None or len(written) != len(text) or written == text:
        return seg

    def w(value: str | None, near: Span | None = None) -> str | None:
        return _as_written(value, text, written, near)

    doc = seg.doc_number
    if doc is not None:
        doc = replace(doc, raw=w(doc.raw, doc.span) or doc.raw, issuer_code=w(doc.issuer_code, doc.span) or "")
    proposal = seg.proposal
    if proposal is not None:
        proposal = replace(proposal, title=w(proposal.title, proposal.span), meeting=w(proposal.meeting, proposal.span))
    contact = seg.contact
    if contact is not None:
        contact = replace(contact, person=w(contact.person, contact.span), unit=w(contact.unit, contact.span))
    people = tuple(_addressee(a, text, written) for a in seg.addressees)
    return replace(seg, title=w(seg.title), issuer=w(seg.issuer), signer=w(seg.signer), doc_number=doc,
                   proposal=proposal, contact=contact, addressees=people, cc=tuple(w(c) or c for c in seg.cc))


def _addressee(a: Addressee, text: str, written: str) -> Addressee:
    return replace(a, name=_as_written(a.name, text, written, a.span) or a.name)


def _as_written(value: str | None, text: str, written: str, near: Span | None) -> str | None:
    """The value as ``written`` has it where ``text`` holds it (inside ``near`` first), else the value."""
    if not value:
        return value
    spaced = any(_gap(ch) for ch in value)  # a value with its own spaces is found as it is
    pattern = re.compile(re.escape(value) if spaced else _GAP.join(map(re.escape, value)))
    m = (pattern.search(text, near[0], near[1]) if near else None) or pattern.search(text)
    if m is None:
        return value
    if spaced:
        return written[m.start():m.end()]
    return "".join(written[i] for i in range(m.start(), m.end()) if not _gap(text[i]))


def _gap(ch: str) -> bool:
    return ch in " \t\n\u3000"
