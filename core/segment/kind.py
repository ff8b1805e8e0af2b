"""What the letter is (doc_type) and which proposal a reply letter answers."""
from __future__ import annotations

import re

from ..codes import DocType, WarningCode
from ..model import Proposal, Span, Warning
from .dates import CN_DIGIT
from .text import CJK, alt, squeeze

__all__ = ["about_a_reply", "doc_type", "proposal"]

_REPLY_TITLE = re.compile(alt("reply_title"))
_REPLY_END = re.compile(rf"(?:{alt('reply_title_end')})$")
_REPORT_END = re.compile(rf"(?:{alt('report_title_end')})$")
_NOTICE_TITLE = re.compile(rf"(?:{alt('notice_title')})$")
_TRAILING_NOTE = re.compile(r"(?:\s*[（(][^（）()]{1,40}[）)])+$")
_ONE_PROPOSAL = re.compile(rf"第\s*[A-Za-z]{{0,3}}\d{{1,10}}\s*号.{{0,12}}(?:{alt('proposal_kinds')})")
_REPLY_BODY = re.compile(alt("reply_body_cues"))
_HANDLING = re.compile(alt("handling_cues"))
_PROPOSAL_WORD = re.compile(alt("proposal_kinds"))
_CONVENED = re.compile(r"召开[^。\n]{0,40}?(?:会议|会|座谈|论坛)")
_LEARNT_AT = re.compile(r"从[^。\n]{0,40}?(?:新闻发布会|发布会|通气会)上?(?:获悉|了解到)")
_NEWS_OPENING = re.compile(rf"[ \t　]*(?:{alt('news_opening')})")
_MENTIONS_REPLY = "mentions a reply"  # the evidence of a title that only mentions 答复 somewhere
_MEETING_CUES = re.compile(rf"{alt('meeting_cues')}|出席会议|主持会议|参加会议")
_NOTICE_CUES = re.compile(
    r"通知如下|特此通知|请遵照执行|请认真贯彻执行|请结合实际|印发给你们|请认真贯彻落实|请抓好落实")

_NUM = r"[一二三四五六七八九十〇零\d]{1,4}"
_MEETING = re.compile(
    rf"(?P<place>[{CJK}]{{0,8}}?(?:自治区|省|市|县|区|州|旗|盟))?"
    rf"(?P<toks>(?:第?{_NUM}届|第?{_NUM}次|政协|人大|人民代表大会|全国|委员会|常委会|常务委员会|全体){{1,6}})"
    r"会议"
)
_PLACE_STOP = re.compile(r".*(?:关于|对于|对|就|于|的|厅|局|在|我|您|你|将|向)")
_CN_DIGITS = "零〇一二两三四五六七八九"
_NUMBER = re.compile(  # 第0087号, 第JY20240001号; 15号提案 (no 第) only right before the kind, never 〔2020〕15号;
    rf"第\s*[A-Za-z]{{0,4}}\d{{1,10}}\s*号"  # 第九号建议, 第一百零二号提案: Chinese numerals right before the kind
    rf"|(?<![\d〕\]】）)])\d{{1,6}}\s*号(?=\s*(?:代表|委员)?(?:{alt('proposal_kinds')}))"
    rf"|第[{_CN_DIGITS}十百千]{{1,8}}号(?=\s*(?:代表|委员)?(?:{alt('proposal_kinds')}))"
    r"|(?<=》[（(])第?\d{1,6}\s*号(?=[）)])")  # 《关于…的建议》(361号)
_KIND_AFTER_NUMBER = re.compile(r"第?\s*(?:[A-Za-z]{0,4}\d{1,10}|[零〇一二两三四五六七八九十百千]{1,8})\s*号"
                                r"\s*(?:代表|委员|人大代表|政协委员)?(建议|提案|议案)")
_QUOTED = re.compile(r"《([^《》\n]{2,160})》|“([^“”\n]{2,160})”")
_UNQUOTED = re.compile(r"(关于[^。；\n]{2,160}?的?(?:建议|提案|议案))(?=收悉|已收悉|（|\(|的办理|办理)")


def doc_type(title_f: str | None, opening_f: str, body_f: str,
             roles: tuple[str, ...]) -> tuple[str, Warning | None]:
    """(doc_type, a doc_type_unsure warning or None) from the title, then the opening."""
    sure, unsure = _from_title(title_f or "") or (None, None), None
    kind, evidence = sure
    if evidence and evidence.endswith(_MENTIONS_REPLY) and not roles and "收悉" not in opening_f[:400] \
            and (lead := news_of_reply(body_f)):
        return DocType.OTHER, _unsure(DocType.OTHER, f"{evidence}, and the body opens as news ({lead!r})")
    if kind is None:
        kind, evidence, weak = _from_body(opening_f, body_f, roles)
        if weak:
            unsure = evidence
    elif evidence.startswith("weak "):
        unsure = evidence
    if kind is None:
        return DocType.OTHER, _unsure(DocType.OTHER, "no title or opening evidence")
    return kind, _unsure(kind, unsure) if unsure else None


