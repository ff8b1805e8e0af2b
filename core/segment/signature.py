"""The signature: the issuing organisation(s) directly above the letter's date line, wherever it sits.

A date line is a line holding only a written date (2018年5月21日, 二00八年五月十二日, 2019-3-5, glued 2023531),
maybe after 成文日期： or after the organisation on the same line. The signature is the LAST date line with an
organisation line directly above it (several organisation lines above one date are joint issuers, joined by 、);
else the last date line among the closing lines of the text written with 年 (a date without an organisation;
a bare 2021-05-06 there is a page's time stamp). It may sit in the
middle of the text: a notice signs before ``(此件公开发布)`` and its attached document. Publication times
(2020-01-02 10:20) and bylines are not date lines; footers, contact lines and neighbour links after the date
do not matter, since the date is searched, not reached from the end.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from .dates import DATE, glued_readings, read_date
from .orgs import is_office, is_org
from .text import CLOSING, SEAL

__all__ = ["Signature", "signature", "DATE_LINE", "ORG_DATE_LINE"]

DATE_LINE = re.compile(rf"(?:(?:成文日期|发文日期|日期)\s*[:：]?\s*)?[（(]?(?P<date>{DATE.pattern})[）)]?\s*$")
ORG_DATE_LINE = re.compile(rf"(?P<org>[^\s。，]{{4,40}})\s+(?P<date>{DATE.pattern})\s*$")
_MAX_ORGS = 6  # joint issuers stacked above one date
_LAST_LINES = 8  # a date without an organisation counts only among the last lines


@dataclass(frozen=True, slots=True)
class Signature:
    issuer: str | None = None
    issuer_span: Span | None = None
    date: str | None = None
    date_span: Span | None = None
    doubt: str | None = None  # invalid | ambiguous | glued (see dates.read_date)
    line: int | None = None  # index of the date line


def _date_at(folded: str, s: int, e: int) -> tuple[Span, Span | None] | None:
    """(date span, org span on the same line or None) when the line is a date line."""
    m = DATE_LINE.fullmatch(folded, s, e)
    if m and not (m["glued"] and not glued_readings(m["glued"])):  # 20381547: a page id, not a date
        return (m.start("date"), m.end("date")), None
    m = ORG_DATE_LINE.fullmatch(folded, s, e)
    if m and is_org(m["org"]):
        return (m.start("date"), m.end("date")), (m.start("org"), m.end("org"))
    return None


def _org_line(text: str, folded: str, s: int, e: int) -> Span | None:
    f = folded[s:e]
    if not is_org(f) or CLOSING.match(f):
        return None
    seal = SEAL.search(f)
    end = s + seal.start() if seal else e
    while end > s and text[end - 1].isspace():
        end -= 1
    return s, end


_PARENT = re.compile(r"(?:人民政府|管理委员会|管委会)$")  # a body whose office may sign on the line under it
_CHILD_MAX = 6
_CHILD_NOT = re.compile(r"^(?:中共|国家|省|市|县|区|州|自治|[^\s]{1,4}[省市县区州旗])")


def _office_line(text: str, folded: str, lines: tuple[Span, ...], j: int, lo: int, below: bool) -> Span | None:
    """The line right above the date when it names an office (办公室) and the line above it its body (某市人民政府)."""
    if below or j - 1 < lo or not is_office(folded[lines[j][0]:lines[j][1]]):
        return None
    parent = _org_line(text, folded, *lines[j - 1])
    if parent is None or not _PARENT.search(text[parent[0]:parent[1]]):
        return None
    return lines[j][0], lines[j][0] + len(text[lines[j][0]:lines[j][1]].rstrip())


def _joined(names: list[str]) -> str:
    """Joint issuers joined by 、, but an office under its parent body is one name (某新城管理委员会⏎社会事业局)."""
    out: list[str] = []
    for name in names:
        if out and _PARENT.search(out[-1]) and len(name.strip()) <= _CHILD_MAX and not _CHILD_NOT.match(name):
            out[-1] += name
        else:
            out.append(name)
    return "、".join(out)


def signature(text: str, folded: str, lines: tuple[Span, ...], lo: int = 0) -> Signature:
    """The signature block's issuer and date (see the module docstring), never raising."""
    fallback: Signature | None = None
    for i in range(len(lines) - 1, lo - 1, -1):
        s, e = lines[i]
        found = _date_at(folded, s, e)
        if not found:
            continue
        (ds, de), same_line_org = found
        orgs = [same_line_org] if same_line_org else []
        j = i - 1
        while not same_line_org and j >= lo and len(orgs) < _MAX_ORGS:
            span = _org_line(text, folded, *lines[j]) or _office_line(text, folded, lines, j, lo, bool(orgs))
            if span is None:
                break
            orgs.insert(0, span)
            j -= 1
        iso, doubt = read_date(folded[ds:de])
        if orgs:
            issuer = _joined([text[a:b] for a, b in orgs])
            return Signature(issuer, (orgs[0][0], orgs[-1][1]), iso, (ds, de), doubt, i)
        if fallback is None and i >= len(lines) - _LAST_LINES and "年" in folded[ds:de]:
            fallback = Signature(None, None, iso, (ds, de), doubt, i)
    return fallback or Signature()
