"""The signature block at the end of a letter: issuer, date, contact and cc."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date

from .._chars import PHONE
from ..codes import WarningCode
from ..model import Contact, Span, Warning
from .orgs import is_org
from .text import CJK, SEAL, fold, split_top
from .text import CLOSING as _CLOSING

__all__ = ["Tail", "tail", "parse_date", "contact_of", "CONTACT_LINE"]

_TAIL_SCAN = 12  # a signature block never has more lines than this

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "o": 0, "O": 0}
_DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"|(?P<cy>[〇零一二三四五六七八九oO]{4})\s*年\s*(?P<cm>[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<cd>[一二三四五六七八九十]{1,3})\s*日"
    r"|(?P<ny>(?:19|20)\d\d)(?P<sep>[-./])(?P<nm>\d{1,2})(?P=sep)(?P<nd>\d{1,2})(?!\d))"
)
_DATE_LINE = re.compile(rf"(?:(?:成文日期|日期)\s*[:：]?\s*)?(?P<date>{_DATE.pattern})\s*$")
_ORG_DATE_LINE = re.compile(rf"(?P<org>[^\s。，]{{4,40}})\s+(?P<date>{_DATE.pattern})\s*$")
_CC = re.compile(r"抄\s*送\s*[:：]?\s*")
CONTACT_LINE = re.compile(r"[（(]?\s*(?:联\s*系\s*人|联系电话|联系单位|联系方式|经办人|承办人|联\s*系)")
_NOTE = re.compile(r"[（(][^（）()]{1,24}[）)]$|附\s*件")
_CONTACT_KEY = re.compile(r"(?P<key>联\s*系\s*人[^:：]{0,6}|联系单位[^:：]{0,6}|联系电话|联系方式|经办人|承办人"
                          r"|承办单位|办公电话|手机|电话|传真)\s*[:：]\s*")


@dataclass(frozen=True, slots=True)
class Tail:
    start: int | None  # line index where the signature block starts (None: no block)
    issuer: str | None = None
    date: str | None = None
    contact: Contact | None = None
    cc: tuple[str, ...] = ()
    warnings: tuple[Warning, ...] = ()


def parse_date(folded: str) -> tuple[int, int, int] | None:
    """(year, month, day) of one written date, valid or not.

    >>> parse_date("二〇二四年五月十六日")
    (2024, 5, 16)
    """
    m = _DATE.fullmatch(folded.strip())
    if not m:
        return None
    if m["y"]:
        return int(m["y"]), int(m["m"]), int(m["d"])
    if m["ny"]:
        return int(m["ny"]), int(m["nm"]), int(m["nd"])
    year = int("".join(str(_CN_DIGIT[c]) for c in m["cy"]))
    return year, _cn_small(m["cm"]), _cn_small(m["cd"])


def _cn_small(s: str) -> int:
    """一 … 三十一 as an int (十六 → 16, 二十一 → 21)."""
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _kind(f: str) -> str | None:
    """The kind of a tail line: cc, contact, date, orgdate, org, note, or None."""
    if _CC.match(f):
        return "cc"
    if CONTACT_LINE.match(f):
        return "contact"
    if _DATE_LINE.match(f):
        return "date"
    m = _ORG_DATE_LINE.match(f)
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
    issuer = date = None
    warnings: list[Warning] = []
    contact_lines, cc = [], ()
    for i, k in kinds:
        s, e = lines[i]
        if k in ("date", "orgdate"):
            m = (_DATE_LINE if k == "date" else _ORG_DATE_LINE).match(folded, s, e)
            if k == "orgdate" and issuer is None:
                issuer = text[m.start("org"):m.end("org")]
            if date is None:
                date, warning = _iso(folded, m.start("date"), m.end("date"))
                warnings += [warning] if warning else []
        elif k == "org" and date is None and issuer is None:
            issuer = SEAL.sub("", text[s:e]).strip()
        elif k == "contact":
            contact_lines.append(lines[i])
        elif k == "cc":
            cc = _cc(text, folded, s, e)
    contact = contact_of(text, folded, contact_lines) if contact_lines else None
    return Tail(start=kinds[0][0], issuer=issuer, date=date, contact=contact, cc=cc, warnings=tuple(warnings))


def _iso(folded: str, s: int, e: int) -> tuple[str | None, Warning | None]:
    y, m, d = parse_date(folded[s:e]) or (0, 0, 0)
    try:
        return _date(y, m, d).isoformat(), None
    except ValueError:
        code = WarningCode.DATE_INVALID
        return None, Warning(code, code.template.format(text=folded[s:e]), (s, e))


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
            rest = re.split(r"[\s，,；;]+", rest)[0] if rest else ""
            if not rest:
                continue
            if "单位" in k["key"] or is_org(fold(rest)):
                unit = unit or rest
            elif "人" in k["key"] and re.fullmatch(rf"[{CJK}·]{{2,6}}", rest):
                person = person or rest
    if person is None and unit is None and not phones:
        return None
    return Contact(person=person, unit=unit, phones=tuple(phones), span=(spans[0][0], spans[-1][1]))
