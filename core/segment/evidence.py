"""Header fields from the best evidence the page holds, in a fixed order, and injected text kept out.

issuer, first found of:
  1. the signature: the organisation line(s) directly above the date line (signature.py);
  2. a ``承办单位：<org>`` line of the letter;
  3. a ``<org>文件`` banner among the header lines;
  4. the title's own issuer: ``<org>关于…`` / ``<org>对…`` / ``<org>2023年…总结`` / a trailing ``(<org>)``;
  5. an organisation written alone on the line right above the title (a work report's heading);
  6. the page metadata 发布机构 / 发文机关 / 发文单位 / 发布机关 / 发布单位 / 制发机关.
  Never 来源, a footer's 主办单位, neighbouring-letter links (prev/next lines are debris) or injected text.
date, first found of: the signature date; the dateline of a report or speech under its title
  (``——2015年8月26日在…会议上``, ``（2015年8月26日在…上的讲话）``); the metadata 成文日期 / 发文日期 /
  生成日期 / 成文时间 / 发文时间.
  Never 发布时间 / 发布日期 / 公开日期 / 时间 / bylines (the web page's dates).
Steps 2–6 (issuer) and the metadata date are weaker evidence: the record says where the value came from
(warning ``weak_evidence``). A value that reads as injected text (injected.toml: URLs, ``$ _ @`` inside
Chinese, brand and app words, SEO placeholders) is never taken (warning ``injected_text``).
"""
from __future__ import annotations

import re

from ..codes import WarningCode
from ..model import Proposal, Warning
from .dates import DATE, read_date
from .injected import injected, strip_injected
from .orgs import is_org
from .signature import Signature
from .text import CJK, fold, squeeze

__all__ = ["injected", "strip_injected", "title_issuer", "banner_issuer", "undertaker", "meta_issuer", "meta_date",
           "meta_title", "in_text_script", "issuer_of", "date_of", "dateline", "missing", "truncated"]

META_ISSUER_KEYS = ("发布机构", "发文机关", "发文单位", "发布机关", "发布单位", "制发机关", "成文单位")
META_DATE_KEYS = ("成文日期", "发文日期", "生成日期", "成文时间", "发文时间")
META_TITLE_KEYS = ("标题", "信息名称", "文件名称", "名称", "题名")

_AFTER_ORG = re.compile(r"关于|对于|对|就|印发|转发")  # <org>关于… : the grammar of a document's title
# <org>2023年…总结 / <org>办理…情况: the author of a report or plan (of a news headline, only its subject)
_AFTER_ORG_REPORT = re.compile(r"(?:19|20)\d\d年|[〇零一二三四五六七八九○0]{4}年|年度|上半年|办理")
_REPORT_TITLE = re.compile(r"(?:总结|报告|汇报|情况|说明|通报|综述|计划|要点|安排|打算|思路|规划|方案)$")
_TRAILING_ORG = re.compile(r"[（(]([^（）()]{3,30})[）)]$")
_BANNER = re.compile(r"(.{3,40}?)\s*文\s*件$")
# ——2015年8月26日在区人大常委会第二十四次会议上 / （2015年8月26日在…上的讲话）: when and where it was delivered
_DATELINE = re.compile(
    rf"(?:[—－-]{{1,2}}|[（(])\s*(?P<date>{DATE.pattern})\s*(?:在[^。；\n]{{2,60}}?上(?:的[{CJK}]{{1,8}})?[）)]?|[）)])")
_UNDERTAKER = re.compile(r"(?:承\s*办\s*单\s*位|答\s*复\s*单\s*位)\s*[:：]\s*(\S{3,40})")


def _clean_org(value: str) -> str | None:
    value = squeeze(value.strip(" ：:|"))
    return value if value and is_org(fold(value)) and not injected(value) else None


