"""The quantity grammar (DESIGN §3.4): find and value every number in a text, metric or not.

One left-to-right pass: a compiled regex proposes a candidate (a run of at most 64 numeral
characters, a 百分之 prefix, a dotted date, a clock time or a phone number), a small
table-driven parser values the run, and a few anchored regexes read the unit, the qualifier and
a range after it. Every step looks at a bounded window, so the pass is linear in the text.

The numeral, unit, qualifier, context and word tables are the files ``core/data/numerals.tsv``,
``units.tsv``, ``quantity_qualifiers.tsv``, ``quantity_context.tsv`` and ``quantity_words.tsv``.
cn2an is not used: importing it takes ~300 ms (the one-letter budget) and it rejects
两千余, 十多, 一千多万, 4.78万亿, 千三 and 百分之三十.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .._chars import CJK_BASIC
from .._data import data_text
from ..model import Quantity

__all__ = ["find_quantities", "parse_number", "NOT_METRIC_REASONS"]

NOT_METRIC_REASONS = (
    "year", "date", "period", "doc_number", "proposal_number", "ordinal", "enumerator",
    "quoted", "title", "name", "phone", "marker", "no_unit", "damaged", "duration", "age",
)
_MAX_RUN = 64


def _rows(name: str) -> list[list[str]]:
    """Return the tab-separated rows of a data file, comments and blank lines left out."""
    lines = data_text(name).splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


_ROLE = {r[0]: (r[2], r[1]) for r in _rows("numerals.tsv")}
_UNITS = {r[0]: (r[1], None if r[2] == "-" else r[2], "" if r[3] == "-" else r[3])
          for r in _rows("units.tsv")}
_QUAL = {(r[1], r[0]): r[2] for r in _rows("quantity_qualifiers.tsv")}
_CONTEXT = {(r[0], r[1]): r[2] for r in _rows("quantity_context.tsv")}
_ONLY_BEFORE_WORDS = ("上", "数")  # 上千, 数十万: qualifiers only before a Chinese multiplier
_BEFORE_LAST = frozenset(w[-1] for (pos, w) in _QUAL if pos == "before")
_PREFIXES = tuple(w for (side, w) in _CONTEXT if side == "prefix")
_INFO = {**{w: (_CONTEXT[("prefix", w)], None, "") for w in _PREFIXES}, **_UNITS}  # units and currency signs
_WORDS = frozenset(r[0] for r in _rows("quantity_words.tsv"))
_WORD_SHAPES: dict[str, list[tuple[int, int]]] = {}  # char -> (word length, offset of the char), longest first
for _w in _WORDS:
    for _off, _ch in enumerate(_w):
        _WORD_SHAPES.setdefault(_ch, []).append((len(_w), _off))
_WORD_SHAPES = {ch: sorted(set(shapes), key=lambda t: (-t[0], t[1])) for ch, shapes in _WORD_SHAPES.items()}


def _chars(*roles: str) -> str:
    return "".join(c for c, (role, _) in _ROLE.items() if role in roles)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_CN_DIGIT = _chars("digit", "zero")
_FINANCIAL = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
_ASCII = "0-9０-９"
_START = f"{_ASCII}□{_CN_DIGIT}{_chars('unit')}"
_CONT = f"{_START}{_chars('magnitude', 'point', 'approx')}.．,，"
_CANDIDATE = re.compile(
    r"(?P<pre>[百千万佰仟萬]分之)(?=[" + _START + r"])"
    r"|(?<![0-9])(?P<date>[0-9]{4})(?P<sep>[-/.])(?P<mon>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})(?![0-9.])"
    r"|(?<![0-9])(?P<hh>[0-9]{1,2})[:：](?P<mm>[0-9]{2})(?![0-9])"
    r"|(?<![0-9])(?P<phone>1[3-9][0-9]{9}|0[0-9]{2,3}[-－][0-9]{7,8}|400-?[0-9]{3}-?[0-9]{4})(?![0-9])"
    r"|(?<=[近约超逾上数])(?P<lone>[百千万萬亿億])(?!分之)"
    r"|(?P<run>[" + _START + r"][" + _CONT + r"]{0," + str(_MAX_RUN - 1) + r"})"
)
_FIRST = re.compile(f"[{_START}百千万佰仟萬亿億]")  # every candidate starts with one of these
_REST_OF_RUN = re.compile(f"[{_CONT}]*")
_ARABIC = re.compile(
    r"(?:[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+|[０-９]{1,3}(?:[,，][０-９]{3}(?![０-９]))+|[0-9０-９□]+)"
    r"(?:[.．][0-9０-９□]+)?"
)
_CN_DIGITS = re.compile(f"[{_CN_DIGIT}]{{2,}}")
_CN_FRACTION = re.compile(f"[{_CN_DIGIT}]+")
_UNIT = re.compile(r"(?P<gap>[ \t\u3000]{0,2}\n?[ \t\u3000]{0,2})(?P<mag>[万亿萬億]{0,2})(?P<u>"
                   + _alternation(_UNITS) + ")")
_AFTER = re.compile(_alternation(w for (pos, w) in _QUAL if pos == "after"))
_RANGE = re.compile(r" ?(?:至|到|-|~|～|—|－|–) ?(?=[" + _START + "])")
_QUOTES = re.compile(r"“[^“”\n]{0,80}”|「[^「」\n]{0,80}」|\"[^\"\n]{0,80}\""
                     r"|(?P<t>《[^《》\n]{0,120}》)")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，□", "0123456789.,0")
_CLAUSE_END = frozenset("，。；：！？、,;:!?\n（）()“”《》")
_PHONE_CUE = re.compile(r"电话|传真|热线|手机|联系方式|咨询")


# ---------------------------------------------------------------- values
def _out(d: Decimal) -> int | float:
    """An int when whole and within 64 bits (JSON readers and orjson stop there), else a float."""
    return int(d) if d == d.to_integral_value() and abs(d) < 2**63 else float(d)


def _digit_by_digit(text: str, i: int, end: int) -> tuple[Decimal, int] | None | bool:
    """Value 二〇二三 digit by digit; False for runs like 九九 that are no number; None to go on."""
    m = _CN_DIGITS.match(text, i, end)
    if not m or (m.end() < end and _ROLE.get(text[m.end()], ("",))[0] in ("unit", "magnitude", "point")):
        return None
    s = m.group()
    if any(_ROLE[c][0] == "zero" for c in s) or (len(s) == 4 and text.startswith("年", m.end())):
        return Decimal("".join(_ROLE[c][1] for c in s)), m.end()
    return False


def _parse(text: str, i: int, end: int):
    """Value the numeral at text[i:end]: (value, stop, approx, chinese) or None.

    >>> _parse("拨付补贴资金1000多万元", 6, 12)[:3]
    (Decimal('10000000'), 12, True)
    """
    if i >= end:
        return None  # nothing left to read: "5分之" at the end of a text
    if "0" <= text[i] <= "9" and (m := _ARABIC.match(text, i, end)) and (m.end() == end or text[m.end()] not in _ROLE):
        try:  # the common case, 68715 or 137.43, without the state machine
            return Decimal(m.group().replace(",", "").replace("□", "0")), m.end(), False, False
        except InvalidOperation:
            return None
    dd = _digit_by_digit(text, i, end)
    if dd is False:
        return None
    if dd:
        return dd[0], dd[1], False, True
    total = section = Decimal(0)
    pending, pending_cn, last_mult = None, False, 0
    after_zero = approx = frac = chinese = False
    k = i
    while k < end:
        ch = text[k]
        role, val = _ROLE.get(ch, ("", ""))
        m = _ARABIC.match(text, k, end) if not role else None
        if m:
            if pending is not None or approx or frac or (k > i and not last_mult and not after_zero):
                break
            try:
                pending = Decimal(m.group().translate(_FULLWIDTH).replace(",", ""))
            except InvalidOperation:
                break
            pending_cn, k = False, m.end()
            continue
        if role in ("digit", "zero") and k == i or role == "digit":
            if pending is not None or approx or frac:
                break
            pending, pending_cn, chinese = Decimal(val), True, True
        elif role == "zero":
            if pending is not None or approx or frac:
                break
            after_zero = True
        elif role == "unit":
            if approx or frac or (pending is None and 0 < last_mult <= int(val)):
                break
            section += (pending if pending is not None else 1) * int(val)
            pending, last_mult, after_zero, chinese = None, int(val), False, True
        elif role == "magnitude":
            if k == i:
                break
            sec = section + (pending or 0)
            total = (total + sec) * int(val) if int(val) > 10000 else total + sec * int(val)
            section, pending, last_mult, after_zero = Decimal(0), None, int(val), False
        elif role == "point":
            digits = _CN_FRACTION.match(text, k + 1, end)
            if frac or approx or not digits or (pending is None and not section and not total):
                break
            section += _elide(pending, pending_cn, last_mult, after_zero)
            pending = total + section + Decimal("0." + "".join(_ROLE[c][1] for c in digits.group()))
            total = section = Decimal(0)
            pending_cn, frac, k = False, True, digits.end()
            continue
        elif role == "approx":
            if approx or k == i or frac:
                break
            section += pending or 0
            pending, approx = None, True
        else:
            break
        k += 1
    if k == i or (k == i + 1 and text[i] in "百千佰仟零〇○"):
        return None
    value = total + section + _elide(pending, pending_cn, last_mult, after_zero)
    return value, k, approx, chinese


def _elide(pending, pending_cn: bool, last_mult: int, after_zero: bool) -> Decimal:
    """Return the pending digit's worth: 四百五 → 5 × 10 (the elided unit), else the digit itself."""
    if pending is None:
        return Decimal(0)
    if pending_cn and last_mult >= 100 and not after_zero:
        return pending * last_mult / 10
    return pending


