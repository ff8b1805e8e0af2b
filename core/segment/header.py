"""The letter's header: where it ends, doc_number, category, signer, title and addressees."""
from __future__ import annotations

import re
from typing import NamedTuple

from ..model import Addressee, DocNumber, Span
from .injected import boilerplate, injected, spam_line, strip_injected
from .orgs import is_org
from .text import CJK, alt, fold, split_top, squeeze

__all__ = ["DOC_NUMBER", "header_end", "news_lead", "glued_addressee", "doc_number", "parse_doc_number", "category",
           "signer", "title", "addressees", "is_org"]

_HEADER_SCAN = 30  # a header never has more lines than this (page chrome included)
_LEAD_LINES = 8  # a news lead before a wrapped letter is shorter than this
_OPENS_REPLY = re.compile(r"收悉|收到|答复如下|回复如下|您好|你好|提出的")
_TITLE_LINE_MAX = 80

DOC_NUMBER = re.compile(
    rf"(?P<code>[{CJK}]{{1,12}})\s*[〔\[【（(［]\s*(?P<year>(?:19|20)\d\d)\s*[〕\]】）)］]"
    r"\s*第?\s*(?P<serial>\d{1,6})\s*号"
)
_BARE_DOC_NUMBER = re.compile(  # 青财预函2022年27号: the whole of a line or a metadata value
    rf"(?P<code>[{CJK}]{{2,12}}?)(?<!第)\s*(?P<year>(?:19|20)\d\d)\s*年?\s*第?\s*(?P<serial>\d{{1,6}})\s*号")
_CATEGORY = (
    re.compile(r"^[〔\[【（(]\s*([ABC])\s*[〕\]】）)]"),
    re.compile(r"类\s*别\s*[:：]\s*([ABC])(?![A-Za-z])"),
    re.compile(r"(?<![A-Za-z])([ABC])\s*类"),
)
_SIGNER = re.compile(rf"签\s*发\s*人\s*[:：]\s*([{CJK}·]{{2,6}})")
_KEY_VALUE = re.compile(rf"(?:{alt('header_keys')}|[{CJK}\s]{{1,6}}(?=\s*[:：]\s*\S))")
_BRACKET_LINE = re.compile(r"^[〔\[【（(][^〔〕\[\]【】（）()]{1,10}[〕\]】）)]$")
_TITLE_END = re.compile(
    r"(?:答复|复函|的函|回复|通知|意见|报告|方案|办法|决定|建议|提案|议案|情况|总结|汇报|说明|摘要|纪要|细则)$")
_MARKER_LINE = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、．])")
_GLUED_ADDRESSEE = re.compile(rf"(?:尊敬的)?[^:：，。；\s]{{1,60}}?(?:{alt('roles')})[:：]")
_TITLE_GOES_ON = re.compile(r"关于|对")
_CITING = re.compile(r"关于|《")  # a line citing a document (a title), not a doc-number line
_TITLE_WORDS = re.compile(r"关于|答复|答覆|复函|通知|会办意见|第\s*[A-Za-z]{0,4}\d{1,10}\s*号")
_TITLE_MIN = 8  # shorter title-like lines are section names of the site (建议提案, 政务公开)
_COLUMN_TAG = re.compile(r"【[^【】]{1,12}】\s*")
_ADDRESSEE_PREFIX = re.compile(r"(?:尊敬的|亲爱的)")




def _is_paragraph(folded_line: str) -> bool:
    """Whether a line is a paragraph of prose (a sentence, a reply's opening, or long), not a header line."""
    return "。" in folded_line or "收悉" in folded_line or len(folded_line) > 100


def is_spam_line(line: str) -> bool:
    """Whether a line is a spammer's and no paragraph of the letter: its figures and fields are not the letter's."""
    return not _is_paragraph(line) and spam_line(line)


def header_end(folded: str, lines: tuple[Span, ...]) -> tuple[int, int | None]:
    """(index of the first body line, index of the addressee line or None).

    A news page may wrap the letter: headline, a lead paragraph, then the letter from its addressee line.
    An addressee line a few lines into the body counts when the line after it opens a reply (收悉 …).
    """
    for i, (s, e) in enumerate(lines[:_HEADER_SCAN]):
        line = folded[s:e]
        paragraph = _is_paragraph(line)
        if (boilerplate(line) if paragraph else injected(line)) and not _OPENS_REPLY.search(line):
            continue  # a spam line, or an upload site's boilerplate (a paragraph on 福利彩票 is the letter's)
        if paragraph:
            return _wrapped_letter(folded, lines, i) or (i, None)
        if _is_addressee_line(line):
            return i + 1, i
    return 0, None