def title_issuer(title: str | None) -> str | None:
    """The issuer a title names: <org>关于… / <org>对… / a report's <org>2023年… / …的答复(<org>).

    >>> title_issuer("天水市财政局对市三届人大二次会议第71号建议的答复")
    '天水市财政局'
    """
    if not title:
        return None
    f = fold(title)
    pattern = _AFTER_ORG
    if _REPORT_TITLE.search(_TRAILING_ORG.sub("", squeeze(f))):
        pattern = re.compile(f"{_AFTER_ORG.pattern}|{_AFTER_ORG_REPORT.pattern}")
    for m in pattern.finditer(f):
        if m.start() >= 4:
            org = _clean_org(title[:m.start()])
            if org:
                return org
            break
    m = _TRAILING_ORG.search(f)
    return _clean_org(title[m.start(1):m.end(1)]) if m else None


def banner_issuer(text: str, folded: str, head) -> str | None:
    """The organisation of a ``<org>文件`` banner line among the header lines."""
    for s, e in head:
        m = _BANNER.fullmatch(folded, s, e)
        if m:
            org = _clean_org(text[m.start(1):m.end(1)])
            if org:
                return org
    return None


def line_above_title(text: str, folded: str, head, title_: str | None) -> str | None:
    """The organisation written alone on the line right above the title (银川市某区生态环境局⏎2024年度…工作总结)."""
    if not title_:
        return None
    start = squeeze(fold(title_))[:6]
    for (s, e), (s2, e2) in zip(head, head[1:]):
        if squeeze(folded[s2:e2]).startswith(start):
            return _clean_org(text[s:e])
    return None


def undertaker(text: str, folded: str, lines) -> str | None:
    """The organisation of a ``承办单位：<org>`` line (the last one)."""
    for s, e in reversed(lines):
        m = _UNDERTAKER.match(folded, s, e)
        if m:
            return _clean_org(text[m.start(1):m.end(1)])
    return None


def _meta_get(meta: dict[str, str], keys: tuple[str, ...]) -> tuple[str, str] | None:
    bare = {re.sub(r"\s+", "", fold(k)): (k, v) for k, v in meta.items()}
    for key in keys:
        if key in bare and bare[key][1].strip():
            return bare[key]
    return None


def in_text_script(value: str, text: str) -> str:
    """A metadata value (lifted before script conversion) in the script of the letter's text.

    >>> in_text_script("臨海市民政局", "关于提案的答复"), in_text_script("臨海市民政局", "關於提案的答覆")
    ('临海市民政局', '臨海市民政局')
    """
    from ..normalize import to_script  # lazy: OpenCC is loaded only for a value that needs it

    simplified = to_script(value, "simplified")
    if simplified == value:
        return value
    sample = text[:_SCRIPT_SAMPLE]
    return simplified if to_script(sample, "simplified") == sample else value


_SCRIPT_SAMPLE = 400


def meta_issuer(meta: dict[str, str]) -> tuple[str | None, str | None, bool]:
    """(issuer, key it came from, whether a value was refused as injected) from the page metadata."""
    found = _meta_get(meta, META_ISSUER_KEYS)
    if not found:
        return None, None, False
    key, value = found
    if injected(value):
        return None, key, True
    org = _clean_org(value)
    return org, key, False


def meta_date(meta: dict[str, str]) -> tuple[str | None, str | None]:
    """(ISO date, key) of the metadata's document date (成文日期 …), never of a publication time."""
    found = _meta_get(meta, META_DATE_KEYS)
    if not found:
        return None, None
    key, value = found
    value = re.sub(r"\s+\d{1,2}:\d{1,2}(?::\d{1,2})?$", "", value.strip())
    iso, _ = read_date(fold(value))
    return iso, key


def meta_title(meta: dict[str, str]) -> str | None:
    """The metadata 标题 / 信息名称 value, when it is not injected text."""
    found = _meta_get(meta, META_TITLE_KEYS)
    if not found or injected(found[1]):
        return None
    return squeeze(found[1].strip())


_PLACE_PREFIX = re.compile(f"[{CJK}]{{1,10}}?(?:省|市|县|区|州|盟|旗|镇|乡|街道)")  # 盐城市 before 亭湖区教育局
_PLACE_NAME = re.compile(f"[{CJK}]{{1,8}}")  # 云峰 before 县自然资源局: a place whose level the signature writes
_MASKED = re.compile(r"[xX×＊*]{2}|[xX×＊*][省市县区州镇乡]")  # xx县, X市, ＊＊局: a masked name


