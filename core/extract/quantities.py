"""The quantity scanner (DESIGN §3.4): find and value every number in a text, metric or not.

One left-to-right pass: a compiled regex proposes a candidate (a run of at most 64 numeral
characters, a 百分之 prefix, a dotted date, a clock time or a phone number), ``numerals`` values
the run, a few anchored regexes read the unit, the qualifier and a range after it, and ``reasons``
says why a number is not a metric. Every step looks at a bounded window, so the pass is linear.

The unit, qualifier, context and word tables are the files ``core/data/units.tsv``,
``quantity_qualifiers.tsv``, ``quantity_context.tsv`` and ``quantity_words.tsv``; what is written after a unit
(角/毛/分, 两年半, 3个多月) is read by ``subunits``.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..model import Quantity
from ._tables import _INFO, _PREFIXES, _QUAL, _QUOTES, _UNIT_WORDS, _UNITS, _quoted, _word_end
from .colloquial import MULTIPLE_UNITS, about_word, long_tail, loose_pair, mixed_fraction, percent_high, ratio_chain
from .grid import table_units
from .numerals import (
    _ARABIC,
    _CONT,
    _FINANCIAL,
    _FULLWIDTH,
    _ROLE,
    _RUN_START,
    _START,
    _adjacent_range,
    _alternation,
    _out,
    _parse,
    _rows,
    _scale,
    parse_number,
)
from .reasons import NOT_METRIC_REASONS, _Context, _reason
from .settled import settle
from .subunits import after_unit, money_alone, scaled

__all__ = ["find_quantities", "parse_number", "NOT_METRIC_REASONS"]

_MAX_RUN = 64

_ONLY_BEFORE_WORDS = ("上", "数", "几", "幾")  # 上千, 数十万, 几百: qualifiers only before a Chinese multiplier
_BEFORE_LAST = frozenset(w[-1] for (pos, w) in _QUAL if pos == "before")
_BEFORE_SIZES = sorted({len(w) for (pos, w) in _QUAL if pos == "before"}, reverse=True)

_CANDIDATE = re.compile(
    r"(?P<pre>[百千万佰仟萬]分之)(?=[" + _START + r"])"
    r"|(?<![0-9])(?P<date>[0-9]{4})(?P<sep>[-/.])(?P<mon>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})(?![0-9.])"
    r"|(?<![0-9])(?P<hh>[0-9]{1,2})[:：](?P<mm>[0-9]{2})(?![0-9])"
    r"|(?<![0-9])(?P<phone>1[3-9][0-9]{9}|0[0-9]{2,3}[-－][0-9]{7,8}|400-?[0-9]{3}-?[0-9]{4})(?![0-9])"
    r"|(?P<lone>(?<=[近约超逾上数几幾])[百千万萬亿億](?!分之)|[万萬](?=[余餘多][^0-9一二两三四五六七八九十]))"  # 万余人
    r"|(?P<run>[" + _RUN_START + r"][" + _CONT + r"]{0," + str(_MAX_RUN - 1) + r"})"
)
_IDENTIFIER_ENDS = {"day": "date", "mm": "date", "phone": "phone"}  # _CANDIDATE's last group → _identifier's reason
_FIRST = re.compile(f"[{_RUN_START}百千万佰仟萬亿億]")  # every candidate starts with one of these
_REST_OF_RUN = re.compile(f"[{_CONT}]*")
_UNIT = re.compile(r"(?P<gap>[ \t\u3000]{0,2}\n?[ \t\u3000]{0,2})(?P<mag>[万亿萬億]{0,2})(?P<u>"
                   + _UNIT_WORDS + ")")
_AFTER = re.compile(_alternation(w for (pos, w) in _QUAL if pos == "after"))
_RANGE = re.compile(r" ?(?:至|到|-|~|～|—|－|–) ?(?=[" + _START + "])")


# ---------------------------------------------------------------- the pass
def find_quantities(text: str) -> tuple[Quantity, ...]:
    """Return every quantity in text, in text order, metric or not (``reason`` says why not).

    >>> [(q.raw, q.value, q.unit, q.qualifier) for q in find_quantities("拨付补贴资金1000多万元。")]
    [('1000多万元', 10000000, '元', 'more_than')]
    """
    quotes = [(m.start(), m.end(), bool(m.group("t"))) for m in _QUOTES.finditer(text) if not _is_speech(m.group())]
    found: list[Quantity] = []
    pos = 0
    while (first := _FIRST.search(text, pos)) is not None:
        m = _CANDIDATE.match(text, first.start())
        if m is None:
            pos = first.end()
            continue
        pos = m.end()
        kind = m.lastgroup  # the alternative that matched, by its last group (one look-up, not a group() each)
        if kind == "pre":
            q = _percent_prefixed(text, m.start(), m.end(), quotes)
        elif kind in _IDENTIFIER_ENDS:
            found.extend(_identifier(text, m, _IDENTIFIER_ENDS[kind]))
            continue
        else:
            q, pos = _from_run(text, m, quotes)
        if q is not None:
            found.append(q)
            pos = q.span[1]
    found = _bare_magnitude_units(text, _share_list_unit(text, _share_series_unit(text, found)))
    return tuple(table_units(text, found))


def _is_speech(quoted: str) -> bool:
    """“今年底前，主办件要全部办结，满意率力争达到95%以上。”: reported speech, whose figures are figures."""
    return len(quoted) > 14 and any(ch in quoted for ch in "，。；！？,;!?")


_SERIES_GAP = re.compile(r"[、，,]?[\u4e00-\u9fff]{0,6}")


def _share_series_unit(text: str, found: list[Quantity]) -> list[Quantity]:
    """国家级400万、省级200万、市级80万元: the unit written after the last item belongs to every item."""
    for k in range(len(found) - 1, 0, -1):
        last = found[k]
        if not last.is_metric or not last.unit or last.value_high is not None:
            continue
        j = k
        while j > 0 and (_bare_series_item(text, found[j - 1], found[j], "、")  # 省级补助600万，市级配套300万元
                         or (j > 1 and _bare_series_item(text, found[j - 1], found[j], "，,")
                             and _bare_series_item(text, found[j - 2], found[j - 1], "、"))):
            j -= 1
            found[j] = Quantity(found[j].raw, found[j].value, None, last.unit, last.unit_kind, found[j].qualifier,
                                found[j].span, True, None)
    return found


_POINT_UNITS = ("个百分点", "个千分点", "百分点", "千分点")
_LIST_JOINS = ("、", "和", "及", "与", "或")
_MAGNITUDES = frozenset("万亿萬億")


def _share_list_unit(text: str, found: list[Quantity]) -> list[Quantity]:
    """分别为120、85和36家, 分别下降1.2个和0.4个百分点: the unit written after the last item of a list belongs to
    the bare items before it (FIELD-GUIDE E10); 3、5万元 is left alone (does the 万 belong to 3?)."""
    for k in range(len(found) - 1, 0, -1):
        last = found[k]
        if not last.is_metric or not last.unit or last.value_high is not None:
            continue
        j = k
        while j > 0 and _bare_list_item(found[j - 1], last) \
                and text[found[j - 1].span[1]:found[j].span[0]] in _LIST_JOINS:
            j -= 1
            q = found[j]
            found[j] = Quantity(q.raw, q.value, q.value_high, last.unit, last.unit_kind, q.qualifier, q.span,
                                True, None)
    return found


def _bare_list_item(item: Quantity, last: Quantity) -> bool:
    """True when item is a number with no unit (or 1.2个 before 个百分点) whose magnitude needs none of last's."""
    if item.reason != "no_unit" and not (item.unit == "个" and last.unit in _POINT_UNITS):
        return False
    return not _MAGNITUDES.intersection(last.raw) or bool(_MAGNITUDES.intersection(item.raw))


