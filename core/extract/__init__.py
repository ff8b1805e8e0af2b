"""Extract: metrics (labelled, categorised, placed), cited documents and organizations.

Numbers are found by ``quantities.find_quantities``; this stage keeps the metrics and adds what a
reader needs to check them: the label (what is counted), a category from the keyword lexicon,
the time phrase that scopes the clause, a rate (每人每年), the section path and the sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from decimal import Decimal
from functools import cache

from .._chars import CJK_BASIC
from ..codes import WarningCode
from ..model import Extracted, Metric, Quantity, Segmented, Span, Warning
from ..options import DEFAULT_OPTIONS, Options

__all__ = ["extract", "find_label", "find_period", "categorise", "find_cited_documents", "find_organizations"]


def __getattr__(name: str):
    if name in ("find_label", "find_period", "categorise"):  # the parts' modules load on first use
        from . import labels

        return getattr(labels, name)
    if name == "find_cited_documents":
        from .cited import find_cited_documents

        return find_cited_documents
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_CLAUSE_BREAK = re.compile(r"[，。；：！？、（）\n;:]|,(?![0-9]{3})")  # 3,600元: a comma grouping digits is no break
_SENTENCE_END = frozenset("。；！？;!?：:")
_LIST_GAP = 10  # characters between two items of one list of rates (、初中生, ，其中个人缴费)
_RESULT_CUE = re.compile(r"共|累计|全年|上半年|已|惠及|[0-9]{4}年")


def find_organizations(seg: Segmented, metadata: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """Return organizations named in the signature, the cc list and the header, first seen first."""
    names = [seg.issuer] + [v for k, v in metadata if k in ("发布机构", "發布機構")] + list(seg.cc)
    seen: dict[str, None] = {}
    for name in names:
        if name and name.strip():
            seen.setdefault(name.strip(), None)
    return tuple(seen)


def extract(text: str, seg: Segmented, *, options: Options = DEFAULT_OPTIONS,
            as_written: str | None = None) -> Extracted:
    """Return the metrics, cited documents and extraction warnings of a segmented letter (an ``Extracted``).

    Numbers are read in a simplified view of the text whatever the output script (OpenCC t2s keeps the length,
    so every offset holds in both); the strings of a metric are then taken from the text itself, but for its
    ``raw`` and ``unit``, which are taken as written on the page (``as_written``: the text in the page's script,
    character for character, when the output script is another), so that they are the same whatever ``--script``.
    """
    from ..segment import section_index, split_sentences
    from .cited import find_cited_documents
    from .quantities import _ALTERNATIVE_UNIT, RATE_BASE, find_quantities

    view = text if options.script == "simplified" else _simplified(text)
    found = find_quantities(view)
    sentences = _across_wraps(seg.sentences or split_sentences(text), found)
    starts = [s for s, _ in sentences]
    index = section_index(seg.sections)
    metrics: list[Metric] = []
    warnings: list[Warning] = []
    spam = [w.span for w in seg.warnings if w.code == WarningCode.INJECTED_TEXT.value and w.span]
    spam_line = _SpamLines(view)
    for q in found:
        if q.is_metric and (spam and any(s <= q.span[0] and q.span[1] <= e for s, e in spam)
                            or spam_line(q.span[0])):
            continue  # 注册就送88元彩金, 首存送100%: a line a mirror or spammer wrote into the page
        if not q.is_metric:
            if q.reason == "damaged":
                raw = text[q.span[0]:q.span[1]]
                warnings.append(Warning(WarningCode.METRIC_DAMAGED.value,
                                        WarningCode.METRIC_DAMAGED.template.format(raw=raw), q.span))
            continue
        metrics.append(_metric(view, q, index, sentences, starts, metrics[-1] if metrics else None, options))
    metrics = _calculation_bases(view, _respectively(view, metrics))
    written = as_written if as_written is not None and len(as_written) == len(text) else text
    metrics = [_unit_as_written(view, written, m, _ALTERNATIVE_UNIT, RATE_BASE) for m in metrics]
    if view is not text:
        metrics = [_in_text(view, text, m) for m in metrics]
    if written is not text:  # 四萬一千張 on a traditional page: the figure as the page writes it, like its unit
        metrics = [m if (raw := written[m.span[0]:m.span[1]]) == m.raw else replace(m, raw=raw) for m in metrics]
    return Extracted(tuple(metrics), find_cited_documents(text), tuple(warnings))


_SUM_LEAD = re.compile(r"^(?:全年|今年|年度|当年)?(?:共|累计)?(?:下达|安排|拨付|发放)?")


def _calculation_bases(text: str, metrics: list[Metric]) -> list[Metric]:
    """按每生每天4元、全年在校200天计算，全年下达营养膳食补助资金1944万元: a figure a calculation is based on, named
    by nothing of its own, is the standard of the sum computed from it (营养膳食补助标准)."""
    out = list(metrics)
    for i, m in enumerate(out):
        if m.label or i + 1 >= len(out) or (after := out[i + 1]).sentence != m.sentence or not after.label:
            continue
        if "计算" in text[m.span[1]:after.span[0]] and "按" in text[max(0, m.span[0] - 12):m.span[0]]:
            named = _SUM_LEAD.sub("", after.label).removesuffix("资金").removesuffix("经费")
            out[i] = replace(m, label=named + "标准")
    return out


class _SpamLines:
    """Whether the line holding an offset is one a mirror or spammer injected (a short line, no sentence of the
    letter, holding their words: 九州体育_jz365app$官方入口 … 首存送100%); each line is judged once."""

    def __init__(self, text: str):
        from ..segment.header import is_spam_line

        self.text, self.judged, self.is_spam = text, {}, is_spam_line

    def __call__(self, at: int) -> bool:
        start = self.text.rfind("\n", 0, at) + 1
        if start not in self.judged:
            end = self.text.find("\n", at)
            line = self.text[start:end if end >= 0 else len(self.text)]
            self.judged[start] = self.is_spam(line)
        return self.judged[start]


def _respectively(text: str, metrics: list[Metric]) -> list[Metric]:
    """乙300人，丙80人，分别完成年计划的80.2%和90.3%: the i-th figure of a 分别 list belongs to the i-th item before."""
    from .labels import _CONNECTIVE

    out = list(metrics)
    k = 0
    while k < len(out):
        first = out[k]
        cue = text.rfind("分别", max(0, first.span[0] - 12), first.span[0])
        if cue < 0 or any(ch in text[cue:first.span[0]] for ch in "，。；"):
            k += 1
            continue
        n = 1
        while k + n < len(out) and _CONNECTIVE.match(text, out[k + n - 1].span[1], out[k + n].span[0]):
            n += 1
        items = [m for m in out[:k] if m.sentence == first.sentence and m.unit != first.unit][-n:]
        nouns = _noun_items(text, cue) if n > 1 else []
        if len(nouns) == n:
            for i in range(n):
                out[k + i] = replace(out[k + i], label=nouns[i])
        elif n > 1 and len(items) == n and all(m.label for m in items):
            clause = max(text.rfind(ch, 0, cue) for ch in "，。；,;\n") + 1
            for i in range(n):  # its own words (满意率分别为, 分别完成年计划) follow the item's; borrowed ones do not
                own = out[k + i].label or ""
                own = own if own in text[clause:out[k + i].span[0]] else ""
                out[k + i] = replace(out[k + i], label=f"{items[i].label}{own}")
        k += n
    return out


_NOUN_LIST = re.compile(rf"[{CJK_BASIC}A-Za-z0-9]{{1,12}}(?:(?:、|和|及|与)[{CJK_BASIC}A-Za-z0-9]{{1,12}})+$")
_NOUN_JOIN = re.compile("、|和|及|与")


def _noun_items(text: str, cue: int) -> list[str]:
    """小学、初中和高中分别为64、37和18所: the names written right before 分别, in order (none if it is no list)."""
    from .labels import tidy_label

    clause = text[max(0, cue - 60):cue]
    clause = clause[max(clause.rfind(ch) for ch in "，。；：,;:\n（(") + 1:]
    m = _NOUN_LIST.search(clause)
    if m is None:
        return []
    names = [tidy_label(part) for part in _NOUN_JOIN.split(m.group())]
    names[0] = names[0][names[0].rfind("的") + 1:]  # 新认定的国家级、省级龙头企业: what the list opens with is no name
    if any(_NOT_A_NAME.search(name) for name in names):
        return []  # 2019年采购流感疫苗和狂犬病疫苗; 由中央和省级财政: a clause, not names
    lengths = [len(name) for name in names]  # 城镇和农村居民人均收入: a shared head, not two names
    return names if min(lengths) >= 2 and max(lengths) <= 16 and (max(lengths) <= 6 or min(lengths) >= 4) else []


_NOT_A_NAME = re.compile(r"[0-9由]")


def _simplified(text: str) -> str:
    """Return the simplified view of text, character for character (same length, same offsets)."""
    from ..normalize import to_script

    view = to_script(text, "simplified")
    return view if len(view) == len(text) else text


def _in_text(view: str, text: str, m: Metric) -> Metric:
    """Return a metric read in the simplified view with its strings taken from the text at the same places (the
    unit is already as written)."""
    start, end = m.span
    sentence_start = view.rfind(m.sentence, max(0, start - len(m.sentence)), start + len(m.sentence))

    def same_place(words: str | None, lo: int, hi: int) -> str | None:
        if not words:
            return words
        at = view.rfind(words, max(0, lo), hi)
        return text[at:at + len(words)] if at >= 0 else words

    lo = sentence_start if sentence_start >= 0 else start - 200
    return replace(m, raw=text[start:end],
                   label=same_place(m.label, lo, end + 40), period=same_place(m.period, lo, end),
                   per=same_place(m.per, lo, end), sentence=same_place(m.sentence, lo, lo + len(m.sentence)) or "")


def _unit_as_written(view: str, written: str, m: Metric, alternative: re.Pattern, rate: re.Pattern) -> Metric:
    """Return the metric read in ``view`` with its unit as the page writes it (``written``: 個, not 个, on a
    traditional page): the unit in the metric's text, else the nearest after it (a unit written once after a list),
    else before it (a table's header, however far above its cell). A count in either of two units keeps both, as
    written: 62台(套) → 台(套), 62台（套） → 台（套）; a rate keeps the base written after a slash (1404元/人·月) or
    after its 万 (/10万剂次)."""
    if not m.unit:
        return m
    start, end = m.span
    at = view.rfind(m.unit, start, end)
    if at < 0:
        at = view.find(m.unit, end, end + 60)
    if at < 0:  # the nearest before, however far (a table cell far under the header that names its unit)
        at = view.rfind(m.unit, 0, start)
    if at < 0:
        return m
    unit = written[at:at + len(m.unit)]
    if (alt := alternative.match(view, at + len(m.unit), end)) is not None:
        unit += written[alt.start():alt.end()]  # 62台(套), 21.4万台（套）: the brackets as written too
    elif ("/" not in m.unit or m.unit[-1] in "万千") and (base := rate.match(view, at + len(m.unit))) is not None:
        unit += written[base.start():base.end()].replace("／", "/")  # 1404元/人·月: the rate's unit as written
    return replace(m, unit=unit) if unit != m.unit else m


@cache
def _metric_parts() -> tuple:
    """The functions _metric calls, imported on first use (once: an import statement per metric costs ~1 µs each)."""
    from ..segment import section_at
    from .labels import _CONNECTIVE, CHANGE, TOTAL, categorise, find_label, find_period
    from .roles import find_per, find_role

    return section_at, _CONNECTIVE, CHANGE, TOTAL, categorise, find_label, find_period, find_per, find_role


def _metric(text: str, q: Quantity, index, sentences, starts: list[int],
            previous: Metric | None, options: Options) -> Metric:
    """Return the metric of one quantity, placed in its sentence, clause and section (``index``: the
    letter's ``segment.section_index``)."""
    section_at, _CONNECTIVE, CHANGE, TOTAL, categorise, find_label, find_period, find_per, find_role = _metric_parts()
    s_start, s_end = _sentence_at(sentences, starts, q.span[0], len(text))
    if s_start > 0 and not text[s_start:q.span[0]].strip() and text[s_start - 1] == "\n" \
            and text[s_start - 2:s_start - 1] not in _SENTENCE_END:  # 案件⏎27⏎件: a hard wrap before the number
        s_start = _sentence_at(sentences, starts, s_start - 2, len(text))[0]
    clause_start, clause_end = _clause_bounds(text, q.span, s_start, s_end)
    in_clause = previous is not None and clause_start <= previous.span[0] and previous.span[1] <= q.span[0]
    skip = (previous.span,) if in_clause else ()
    total = None if q.label else TOTAL.match(text, clause_start, q.span[0])
    # 合计77件 / （总计1,587人）: a total is named by what it sums, never by the last item summed
    label = q.label or (None if total else find_label(text, q, clause_start, clause_end, skip))
    in_list = previous is not None and _CONNECTIVE.match(text, previous.span[1], q.span[0]) is not None
    if q.label:
        pass  # a table cell: its row and column say what it counts
    elif total and _LISTED.search(text, s_start, clause_start):
        label = _heading(text, s_start, clause_start)  # 补助资金：中央资金2.4亿元、省级资金1.1亿元，累计4.15亿元
    elif in_list and (not label or in_clause):
        label = previous.label  # 541.6%、174.1%和115.8%: an item of a list shares the list's label
    elif not label and previous is not None and previous.span[0] >= s_start:
        label = previous.label  # 18件，占14.2%; 是1.5倍: a share or change of the figure before it
    if not label and clause_start > s_start:
        label = _clause_before(text, s_start, clause_start, CHANGE.search(text, clause_start, q.span[0]) is not None)
    if not label and total:
        label = total.group(1)  # 合计81件: a total of the counts before it, said so when nothing else names it
    unit_kind = q.unit_kind or "other"
    per = find_per(text, clause_start, q.span[0], q.unit or "", q.span[1])
    role = find_role(text, s_start, clause_start, q.span, clause_end, q.qualifier, per, unit_kind)
    if previous is not None and previous.role == "standard" and role == "result" and previous.unit == q.unit \
            and s_start <= previous.span[0] and q.span[0] - previous.span[1] <= _LIST_GAP \
            and not _RESULT_CUE.search(text, previous.span[1], q.span[0]):
        role, per = previous.role, per or previous.per  # 每人每月50元、100元、300元: the list shares the rate
    sentence = text[s_start:s_end]
    value, value_high = _in_unit(q)
    return Metric(
        raw=q.raw, value=value, value_high=value_high, unit=q.unit or "",
        unit_kind=unit_kind, qualifier=q.qualifier, label=label,
        category=categorise(label, text[clause_start:clause_end], unit_kind, options.lexicon, sentence),
        period=find_period(sentence, q.span[0] - s_start), per=per,
        section=section_at(index, q.span[0]), sentence=sentence, span=q.span, role=role,
    )


# Units a number reading gives in per cent but a metric counts as written (GOLD-FORMAT: the unit as written, the value
# in it): 三成 reads 30 (%), the metric is 3 成.
_PER_CENT_OF_UNIT = {"成": 10}


def _in_unit(q: Quantity) -> tuple:
    """Return (value, value_high) of q in its unit as written (七成五 → 7.5 成)."""
    scale = _PER_CENT_OF_UNIT.get(q.unit or "")
    if scale is None:
        return q.value, q.value_high
    from .numerals import _out

    return tuple(None if v is None else _out(Decimal(str(v)) / scale) for v in (q.value, q.value_high))


def _clause_before(text: str, s_start: int, clause_start: int, change: bool = False) -> str | None:
    """发放生活补助，每人每月最高300元; 资金缺口较大，约三亿元: what is counted is named by the clause before, when
    that clause holds no number of its own; for a change (开展通航作业飞行2.3万小时，同比增长约三成), by its words
    before its figure."""
    from .labels import PERIOD, tidy_label

    before = text[s_start:clause_start].rstrip("，,；; ")
    bracket = before.endswith(("（", "("))  # 建议提案目录（共20件）: the bracket counts the name before it
    before = before[max(before.rfind(ch) for ch in "，,；;：:") + 1:len(before) - bracket]
    if bracket:
        before = PERIOD.sub("", _MARKER_START.sub("", before))
    if before.endswith("的") and len(before) > 2:  # 80至89周岁的，由每人每月50元提高到80元: who it is paid to
        return tidy_label(_ENUMERATOR.sub("", _MARKER_START.sub("", before[:-1]))[-20:]) or None
    if before.startswith("对") and "的" in before:  # 对…的“瞪羚”培育企业，目前全市共有57家: whom it counts
        return tidy_label(before[before.rfind("的") + 1:][:20]) or None
    before = _NUMBERED_RANGE.sub("", before)
    if change and (figure := _HAS_NUMBER.search(before := PERIOD.sub("", before))):
        before = before[:figure.start()]  # 截至2023年底，较上年增长15%: the period is no name
    elif not before or (_HAS_NUMBER.search(before) and not bracket):  # a bracket's name may hold one: 两项补贴
        return None
    return tidy_label(_ENUMERATOR.sub("", before)[-20:]) or None


_LISTED = re.compile(r"[0-9一二三四五六七八九十][^，。；、0-9]{0,4}[、，]")  # 建议41件、提案36件: figures in a list


def _heading(text: str, s_start: int, clause_start: int) -> str | None:
    """The words before the sentence's colon heading a list of figures (下达补助资金：中央资金…), if they hold none."""
    from .labels import tidy_label

    colon = max(text.find("：", s_start, clause_start), text.find(":", s_start, clause_start))
    head = text[s_start:colon] if colon > s_start else ""
    return None if not head or _HAS_NUMBER.search(head) else tidy_label(head[-20:]) or None


# 企业（…2000万元及以上）达到128家: nothing named after the bracket
_ONLY_FILLER = re.compile(r"(?:达到|已达|达|为|有|共有|共|计)?")
_NUMBERED_RANGE = re.compile(r"第[0-9]+号(?:至第?[0-9]+号)?")  # 办理的第1号至第596号，共596件: numbers, not figures


_MARKER_START = re.compile(  # （一） 一、 1. before a clause
    r"^\s*(?:[（(][一二三四五六七八九十0-9]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[.、．]"
    r"|(?:附?表|图)\s*[0-9一二三四五六七八九十]{1,3}(?:[：:.．\s]+|(?=[\u4e00-\u9fff])))")  # 表1 各乡镇…情况（总计…）
_HAS_NUMBER = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万亿]+(?:个|名|人|项|家|元|件|所|条|次(?!性)|户|处)")
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]是|其[一二三四五六七八九十]|首先|其次|再次|同时|此外|另外)")


