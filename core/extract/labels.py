"""Labels (what is counted), periods (the time phrase that scopes a figure) and categories (keyword lexicon)."""
from __future__ import annotations

import re
from functools import lru_cache

from .._chars import CJK_BASIC
from .._data import data_text
from ..model import Quantity, Span
from ._tables import _cjk

__all__ = ["find_label", "find_period", "categorise", "tidy_label", "CHANGE", "TOTAL", "PERIOD"]

# Units after which the counted thing is named: 18个代表队, 14家企业, 近80名选手.
_CLASSIFIERS = frozenset("个 家 所 项 条 批 位 名 支 座 件 套 期 场 届 只 台 种 类 座 处 部 门 间".split())
_PARTICIPATION = re.compile(rf"(?:参加|参与|出席|参会|参赛|列席)[{CJK_BASIC}]{{0,6}}")
_LEAD_FILLER = re.compile(r"^(?:其中|共计|累计|合计|共有|共|已有|已|新增|全市|全省|全区|全县"
                          r"|我市|我省|我局|目前|现有|达到|为|有|了|和|及|与|、|以及)+")
_TRAIL_FILLER = re.compile(r"(?:共计|累计|合计|共有|共|达到|(?<![下到传表发抵送通])达|约|近|超过|逾|为|有|了|的|计"
                           r"|分别|(?<![平人户年日月亩生])均|只有|仅有|仅)+$")
_LIST_MARKER = re.compile(r"^(?:[0-9]{1,2}[.、．](?![0-9])|[（(][0-9一二三四五六七八九十]{1,3}[）)])")
_NUMBER_NOTE = re.compile(r"[（(][^（）()]*[0-9][^（）()]*[）)]")  # 企业（年主营业务收入2000万元及以上）: a note
_LATIN = re.compile(r"[A-Za-z_$]{2,}")  # a side of a 每-phrase holding page debris (an app's name) names nothing
# 41家A级旅游景区, 1,460名“三无”老人
_AFTER_NOUN = re.compile(rf"(?:[A-Z]{{1,3}}(?=[级类型]))?(?:“[{CJK_BASIC}]{{1,6}}”)?[{CJK_BASIC}]{{1,8}}")
_CONNECTIVE = re.compile(r"[、和及与或\s]{1,3}$")
_PERIOD = re.compile(
    r"(?:截至|截止|自)?(?:(?:19|20)\d{2}年(?:以来|底|末|初|上半年|下半年|全年|度)?(?:[1-9]|1[0-2])?(?:月(?:底|末|份)?)?"
    r"|近[一二三四五六七八九十两\d]{1,2}年(?:来)?|今年(?:以来|上半年|下半年)?|去年|上半年|下半年|目前|截至目前|截止目前|"
    r"“?十[一二三四五]五”?(?:期间|以来)?)(?:以来)?"
)
_PER = re.compile(r"(?:每(?:人|年|月|名|户|家|个|次|天|期|学时|课时)){1,3}$")


@lru_cache(maxsize=1)
def builtin_lexicon() -> tuple[tuple[str, str], ...]:
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
        if (found := _builtin_category(where)) is not None:
            return found
    return "other"


@lru_cache(maxsize=256)  # the metrics of one sentence look in the same sentence
def _builtin_category(where: str) -> str | None:
    """Return the category of the first built-in row whose keyword occurs in where, else None."""
    by_char = _lexicon_by_first_char()
    rows = [row for ch in set(where) for row in by_char.get(ch, ())]
    found = min((i for i, keyword, _ in rows if keyword in where), default=None)
    return None if found is None else builtin_lexicon()[found][1]