_BARE_NOUNS = {r[0]: r[1] for r in _rows("quantity_bare_units.tsv")}
_BARE_NOUN = re.compile("|".join(sorted(map(re.escape, _BARE_NOUNS), key=len, reverse=True)))
_NOT_IN_NOUN = frozenset("以上下的等多余左右约近和与及、 \n")  # 3000万以上人口: not a noun before the named one
_BARE_BEFORE, _BARE_AFTER = 16, 6  # characters looked at before and after the number, inside its clause


def _bare_magnitude_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """技能人才超过3000万, 1206万农村人口: a number ending in 万/亿 takes its unit from the noun that names it."""
    for k, q in enumerate(found):
        if q.reason != "no_unit" or q.raw[-1:] not in "万亿萬億":
            continue
        start, end = q.span
        after = _BARE_NOUN.search(text[end:end + _BARE_AFTER].split("，")[0])
        window = text[max(0, start - _BARE_BEFORE):start]
        window = window[max(window.rfind(ch) for ch in "，。；：！？\n") + 1:]
        before = [m.group() for m in _BARE_NOUN.finditer(window)]
        noun = after.group() if after else (before[-1] if before else None)
        if noun:
            unit = _BARE_NOUNS[noun]
            kind = _INFO[unit][0]
            label = None
            if after and not any(ch in _NOT_IN_NOUN for ch in text[end:end + after.start()]):
                unit = label = text[end:end + after.end()]  # 132.6万农村居民: the noun is the unit (6部门 → 部门)
            found[k] = Quantity(q.raw, q.value, q.value_high, unit, kind, q.qualifier, q.span, True, None, label)
    return found