def news_of_reply(body_f: str) -> str | None:
    """The news lead's word (本报讯, 记者) when the body opens as a news item, else None."""
    lead = _NEWS_OPENING.match(body_f)
    return lead.group().strip() if lead else None


def about_a_reply(title_f: str | None, body_f: str) -> bool:
    """A news item whose headline mentions a reply (…局答复政协委员提案：…): it names the proposal answered."""
    return bool(title_f) and _REPLY_TITLE.search(title_f) is not None and news_of_reply(body_f) is not None


def _unsure(kind: str, evidence: str) -> Warning:
    return Warning(WarningCode.DOC_TYPE_UNSURE,
                   WarningCode.DOC_TYPE_UNSURE.template.format(doc_type=kind, evidence=evidence))


_MET_WORDS = re.compile("督办|面商")  # a visit or talk with the proposers, reported as news
_LIST_END = ("目录", "清单", "名单", "汇总表", "一览表")


def circular(kind: str, title_f: str | None, people) -> str:
    """A 通报 sent to subordinate units (an addressee line of organisations: 各乡镇人民政府，县直各单位：) is a notice;
    one published to all (no addressee) stays a report, ``other``."""
    if kind == DocType.OTHER and title_f and squeeze(title_f).endswith(("通报", "通報")) and people \
            and all(a.role is None for a in people):
        return DocType.NOTICE
    return kind


def _from_title(t: str) -> tuple[str, str] | None:
    """(kind, evidence) from the title's last words, then from words anywhere in it; None: undecided.

    Endings first (a trailing bracketed note such as (县交通局) set aside): 答复 / 复函 / 会办意见 … make a
    reply letter, 通知 a notice, 报告 / 总结 / 汇报 / 情况说明 a report (``other``; a reply when the title names
    one proposal by number), 意见 / 方案 / 办法 a notice on weaker evidence; then 召开 or a title ending in
    会 / 会议 makes a meeting report, and 答复 / 复函 anywhere a reply letter.
    """
    if not t:
        return None
    end = _TRAILING_NOTE.sub("", squeeze(t)) or t
    if _REPLY_END.search(end) and (not end.endswith("函") or _PROPOSAL_WORD.search(end)):  # not 商请…的函
        return DocType.REPLY_LETTER, f"title {t!r}"
    if end.endswith("纪要"):
        return DocType.MEETING_REPORT, f"title {t!r}"
    if end.endswith("通知"):
        return DocType.NOTICE, f"title {t!r}"
    if _REPORT_END.search(end):
        if _ONE_PROPOSAL.search(end):
            return DocType.REPLY_LETTER, f"title {t!r} names one proposal"
        return DocType.OTHER, f"title {t!r}"
    if _NOTICE_TITLE.search(end):
        return DocType.NOTICE, f"weak title {t!r}"
    if "召开" in end or end.endswith(("会", "会议")) or (_MET_WORDS.search(end) and not end.endswith(_LIST_END)):
        return DocType.MEETING_REPORT, f"title {t!r}"  # 市政协督办…重点提案, …与政协委员面商…: news of a meeting
    if _REPLY_TITLE.search(end):
        return DocType.REPLY_LETTER, f"title {t!r} {_MENTIONS_REPLY}"
    return None


def _from_body(opening_f: str, body_f: str, roles: tuple[str, ...]) -> tuple[str | None, str, bool]:
    """(kind, evidence, weak) from the opening paragraph and the body."""
    head = opening_f[:400]
    if "收悉" in head and _PROPOSAL_WORD.search(head):
        return DocType.REPLY_LETTER, "opening: 收悉 and a proposal", False
    if "收悉" in head or any(r in ("委员", "代表", "委員") for r in roles):
        return DocType.REPLY_LETTER, "opening: 收悉 or a deputy addressed", True
    cue = _REPLY_BODY.search(body_f)
    if cue:
        return DocType.REPLY_LETTER, f"body: {cue.group()!r}", True
    if _NOTICE_CUES.search(head):  # 《…方案》已经县政府同意，现印发给你们: a notice's opening, whatever its attachment
        return DocType.NOTICE, "opening: 印发给你们 / 请认真贯彻执行", True
    convened = _CONVENED.search(body_f[:300])
    handled = _HANDLING.search(body_f[:300])
    if handled and (convened is None or handled.start() < convened.start()):
        return DocType.OTHER, f"body: {handled.group()!r} (a handling summary)", True
    if convened and _LEARNT_AT.search(body_f[:300]):  # 记者从…召开的新闻发布会上获悉: news told at a meeting
        return DocType.OTHER, f"opening: {convened.group()!r} is where a reporter learnt the news", True
    if convened:
        cues = _MEETING_CUES.search(body_f)
        return DocType.MEETING_REPORT, f"opening: {convened.group()!r}", cues is None
    if _NOTICE_CUES.search(body_f):
        return DocType.NOTICE, "body: 通知如下 / 特此通知", True
    return None, "", True