@lru_cache(maxsize=1)
def _lexicon_by_first_char() -> dict[str, tuple[tuple[int, str, str], ...]]:
    """The built-in rows (table index, keyword, category) by the keyword's first character."""
    out: dict[str, list[tuple[int, str, str]]] = {}
    for i, (keyword, category) in enumerate(builtin_lexicon()):
        if keyword:
            out.setdefault(keyword[0], []).append((i, keyword, category))
    return {ch: tuple(rows) for ch, rows in out.items()}


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
    if participation and len(participation.group()) > 2:  # 500余人参加。: only the verb, the subject comes first
        return participation.group()
    if q.unit == "人次" and (joined := _JOINED_BY.search(text, clause_start, start)) \
            and joined.end() == start:  # 吸引线上线下参与逾500万人次: the figure counts who took part
        return tidy_label(joined.group()[-20:]) + q.unit
    acted = ""  # 分三批发放政府消费券: what the figure's verb does, when nothing names what is counted
    if (q.unit in _CLASSIFIERS or q.unit in ("户", "人")) and "为" in text[max(clause_start, start - 12):start] \
            and _FOR_BEFORE.search(text, max(clause_start, start - 12), start) \
            and (served := _SERVED.match(text, end, clause_end)):
        noun = tidy_label(_cut_at_verb(served.group()))  # 为辖区内312名80周岁以上高龄老人办理…: whom it serves
        if len(noun) >= 2:
            return noun
    if q.unit in _CLASSIFIERS:
        after = _AFTER_NOUN.match(text, end, clause_end)
        if after:
            noun = tidy_label(_cut_at_verb(after.group()))
            if len(noun) >= 2 or noun in _PLACE_NOUN:
                return noun
            phrase = _ACTED.match(text, end, clause_end)  # the whole of what follows in the clause, or nothing
            acted = "" if not phrase or _cjk(text[phrase.end():phrase.end() + 1]) else \
                tidy_label(phrase.group()[:2] + _AFTER_STOP.sub("", phrase.group()[2:]))  # …示范村已挂牌: no verb
    elif q.unit == "户" and (household := _HOUSEHOLD.match(text, end, clause_end)) \
            and not _HOUSEHOLD_VERB.search(household.group()):
        return tidy_label(household.group())  # 为320户困难企业缓缴: the households are named after the figure
    before, at = [], clause_start
    for s_start, s_end in skip:
        if clause_start <= s_start and s_end <= start:
            before.append(text[at:s_start])
            at = s_end
    before.append(text[at:start])
    words = "".join(before)
    words = _PERIOD.sub("", _NUMBER_NOTE.sub("", words) if "（" in words or "(" in words else words).strip()
    words = _TRAIL_FILLER.sub("", _LEAD_FILLER.sub("", words))
    per = _PER.search(words)
    if per:
        words = words[: per.start()]
    rate = words.find("每")
    if rate >= 0:  # 见习补贴标准由每人每月提高到: the rate base is the metric's per, not its label
        from .roles import find_per

        base = find_per(words, rate, len(words), "") or "每"
        rest = words[rate + len(base):].removeprefix("中")  # 每万人口中持证社会工作者: among every 10,000
        head, tail = tidy_label(words[:rate]), tidy_label(rest)
        # 部分乡镇每年用于维修水渠的经费只有: the longer side names what is counted, unless it opens an adverbial
        # (护理补贴每人每月根据失能等级分别发放)
        words = tail if len(tail) > len(head) and not _LATIN.search(tail) and not rest.startswith(_ADVERBIAL) \
            else head
    if q.unit == "元" and _MONEY_VERB.search(before[-1]) and (purpose := _purpose_after(text, end)):
        return purpose  # 明年计划投入2.4亿元实施城区排涝改造: the verb before names no money, what it pays for does
    task = _TASK_AFTER.match(text, end, clause_end)
    if task and words:  # 完成省厅下达50000人次任务的: the figure is the task's size
        return tidy_label(words[-20:] + task.group())
    named = tidy_label(words[-20:])
    if _SUBJECT_THEN.search(named) and (subject := _SUBJECT.match(named)) and len(named) - subject.end() >= 2:
        named = tidy_label(named[subject.end():])  # 棠梨县共接待游客: who did it is not what is counted
    if len(named) < 2 and len(acted) >= 2:
        return acted
    return named or _noun_after(text, end, clause_end, q.unit) or None


_TASK_AFTER = re.compile("目标任务|任务|目标")


_LIST_REST = re.compile(r"(?:.*[、和及与][0-9.]+[万亿千百]?)")  # a list's last item, up to its unit
_AFTER_CLAUSE = re.compile(rf"[{CJK_BASIC}“”、0-9.万元]{{1,24}}")