def _bare_series_item(text: str, item: Quantity, after: Quantity, joins: str) -> bool:
    """True when item is a numeral ending in 万/亿 with no unit, separated from the next item by one of joins and a
    name (a comma only inside a series already joined by 、: 中央补助1200万、省级补助600万，市级配套300万元)."""
    if item.reason != "no_unit" or item.raw[-1:] not in "万亿萬億":
        return False
    gap = text[item.span[1]:after.span[0]]
    return gap[:1] != "" and gap[:1] in joins and _SERIES_GAP.fullmatch(gap) is not None


def _identifier(text: str, m: re.Match, reason: str) -> list[Quantity]:
    """Return the parts of a dotted date or clock time, or a whole phone number, as non-metrics."""
    if reason == "phone":
        raw = m.group()
        return [Quantity(raw, int(re.sub(r"\D", "", raw)), None, None, None, None, m.span(), False, "phone")]
    names = ("date", "mon", "day") if m.group("date") else ("hh", "mm")
    return [Quantity(m.group(g), int(m.group(g)), None, None, None, None, m.span(g), False, "date")
            for g in names]


def _run_end(text: str, start: int) -> int:
    return min(_REST_OF_RUN.match(text, start).end(), start + _MAX_RUN)


def _percent_prefixed(text: str, s: int, e: int, quotes) -> Quantity | None:
    """Return 百分之三十 (30 %), 千分之一 (0.1 %) or 万分之三 (0.03 %) as a percentage, valued in per cent."""
    got = _parse(text, e, _run_end(text, e))
    if got is None and text[e] in "百佰":  # 百分之百
        got = (Decimal(100), e + 1, False, True)
    per = {"百": 1, "佰": 1, "千": 10, "仟": 10, "万": 100, "萬": 100}[text[s]]
    if pair := _adjacent_range(text, e, _run_end(text, e), got):  # 百分之五六, 百分之二三十
        got, high = pair[0], (pair[1] / per, pair[0][1])
    elif got is None:
        return None
    else:
        high = None if got[2] else percent_high(text, got[1], got[0] / per, per)  # 百分之三十到四十
    end, qualifier = _after(text, high[1] if high else got[1], "about" if pair else "more_than" if got[2] else None)
    reason = _quoted(quotes, s)
    s, neg = _sign(text, s) if high is None else (s, False)
    value = -got[0] / per if neg else got[0] / per
    return Quantity(text[s:end], _out(value), None if high is None else _out(high[0]), "%", "percent", qualifier,
                    (s, end), reason is None, reason)


def _after(text: str, e: int, qualifier: str | None) -> tuple[int, str | None]:
    """Read 以上 / 左右 / 以下 after a quantity: (new end, qualifier)."""
    m = _AFTER.match(text, e)
    if m and qualifier is None:
        return m.end(), _QUAL[("after", m.group())]
    return e, qualifier


def _unit_at(text: str, e: int) -> tuple[str, int] | None:
    """Return the unit written at e (after at most a space or line break) and its end."""
    m = _UNIT.match(text, e)
    if not m:
        return None
    unit = m.group("u")
    if "\n" in m.group("gap") and text.startswith(_NEWS_LEADS, m.start("u")):
        return None  # 首破千亿⏎本网讯: a headline's figure, then the news lead on the next line
    if text[m.end():m.end() + 1] in _UNITS[unit][2] and m.end() < len(text):
        unit = unit[:unit.index("/")] if "/" in unit else unit[:-1]  # 5万吨/年产品: 吨; 20个人民调解委员会: 个
        if unit not in _UNITS or text[m.start("u") + len(unit)] in _UNITS[unit][2]:
            return None
        return unit, m.start("u") + len(unit)
    if (unit == "成" and m.start("u") != e) or (m.group("mag") and not m.group("gap")):
        return None
    return unit, m.end()