def _wrapped_letter(folded: str, lines: tuple[Span, ...], first: int) -> tuple[int, int] | None:
    """(body start, addressee line) of a letter that starts after a news lead, else None."""
    for j in range(first + 1, min(first + _LEAD_LINES, len(lines) - 1)):
        s, e = lines[j]
        n_s, n_e = lines[j + 1]
        if _is_addressee_line(folded[s:e]) and _OPENS_REPLY.search(folded, n_s, min(n_e, n_s + 120)):
            return j + 1, j
    return None


def news_lead(folded: str, head: tuple[Span, ...]) -> Span | None:
    """The news lead of a wrapped letter: the paragraph lines among the header lines (only such a page has any).

    It may name the proposal the letter answers (…对市政协某届某次会议第N号提案《…》进行了答复。以下为答复原文：).
    """
    found = [(s, e) for s, e in head if _is_paragraph(folded[s:e])]
    return (found[0][0], found[-1][1]) if found else None


def glued_addressee(folded: str, line: Span) -> Span | None:
    """The addressee at the start of a line glued to the opening (王某代表：您提出的…收悉), or None.

    Only names ending in a role (代表, 委员 …) count here, so a paragraph that merely starts with a colon
    phrase is never taken.
    """
    m = _GLUED_ADDRESSEE.match(folded, *line)
    if m and _is_addressee_line(m.group()):
        return m.start(), m.end()
    return None


def _is_addressee_line(line: str) -> bool:
    if not line.endswith((":", "：")) or len(line) > 60 or _KEY_VALUE.match(line):
        return False
    return bool(_parse_parts(_ADDRESSEE_PREFIX.sub("", line[:-1])))


def parse_doc_number(text: str, folded: str, base: int = 0, with_span: bool = True) -> DocNumber | None:
    """The first 发文字号 in text (code〔year〕serial号 in any usual bracket), or the whole of text when it is one
    written without brackets (青财预函2022年27号, 汾政办发2021第3号)."""
    m = DOC_NUMBER.search(folded)
    if not m:
        lead = len(folded) - len(folded.lstrip())
        m = _BARE_DOC_NUMBER.fullmatch(folded, lead, len(folded.rstrip()))
    if not m:
        return None
    # Not in the text (taken from the metadata 文号): no span.
    span = (base + m.start(), base + m.end()) if with_span else None
    return DocNumber(raw=text[m.start():m.end()], issuer_code=text[m.start("code"):m.end("code")],
                     year=int(m["year"]), serial=int(m["serial"]), span=span)


def doc_number(text: str, folded: str, head: tuple[Span, ...],
               meta: dict[str, str], below: Span | None = None) -> DocNumber | None:
    """The doc number of the header lines, else of the metadata 文号 (then with the empty span), else of ``below``,
    the closing block's line that is nothing but a doc number (a ministry's reply numbered under its signature).

    A number cited in a title (关于转发《…》(某发〔2020〕3号)的通知) is another document's.
    """
    for s, e in head:
        if _CITING.search(folded, s, e):
            continue
        found = parse_doc_number(text[s:e], folded[s:e], s)
        if found:
            return found
    bare = {re.sub(r"\s+", "", k): v for k, v in meta.items()}  # 文 号 / 发文字号 as written
    for key in ("文号", "发文字号", "發文字號", "文號"):
        if key in bare:
            found = parse_doc_number(bare[key], fold(bare[key]), with_span=False)
            if found:
                return found
    return parse_doc_number(text[below[0]:below[1]], folded[below[0]:below[1]], below[0]) if below else None


def category(folded: str, head: tuple[Span, ...], meta: dict[str, str]) -> str | None:
    """答复类别 A/B/C from 〔A〕, 类别：A, A类 in the header (or the metadata)."""
    candidates = [folded[s:e] for s, e in head]
    candidates += [f"类别：{v}" for k, v in meta.items() if squeeze(k) in ("类别", "類別", "答复类别")]
    for pattern in _CATEGORY:
        for line in candidates:
            m = pattern.search(line)
            if m:
                return m.group(1)
    return None