def _noun_after(text: str, end: int, clause_end: int, unit: str | None = None) -> str:
    """Return what is counted when it is named after the number: 分别给予每人1000元、1500元的培训补贴 → 培训补贴;
    past the rest of a list in the same unit: 按每人每月100元、200元和500元发放高龄津贴 → 高龄津贴."""
    end = slash.end() if (slash := _SLASH_UNIT.match(text, end)) else end  # 按50元/千瓦给予一次性奖励
    if unit == "元" and (purpose := _purpose_after(text, end)):
        return purpose
    after = _AFTER_CLAUSE.match(text, end, min(len(text), end + 40))  # past 、: the list may name it at its end
    if not after:
        return ""
    words = after.group()
    words = words[words.rfind("的") + 1:] if "的" in words else words
    words = re.sub(r"^[、0-9.万元]+", "", words)
    if unit and (items := _LIST_REST.match(words)) and words.startswith(unit, items.end()):
        words = words[items.end() + len(unit):]  # 、200元和500元 then the name
    if any(ch.isdigit() for ch in words):
        return ""  # 和115.8%: the next item of a list, not a name
    named = _STANDARD_VERB.sub("", words)  # 按每人每月800元标准发放乡镇工作补贴: the standard's name follows its verb
    if named == words or tidy_label(_cut_at_verb(named) or named):
        words = named
    else:
        return ""  # 按每人每年1000元标准执行: nothing after the standard names it
    return tidy_label(_cut_at_verb(words) or words)


def _cut_at_verb(words: str) -> str:
    """The noun that words open, cut at the first verb or function word (中小学全部落实 → 中小学: a noun may open with a
    stop word, 36件中需要… names nothing after the figure; “专精特新”中小企业: a quoted name first)."""
    quoted = _QUOTED_NAME.match(words)
    at = quoted.end() if quoted else 0
    opening = _NOUN_OPENING.match(words, at)
    at = opening.end() if opening else at
    return words[:at] + _AFTER_STOP.sub("", words[at:])


# 为(辖区内)312名…: for whom (人数为2300人: a copula after a noun of amount)
_FOR_BEFORE = re.compile(rf"(?<![数量额率计总别均约达])为"
                         rf"(?:辖区内?|全[县市区镇乡省]|[{CJK_BASIC}]{{1,4}}[县市区镇乡村])?$")
# 80周岁以上高龄老人, “三无”老人: whom a 为 before the figure serves
_SERVED = re.compile(rf"(?:[0-9]{{1,3}}周?岁(?:以上|以下)?)?(?:“[^”]{{1,8}}”)?[{CJK_BASIC}]{{1,16}}")
_ACTED = re.compile(rf"[{CJK_BASIC}]{{1,16}}")


def _purpose_after(text: str, end: int) -> str:
    """Return the label of money named by what it pays for after it (累计筹集2.3亿元，用于棚户区改造), or ""."""
    return _purpose(text[end + text.startswith(("，", ","), end):end + 40])


def _purpose(words: str) -> str:
    """Return the label of money named by what it pays for after it, or "": 投入1.5亿元实施县城防洪提升、… →
    县城防洪提升资金; 投入500万元建设村级养老服务站 → 村级养老服务站建设资金 (the works verb after its object)."""
    verb = _PURPOSE.match(words)
    item = verb and _PURPOSE_ITEM.match(words, verb.end())
    if not item:
        return ""
    named = tidy_label(item.group().strip("“”"))
    if len(named) < 2:
        return ""
    return f"{named}{verb.group(1) or ''}资金"


def _trim_table() -> dict[str, tuple[str, ...]]:
    sides: dict[str, list[str]] = {"lead": [], "trail": [], "keep": [], "household": [], "household_verb": [],
                                   "place_noun": [], "standard_verb": [], "slash_verb": [], "participation": [],
                                   "change_from": [], "change": [], "total": [], "adverbial": [], "purpose": [],
                                   "purpose_works": [], "money_verb": [], "after_stop": [],
                                   "noun_opening": [], "subject_end": [],
                                   "subject_then": []}
    for line in data_text("label_trim.tsv").splitlines():
        if line and not line.startswith("#"):
            side, word = line.split("\t")
            sides[side].append(word)
    return {side: tuple(sorted(words, key=len, reverse=True)) for side, words in sides.items()}