def parse_number(s: str) -> int | float | None:
    """Return the value of a whole numeral (Arabic, Chinese, financial or mixed), else None.

    >>> parse_number("2286.4万"), parse_number("一百二十"), parse_number("十多"), parse_number("二〇二三")
    (22864000, 120, 10, 2023)
    """
    s = s.strip()
    neg = s[:1] in ("负", "負", "-", "－")
    body = s[1:] if neg else s
    got = _parse(body, 0, len(body)) if body else None
    if not got or got[1] != len(body):
        return None
    return _out(-got[0] if neg else got[0])


# ---------------------------------------------------------------- the pass
def find_quantities(text: str) -> tuple[Quantity, ...]:
    """Return every quantity in text, in text order, metric or not (``reason`` says why not).

    >>> [(q.raw, q.value, q.unit, q.qualifier) for q in find_quantities("拨付补贴资金1000多万元。")]
    [('1000多万元', 10000000, '元', 'more_than')]
    """
    quotes = [(m.start(), m.end(), bool(m.group("t"))) for m in _QUOTES.finditer(text)]
    found: list[Quantity] = []
    pos = 0
    while (first := _FIRST.search(text, pos)) is not None:
        m = _CANDIDATE.match(text, first.start())
        if m is None:
            pos = first.end()
            continue
        pos = m.end()
        if m.group("pre"):
            q = _percent_prefixed(text, m.start(), m.end(), quotes)
        elif m.group("date") or m.group("hh"):
            found.extend(_identifier(text, m, "date"))
            continue
        elif m.group("phone"):
            found.extend(_identifier(text, m, "phone"))
            continue
        else:
            q, pos = _from_run(text, m, quotes)
        if q is not None:
            found.append(q)
            pos = q.span[1]
    return tuple(found)


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
    """Return 百分之三十 (30, %), 千分之一 (0.1, ‰) or 万分之三 (0.03, ‱) as a percentage."""
    got = _parse(text, e, _run_end(text, e))
    if got is None and text[e] in "百佰":  # 百分之百
        got = (Decimal(100), e + 1, False, True)
    if got is None:
        return None
    per = {"百": 1, "佰": 1, "千": 10, "仟": 10, "万": 100, "萬": 100}[text[s]]
    unit = {1: "%", 10: "‰", 100: "‱"}[per]
    end, qualifier = _after(text, got[1], "more_than" if got[2] else None)
    reason = _quoted(quotes, s)
    s, neg = _sign(text, s)
    value = -got[0] / per if neg else got[0] / per
    return Quantity(text[s:end], _out(value), None, unit, "percent", qualifier, (s, end), reason is None, reason)