def proposal(text: str, title_o: str | None, title_f: str | None, opening: Span | None,
             folded: str, roles: tuple[str, ...], lead: Span | None = None) -> Proposal:
    """The proposal answered: kind, body, meeting, number and title, from the title and the opening.

    What they do not say may come from the lead of a news page wrapping the letter (…第N号提案《…》…答复).
    """
    o_s, o_e = opening if opening else (0, 0)
    sources = [(title_o or "", title_f or "", None), (text[o_s:o_e], folded[o_s:o_e], o_s)]
    if lead:
        sources.append((text[lead[0]:lead[1]], folded[lead[0]:lead[1]], lead[0]))
    meeting = _first(sources, _MEETING, _meeting_ok)
    number = _first(sources, _NUMBER)
    p_title = _proposal_title(text, folded, opening or (0, 0), sources)
    kind = _kind(sources, p_title[0] if p_title else None)
    body = _body(meeting[0] if meeting else "", title_f or "", kind, roles)
    span = p_title[1] if p_title and p_title[1] else (number[1] if number and number[1] else None)
    return Proposal(kind=kind, body=body, meeting=meeting[0] if meeting else None,
                    number=_arabic(number[0]) if number else None,
                    title=p_title[0] if p_title else None, span=span)


def _arabic(number: str) -> str:
    """第九号 → 第9号, 第一百零二号 → 第102号, 第二〇五号 → 第205号, 361号 → 第361号 (GOLD-FORMAT: 第N号); any other
    number as written."""
    if re.fullmatch(r"\d{1,10}\s*号", number):
        return f"第{number}"
    cn = number[1:-1] if number.startswith("第") and number.endswith("号") else ""
    if not cn or any(ch not in _CN_DIGITS + "十百千" for ch in cn):
        return number
    if not any(ch in "十百千" for ch in cn):  # read digit by digit
        return f"第{''.join(str(_digit(ch)) for ch in cn)}号"
    value = digit = 0
    for ch in cn:
        if ch in "十百千":
            value += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            digit = 0
        else:
            digit = _digit(ch)
    return f"第{value + digit}号"


def _digit(ch: str) -> int:
    return 2 if ch == "两" else CN_DIGIT[ch]


def _first(sources, pattern: re.Pattern, ok=None) -> tuple[str, Span | None] | None:
    for orig, f, base in sources:
        for m in pattern.finditer(f):
            start = m.start()
            if pattern is _MEETING and m["place"]:
                stop = _PLACE_STOP.match(m["place"])
                start += stop.end() if stop else 0
            if ok is None or ok(f[start:m.end()]):
                return orig[start:m.end()], (base + start, base + m.end()) if base is not None else None
    return None


def _meeting_ok(s: str) -> bool:
    return re.search("政协|人大|人民代表大会", s) is not None and re.search("届|次", s) is not None


def _proposal_title(text, folded, opening: Span, sources) -> tuple[str, Span | None] | None:
    """A quoted proposal title in the opening, the title or the news lead; else an unquoted one in the opening."""
    o_s, o_e = opening
    for orig, f, base in (sources[1], sources[0], *sources[2:]):
        quoted = list(_QUOTED.finditer(f))
        best = next((m for m in quoted if "关于" in m.group() or _PROPOSAL_WORD.search(m.group())), None)
        if best:
            g = 1 if best.group(1) is not None else 2
            s, e = best.start(g), best.end(g)
            return orig[s:e], (base + s, base + e) if base is not None else None
    m = _UNQUOTED.search(folded, o_s, o_e)
    if m:
        return text[m.start(1):m.end(1)], (m.start(1), m.end(1))
    return None


def _kind(sources, p_title: str | None) -> str | None:
    for _, f, _ in sources:
        m = _KIND_AFTER_NUMBER.search(f)
        if m:
            return m.group(1)
    title_f = sources[0][1]
    m = _PROPOSAL_WORD.search(title_f)
    if m:
        return m.group()
    if p_title:
        from .text import fold
        m = re.search(rf"({alt('proposal_kinds')})$", fold(p_title))
        if m:
            return m.group(1)
    m = _PROPOSAL_WORD.search(sources[1][1])
    return m.group() if m else None


def _body(meeting_f: str, title_f: str, kind: str | None, roles: tuple[str, ...]) -> str | None:
    from .text import fold
    m = fold(meeting_f)
    if "政协" in m:
        return "政协"
    if "人大" in m or "人民代表大会" in m:
        return "人大"
    if "代表建议" in title_f or "人大代表" in title_f:
        return "人大"
    if "委员提案" in title_f or "政协委员" in title_f:
        return "政协"
    folded_roles = {fold(r) for r in roles}
    if "委员" in folded_roles:
        return "政协"
    if "代表" in folded_roles:
        return "人大"
    return {"提案": "政协", "议案": "人大"}.get(kind or "")