_TRIM = _trim_table()
_alternatives = "|".join
_TRAIL_REVERSED = re.compile(_alternatives(re.escape(w[::-1]) for w in _TRIM["trail"]))  # longest first
_LEAD = re.compile(_alternatives(re.escape(w) for w in _TRIM["lead"]))
_HOUSEHOLD = re.compile(rf"[{CJK_BASIC}]{{0,8}}(?:{_alternatives(_TRIM['household'])})")
_HOUSEHOLD_VERB = re.compile(_alternatives(_TRIM["household_verb"]))
_AFTER_STOP = re.compile(f"(?:{_alternatives(_TRIM['after_stop'])}).*$")  # 12个行政村新建了…: the noun ends at a verb
_NOUN_OPENING = re.compile(_alternatives(_TRIM["noun_opening"]))
_QUOTED_NAME = re.compile(r"“[^“”]{1,8}”")
_SUBJECT_THEN = re.compile(_alternatives(_TRIM["subject_then"]))
_SUBJECT = re.compile(f"[{CJK_BASIC}]{{1,12}}?(?:{_alternatives(_TRIM['subject_end'])})"
                      f"(?:{_alternatives(_TRIM['subject_then'])})")
_PLACE_NOUN = frozenset(_TRIM["place_noun"])  # 四个县签订: one character names what is counted
_STANDARD_VERB = re.compile(rf"^标准(?:{_alternatives(_TRIM['standard_verb'])})?")
_SLASH_UNIT = re.compile(rf"[/／][{CJK_BASIC}]{{1,3}}(?={_alternatives(_TRIM['slash_verb'])})")
_JOINED_BY = re.compile(rf"[{CJK_BASIC}]{{0,16}}(?:{_alternatives(_TRIM['participation'])})"
                        r"(?:的)?(?:约|近|逾|超过|达)?")
_ADVERBIAL = _TRIM["adverbial"]
_PURPOSE = re.compile(f"(?:{_alternatives(_TRIM['purpose'])})|({_alternatives(_TRIM['purpose_works'])})")
_MONEY_VERB = re.compile(f"(?:{_alternatives(_TRIM['money_verb'])})$")
_PURPOSE_ITEM = re.compile(rf"[{CJK_BASIC}“”]{{2,16}}")
_KEEP_LONGER = tuple(tuple(k for k in _TRIM["keep"] if len(k) > n) for n in range(8))  # kept words longer than n


def tidy_label(words: str) -> str:
    """Return words with function words and dangling verbs cut from both ends (core/data/label_trim.tsv).

    >>> tidy_label("高校毕业生去向落实率较同期提高"), tidy_label("分别给予"), tidy_label("占比")
    ('高校毕业生去向落实率', '', '占比')
    """
    words = _LIST_MARKER.sub("", words.strip(" 、，,：:（("))  # 1.政务服务APP注册用户: the list's marker is no name
    for side in ("trail", "lead", "trail"):
        while words and (cut := _cut(words, side)):
            words = (words[:-cut] if side == "trail" else words[cut:]).strip(" 、，,：:（(")
    return words


def _cut(words: str, side: str) -> int:
    """Return how many characters to cut at one end of words (0: none), never into a kept word."""
    if side == "trail":
        m = _TRAIL_REVERSED.match(words[::-1])
        return 0 if m is None or words.endswith(_KEEP_LONGER[min(m.end(), 7)]) else m.end()
    m = _LEAD.match(words)
    return 0 if m is None or words.startswith(_KEEP_LONGER[min(m.end(), 7)]) else m.end()


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



# a clause that only states a change (同比增长约), so what changed is named by the clause before; a headline total
# (合计) that nothing else names
CHANGE = re.compile(f"(?:{_alternatives(_TRIM['change_from'])})?(?:{_alternatives(_TRIM['change'])})"
                    r"了?(?:约|近|超过)?$")
TOTAL = re.compile(f"({_alternatives(_TRIM['total'])})$")
PERIOD = _PERIOD  # the time phrase pattern, for the clause-before label of extract