def _signature_under_injection(value: str) -> str | None:
    """The organisation left of a signature line once a mirror's injected token is cut out (蓝海资讯网官方网站
    武侯区民政局 → 武侯区民政局), when what is left is one organisation's name and nothing masked."""
    kept = strip_injected(value)
    if not kept or kept == value or " " in kept or _MASKED.search(kept) or injected(kept):
        return None
    return kept if is_org(fold(kept)) else None


def _brand_for_place(signed: str, named: str) -> bool:
    """True when the signature is the title's issuer with its place replaced by something that is no place: a mirror
    site's name (九州头条网自然资源局 under 云峰县自然资源局关于…的答复)."""
    common = 0
    while common < min(len(signed), len(named)) and signed[-1 - common] == named[-1 - common]:
        common += 1
    mine, theirs = signed[:len(signed) - common], named[:len(named) - common]
    return (common >= 2 and bool(mine) and _PLACE_PREFIX.fullmatch(theirs) is not None
            and _PLACE_PREFIX.fullmatch(mine) is None and not mine.startswith(("中共", "中国"))  # 中共云峰县委…
            and is_org(fold(named[len(named) - common:])))


def issuer_of(text: str, folded: str, lines, head, title_: str | None, meta: dict[str, str],
              sign: Signature, page: str | None = None) -> tuple[str | None, list[Warning]]:
    """(issuer, warnings) from the best evidence, in the order of this module's docstring; a metadata value in
    the script of ``page`` (the page as written, when it differs from ``text``), like the names copied from the text."""
    warnings = []
    if sign.issuer and (injected(sign.issuer) or _MASKED.search(sign.issuer)):
        warnings.append(_warn(WarningCode.INJECTED_TEXT, sign.issuer_span, field="issuer", text=sign.issuer))
        kept = _signature_under_injection(sign.issuer)  # <站名>官方网站 <某>局: the body that signs, maybe cut short
    elif sign.issuer:
        named = title_issuer(title_)  # 亭湖区教育局 signs 盐城市亭湖区教育局2019年工作总结: the title's full name
        cut = len(named or "") - len(sign.issuer)
        full = named and named.endswith(sign.issuer) and (_PLACE_PREFIX.fullmatch(named, 0, cut) or (
            sign.issuer[0] in "省市县区州" and _PLACE_NAME.fullmatch(named, 0, cut)))
        if named and not full and _brand_for_place(sign.issuer, named):
            warnings.append(_warn(WarningCode.INJECTED_TEXT, sign.issuer_span, field="issuer", text=sign.issuer))
            return named, warnings
        return (named if full else sign.issuer), warnings
    else:
        kept = None
    for source, find in (("承办单位", lambda: undertaker(text, folded, lines)),
                         ("banner", lambda: banner_issuer(text, folded, head)),
                         ("title", lambda: title_issuer(title_)),
                         ("the line above the title", lambda: line_above_title(text, folded, head, title_))):
        issuer = find()
        if issuer and _MASKED.search(issuer):  # xx县教育局: a content farm's placeholder, not a name
            warnings.append(_warn(WarningCode.INJECTED_TEXT, field="issuer", text=issuer))
        elif issuer and (kept is None or issuer.endswith(kept)):  # the mirror's name stood for 岚山县 in 岚山县文体局
            listed, key, refused = meta_issuer(meta)
            if source == "title" and listed and not refused and _abbreviates(issuer, listed):
                issuer, source = in_text_script(listed, page or text), f"metadata {key}"  # 宁川市国资委: its full name
            return issuer, [*warnings, _warn(WarningCode.WEAK_EVIDENCE, field="issuer", source=source)]
    if kept is not None:
        return kept, warnings
    issuer, key, refused = meta_issuer(meta)
    issuer = in_text_script(issuer, page or text) if issuer else None
    if refused:
        warnings.append(_warn(WarningCode.INJECTED_TEXT, field="issuer", text=meta.get(key, "")))
    elif issuer:
        warnings.append(_warn(WarningCode.WEAK_EVIDENCE, field="issuer", source=f"metadata {key}"))
    return issuer, warnings