def _after(text: str, e: int, qualifier: str | None) -> tuple[int, str | None]:
    """Read 以上 / 左右 / 以下 after a quantity: (new end, qualifier)."""
    m = _AFTER.match(text, e)
    if m and qualifier is None:
        return m.end(), _QUAL[("after", m.group())]
    return e, qualifier


def _quoted(quotes, s: int) -> str | None:
    """Return 'title' or 'quoted' when s lies inside 《…》 or “…”."""
    i = bisect_right(quotes, (s, float("inf"))) - 1
    if i >= 0 and quotes[i][0] < s < quotes[i][1]:
        return "title" if quotes[i][2] else "quoted"
    return None


def _word_end(text: str, s: int) -> int:
    """Return the end of a listed word (统一, 四川, 千方百计) that covers s, else 0."""
    for size, off in _WORD_SHAPES.get(text[s], ()):
        if off <= s and text[s - off:s - off + size] in _WORDS:
            return s - off + size
    return 0


def _unit_at(text: str, e: int) -> tuple[str, int] | None:
    """Return the unit written at e (after at most a space or line break) and its end."""
    m = _UNIT.match(text, e)
    if not m:
        return None
    unit = m.group("u")
    if text[m.end():m.end() + 1] in _UNITS[unit][2] and m.end() < len(text):
        return None
    if (unit == "成" and m.start("u") != e) or (m.group("mag") and not m.group("gap")):
        return None
    return unit, m.end()


