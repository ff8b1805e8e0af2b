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

from ..model import Segmented, Span

__all__ = ["fields_as_written"]

_GAP = r"[ \t\n　]*"  # layout spaces and line breaks a field may span
_GAPS = re.compile(r"[ \t\n　]+")


def fields_as_written(seg: Segmented, text: str, written: str | None) -> Segmented:
    """Return seg with its copied names and titles read in ``written`` (unchanged when no conversion was needed)."""
    if written is None or len(written) != len(text) or written == text:
        return seg

    squeezed: list[str] = []  # the text without layout gaps, made once when a value is not in the text as it is

    def gapped(value: str) -> bool:
        if not squeezed:
            squeezed.append(_GAPS.sub("", text))
        return value in squeezed[0]

    def w(value: str | None, near: Span | None = None) -> str | None:
        return _as_written(value, text, written, near, gapped)

    doc = seg.doc_number
    if doc is not None:
        doc = replace(doc, raw=w(doc.raw, doc.span) or doc.raw, issuer_code=w(doc.issuer_code, doc.span) or "")
    proposal = seg.proposal
    if proposal is not None:
        proposal = replace(proposal, title=w(proposal.title, proposal.span), meeting=w(proposal.meeting, proposal.span))
    contact = seg.contact
    if contact is not None:
        contact = replace(contact, person=w(contact.person, contact.span), unit=w(contact.unit, contact.span))
    people = tuple(replace(a, name=w(a.name, a.span) or a.name) for a in seg.addressees)
    return replace(seg, title=w(seg.title), issuer=w(seg.issuer), signer=w(seg.signer), doc_number=doc,
                   proposal=proposal, contact=contact, addressees=people, cc=tuple(w(c) or c for c in seg.cc))


def _as_written(value: str | None, text: str, written: str, near: Span | None, gapped) -> str | None:
    """The value as ``written`` has it where ``text`` holds it (inside ``near`` first), else the value. The value as
    it is is looked for first (str.find); a pattern with layout gaps between its characters is compiled only when
    that fails (a title over two lines): compiling one per field and letter cost more than the rest of the letter."""
    if not value:
        return value
    places = ((near[0], near[1]), (0, len(text))) if near else ((0, len(text)),)
    for lo, hi in places:
        if (at := text.find(value, lo, hi)) >= 0:
            return written[at:at + len(value)]
    if any(_gap(ch) for ch in value) or not gapped(value):
        return value  # a value with its own spaces is only found as it is; one not on the page has nothing to read
    pattern = re.compile(_GAP.join(map(re.escape, value)))
    for lo, hi in places:
        if (m := pattern.search(text, lo, hi)) is not None:
            return "".join(written[i] for i in range(m.start(), m.end()) if not _gap(text[i]))
    return value


def _gap(ch: str) -> bool:
    return ch in " \t\n\u3000"