def signer(text: str, folded: str, head: tuple[Span, ...], meta: dict[str, str]) -> str | None:
    """签发人 from the header, else from the metadata."""
    for s, e in head:
        m = _SIGNER.search(folded, s, e)
        if m:
            return text[m.start(1):m.end(1)]
    for key in ("签发人", "簽發人"):
        if meta.get(key, "").strip():
            return meta[key].strip()
    return None


def title(text: str, folded: str, head: tuple[Span, ...]) -> str | None:
    """The title: title-like header lines joined, a one-line repeat of a split title dropped.

    A column tag before it (【工作动态】) is not part of it; injected lines (spam, mirror names) are skipped.
    """
    titles: list[str] = []
    block: list[str] = []
    for n, (s, e) in enumerate(head):
        if not block and _org_opens_title(folded, head, n):  # 某市某局⏎关于对…第N号建议的⏎答 复
            block.append(text[s:e])
            continue
        tag = _COLUMN_TAG.match(folded, s, e)
        s = tag.end() if tag and tag.end() < e else s
        f, o = folded[s:e], text[s:e]
        if injected(f):  # keep what is left of a title a mirror or spammer wrote into, if it reads as one
            f, o = strip_injected(f), strip_injected(o)
            if not (_TITLE_WORDS.search(f) or _TITLE_END.search(squeeze(f))):
                f = o = ""
        if not _title_like(f) or injected(f) or len(f) != len(o):
            block = _flush(block, titles)
            continue
        block.append(o)
        if _TITLE_END.search(squeeze(f)) and not _reply_tail_next(folded, head, n):
            block = _flush(block, titles)
    _flush(block, titles)
    if not titles:
        return None
    # Prefer one that says what it is, the last such (the letter's own heading sits nearest the addressee,
    # a page title or news headline above it); else the first that is not a short section name.
    named = [t for t in titles if _TITLE_WORDS.search(fold(t))]
    if named:
        return named[-1]
    return next((t for t in titles if len(t) >= _TITLE_MIN), titles[0])


def names_itself(title: str) -> bool:
    """Whether a title says what it is (关于…, …答复, 第N号): a site's heading line (某县人民政府信息公开) does not."""
    return bool(_TITLE_WORDS.search(fold(title)))


_REPLY_TAIL = re.compile(r"的?(?:答复|答覆|复函|復函)(?:的?函)?")


def _reply_tail_next(folded: str, head: tuple[Span, ...], n: int) -> bool:
    """Whether the next head line only ends the title: …第02156号提案⏎答 复 的 函."""
    if n + 1 >= len(head):
        return False
    s, e = head[n + 1]
    return _REPLY_TAIL.fullmatch(squeeze(folded[s:e]).strip()) is not None


def _org_opens_title(folded: str, head: tuple[Span, ...], n: int) -> bool:
    """Whether head line n is an organisation's name whose title goes on in the next line (关于… / 对…)."""
    s, e = head[n]
    if n + 1 >= len(head) or not is_org(folded[s:e]) or folded[s:e].endswith("文件"):
        return False
    ns, ne = head[n + 1]
    return _TITLE_GOES_ON.match(folded, ns, ne) is not None and _title_like(folded[ns:ne])


def _flush(block: list[str], titles: list[str]) -> list[str]:
    if block:
        joined = squeeze("".join(block))
        if not titles or titles[-1] != joined:
            titles.append(joined)
    return []


def _title_like(f: str) -> bool:
    f = f.strip()
    return (len(f) <= _TITLE_LINE_MAX and "。" not in f and "|" not in f and not f.endswith((":", "："))
            and not _KEY_VALUE.match(f) and not _BRACKET_LINE.match(f)
            and not (DOC_NUMBER.search(f) and not _CITING.search(f)) and not _BARE_DOC_NUMBER.fullmatch(f)
            and not (is_org(f) and "关于" not in f) and re.search(f"[{CJK}]{{2}}", squeeze(f)) is not None
            and not re.fullmatch(r"[ABC]\s*类", f) and not _MARKER_LINE.match(f) and not _SPEAKER.fullmatch(f)
            and not squeeze(f).endswith(_SITE_HEADINGS))  # 洨阳县人民政府　政府信息公开: the site's heading


_SITE_HEADINGS = ("政府信息公开", "信息公开专栏", "门户网站", "政务服务网")
# 市政府副市长　周立新 under a speech's title: an office and a name, letter-spaced apart
_SPEAKER = re.compile(rf"[{CJK}]{{1,20}}(?:{alt('speaker_offices')})[ \t\u3000]+[{CJK}]{{2,4}}")