def _from_run(text: str, m: re.Match, quotes) -> tuple[Quantity | None, int]:
    """Value the numeral run m and read what follows: (quantity or None, where to go on)."""
    s, run_end = m.start(), m.end()
    if m.group("lone"):
        got = _parse(text, s, _run_end(text, s))
        if got is None or got[1] == s + 1:
            got = (Decimal(_ROLE[text[s]][1]), s + 1, False, True)
    else:
        if run_end - s == _MAX_RUN and (rest := _REST_OF_RUN.match(text, run_end).end()) > run_end:
            return None, rest  # a run this long is no number
        word_end = _word_end(text, s)
        if word_end:
            return None, word_end
        got = _parse(text, s, run_end)
        if got is None or text[s:got[1]].strip("□") == "":
            return None, max(run_end, s + 1)
        if got[1] - s == 1 and text[s] in _FINANCIAL:  # 队伍, 陆地, 收拾: a lone financial numeral
            return None, s + 1
    return _quantity(text, s, got, quotes), got[1]


def _quantity(text: str, s: int, got, quotes) -> Quantity:
    """Read unit, range, qualifiers and context around a valued numeral and classify it."""
    value, e, approx, chinese = got
    number = text[s:e]
    qualifier = "more_than" if approx else None
    unit = value_high = None
    if text.startswith("分之", e) and (b := _parse(text, e + 2, _run_end(text, e + 2))) and value:
        value, e = b[0] / value, b[1]
    elif not chinese and text[e:e + 1] in ("/", "／") and (b := _ARABIC.match(text, e + 1)) \
            and len(number) <= 3 and len(b.group()) <= 3 and "." not in number + b.group():
        denominator = Decimal(b.group().translate(_FULLWIDTH))
        value, e = (value / denominator if denominator else value), b.end()
    elif (u := _unit_at(text, e)) is not None:
        value *= _scale(text[e:u[1] - len(u[0])])  # 86.5 万元: a magnitude after the space
        unit, e = u
    elif (prefix := _money_prefix(text, s)) is not None:
        unit = prefix
    e, value, value_high, unit = _range(text, e, value, number, unit)
    value, e = _money_or_share(text, e, value, unit)
    e, qualifier = _after(text, e, qualifier)
    qs, neg = _sign(text, s)
    qs2, before = _before(text, qs)
    if before and qualifier is None:
        qualifier = before
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
    sign = -1 if neg else 1
    return Quantity(text[qs:e], _out(sign * value), None if value_high is None else _out(sign * value_high),
                    unit, kind, qualifier, (qs, e), reason is None, reason)


