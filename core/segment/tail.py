"""The closing block at the end of a letter: where it starts (the body ends there), contact and cc."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .._chars import PHONE
from ..model import Contact, Span
from .header import DOC_NUMBER
from .orgs import is_org
from .signature import DATE_LINE, ORG_DATE_LINE
from .text import CJK, SEAL, fold, split_top
from .text import CLOSING as _CLOSING

__all__ = ["Tail", "tail", "contact_of", "CONTACT_LINE"]

_TAIL_SCAN = 12  # a signature block never has more lines than this

_SPACED_NAME = re.compile(rf"[{CJK}]{{1,2}} [{CJK}]{{1,2}}(?![{CJK}])")
_PERSON_NAME = re.compile(rf"[{CJK}·]{{2,6}}|{_SPACED_NAME.pattern}")
_CC = re.compile(r"抄\s*送\s*[:：]?\s*")
CONTACT_LINE = re.compile(  # 联系人 / 承 办 人 / 承办负责人 / 具体经办人姓名 / 邮 政 编 码 / 领导签字
    r"[（(]?\s*(?:联\s*系\s*人|联\s*系\s*电\s*话|联系单位|联系方式|经\s*办\s*人|承\s*办\s*(?:负\s*责\s*)?人|联\s*系"
    r"|(?:主管|具体|分管)?[^\s:：]{0,4}(?:领导|经办)人?(?:员)?姓名|邮\s*政\s*编\s*码|领导签字|签\s*字\s*[:：])")
_NOTE = re.compile(r"[（(][^（）()]{1,24}[）)]$|附\s*件")
_CONTACT_KEY = re.compile(r"(?P<key>联\s*系\s*人[^:：]{0,6}|联系单位[^:：]{0,6}|联\s*系\s*电\s*话|联系方式|经\s*办\s*人"
                          r"|承\s*办\s*(?:负\s*责\s*)?人[^:：]{0,6}|[^\s:：]{0,6}经办人姓名|承办单位|办公电话|手机|电话|传真)"
                          r"\s*[:：]\s*")


@dataclass(frozen=True, slots=True)
class Tail:
    """The closing block's lines; its date is read by signature.py, which also finds a mid-text signature."""

    start: int | None  # line index where the signature block starts (None: no block)
    issuer: str | None = None  # an organisation line closing the letter (used when no date line has one)
    contact: Contact | None = None
    cc: tuple[str, ...] = ()
    doc_line: Span | None = None  # a line that is nothing but a doc number (a ministry's reply numbered at its foot)


def _kind(f: str) -> str | None:
    """The kind of a tail line: cc, contact, date, orgdate, org, note, docnum (a doc number alone), or None."""
    if DOC_NUMBER.fullmatch(f):
        return "docnum"
    if _CC.match(f):
        return "cc"
    if CONTACT_LINE.match(f):
        return "contact"
    if DATE_LINE.match(f):
        return "date"
    m = ORG_DATE_LINE.match(f)
    if m and is_org(m["org"]):
        return "orgdate"
    if is_org(f) and not _CLOSING.match(f):
        return "org"
    if _NOTE.match(f):
        return "note"
    return None


def tail(text: str, folded: str, lines: tuple[Span, ...], lo: int) -> Tail:
    """The signature block among the last lines (not before line index lo)."""
    kinds: list[tuple[int, str]] = []
    for i in range(len(lines) - 1, max(lo, len(lines) - _TAIL_SCAN) - 1, -1):
        s, e = lines[i]
        k = _kind(folded[s:e])
        if k is None:
            break
        kinds.append((i, k))
    kinds.reverse()
    while kinds and kinds[0][1] == "note":  # a leading note (附件：…) belongs to the body
        kinds.pop(0)
    if not kinds:
        return Tail(start=None)
    return _read_tail(text, folded, lines, kinds)


def _read_tail(text, folded, lines, kinds: list[tuple[int, str]]) -> Tail:
    issuer = None
    dated = False
    contact_lines, cc, doc_line = [], (), None
    for i, k in kinds:
        s, e = lines[i]
        if k in ("date", "orgdate"):
            if k == "orgdate" and issuer is None:
                m = ORG_DATE_LINE.match(folded, s, e)
                issuer = text[m.start("org"):m.end("org")]
            dated = True
        elif k == "org" and not dated and issuer is None:
            issuer = SEAL.sub("", text[s:e]).strip()
        elif k == "contact":
            contact_lines.append(lines[i])
        elif k == "cc":
            cc = _cc(text, folded, s, e)
        elif k == "docnum" and doc_line is None:
            doc_line = lines[i]
    contact = contact_of(text, folded, contact_lines) if contact_lines else None
    return Tail(start=kinds[0][0], issuer=issuer, contact=contact, cc=cc, doc_line=doc_line)


def _cc(text: str, folded: str, s: int, e: int) -> tuple[str, ...]:
    m = _CC.match(folded, s, e)
    body = text[m.end():e].rstrip("。.")
    return tuple(re.sub(r"\s+", "", body[a:b]) for a, b in split_top(body, "，、,;；"))


def contact_of(text: str, folded: str, spans: list[Span]) -> Contact | None:
    """联系人 / 联系单位 / phone numbers of contact lines."""
    person = unit = None
    phones: list[str] = []
    for s, e in spans:
        base = s + (1 if folded[s] in "（(" else 0)
        f = folded[base:e].rstrip("）)")
        keys = list(_CONTACT_KEY.finditer(f))
        for n, k in enumerate(keys):
            v_s, v_e = k.end(), keys[n + 1].start() if n + 1 < len(keys) else len(f)
            value_o = text[base + v_s:base + v_e]
            phones += [p.group() for p in PHONE.finditer(value_o)]
            rest = PHONE.sub(" ", value_o).strip(" ，,；;、：:。").strip()
            spaced = _SPACED_NAME.match(rest)  # 赵 磊: a layout space between family and given name, kept
            rest = spaced.group() if spaced else re.split(r"[\s，,；;]+", rest)[0] if rest else ""
            if not rest:
                continue
            if "单位" in k["key"] or is_org(fold(rest)):
                unit = unit or rest
            elif ("人" in k["key"] or "姓名" in k["key"]) and _PERSON_NAME.fullmatch(rest):
                person = person or rest
    if person is None and unit is None and not phones:
        return None
    return Contact(person=person, unit=unit, phones=tuple(phones), span=(spans[0][0], spans[-1][1]))