_MAX_SENTENCE = 600  # a longer "sentence" (a list without stops) is cut to a window around the number


def _across_wraps(sentences: tuple[Span, ...], found) -> tuple[Span, ...]:
    """The sentences with those a number runs across joined (支出214.9⏎亿元，增长2.8%。: a line wrapped inside the
    figure, the sentence runs on), so every figure and its neighbours share one sentence."""
    wrapped = [q for q in found if "\n" in q.raw]  # a sentence ends at 。！？； or a line's end: only a line break can
    if not wrapped:                                  # lie inside a number
        return sentences
    starts = [s for s, _ in sentences]
    join = set()  # i: sentence i runs on into sentence i + 1
    for q in wrapped:
        k = bisect_right(starts, q.span[0]) - 1
        while 0 <= k < len(sentences) - 1 and sentences[k][1] < q.span[1]:
            join.add(k)
            k += 1
    if not join:
        return sentences
    out: list[Span] = []
    for k, (s, e) in enumerate(sentences):
        if k - 1 in join:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return tuple(out)


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
        if m.group() != "\n" or text[m.start() - 1:m.start()] in _SENTENCE_END:  # a hard wrap is no break
            start = m.end()
    if start > s_start and text[start - 1] in "）)" and _ONLY_FILLER.fullmatch(text, start, span[0]):
        opening = max(text.rfind("（", s_start, start), text.rfind("(", s_start, start))
        if opening > s_start:  # 认定职业（工种）115个: the words before the bracket name the count
            start = _clause_bounds(text, (opening, opening), s_start, s_end)[0]
    m = _CLAUSE_BREAK.search(text, span[1], s_end)
    return start, m.start() if m else s_end
