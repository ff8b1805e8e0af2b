"""Why a number is not a metric: an ordered list of named predicates (DESIGN §3.4).

``_reason`` walks them in order and returns the first reason that holds, or None for a metric; each reason has
rows in ``tests/cases/numbers.jsonl``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .._chars import CJK_BASIC
from ._tables import _CLAUSE_END, _CONTEXT, _INFO, _UNITS, _cjk, _quoted, _word_end, _words
from .numerals import _START

__all__ = ["NOT_METRIC_REASONS"]

NOT_METRIC_REASONS = (
    "year", "date", "period", "doc_number", "proposal_number", "ordinal", "enumerator",
    "quoted", "title", "name", "phone", "marker", "no_unit", "damaged", "duration", "age",
    "masked", "threshold", "specification", "proposers", "package", "rate_base", "rank", "counter", "milepost",
    "procedural", "frequency",
)
_SUMS = ("percent", "ratio", "money_cny")
_PHONE_CUE = re.compile(r"电话|传真|热线|手机|联系方式|咨询")


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
        if self.prev == "/":  # a/123 in a link, not 7376万千瓦/1.68亿千瓦时 (two measures of one thing)
            return not _cjk(self.text[self.s - 2:self.s - 1])
        return self.prev in ("=", "&", "?", "%", "#") or (self.unit in ("%", "％") and self.next.isalnum()
                                                         and self.next.isascii())


def _reason(c: _Context, qs: int) -> str | None:
    """Return why the quantity is not a metric, or None when it is one."""
    text, s, e, unit = c.text, c.s, c.e, c.unit
    ordinal = _CONTEXT.get(("before", c.prev))
    if ordinal == "name" and not c.chinese:
        ordinal = None  # “原阳预制菜”3个品牌 counts; “…”四个自主权 names
    if "□" in c.number:
        return "damaged"
    if _is_masked(c):
        return "masked"
    if c.url_like or _latin(c.prev) or (_latin(c.next) and unit is None) or "+" in (c.prev, c.next):
        return "name"  # 5G, G20 (but 12件C类建议: a letter after the unit starts the next word)
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
    if c.chinese and c.number == "一" and unit and c.value == 1 and _INFO[unit][0] not in _SUMS:
        return "enumerator"  # 一批, 一支队伍, 一方面: an article, not a count (一元, 一毛钱 are sums; 一打 is 12)
    if unit == "次" and text.startswith(("会议", "全会", "全体会议"), e) and "届" in text[max(0, s - 8):s]:
        return "ordinal"
    if unit is None:
        return "no_unit"
    return next((name for name, holds in _METRIC_CHECKS if holds(c, qs)), None)


# ---------------------------------------------------------------- a unit that looks like a metric but is not
# The checks run in this order on a quantity with a unit that passed every check above; the first that holds
# names the reason. Their word lists are rows of core/data/quantity_context.tsv (side = the reason).
_SPEC_WORDS = _words("specification")
_PACKAGE_WORDS = _words("package")
_PROPOSER_NOUNS = _words("proposers")
_MASK = "xX*＊×ｘＸ"
_MASK_SET = frozenset(_MASK)
_NUMERAL_CLASSIFIER = re.compile(rf"[{CJK_BASIC}]{{0,12}}?(?:有|共|计)?[0-9０-９一二两三四五六七八九十百千万]+"
                                 r"[个座家所场条项处件名人户台辆间]")
_THRESHOLD_AFTER = ("以上的", "以下的", "及以上", "及以下", "以上(", "以上（", "范围内", "范围以内",
                    "（含）以上", "（含）以下", "(含)以上", "(含)以下")  # 职工总数30人（含）以下的企业
_SIZE_CLASS = re.compile(rf"[{CJK_BASIC}]{{0,2}}规模的")  # 一所9个班规模的幼儿园 (but 12家规模以上企业 counts)


def _is_masked(c: _Context) -> bool:
    """xx.6万人, X%, ***件: a figure with masked digits is no figure."""
    text, s = c.text, c.s
    before = text[max(0, s - 2):s]
    if not _MASK_SET.intersection(before + c.next):
        return False
    doubled = before if len(before) == 2 and before[0] == before[1] else ""  # xx6, **6 (X021 is a road code)
    masked = (c.prev if c.prev in "*＊×" else "", doubled[:1], c.next, before[:1] if before[-1:] in (".", "．") else "")
    return any(ch and ch in _MASK for ch in masked)


def _is_threshold(c: _Context, qs: int) -> bool:
    """产值超十亿元的镇, 30户以上村民组, 日处理能力200吨的厂一座: a figure that defines what is counted."""
    text, e = c.text, c.e
    if text[e - 2:e] in ("以上", "以下") and _DEFINED_IN_BRACKET.match(text, e):
        return True  # 规模养殖场（存栏100箱以上）23个: a bracket defining the class that is then counted
    if c.unit in _DISTANCES and text.startswith(_SERVICE_AREA, e):
        return True  # 在运输机场100公里服务范围内: the distance says which places are meant
    if text[e:e + 1] == "的" and text[c.s - 2:c.s] in _BELOW and text[c.s - 3:c.s - 2] != "不" \
            and _INFO[c.unit][0] not in _SUMS and _cjk(text[e + 1:e + 2]):
        return True  # 考核成绩低于80分的人员: the figure says who is meant (不超过300元的补助 is a standard)
    if c.prev == "满" and text[e:e + 1] in ("可", "即", "后", "方"):
        return True  # 满100分可兑换: the figure a reward waits for
    if text[e:e + 1] == "的" and (text.startswith(_LIMIT_NOUNS, e + 1) or (
            text.startswith(_BOUND_LIMIT_NOUNS, e + 1) and text[qs:c.s] in _BOUNDS)):
        return True  # 低于2%的控制线, 不超过1%的要求: the line a figure is compared with (not 达到60%以上的要求)
    if _VALUE_AFTER.match(text, e):
        return False  # 培训3000人以上的目标, 增长10%以上的水平: the figure is the goal's or level's value
    if text.startswith(_CONDITION_END, e) or (text[e:e + 1] == "的" and text.startswith(_CONDITION_VERBS, e + 1)
                                               and text[qs - 2:qs] in _THRESHOLD_BEFORE | _BELOW):
        return True  # 销售额增长10%以上的，按…奖励; 年收入低于3万元的，给予: the condition of a rule, not a figure
    if (text[e - 2:e] in ("以上", "以下") or text[qs:c.s] in _BOUNDS) and text[e:e + 1] == "、" \
            and (chain := _CONDITION_CHAIN.match(text, e + 1)) and not _VALUE_NOUN.match(text, chain.end() - 1):
        return True  # 连片流转土地100亩以上、期限5年以上的家庭农场: conditions in a row, then what they define
    if text[e - 2:e] in ("以上", "以下", "以内") and text[e:e + 1] == "、" and _RULE_CONDITIONS.match(text, e + 1):
        return True  # 低保标准1.5倍以内、存款不超过2万元的，认定为…: the conditions of a rule
    if text[e:e + 1] == "的" and _CONDITION_BEFORE.search(text, max(0, qs - 20), qs):
        return True  # 职工500人以下、研发投入占比不低于3%的企业: the last of conditions in a row
    if _INFO[c.unit][0] == "percent" and "率" not in text[max(0, qs - 8):qs]:
        return False  # 拿出不低于30%的岗位: a share of what follows, not a condition on it
    if text[qs - 1:qs] == "各":
        return False  # 更新车辆各2辆的乡镇: a count for each (FIELD-GUIDE §9), not a condition
    if text.startswith(_THRESHOLD_AFTER, e) or text.startswith(_DEFINING_END, e - 2) or _SIZE_CLASS.match(text, e):
        return True  # 周边200米范围内的单位, 9个班规模的幼儿园, 90分以上为优秀: the figure says which ones are meant
    if text[e - 2:e] in ("以上", "以下") and _cjk(text[e:e + 1]) and text[e] not in _NOT_NOUN_START \
            and _INFO[c.unit][0] != "percent":
        return True  # 30户以上村民组: 以上 binds to the noun after it
    if text[e:e + 1] == "的" and not text.startswith(_STANDARD_NOUNS, e + 1):
        if qs < c.s and text[qs:c.s] in _THRESHOLD_BEFORE:
            return True  # 超十亿元的镇
        m = _NUMERAL_CLASSIFIER.match(text, e + 1)
        return m is not None and not any(ch in _CLAUSE_END for ch in m.group())
    return False


_NOT_NOUN_START = "的用参达完实获得是为将要已被进在由均可和与及占"
_DISTANCES = frozenset(_words("distance_unit"))
_SERVICE_AREA = _words("service_area")  # 100公里服务范围内
_BOUNDS = frozenset(_words("bound"))  # 占地不少于50亩、绿化率…的公园
_DEFINING_END = _words("defining_end")  # the qualifier, then what it defines
_CONDITION_VERBS = _words("condition_verb")  # …的，按…奖励: the rule a condition leads to
_BELOW = frozenset(_words("comparison"))  # 发芽率低于85%的按劣种处理
_CONDITION_END = ("的，", "的,", "以上的，", "以上的,", "以下的，", "以下的,", "以内的，", "以内的,")
_CONDITION_CHAIN = re.compile(rf"[^，。；,;：:\n]{{1,30}}?(?:以上|以下|以内|[0-9]%?)的[{CJK_BASIC}“\"]")
_RULE_CONDITIONS = re.compile(r"[^，。；,;：:\n]{1,30}?(?:以上|以下|以内|[0-9]%?|元)的[，,]")  # …的，then the rule
_DEFINED_IN_BRACKET = re.compile(r"[）)](?:达到|已达|共有|有|共|计|为)?[0-9０-９一二两三四五六七八九十]")
_VALUE_NOUN = re.compile(f"(?:{'|'.join(_words('value_noun'))})(?!以[上下])")  # …的规模以上工业企业: a class of firms
_VALUE_AFTER = re.compile(f"(?:以上|以下|以内)?的(?:{'|'.join(_words('value_adjective'))})?(?:{_VALUE_NOUN.pattern})")
_CONDITION_BEFORE = re.compile(r"(?:以上|以下|以内)、[^，。；,;：:\n、]{0,12}$")
_LIMIT_NOUNS = _words("limit_noun")
_BOUND_LIMIT_NOUNS = _words("bound_limit_noun")  # a limit only after a bound: 不超过1%的要求
_STANDARD_NOUNS = _words("standard_noun")  # 不低于12元的标准: the standard's value
_THRESHOLD_BEFORE = frozenset(_words("threshold_before"))


def _is_specification(c: _Context, qs: int) -> bool:
    """路面宽度4.5米及以上, 路基宽度不低于8.5米: a measure written as a requirement of a rule; 岗前培训不少于40学时,
    每次不少于8学时: the least training a rule asks for (人均培训16学时 is measured)."""
    if c.unit in _TRAINING_HOURS and _AT_LEAST_WORDS.fullmatch(c.text, qs, c.s):
        return True
    if _INFO[c.unit][0] != "measure":
        return False
    if c.text.startswith(_FORBIDDEN, c.e) or c.text.startswith("不得", qs, c.s):
        return True  # 射程8千米以内不得有机场航线, 宽度不得低于3米: the measure a prohibition is written in
    if c.text.startswith(_SPEC_AFTER, c.e):
        return True  # 500米半径, 按3.5米的标准建设: the measure a rule or a radius is written in
    if _RULE_STANDARD.match(c.text, c.e) and _BY_RULE.search(c.text, max(0, qs - 18), qs):
        return True  # 按照生均宿舍面积不低于3平方米、每间宿舍不超过8人的标准: the measure of a rule's standard
    if c.text[qs - 1:qs] == "长" and c.text.startswith(("、宽", "，宽", "宽", "×"), c.e):
        return True  # 场地长105米、宽68米: a size, given as its dimensions
    window = c.text[max(0, qs - 6):qs]
    if c.unit == "米" and c.value < 1000 and _KIND_OF_VEHICLE.match(c.text, c.e):
        return True  # 32米登高平台车1辆, 12米公交车: a length naming a kind of vehicle, not a measure of what was done
    if _AREA_RULE.search(c.text, max(0, qs - 10), c.s):
        return True  # 示范站面积须不小于30平方米: an area a rule requires
    clause = _clause_before(c.text, qs, 30)  # a measure (checked above)
    if _NORM.search(clause) or ("控制在" in clause and any(w in clause for w in _SPEC_WORDS)):
        return True  # 规划面积一般控制在3平方公里左右; 作业高度控制在距作物冠层2米以内: the measures a norm sets
    if not any(w in window for w in _SPEC_WORDS):
        return False
    if c.text[c.e:c.e + 1] == "的" and _cjk(c.text[c.e + 1:c.e + 2]):
        return True  # 路面宽度3.5米的通组硬化路: the measure says which roads are meant
    sentence = c.text[max(0, qs - 30):c.s]  # the cap written before the number (不超过25公里) is a cue
    cut = max(sentence.rfind(ch) for ch in "。；;\n")
    return _RULE_CUE.search(sentence, cut + 1) is not None or c.text.startswith(_THRESHOLD_AFTER, c.e)


_KIND_OF_VEHICLE = re.compile(  # 32米登高平台车1辆: a length, a vehicle's name, then its count or the list goes on
    rf"[{CJK_BASIC}]{{0,6}}?(?:{'|'.join(_words('vehicle'))})(?=[0-9一二两三四五六七八九十、，,；;。）)])")
_TRAINING_HOURS = frozenset(_words("training_hours"))
_AT_LEAST_WORDS = re.compile("不少于|不得少于|不低于|至少")
_MUST = "(?:须|应|应当|必须)"
_AT_LEAST = "(?:不小于|不得小于|不少于|不得少于)"
_AREA_RULE = re.compile(f"(?:面积|间距|距离)(?:原则上)?(?:{_MUST}(?:{_AT_LEAST}|达到)?|不小于|不得小于|不低于)$"
                        rf"|距[^，。；,;\n]{{1,8}}{_MUST}?{_AT_LEAST}$")
_NORM = re.compile(r"(?:一般|原则上)(?:应|须|要)?(?:控制在|不超过|不大于|不小于|不少于|不低于|不高于)")


def _clause_before(text: str, qs: int, most: int) -> str:
    """The words of the clause before qs (back to the last ，。；or line break), at most ``most`` characters."""
    window = text[max(0, qs - most):qs]
    return window[max(window.rfind(ch) for ch in "，。；,;\n") + 1:]


_RULE_STANDARD = re.compile(r"[^，。；,;\n]{0,20}?的标准")
_BY_RULE = re.compile(r"按照?[^，。；,;\n]{0,16}$")  # 按照…: the rule whose standard follows
_FORBIDDEN = _words("forbidden")
_SPEC_AFTER = _words("specification_after")
_RULE_CUE = re.compile(r"按照|按|标准|要求|规定|不低于|不小于|不少于|不超过|不大于|以上|以下")


def _is_format(c: _Context, qs: int) -> bool:
    """11人制足球场, 三班制, 五年制: a count naming a format (制), not a figure (3项制度 is a count)."""
    return c.text.startswith("制", c.e) and c.text[c.e + 1:c.e + 2] not in _NOT_FORMAT


_NOT_FORMAT = frozenset("度定作造订止约衡")


def _is_event_distance(c: _Context, qs: int) -> bool:
    """5公里健康跑, 10公里越野赛: a distance naming a race, not a measure of what was done."""
    return c.unit in _DISTANCES and c.text.startswith(_RACES, c.e)


_RACES = _words("race")


def _is_size_class(c: _Context, qs: int) -> bool:
    """30万吨级油轮, 5000吨级泊位: a measure followed by 级 names a class of ship, berth or plant, not an amount."""
    return c.unit is not None and _INFO[c.unit][0] == "measure" and c.text.startswith("级", c.e)


def _is_size_specification(c: _Context, qs: int) -> bool:
    """班额不超过55人, 单校规模原则上不超过3000人, 明确单体民宿客房不超过14间: a size a rule caps, not a count (a cap
    on a sum of money or a share is the rule's standard)."""
    if c.text[qs:c.s] not in _CAPS or not (any(w in c.text[max(0, qs - 8):qs] for w in _SIZE_WORDS)
                                           or _INFO[c.unit][0] in ("items", "measure")):  # 客房不超过14间
        return False
    sentence = c.text[max(0, qs - 40):qs]
    cut = max(sentence.rfind(ch) for ch in "。；;\n")
    return _SIZE_RULE_CUE.search(sentence, cut + 1) is not None


_SIZE_WORDS = _words("size_specification")
_CAPS = frozenset(_words("size_cap"))  # a floor (规模不少于5万张) is more often a goal
_SIZE_RULE_CUE = re.compile(r"明确|规定|要求|原则上|标准|按照|办法|条例|不得")


def _is_proposers(c: _Context, qs: int) -> bool:
    """张某等3位代表 (提出的…), 陈某、林某3位委员: the count of the addressees or proposers, not a figure."""
    text, s, e = c.text, c.s, c.e
    if c.prev == "等" and c.unit in ("个", "家") and text.startswith(_PROPOSER_BODIES, e) \
            and _JOINTLY.search(text, e, e + 16):
        return True  # 由民盟某市委员会等3个党派团体联名提出: the count of the bodies that proposed it
    if not text.startswith(_PROPOSER_NOUNS, e) or c.unit not in ("位", "名"):
        return False
    if c.prev == "等":
        return True
    return "、" in text[max(0, s - 8):s] and _PROPOSAL.search(text, max(0, s - 30), s) is not None


_PROPOSAL = re.compile("提案|建议|议案")
_PROPOSER_BODIES = _words("proposer_body")
_JOINTLY = re.compile("联名|联合提出")


def _is_package(c: _Context, qs: int) -> bool:
    """稳增长政策20条: a named policy package counted by its articles."""
    return c.unit == "条" and c.text[max(0, qs - 3):qs].endswith(_PACKAGE_WORDS)


def _is_rate_base(c: _Context, qs: int) -> bool:
    """每100人配备1名, 每吸纳1人给予奖补, 每新增1个学位: the base of a rate (每, or 每 and a verb), not a count."""
    before = c.text[max(0, qs - 4):qs]
    if c.value == 1 and _RATIO_ONE.search(c.text, max(0, qs - 20), qs):
        return True  # 每50名寄宿生配备1名: the one on the other side of a ratio, not a count
    if "每" not in before:
        return False  # every form below ends with 每 or 每 and a verb
    return before.endswith("每") or any(before.endswith("每" + verb) for verb in _RATE_VERBS)


_RATIO_ONE = re.compile(r"每[0-9.一二三四五六七八九十百千万]+[名个人户所家位][^，。；,;\n]{0,8}?"
                        r"(?:配备|配置|配|设置|设|建有|建)$")


_RATE_VERBS = _words("rate_base")


def _is_frequency(c: _Context, qs: int) -> bool:
    """每年1次增加到每半年1次, 每季度开展一次, 每周不少于1次: how often something is done, not a count of it."""
    return c.unit in ("次", "回") and c.value <= 12 and _EVERY_PERIOD.search(c.text, max(0, qs - 12), qs) is not None


# 每年1次, 每季度不少于1次, 每季度开展一次: the schedule a rule sets (每月平均受理投诉12次, 每年发生火灾3次: measured)
_EVERY_PERIOD = re.compile(r"每(?:两|三)?(?:年|半年|季度|季|月|周|星期|旬|天|日|学期)"
                           r"(?:至少|不少于|不低于|不超过|最多)?(?:" + "|".join(_words("schedule_verb")) + r")?$")


def _is_procedural(c: _Context, qs: int) -> bool:
    """抄送…各1份, 一式三份, 确定1名联络员: a step a notice asks for (copies, a designee), not a figure."""
    copies = c.unit == "份" and c.value <= 10
    if not copies and not (c.unit in ("名", "位", "人") and c.value <= 5):
        return False  # neither copies nor a designee: nothing below can hold
    text = c.text
    clause = text[max(0, qs - 40):qs]
    clause = clause[max(clause.rfind(ch) for ch in "，。；：,;:\n") + 1:]
    if _DONE.search(clause):
        return False  # 共报送调研报告8份, 已确定3名联络员: what was done is reported
    if copies:
        return any(w in clause for w in _COPY_VERBS)
    return c.unit in ("名", "位", "人") and c.value <= 5 and text.startswith(_DESIGNEES, c.e) \
        and clause.endswith(_DESIGNATE_VERBS)


_COPY_VERBS = _words("copies")
_DONE = re.compile("共|已|累计|先后|收到|完成")
_DESIGNATE_VERBS = _words("designate")
_DESIGNEES = _words("designee")


def _is_back_reference(c: _Context, qs: int) -> bool:
    """三项分别下降9.5%, 两者均为: a small count in Chinese numerals that points back at the items just listed, whose
    figures follow. Persons are counted even so (他们俩人都参加了)."""
    return (c.chinese and c.value <= 10 and c.unit is not None and _INFO[c.unit][0] != "persons"
            and c.text.startswith(_BACK_WORDS, c.e))


_BACK_WORDS = ("分别", "均", "都")


def _is_rank(c: _Context, qs: int) -> bool:
    """进入前五名, 前3强: a rank, not a count (目前3家 is a count); 四、五类危旧桥梁, 三、四级: grades in a row."""
    if c.text[qs - 1:qs] == "前" and c.text[qs - 2:qs] != "目前":
        return True
    return (c.unit in _GRADES and c.chinese and c.value <= 9 and c.text[qs - 1:qs] == "、"
            and c.text[qs - 2:qs - 1] in _GRADE_DIGITS and _cjk(c.text[c.e:c.e + 1]))


_GRADES = frozenset(_words("grade_unit"))
_GRADE_DIGITS = frozenset("一二三四五六七八")


def _is_counter(c: _Context, qs: int) -> bool:
    """浏览次数：1234次, 阅读：2,416次: a page's view counter."""
    return c.unit in (None, "次") and _COUNTER.search(c.text, max(0, qs - 8), qs) is not None


_COUNTER = re.compile(r"(?:浏览|点击|阅读|访问)(?:(?:次数|量|数)[：:]?|[：:])\s*$")  # 阅读：2,416次 in a byline too


def _is_milepost(c: _Context, qs: int) -> bool:
    """G205国道250至280公里路段: a kilometre post naming a stretch of road."""
    return c.value_high is not None and _INFO[c.unit][0] == "measure" and c.text.startswith(("路段", "段", "处"), c.e)


def _is_impossible_count(c: _Context, qs: int) -> bool:
    """任务1.3051人: a head count with three or more decimals is a typo (a 万 lost, FIELD-GUIDE E15), not a figure;
    an average (户均1.5人) has one or two."""
    if c.unit is None or _INFO[c.unit][0] not in _WHOLE_KINDS or c.value == c.value.to_integral_value():
        return False
    return c.value.normalize().as_tuple().exponent <= -3


_WHOLE_KINDS = frozenset(("persons", "person_times", "organizations", "items"))


def _is_restated(c: _Context, qs: int) -> bool:
    """人民币伍佰万元整（¥5,000,000.00）: the same amount again in figures, in brackets; counted once (the words)."""
    return _RESTATED.search(c.text, max(0, min(qs, c.s) - 6), c.s) is not None


_RESTATED = re.compile(r"元整?[（(]\s*(?:人民币)?[¥￥]\s*$")


def _is_weekday(c: _Context, qs: int) -> bool:
    """每周一至周五对外开放, 星期三: a day of the week, not a count (五对 is not five pairs)."""
    return c.chinese and c.value <= 7 and (c.text[qs - 1:qs] == "周" or c.text[qs - 2:qs] in ("星期", "礼拜"))


def _is_phase(c: _Context, qs: int) -> bool:
    """高新区二期孵化器, 一期工程: the phase of a site or project named by it (开展三期培训 counts)."""
    return (c.unit == "期" and c.chinese and c.value <= 9 and c.text[qs - 1:qs] in _PHASE_AFTER
            and _cjk(c.text[c.e:c.e + 1]))


_PHASE_AFTER = frozenset(_words("phase_site"))


_METRIC_CHECKS = (
    ("damaged", _is_impossible_count),
    ("date", _is_weekday),
    ("marker", _is_restated),
    ("ordinal", _is_phase),
    ("rank", _is_rank),
    ("enumerator", _is_back_reference),
    ("counter", _is_counter),
    ("milepost", _is_milepost),
    ("threshold", _is_threshold),
    ("specification", _is_specification),
    ("specification", _is_size_specification),
    ("specification", _is_size_class),
    ("name", _is_event_distance),
    ("specification", _is_format),
    ("proposers", _is_proposers),
    ("package", _is_package),
    ("rate_base", _is_rate_base),
    ("procedural", _is_procedural),
    ("frequency", _is_frequency),
)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_year(c: _Context) -> bool:
    return len(c.number) == 4 and 1900 <= c.value <= 2100 and c.value == c.value.to_integral_value()


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
    """一县一品牌, 五个百亿, 五台县: names, not counts."""
    text, s, e = c.text, c.s, c.e
    if c.chinese and c.unit in _PLACE_UNITS and _is_place(text, e):
        return True  # 五台县, 九台市, 五家渠市, 八道江区: a place (三个县 counts: 个 counts places; 两台县级设备 too)
    if c.chinese and c.number == "一" and (text[e + 1:e + 2] == "一" or s >= 2 and text[s - 2] == "一"):
        return True
    if c.unit and text[e:e + 1] and text[e] in _START and not text[e].isdigit() and not _word_end(text, e) \
            and (c.chinese or text[e] in _MAGNITUDE_START):
        return True  # 五个百亿 (not 5000元一次性奖励: 一次性 is a word; not 2008名零就业…, 1050元两档: a new phrase)
    return False


def _is_place(text: str, e: int) -> bool:
    """Whether a place's level ends the name a numeral and a measure word open: right after the unit and before no more
    of a word (五台县人民政府, 九台市。 — not 三家市场主体, 两家县医院), or one character later (五家渠市, 八道江区 —
    not 三家驻区单位, 两台县级设备)."""
    nxt = text[e + 1:e + 2]
    if text[e:e + 1] in _PLACE_SUFFIXES:
        return not _cjk(nxt) or text.startswith(_PLACE_FOLLOWERS, e + 1)
    return _cjk(text[e:e + 1]) and text[e] not in _PLACE_MIDDLE_NOT and nxt in _PLACE_SUFFIXES \
        and text[e + 2:e + 3] not in _NOT_A_LEVEL


_NOT_A_LEVEL = frozenset("级属直域")
_MAGNITUDE_START = "十百千万亿拾佰仟萬億"
_PLACE_UNITS = frozenset(_words("place_unit"))
_PLACE_SUFFIXES = frozenset(_words("place_suffix"))
_PLACE_FOLLOWERS = _words("place_follower")  # 五台县人民政府, 五台县的: the place name ends there
_PLACE_MIDDLE_NOT = frozenset("".join(_words("place_middle_not")))  # 三家驻区单位: no place


def _in_named_clause(c: _Context) -> bool:
    """三年提升行动, 五年培训规划: a Chinese-numeral count that names a programme later in the clause."""
    window = c.text[c.e:c.e + 8]
    cut = next((i for i, ch in enumerate(window) if ch in _CLAUSE_END), len(window))
    return any(w in _CLAUSE_WORDS for w in _substrings(window[:cut], 2))


_CLAUSE_WORDS = frozenset(w for (side, w) in _CONTEXT if side == "clause")


def _names_programme(c: _Context) -> bool:
    """三项工程, 五大行动, 十件民生实事: a Chinese-numeral count whose unit is followed at once by a programme word."""
    return c.text[c.e:c.e + 2] in _CLAUSE_WORDS or c.text[c.e:c.e + 4] in _CLAUSE_WORDS


def _substrings(s: str, size: int):
    return (s[i:i + size] for i in range(len(s) - size + 1))
