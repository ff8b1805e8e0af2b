"""Extract: metrics (labelled, categorised, placed), cited documents and organizations.

Numbers are found by ``quantities.find_quantities``; this stage keeps the metrics and adds what a
reader needs to check them: the label (what is counted), a category from the keyword lexicon,
the time phrase that scopes the clause, a rate (每人每年), the section path and the sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from .._chars import CJK_BASIC
from .._data import data_text
from ..codes import WarningCode
from ..model import CitedDocument, Metric, Quantity, Segmented, Span, Warning
from ..options import DEFAULT_OPTIONS, Options

__all__ = ["extract", "find_label", "find_period", "categorise", "find_cited_documents", "find_organizations"]

_CLAUSE_BREAK = re.compile(r"[，。；：！？、（）\n,;:]")
# Units after which the counted thing is named: 18个代表队, 14家企业, 近80名选手.
_CLASSIFIERS = frozenset("个 家 所 项 条 批 位 名 支 座 件 套 期 场 届 只 台 种 类 座 处 部 门 间".split())
_PARTICIPATION = re.compile(rf"(?:参加|参与|出席|参会|参赛|列席)[{CJK_BASIC}]{{0,6}}")
_LEAD_FILLER = re.compile(r"^(?:其中|共计|累计|合计|共有|共|已有|已|新增|全市|全省|全区|全县"
                          r"|我市|我省|我局|目前|现有|达到|为|有|了|和|及|与|、|以及)+")
_TRAIL_FILLER = re.compile(r"(?:共计|累计|合计|共有|共|达到|(?<![下到传表发抵送通])达|约|近|超过|逾|为|有|了|的|计"
                           r"|分别|均)+$")
_AFTER_NOUN = re.compile(rf"[{CJK_BASIC}]{{1,8}}")
_AFTER_STOP = re.compile(
    r"(?:参加|参与|同台|成为|被|获|在|和|与|及|等|的|中|提供|提出|实现|开展|完成|通过|取得|带动|进行|共同|分别|协同|联合|发力|设立|设置|建立|成立|组建|入选|落户|承担|承接|获评|作为|已|均|为|是|有).*$"
)
_CONNECTIVE = re.compile(r"[、和及与或\s]{1,3}$")
_PERIOD = re.compile(
    r"(?:截至|截止|自)?(?:(?:19|20)\d{2}年(?:以来|底|末|初|上半年|下半年|全年|度)?(?:[1-9]|1[0-2])?(?:月(?:底|末|份)?)?"
    r"|近[一二三四五六七八九十两\d]{1,2}年(?:来)?|今年(?:以来|上半年|下半年)?|去年|上半年|下半年|目前|截至目前|截止目前|"
    r"“?十[一二三四五]五”?(?:期间|以来)?)(?:以来)?"
)
_PER = re.compile(r"(?:每(?:人|年|月|名|户|家|个|次|天|期|学时|课时)){1,3}$")


@lru_cache(maxsize=1)
def _builtin_lexicon() -> tuple[tuple[str, str], ...]:
    text = data_text("categories.tsv")
    return tuple(_parse_lexicon(text))


def _parse_lexicon(text: str) -> list[tuple[str, str]]:
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            keyword, category = line.split("\t")[:2]
            rows.append((keyword.strip(), category.strip()))
    return rows


def categorise(label: str | None, context: str, unit_kind: str, extra: tuple[tuple[str, str], ...] = (),
               sentence: str = "") -> str:
    """Return the category of a metric from the user's keywords, then money, then the built-in ones.

    Keywords are looked for in the label, then the clause, then the sentence.

    >>> categorise("开展各类技能培训", "开展各类技能培训68715人次", "person_times")
    'training'
    """
    places = (label or "", context, sentence)
    for where in places:
        for keyword, category in extra:
            if keyword in where:
                return category
    if unit_kind == "money_cny":
        return "funding"
    for where in places:
        for keyword, category in _builtin_lexicon():
            if keyword in where:
                return category
    return "other"


def find_label(text: str, q: Quantity, clause_start: int, clause_end: int, skip: tuple[Span, ...] = ()) -> str | None:
    """Return the words that say what is counted, after a classifier or before the number.

    ``skip`` are spans of other numbers inside the clause, left out of the label.

    >>> s = "开展各类技能培训68715人次"
    >>> from dafu.model import Quantity
    >>> find_label(s, Quantity("68715人次", 68715, None, "人次", "person_times", None, (8, 16), True), 0, len(s))
    '开展各类技能培训'
    """
    start, end = q.span
    participation = _PARTICIPATION.match(text, end, clause_end)
    if participation:
        return participation.group()
    if q.unit in _CLASSIFIERS:
        after = _AFTER_NOUN.match(text, end, clause_end)
        if after:
            noun = _AFTER_STOP.sub("", after.group())
            if len(noun) >= 2:
                return noun
    before, at = [], clause_start
    for s_start, s_end in skip:
        if clause_start <= s_start and s_end <= start:
            before.append(text[at:s_start])
            at = s_end
    before.append(text[at:start])
    words = _PERIOD.sub("", "".join(before)).strip()
    words = _TRAIL_FILLER.sub("", _LEAD_FILLER.sub("", words))
    per = _PER.search(words)
    if per:
        words = words[: per.start()]
    return words[-20:] or None


def find_period(sentence: str, upto: int) -> str | None:
    """Return the last time phrase in ``sentence[:upto]`` (the one that scopes the number).

    >>> find_period("截至2024年4月底，全省共有备案评价机构3292家", 24)
    '截至2024年4月底'
    """
    found = None
    for m in _PERIOD.finditer(sentence, _period_scan_start(sentence, upto), upto):
        if m.group() and m.group() not in ("目前",) or (m.group() == "目前" and found is None):
            found = m.group()
    return found


# Every time phrase holds 年, 目 or 十, at most 6 characters after its start (截至2024年, 截至“十).
_PERIOD_CUES = ("年", "目", "十")
_PERIOD_LEAD = 6


def _period_scan_start(sentence: str, upto: int) -> int:
    """Return where a time phrase can first start in sentence[:upto] (upto: nowhere)."""
    first = upto
    for cue in _PERIOD_CUES:
        at = sentence.find(cue, 0, first)
        if at >= 0:
            first = at
    return max(0, first - _PERIOD_LEAD) if first < upto else upto


def find_cited_documents(text: str) -> tuple[CitedDocument, ...]:
    """Return the 《…》 titles with the document number that follows them, if any."""
    out = []
    for m in _CITED.finditer(text):
        out.append(CitedDocument(title=m.group(1), doc_number=m.group(2), span=m.span()))
    return tuple(out)


_CITED = re.compile(
    rf"《([^《》\n]{{1,100}})》(?:[（(]([{CJK_BASIC}]{{1,12}}[〔\[【][0-9]{{4}}[〕\]】][0-9]{{1,5}}[号號])[）)])?"
)


def find_organizations(seg: Segmented, metadata: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """Return organizations named in the signature, the cc list and the header, first seen first."""
    names = [seg.issuer] + [v for k, v in metadata if k in ("发布机构", "發布機構")] + list(seg.cc)
    seen: dict[str, None] = {}
    for name in names:
        if name and name.strip():
            seen.setdefault(name.strip(), None)
    return tuple(seen)


def extract(text: str, seg: Segmented, *, options: Options = DEFAULT_OPTIONS
            ) -> tuple[tuple[Metric, ...], tuple[CitedDocument, ...], tuple[Warning, ...]]:
    """Return the metrics, cited documents and extraction warnings of a segmented letter."""
    from ..segment import split_sentences
    from .quantities import find_quantities

    sentences = seg.sentences or split_sentences(text)
    starts = [s for s, _ in sentences]
    metrics: list[Metric] = []
    warnings: list[Warning] = []
    for q in find_quantities(text):
        if not q.is_metric:
            if q.reason == "damaged":
                warnings.append(Warning(WarningCode.METRIC_DAMAGED.value,
                                        WarningCode.METRIC_DAMAGED.template.format(raw=q.raw), q.span))
            continue
        metrics.append(_metric(text, q, seg, sentences, starts, metrics[-1] if metrics else None, options))
    return tuple(metrics), find_cited_documents(text), tuple(warnings)


def _metric(text: str, q: Quantity, seg: Segmented, sentences, starts: list[int],
            previous: Metric | None, options: Options) -> Metric:
    """Return the metric of one quantity, placed in its sentence, clause and section."""
    from ..segment import section_path_at

    s_start, s_end = _sentence_at(sentences, starts, q.span[0], len(text))
    clause_start, clause_end = _clause_bounds(text, q.span, s_start, s_end)
    in_clause = previous is not None and clause_start <= previous.span[0] and previous.span[1] <= q.span[0]
    skip = (previous.span,) if in_clause else ()
    label = find_label(text, q, clause_start, clause_end, skip)
    in_list = previous is not None and _CONNECTIVE.match(text, previous.span[1], q.span[0]) is not None
    if in_list and (not label or in_clause):
        label = previous.label  # 541.6%、174.1%和115.8%: an item of a list shares the list's label
    per = _PER.search(text, clause_start, q.span[0])
    return Metric(
        raw=q.raw, value=q.value, value_high=q.value_high, unit=q.unit or "",
        unit_kind=q.unit_kind or "other", qualifier=q.qualifier, label=label,
        category=categorise(label, text[clause_start:clause_end], q.unit_kind or "other", options.lexicon,
                            text[s_start:s_end]),
        period=find_period(text[s_start:s_end], q.span[0] - s_start), per=per.group() if per else None,
        section=section_path_at(seg.sections, q.span[0]), sentence=text[s_start:s_end], span=q.span,
    )


_MAX_SENTENCE = 600  # a longer "sentence" (a list without stops) is cut to a window around the number


def _sentence_at(sentences, starts: list[int], pos: int, n: int) -> Span:
    k = bisect_right(starts, pos) - 1
    start, end = sentences[k] if k >= 0 and sentences[k][0] <= pos < sentences[k][1] else (pos - 60, pos + 60)
    if end - start > _MAX_SENTENCE:  # keeps the work per metric bounded, so a letter stays linear
        start, end = pos - _MAX_SENTENCE // 2, pos + _MAX_SENTENCE // 2
    return max(0, start), min(n, end)


def _clause_bounds(text: str, span: Span, s_start: int, s_end: int) -> Span:
    """Return the clause around a number: between the nearest breaks inside its sentence."""
    start = s_start
    for m in _CLAUSE_BREAK.finditer(text, max(s_start, span[0] - 200), span[0]):
        start = m.end()
    if start == span[0] and start > s_start and text[start - 1] in "）)":
        opening = max(text.rfind("（", s_start, start), text.rfind("(", s_start, start))
        if opening > s_start:  # 认定职业（工种）115个: the words before the bracket name the count
            start = _clause_bounds(text, (opening, opening), s_start, s_end)[0]
    m = _CLAUSE_BREAK.search(text, span[1], s_end)
    return start, m.start() if m else s_end