_NEWS_LEADS = ("本网讯", "本报讯", "本台讯", "本刊讯", "本站讯")
_INSIDE = re.compile(_alternation(w for (pos, w) in _QUAL if pos == "inside"))


def _past_inside(text: str, e: int) -> int:
    """Return where a qualifier written inside a number (1 300余套, 2 000多人) ends, or e when there is none."""
    m = _INSIDE.match(text, e)
    return m.end() if m else e


_NUMERAL_UNITS = re.compile("(?<=[0-9０-９万亿萬億])(?:" + _alternation(u for u in _UNITS if u[0] in _CONT) + ")")


_SPACE_GROUPS = re.compile(r"(?: [0-9]{3})+(?:\.[0-9]+)?(?![0-9.])(?P<mag>[万亿萬億]{0,2})")


def _unit_inside_run(text: str, s: int, run_end: int) -> int:
    """Return where the numeral of a run ends when a unit that starts with a numeral (千瓦, 千克) follows digits
    or a magnitude (30万千瓦: 300,000 kW, not 301,000)."""
    m = _NUMERAL_UNITS.search(text, s + 1, run_end + 3)
    return m.start() if m and m.start() < run_end else run_end


def _from_run(text: str, m: re.Match, quotes) -> tuple[Quantity | None, int]:
    """Value the numeral run m and read what follows: (quantity or None, where to go on)."""
    s, run_end = m.start(), m.end()
    if m.lastgroup == "lone":
        got = _parse(text, s, _run_end(text, s))
        if got is None or got[1] == s + 1:
            more = text[s + 1:s + 2] in ("余", "餘", "多")  # 万余人: ten thousand and more
            got = (Decimal(_ROLE[text[s]][1]), s + 1 + more, more, True)
    else:
        if run_end - s == _MAX_RUN and (rest := _REST_OF_RUN.match(text, run_end).end()) > run_end:
            return None, rest  # a run this long is no number
        word_end = _word_end(text, s)
        if word_end and not text.startswith("分之", word_end - 1):  # 十分 (very), but 十分之三 is a fraction
            return None, word_end
        if (ratio := ratio_chain(text, s)) is not None:
            return ratio, ratio.span[1]
        run_end = _unit_inside_run(text, s, run_end)
        got = long_tail(text, s, _parse(text, s, run_end))
        if (pair := _adjacent_range(text, s, run_end, got)) and (q := _approximate(text, s, pair, quotes)):
            return q, q.span[1]
        if got is None or text[s:got[1]].strip("□") == "":
            return None, max(run_end, s + 1)
        if got[1] - s == 1 and text[s] in _FINANCIAL:  # 队伍, 陆地, 收拾: a lone financial numeral
            return None, s + 1
        if (groups := _SPACE_GROUPS.match(text, got[1])) and text[s:got[1]].isdigit() and got[1] - s <= 3 \
                and ((unit := _unit_at(text, end := _past_inside(text, groups.end()))) is not None  # 12 604人
                     and _INFO[unit[0]][0] != "percent"  # 合计 27 100%: two cells (no share is written 27 100%)
                     or groups.group("mag") or text.startswith("、", groups.end())):  # 2 400万、1 800万元
            digits = text[s:groups.start("mag")].replace(" ", "")
            got = (Decimal(digits) * _scale(groups.group("mag")), end, end > groups.end(), False)
    q = _quantity(text, s, got, quotes)
    if text[s] == "半" and q.reason not in _HALF_REASONS and text[s + 1:s + 2] not in MULTIPLE_UNITS:
        return None, s + 1  # 半导体, 半数, 半个世纪: 半 is a number only as a span of time or an age
    return q, got[1]


_HALF_REASONS = frozenset(("duration", "period", "age"))