_ETC = r"等(?:\d{1,3}|[一二三四五六七八九十]{1,3})?[位名]?"
_PERSON = re.compile(rf"^(?P<name>[{CJK}](?:[ \u3000]{{1,3}}[{CJK}]){{1,2}}|[{CJK}·]{{1,6}}?)"  # 王 磊: letter-spaced
                     rf"(?P<etc>{_ETC})?(?P<role>{alt('roles')})?$")
_BARE_NAME_MAX = 4  # a name without a role or 等 is longer only in a list that names a role (乌云其其格、王某代表)
# 主任、各位副主任、各位委员 / 各位代表 / 同志们: a salutation of office-holders, no one named
_GENERIC = re.compile(rf"^(?:{alt('salutation_prefixes')})?(?:副?(?:{alt('roles')})们?|{alt('salutation_words')})$"
                      rf"|^(?:{alt('salutation_prefixes')})[{CJK}]{{1,4}}?(?:{alt('roles')})们?$")  # 各位村民代表


class _Part(NamedTuple):
    name: Span
    and_others: bool
    role: Span | None
    person: bool
    generic: bool = False


def _parse_parts(f: str, base: int = 0) -> list[_Part]:
    """The addressees of an addressee line, [] when it does not read as one.

    Groups separated by ， come first: inside a group of organisations a 、 joins one addressee
    (各县（市、区）人民政府，甲开发区、乙开发区管委会，市直有关单位：), as the standard writes 主送机关.
    """
    groups = split_top(f, "，,", base)
    if len(groups) == 1:  # 甲开发区、乙高新区管委会： one organisation when its parts are not names
        return _group_parts(f, base) or ([_Part((base, base + len(f)), False, None, False)] if _org_alone(f) else [])
    parts: list[_Part] = []
    for s, e in groups:
        group = f[s - base:e - base]
        found = [_Part((s, e), False, None, False)] if _org_alone(group) else _group_parts(group, s)
        if not found:
            return []
        parts += found
    return parts


def _org_alone(part: str) -> bool:
    m = _PERSON.match(part)
    return is_org(part) and not (m and m["role"])


def _group_parts(f: str, base: int) -> list[_Part]:
    """The addressees of a 、-joined group (张三、李四代表 → two 代表), [] when one part is neither."""
    parts = []
    for s, e in split_top(f, "、", base):
        part = f[s - base:e - base]
        m = _PERSON.match(part)
        if _GENERIC.match(part):
            parts.append(_Part((s, e), False, None, True, generic=True))
        elif _org_alone(part):
            parts.append(_Part((s, e), False, None, False))
        elif m and (m["role"] or squeeze(m["name"]) == m["name"]):  # 来　源： is a label, 王　磊代表： a name
            role = (s + m.start("role"), s + m.end("role")) if m["role"] else None
            parts.append(_Part((s + m.start("name"), s + m.end("name")), bool(m["etc"]), role, True))
        else:
            return []
    named_role = any(p.role for p in parts if not p.generic)
    if not named_role and any(not p.person for p in parts) \
            and any(p.person and not (p.and_others or p.generic) for p in parts):
        return []  # 各省、自治区、直辖市交通运输厅: places before one organisation, not names beside it
    if any(p.person and not (p.role or p.and_others or p.generic) and p.name[1] - p.name[0] > _BARE_NAME_MAX
           for p in parts) and not named_role:
        return []
    return parts


def addressees(text: str, folded: str, line: Span | None) -> tuple[Addressee, ...]:
    """The addressees of the addressee line (张三、李四代表： → two 代表; 苏灿等代表： → and_others).

    A salutation of office-holders (主任、各位副主任、各位委员：) names no one: no addressee.
    """
    if line is None:
        return ()
    s, e = line
    prefix = _ADDRESSEE_PREFIX.match(folded, s, e)
    start = prefix.end() if prefix else s
    parts = [p for p in _parse_parts(folded[start:e - 1], start) if not p.generic]
    out = []
    for n, ((ns, ne), others, role, person, _) in enumerate(parts):
        if role is None and person:  # 张三、李四代表，王五委员： a role is shared by the names before it
            role = next((p.role for p in parts[n:] if p.role), None) or next(
                (p.role for p in reversed(parts) if p.role), None)
        name = squeeze(text[ns:ne]) if person else text[ns:ne]  # 王 磊代表 → 王磊
        out.append(Addressee(name=name, role=text[role[0]:role[1]] if role else None,
                             and_others=others, span=(ns, ne)))
    return tuple(out)
