"""Cited documents: the 《…》 titles a letter names, with the document number that follows them."""
from __future__ import annotations

import re

from .._chars import CJK_BASIC
from ..model import CitedDocument

__all__ = ["find_cited_documents"]


def find_cited_documents(text: str) -> tuple[CitedDocument, ...]:
    """Return the 《…》 titles with the document number that follows them, if any."""
    out = []
    for m in _CITED.finditer(text):
        out.append(CitedDocument(title=m.group(1), doc_number=m.group(2), span=m.span()))
    return tuple(out)


_CITED = re.compile(
    rf"《([^《》\n]{{1,100}})》(?:[（(]([{CJK_BASIC}]{{1,12}}[〔\[【][0-9]{{4}}[〕\]】][0-9]{{1,5}}[号號])[）)])?"
)