def _approximate(text: str, s: int, pair, quotes) -> Quantity | None:
    """两三个, 三四十人: the low reading of two neighbouring digits with its high end, about (None without a unit)."""
    (low, *_), high = pair
    q = _quantity(text, s, pair[0], quotes)
    if q.unit is None or q.value_high is not None:
        return None
    scale = Decimal(str(q.value)) / low  # 三四 万元: a magnitude after the space
    return Quantity(q.raw, q.value, _out(high * scale), q.unit, q.unit_kind, q.qualifier or "about", q.span,
                    q.is_metric, q.reason)


def _quantity(text: str, s: int, got, quotes) -> Quantity:
    """Read unit, range, qualifiers and context around a valued numeral and classify it."""
    if (settled := settle(text, s, got, quotes, _unit_at)) is not None:
        return settled  # 2023年, 第3号, 一、: nothing around it can make it a metric
    value, e, approx, chinese = got
    number = text[s:e]
    value, e, unit, qualifier = _unit_part(text, s, e, value, number, chinese, "more_than" if approx else None)
    e, value, value_high, unit = _range(text, e, value, number, unit)
    if value_high is None and unit and (pair := loose_pair(text, e, value, number, unit)) is not None:
        value, value_high, e, unit = pair  # 十块八块: about eight to ten yuan
        qualifier = qualifier or "about"
    e, qualifier = _after(text, e, qualifier)
    qs, neg = _sign(text, s)
    if neg and (value_high is not None or (unit and _INFO[unit][0] not in _SIGNED_KINDS)):
        qs, neg = s, False  # 负3至5个, 负623亿元: a sign word never makes a count, an amount or a range negative
    qs2, before = _before(text, qs)
    if before and qualifier is None:
        qualifier = before
    elif qualifier is None and unit in ("%", "％") and _SHARE_ABOUT.search(text, max(0, qs - 10), qs):
        qualifier = "about"  # 约占全省的12%: 约 written before the share's base
    ctx = _Context(text, s, e, number, chinese, unit, value, value_high, quotes, text[s - 1:s], text[e:e + 1])
    reason = _reason(ctx, qs2 if qualifier == before and before else qs)
    if reason in ("year", "date", "period", "doc_number", "proposal_number", "ordinal", "phone",
                  "marker") and qualifier == before:
        qualifier = None if not approx else "more_than"
    else:
        qs = qs2 if before and qualifier == before else qs
    if reason in ("ordinal", "proposal_number") and text[qs - 1:qs] == "第":
        qs -= 1
    if reason == "name" and ctx.url_like:
        unit = None
    kind = _INFO[unit][0] if unit else None
    sign = -1 if neg else 1  # the sign is written on the low end only: 负3至5个 is -3 to 5
    return Quantity(text[qs:e], _out(sign * value), None if value_high is None else _out(value_high),
                    unit, kind, qualifier, (qs, e), reason is None, reason)


def _unit_part(text: str, s: int, e: int, value: Decimal, number: str, chinese: bool, qualifier: str | None):
    """Read the fraction, rate or unit after a valued numeral: (value, end, unit, qualifier)."""
    unit = None
    if (mixed := mixed_fraction(text, e, value)) is not None:
        value, e = mixed  # 三又四分之一个月
    if text.startswith("分之", e) and (b := _parse(text, e + 2, _run_end(text, e + 2))) and value:
        value, e = b[0] / value, b[1]
    elif text[e:e + 1] == "/" and (u := _unit_at(text, e)) is not None:
        unit, e = u  # 2.1/10万: a rate per 100,000
    elif not chinese and text[e:e + 1] in ("/", "／") and (b := _ARABIC.match(text, e + 1)) \
            and len(number) <= 3 and len(b.group()) <= 3 and "." not in number + b.group():
        denominator = Decimal(b.group().translate(_FULLWIDTH))
        value, e = (value / denominator if denominator else value), b.end()
    elif (u := _unit_at(text, e)) is not None:
        value *= _scale(text[e:u[1] - len(u[0])])  # 86.5 万元: a magnitude after the space
        unit, e = u
        if (alt := _ALTERNATIVE_UNIT.match(text, e)) and alt.group(1) in _UNITS:
            e = alt.end()  # 62台（套）: one count in either unit; the first is the unit
        value, e, unit, more = after_unit(text, e, value, unit)  # 五元三毛, 两年半, 3个多月, 两打 (24 个)
        qualifier = "more_than" if more else qualifier
        if unit and _INFO[unit][0] == "money_cny" and (p := _money_prefix(text, s)) and _INFO[p][0] != "money_cny":
            unit = p  # 港币500元: the currency written before the number
    elif (k := about_word(text, e, number)) > e and (u := _unit_at(text, k)) is not None:
        (unit, e), qualifier = u, "about"  # 十来个, 千把人
    elif (prefix := _money_prefix(text, s)) is not None:
        unit = prefix
    elif (sub := money_alone(text, e, value, chinese)) is not None:
        (value, e), unit = sub, "元"  # 5毛钱, 1角2分
    return value, e, unit, qualifier