def _scale(raw: str) -> int:
    """Return the trailing magnitude of a numeral: 5万 → 10000, 4.78万亿 → 10**12, 35 → 1."""
    scale, i = 1, len(raw)
    while i and _ROLE.get(raw[i - 1], ("",))[0] == "magnitude":
        scale, i = scale * int(_ROLE[raw[i - 1]][1]), i - 1
    return scale


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
    if high <= low:
        return e, low, None, unit
    return (u2[1] if u2 else end), low, high, (u2[0] if u2 else unit)


def _money_or_share(text: str, e: int, value: Decimal, unit: str | None) -> tuple[Decimal, int]:
    """Fold 角/分 into 元, 成 (and 成半) into per cent, ‰ into per cent."""
    if unit == "元":
        m = _JIAO_FEN.match(text, e)
        if m and m.group():
            for group, part in (("jiao", "0.1"), ("fen", "0.01")):
                if m.group(group):
                    value += Decimal(part) * int(_ROLE.get(m.group(group), ("", m.group(group)))[1])
            return value, m.end()
    if unit == "成":
        half = text.startswith("半", e)
        return value * 10 + (5 if half else 0), e + half
    if unit == "‰":
        return value / 10, e
    return value, e


_JIAO_FEN = re.compile(f"(?:(?P<jiao>[0-9{_CN_DIGIT}])角)?(?:(?P<fen>[0-9{_CN_DIGIT}])分)?")


def _money_prefix(text: str, s: int) -> str | None:
    """Return the currency sign (人民币, RMB, ￥) written just before s, a space allowed."""
    before = text[max(0, s - 4):s].rstrip(" ")
    return next((w for w in _PREFIXES if before.endswith(w)), None)


def _sign(text: str, s: int) -> tuple[int, bool]:
    """Return where the quantity starts and whether a 负 or a minus sign makes it negative."""
    if s and text[s - 1] in "负負":
        return s - 1, True
    if s and text[s - 1] in "-－" and (s == 1 or not (text[s - 2].isalnum() and text[s - 2].isascii())
                                       and text[s - 2] not in "）)〕]】" and not _FIRST.match(text[s - 2])):
        return s - 1, True
    return s, False


def _before(text: str, qs: int) -> tuple[int, str | None]:
    """Return the start and qualifier of 近 / 约 / 超过 / 不少于 written just before qs."""
    if qs == 0 or text[qs - 1] not in _BEFORE_LAST:
        return qs, None
    for size in (3, 2, 1):
        word = text[max(0, qs - size):qs]
        if len(word) < size or ("before", word) not in _QUAL:
            continue
        if word not in _ONLY_BEFORE_WORDS or text[qs] in "十百千万":
            return qs - size, _QUAL[("before", word)]
    return qs, None


@dataclass(slots=True)
class _Context:
    """A valued numeral and its surroundings, as the classifier sees them."""

    text: str
    s: int  # start of the numeral (qualifiers and signs excluded)
    e: int  # end of the quantity (unit, range and trailing qualifier included)
    number: str
    chinese: bool
    unit: str | None
    value: Decimal
    value_high: Decimal | None
    quotes: list
    prev: str  # the character before s ("" at the start)
    next: str  # the character at e ("" at the end)

    @property
    def url_like(self) -> bool:
        return self.prev in ("=", "&", "?", "/", "%", "#") or (self.unit in ("%", "％") and self.next.isalnum()
                                                                 and self.next.isascii())