def _abbreviates(short: str, full: str) -> bool:
    """Whether an organisation's name is a short form of another, its characters in order and its place the same.

    >>> _abbreviates("宁川市国资委", "宁川市人民政府国有资产监督管理委员会"), _abbreviates("宁川市财政局", "宁川市税务")
    (True, False)
    """
    if len(short) >= len(full) or short[:2] != full[:2]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


_DOUBTS = {"ambiguous": WarningCode.DATE_AMBIGUOUS, "invalid": WarningCode.DATE_INVALID}


def date_of(folded: str, meta: dict[str, str], sign: Signature, head=()) -> tuple[str | None, list[Warning]]:
    """(date, warnings): the signature date (a doubted one stays null), else a report's dateline among the
    header lines, else the metadata's document date."""
    if sign.date_span:
        written = folded[sign.date_span[0]:sign.date_span[1]]
        if sign.doubt in _DOUBTS:
            return None, [_warn(_DOUBTS[sign.doubt], sign.date_span, text=written)]
        if sign.doubt == "glued":
            return sign.date, [_warn(WarningCode.WEAK_EVIDENCE, sign.date_span, field="date",
                                     source=f"glued digits {written!r}")]
        return sign.date, []
    date = dateline(folded, head)
    if date:
        return date, []
    date, key = meta_date(meta)
    if date:
        return date, [_warn(WarningCode.WEAK_EVIDENCE, field="date", source=f"metadata {key}")]
    return None, []


def dateline(folded: str, head) -> str | None:
    """The ISO date of a dateline line among the header lines (the day a report or speech was delivered, also
    written alone in brackets under a speech's title and speaker: （2024年4月18日）).

    >>> dateline("某区政府关于建议办理情况的报告\\n——2015年8月26日在区人大常委会会议上", ((0, 15), (16, 38)))
    '2015-08-26'
    """
    for s, e in head:
        m = _DATELINE.fullmatch(folded, s, e)
        if m and not m["glued"]:
            iso, _ = read_date(m["date"])
            if iso:
                return iso
    return None


def missing(issuer: str | None, date: str | None, proposal: Proposal | None, date_doubted: bool) -> list[Warning]:
    """Warnings for what a reply letter should say but does not (a doubted date was said, and warned about)."""
    out = []
    if issuer is None and date is None and not date_doubted:
        out.append(_warn(WarningCode.NO_SIGNATURE))
    elif issuer is None:
        out.append(_warn(WarningCode.NO_ISSUER))
    elif date is None and not date_doubted:
        out.append(_warn(WarningCode.NO_DATE))
    if proposal is None or proposal.number is None:
        out.append(_warn(WarningCode.NO_PROPOSAL))
    return out


_COMPLETE_END = frozenset("。！？!?；;…」』”’）)】》>|")
_LABELLED = re.compile(r"[^，。：:]{1,10}[：:]")  # 承办单位：… / 联系电话：… / 抄送：… end a letter whole
_CUT_TAIL = 24
_CJK_CHAR = re.compile(f"[{CJK}]")  # characters of the cut line shown in the warning


def truncated(text: str, folded: str, lines) -> list[Warning]:
    """A truncated warning when the last line stops mid-sentence (call it only when no signature was found)."""
    if not lines:
        return []
    s, e = lines[-1]
    if (text[e - 1] in _COMPLETE_END or _LABELLED.match(folded, s, e) or is_org(folded[s:e])
            or not _CJK_CHAR.search(folded, s, e)):  # a page id or a stray code is not a cut sentence
        return []
    cut = (max(s, e - _CUT_TAIL), e)
    return [_warn(WarningCode.TRUNCATED, cut, text=text[cut[0]:cut[1]])]


def _warn(code: WarningCode, span=None, **values) -> Warning:
    return Warning(code, code.template.format(**values), span)