_SHARE_ABOUT = re.compile(r"约占[^，。；：、,;:\n]{0,8}$")
_SIGNED_KINDS = ("percent", "percentage_point", "ratio")
_ALTERNATIVE_UNIT = re.compile(r"[（(]([^（()）]{1,2})[）)]")
_BASE_KINDS = ("items", "persons", "person_times", "organizations", "measure")
_BASE_WORDS = sorted({*(u for u, info in _UNITS.items() if info[0] in _BASE_KINDS and "/" not in u),
                      "年", "月", "天", "日", "次", "小时", "周", "万元"}, key=lambda w: (-len(w), w))  # 吨标准煤/万元
RATE_BASE = re.compile(  # 1404元/人·月, 1 842吨/艘, 200元/亩: the base of a rate written after a slash; 7.67/10万剂次
    "(?:[/／]|(?<=[万千]))(?:" + "|".join(map(re.escape, _BASE_WORDS)) + ")"
    "(?:[·・](?:年|月|天|日|次)|(?![\u4e00-\u9fff]))")


def _range(text: str, e: int, low: Decimal, number: str, unit: str | None):
    """Read the high end of 3至5个, 3-5万元, 10%-20%, 2016-2020年: (end, low, high, unit)."""
    r = _RANGE.match(text, e)
    if r is None:
        return e, low, None, unit
    got = _parse(text, r.end(), _run_end(text, r.end()))
    if got is None:
        return e, low, None, unit
    high, end = got[0], got[1]
    u2 = _unit_at(text, end)
    if unit is not None and (u2 is None or u2[0] != unit):
        return e, low, None, unit
    scale = _scale(text[r.end():end])
    if _scale(number) == 1 and scale > 1:
        low *= scale
    if u2 is not None:  # 三至五成 → 30…50 %, 三成至五成 too (the low end read its unit already)
        high, high_unit = scaled(high, u2[0])
        low = low if unit is not None else scaled(low, u2[0])[0]
        u2 = (high_unit, u2[1])
    if high <= low:
        return e, low, None, unit
    return (u2[1] if u2 else end), low, high, (u2[0] if u2 else unit)


def _money_prefix(text: str, s: int) -> str | None:
    """Return the currency sign (人民币, RMB, ￥) written just before s, a space allowed."""
    before = text[max(0, s - 4):s].rstrip(" ")
    return next((w for w in _PREFIXES if before.endswith(w)), None)


def _sign(text: str, s: int) -> tuple[int, bool]:
    """Return where the quantity starts and whether a 负 or a minus sign makes it negative."""
    if text[max(0, s - 2):s] == "零下":  # 零下五度: below zero
        return s - 2, True
    if s and text[s - 1] in "负負":
        return (s, False) if text[s - 2:s - 1] == "正" else (s - 1, True)  # 正负0.5%: a tolerance, no sign
    if s and text[s - 1] in "-－−" and (s == 1 or not (text[s - 2].isalnum() and text[s - 2].isascii())
                                       and text[s - 2] not in "）)〕]】" and not _FIRST.match(text[s - 2])):
        return s - 1, True
    return s, False


def _before(text: str, qs: int) -> tuple[int, str | None]:
    """Return the start and qualifier of 近 / 约 / 超过 / 不少于 written just before qs."""
    if qs == 0 or text[qs - 1] not in _BEFORE_LAST:
        return qs, None
    for size in _BEFORE_SIZES:
        word = text[max(0, qs - size):qs]
        if len(word) < size or ("before", word) not in _QUAL:
            continue
        if word not in _ONLY_BEFORE_WORDS or text[qs] in "十百千万":
            return qs - size, _QUAL[("before", word)]
    return qs, None