def _reason(c: _Context, qs: int) -> str | None:
    """Return why the quantity is not a metric, or None when it is one."""
    text, s, e, unit = c.text, c.s, c.e, c.unit
    ordinal = _CONTEXT.get(("before", c.prev))
    if ordinal == "name" and not c.chinese:
        ordinal = None  # “原阳预制菜”3个品牌 counts; “…”四个自主权 names
    if "□" in c.number:
        return "damaged"
    if c.url_like or _latin(c.prev) or _latin(c.next) or "+" in (c.prev, c.next):
        return "name"
    if ordinal == "ordinal":
        return "proposal_number" if unit == "号" else "ordinal"
    if quoted := _quoted(c.quotes, s):
        return quoted
    if ordinal:
        return ordinal
    if _is_phone(c):
        return "phone"
    if unit is None and _is_marker(text, s, e):
        return "marker"
    if c.chinese and (c.unit in (None, "年") and _in_named_clause(c) or _names_programme(c)):
        return "name"
    if unit and _INFO[unit][1]:
        return _unit_reason(c)
    if _is_year(c) and c.prev in "〔[【（(" and c.next in ("〕", "]", "】", "）", ")"):
        return "doc_number"
    if _ISSUER_CODE_AFTER.match(text, e):
        return "doc_number"  # 九人社字〔2019〕8号: the numeral is part of an issuer code
    if c.value_high is not None and _is_year(c) and c.value_high < 2100:
        return "period"
    if unit is None and ("after", c.next) in _CONTEXT:
        return _CONTEXT[("after", c.next)]
    if _is_name(c):
        return "name"
    if c.chinese and c.number == "一" and unit and _INFO[unit][0] not in ("percent", "ratio"):
        return "enumerator"  # 一批, 一支队伍, 一方面: an article, not a count
    if unit == "次" and text.startswith(("会议", "全会", "全体会议"), e) and "届" in text[max(0, s - 8):s]:
        return "ordinal"
    return "no_unit" if unit is None else None


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_year(c: _Context) -> bool:
    return c.value == c.value.to_integral_value() and 1900 <= c.value <= 2100 and len(c.number) == 4


def _is_phone(c: _Context) -> bool:
    """A bare 7- or 8-digit number after 电话 / 传真 / 热线 is a phone number."""
    return (not c.chinese and c.number.isdigit() and 5 <= len(c.number) <= 8 and c.unit is None
            and _PHONE_CUE.search(c.text, max(0, c.s - 12), c.s) is not None)


def _is_marker(text: str, s: int, e: int) -> bool:
    """一、 （二） 1. 1、 (1) at the start of a line or clause are section markers."""
    after = text[e:e + 1]
    if text[s - 1:s] in ("（", "(") and after in ("）", ")"):
        return True
    starts = s == 0 or text[s - 1] in "\n \t\u3000。；;：:！？"
    return starts and (after == "、" or (after in (".", "．") and not text[e + 1:e + 2].isdigit()))


_ISSUER_CODE_AFTER = re.compile(rf"[{CJK_BASIC}]{{0,8}}[〔\[【［][12][0-9]{{3}}[〕\]】］]")


def _unit_reason(c: _Context) -> str:
    """Return year / period / date / doc_number / ordinal for 年, 月, 日, 号, 届 and the like."""
    reason = _UNITS[c.unit][1]
    if reason == "year" and c.unit == "年":
        return "year" if _is_year(c) and c.value_high is None else "period"
    if c.unit == "号":
        before = c.text[c.s - 1:c.s]
        return "date" if before == "月" else "doc_number"
    return reason


def _is_name(c: _Context) -> bool:
    """一县一品牌, 五个百亿: names, not counts."""
    text, s, e = c.text, c.s, c.e
    if c.chinese and c.number == "一" and (text[e + 1:e + 2] == "一" or s >= 2 and text[s - 2] == "一"):
        return True
    if c.unit and text[e:e + 1] and text[e] in _START and not text[e].isdigit() and not _word_end(text, e):
        return True  # 五个百亿 (but not 5000元一次性奖励: 一次性 is a word)
    return False


def _in_named_clause(c: _Context) -> bool:
    """三年提升行动, 五年培训规划: a Chinese-numeral count that names a programme later in the clause."""
    window = c.text[c.e:c.e + 8]
    cut = next((i for i, ch in enumerate(window) if ch in _CLAUSE_END), len(window))
    return any(("clause", w) in _CONTEXT for w in _substrings(window[:cut], 2))


def _names_programme(c: _Context) -> bool:
    """三项工程, 五大行动: a Chinese-numeral count whose unit is followed at once by a programme word."""
    return ("clause", c.text[c.e:c.e + 2]) in _CONTEXT


def _substrings(s: str, size: int):
    return (s[i:i + size] for i in range(len(s) - size + 1))
