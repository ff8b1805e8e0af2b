"""Normalize step 1: drop web-page debris lines and lift web-page metadata rows.

Patterns and keys are data (``core/data/debris.toml``). Decisions:

- Line-level only: a line is debris when the WHOLE trimmed line is page furniture (breadcrumb,
  字体：[大] [中] [小], 分享到：, 【打印】【关闭】, 回到顶部, 扫一扫…, Baidu, map, an empty table row…);
  a sentence that merely contains 关闭 or 打印 stays.
- Metadata rows (``| 索引号 | … |`` tables, ``信息来源：本网 时间：2024-10-14`` lines) are parsed into
  (key, value) pairs and removed from the body. Keys are recognised from the data file, never guessed;
  keys are kept as written (trimmed: ``类 别`` stays ``类 别``); values are trimmed; empty values are
  dropped (the row is still removed and listed in the removed lines).
- A metadata line holding a header element of the letter itself (类别, 答复类别, 签发人, 公开方式)
  is reported in the metadata AND left in the text, where segment reads the category and signer.
  In a markdown table the same keys are web-page metadata: the row is removed like any other.
- Removed lines are returned as written, in order: debris and metadata rows alike.
- A line with one weak key (时间：…, 来源：…, 作者：…) could be body text: it is metadata only next
  to other metadata or debris lines (blank lines between do not count).
- Lines over 1000 characters are never debris, so every pattern runs on short strings only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .._data import data_toml

__all__ = ["drop_debris_lines"]

_MAX_LINE = 1000
_MAX_ITEMS = 13  # page items chained on one debris line
_HEAD = 64  # characters folded to pre-check a line (longer than any item's required part)
# Matching runs on a folded copy of each line (one character for one, so offsets hold): full-width
# brackets, colon, bar, comma and spaces become their ASCII forms and patterns stay ASCII.
_FOLD = str.maketrans("【［（】］）：｜丨＞，\u3000\u00a0\t", "[[(]]):||>,   ")
_FOLD_PAIRS = tuple((chr(a), chr(b)) for a, b in _FOLD.items())
_SPACE = " "
_OPEN, _CLOSE = r"[\[(]", r"[\])]"
_PLACEHOLDERS = {"{C}": "(?: {0,4}: {0,4})", "{S}": "(?: {0,8})", "{O}": _OPEN, "{E}": _CLOSE}
_SEP = r"[ |/·]{0,8}"
_TRIM = " \t\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff\r"
_CELL_SPLIT = re.compile(r"[|｜]")
_SPACES = re.compile(" ")
_RULE_ROW = re.compile(r":?-{1,50}:?")
_CUT_BEFORE = "[|"

# Line verdicts. WEAK (one weak key: 来源：本网) and RULE (|---|) are settled by their neighbours.
KEEP, BLANK, DEBRIS, META, META_KEEP = "keep", "blank", "debris", "meta", "meta_keep"
WEAK, RULE, LABEL, FOOTER, FOOTER_AFTER = "weak", "rule", "label", "footer", "footer_after"
_RULE_LINE = re.compile(r"[ |:]*-{2,}[ |:-]*\|[ |:-]*")  # ---|---|--- without the leading pipe
_FOOTER_KEY = re.compile(r"([^\W\d_A-Za-z]{2,6}) {0,4}:")
_SENTENCE_END = re.compile("[。！？；]")
_VALUE_MAX = 80
# A line led by a publication time stamp: with a time part, or followed by known keys (a bare date may sign).
_STAMP = re.compile(r"(?P<stamp>(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?P<time> \d{1,2}:\d{1,2}(?::\d{1,2})?)?)"
                    r"(?= {2,}| ?\||$)")
_STAMP_KEY = "时间"  # the key a bare stamp is lifted under (a publication time, never the letter's date)


@dataclass(frozen=True, slots=True)
class _Rules:
    item: re.Pattern[str]  # one page item (font sizes, a tool word, a counter…) and the separator after it
    tail: re.Pattern[str]  # an item that runs to the end of the line (a breadcrumb…)
    key_in_line: re.Pattern[str]  # a key followed by a colon, at a field boundary
    key_bare: re.Pattern[str]  # a key followed by a colon, two spaces, a pipe or the line end
    key_cell: re.Pattern[str]  # a table cell (or a line) holding only a key
    kinds: dict[str, str]  # key without spaces -> strong | weak | body
    footer: re.Pattern[str]  # a mark of a web-site footer line (ICP备, 公网安备, 网站标识码 …)
    footer_cues: tuple[str, ...]  # one is in every footer mark, lower-cased (see _footer_cues): a cheap test
    footer_keys: dict[str, str]  # key starting a footer line -> FOOTER (beside one) | FOOTER_AFTER (under one)
    image: re.Pattern[str]  # an image file name or markdown image alone on a line


@cache
def _rules() -> _Rules:
    """Return the compiled rules from core/data/debris.toml (loaded once)."""
    data = data_toml("debris.toml")
    tools = "|".join(re.escape(w) for w in sorted(data["tools"], key=len, reverse=True))
    items = [_expand(i["pattern"]) for i in data["item"]]
    items.append(rf"{_OPEN}?{_SPACE}{{0,4}}(?:{tools}){_SPACE}{{0,4}}{_CLOSE}?")
    item = "(?:" + "|".join(f"(?:{p})" for p in items) + ")" + _SEP
    tail = "(?:" + "|".join(f"(?:{_expand(t['pattern'])})" for t in data["tail"]) + ")"

    meta = data["metadata"]
    kinds = dict.fromkeys(meta["strong"], "strong") | dict.fromkeys(meta["weak"], "weak")
    kinds |= dict.fromkeys(meta["body"], "body")
    # Keys are matched as an alternation of the known keys (longest first), each written with up to six
    # spaces between its characters (索  引  号, 标      题): a key is recognised, never guessed.
    spaced = sorted(kinds, key=lambda k: (-len(k), k))
    word = "(" + "|".join(f"{_SPACE}{{0,6}}".join(map(re.escape, k)) for k in spaced) + ")"
    boundary = r"(?:^|(?<=[\s|\[\]()/·•]))"
    return _Rules(
        item=re.compile(item, re.IGNORECASE),
        tail=re.compile(tail, re.IGNORECASE),
        key_in_line=re.compile(rf"{boundary}{word}{_PLACEHOLDERS['{C}']}"),
        key_bare=re.compile(rf"{boundary}{word}(?:{_PLACEHOLDERS['{C}']}|(?= {{2}}| ?\||$))"),
        key_cell=re.compile(rf"[•·]? {{0,2}}{word} {{0,4}}:?"),
        kinds=kinds,
        footer=re.compile("|".join(re.escape(w) for w in data["footer"]["marks"]), re.IGNORECASE),
        footer_cues=_footer_cues(data["footer"]["marks"]),
        footer_keys=(dict.fromkeys(data["footer"]["keys"], FOOTER)
                     | dict.fromkeys(data["footer"]["keys_after"], FOOTER_AFTER)),
        image=re.compile(data["image"]["pattern"], re.IGNORECASE),
    )


def _exotic_case(ch: str) -> bool:
    """True for a letter that re.IGNORECASE also matches to a letter beyond its two ASCII cases (ı İ for i,
    K for k, ſ for s; any cased letter outside ASCII)."""
    return ch.lower() in "iks" or (ch.lower() != ch.upper() and not ch.isascii())


def _footer_cues(marks: list[str]) -> tuple[str, ...]:
    """Return strings of which one is in the lower-cased form of every line the IGNORECASE ``footer`` matches.

    Each mark is cued by its longest stretch without an exotic-case letter, lower-cased (ICP备: cp备); a cue
    that holds another is dropped. A few substring tests cost a fraction of the folding search; ``footer``
    then decides.

    >>> _footer_cues(["ICP备", "©", "Copyright", "公网安备", "政府网站标识码", "网站标识码"])
    ('cp备', '©', 'copyr', '公网安备', '网站标识码')
    """
    cues = []
    for mark in marks:
        stretches, current = [], ""
        for ch in mark.lower():
            if _exotic_case(ch):
                stretches, current = stretches + [current], ""
            else:
                current += ch
        cues.append(max([*stretches, current], key=len))
    return tuple(c for c in dict.fromkeys(cues) if not any(o != c and o in c for o in cues))


def _has_footer_mark(core: str, rules: _Rules, cues: tuple[str, ...]) -> bool:
    """True when the line holds a footer mark; cues: the footer cues the letter holds (``_cues_in``)."""
    if not cues:
        return False
    low = core.lower()
    return any(cue in low for cue in cues) and rules.footer.search(core) is not None


def _cues_in(text: str, rules: _Rules) -> tuple[str, ...]:
    """The footer cues found anywhere in text (lower-cased), so that a line of a letter with none is not searched:
    a cue in a line is in its letter (lower() maps each character alone but Σ, and no cue holds σ or ς)."""
    low = text.lower()
    return tuple(cue for cue in rules.footer_cues if cue in low)


def _fold(text: str) -> str:
    """Return text folded by _FOLD (str.replace per character present: ~3x faster than translate here).

    >>> _fold("【打印】：")
    '[打印]:'
    """
    for wide, narrow in _FOLD_PAIRS:  # no target is also a source, so the order does not matter
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def _is_debris(line: str, rules: _Rules, pos: int = 0) -> bool:
    """Return True when folded ``line[pos:]`` is a chain of page items, maybe ending in a tail.

    Items are matched one after another without going back, so the time stays linear in the
    line however its spaces could be shared out between neighbouring items.

    >>> _is_debris("[打印本页] [关闭窗口]", _rules()), _is_debris("关闭高污染企业3家", _rules())
    (True, False)
    """
    for _ in range(_MAX_ITEMS):
        if rules.tail.fullmatch(line, pos):
            return True
        step = rules.item.match(line, pos)
        if not step or step.end() == pos:
            return False
        pos = step.end()
        if pos == len(line):
            return True
    return False


def _expand(pattern: str) -> str:
    """Return a data-file pattern with its {C} and {S} placeholders filled in."""
    for name, regex in _PLACEHOLDERS.items():
        pattern = pattern.replace(name, regex)
    return pattern


def drop_debris_lines(text: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Return (text without debris lines, removed lines as written, metadata (key, value) pairs).

    >>> drop_debris_lines("当前位置：首页 > 建议提案\\n信息来源：本网 时间：2024-10-14\\n苏灿等代表：")
    ('苏灿等代表：',
     ('当前位置：首页 > 建议提案', '信息来源：本网 时间：2024-10-14'),
     (('信息来源', '本网'), ('时间', '2024-10-14')))
    """
    rules = _rules()
    lines = text.split("\n")
    verdicts: list[str] = []
    found: list[list[tuple[str, str]]] = []
    cues = _cues_in(text, rules)
    for line in lines:
        verdict, pairs = _classify(line.strip(_TRIM), rules, cues)
        verdicts.append(verdict)
        found.append(pairs)
    _settle(verdicts)
    _links_under_heading(lines, verdicts)
    _pair_label_lines(lines, verdicts, found, rules)
    if not any(v in (DEBRIS, META, META_KEEP) for v in verdicts):
        return text, (), ()
    kept = "\n".join(ln for ln, v in zip(lines, verdicts) if v not in (DEBRIS, META))
    removed = tuple(ln for ln, v in zip(lines, verdicts) if v in (DEBRIS, META))
    metadata = tuple(p for ps, v in zip(found, verdicts) if v in (META, META_KEEP) for p in ps if p[1])
    return kept, removed, metadata


def _classify(core: str, rules: _Rules, cues: tuple[str, ...]) -> tuple[str, list[tuple[str, str]]]:
    """Return the verdict for one trimmed line and the metadata pairs it holds."""
    if not core:
        return BLANK, []
    if len(core) > _MAX_LINE:
        return KEEP, []
    if core[0] in "|｜":
        return _classify_row(core, rules)
    head = _fold(core[:_HEAD])
    if _RULE_LINE.fullmatch(head):
        return RULE, []
    label = rules.key_cell.fullmatch(head) if len(core) <= _HEAD else None
    if label and _kind(label, rules) in ("strong", "body"):
        return LABEL, [(core[label.start(1):label.end(1)], "")]
    found = _line_pairs(core, rules, head)
    pairs, colon = found or ([], False)
    kinds = [rules.kinds[_bare(k)] for k, _ in pairs]
    stamp = _STAMP.fullmatch(pairs[0][1]) if pairs and pairs[0][0] == _STAMP_KEY else None
    if stamp and stamp["time"]:  # a line led by a time stamp: a byline, never the letter's text
        return META, pairs
    if pairs and "weak" in kinds and kinds != ["weak"] or "strong" in kinds or "body" in kinds:
        if colon or len(pairs) >= 2:
            return (META_KEEP if "body" in kinds and "strong" not in kinds else META), pairs
    if _has_footer_mark(core, rules, cues) or rules.image.fullmatch(core):
        return DEBRIS, []
    if (rules.tail.match(head) or rules.item.match(head)) and _is_debris(_fold(core), rules):
        return DEBRIS, []
    if pairs:
        return WEAK, pairs
    footer_key = _FOOTER_KEY.match(head)
    if footer_key and _bare(footer_key.group(1)) in rules.footer_keys:
        return rules.footer_keys[_bare(footer_key.group(1))], []
    return KEEP, []


_LINKS_HEADING = re.compile(r"(?:相关|相關|热门|熱門|推荐|推薦|延伸|猜你)[^\s:：]{0,4}\s*[:：]?")
_LINK_LINE_MAX = 40
_LINKS_HEADING_MAX = 24  # a heading of links, with the spaces around it
_BULLETS = ("·", "•", "●", "▪", "◆", "◇", "- ")
_SENTENCE_MARKS = ("。", "；", "：", ":", "！", "？")


def _links_under_heading(lines: list[str], verdicts: list[str]) -> None:
    """The titles listed under a heading of links alone on its line (相关推荐：⏎某某工作总结范文（通用5篇）⏎…) are
    debris too: short lines without a sentence mark, up to the first line that is not one."""
    for i, line in enumerate(lines):
        if verdicts[i] not in (DEBRIS, KEEP) or len(line) > _LINKS_HEADING_MAX \
                or not _LINKS_HEADING.fullmatch(line.strip(_TRIM)):
            continue
        if verdicts[i] == KEEP:  # 相关推荐⏎· 某某工作总结（通用5篇）: a bare heading over bulleted links
            bullet = next((ln.strip(_TRIM) for ln in lines[i + 1:] if ln.strip(_TRIM)), "")
            if not bullet.startswith(_BULLETS):
                continue
            verdicts[i] = DEBRIS
        for j in range(i + 1, len(lines)):
            core = lines[j].strip(_TRIM)
            if not core:
                continue
            if verdicts[j] != KEEP or len(core) > _LINK_LINE_MAX or any(m in core for m in _SENTENCE_MARKS):
                break
            verdicts[j] = DEBRIS


def _settle(verdicts: list[str]) -> None:
    """Settle rule rows (|---|), lone weak keys and footer-key lines by their neighbours.

    A markdown rule row beside a metadata table row is debris; a line with one weak key (来源：本网)
    is metadata when the nearest non-blank line above or below is metadata, debris or another such line;
    a line starting with a footer key is debris next to a debris line (主办单位：) or under one (联系电话：
    under an ICP / 公网安备 line: the site's phone, not the letter's), else body text.
    """
    filled = [i for i, v in enumerate(verdicts) if v != BLANK]
    settled = list(verdicts)
    for n, i in enumerate(filled):
        near = [verdicts[filled[m]] for m in (n - 1, n + 1) if 0 <= m < len(filled)]
        if verdicts[i] == RULE:
            settled[i] = DEBRIS if META in near else KEEP
        elif verdicts[i] == WEAK:
            settled[i] = META if {META, DEBRIS, WEAK, LABEL} & set(near) else KEEP
    for n, i in enumerate(filled):  # top-down, so a footer block settles line after line
        if settled[i] in (FOOTER, FOOTER_AFTER):
            above = settled[filled[n - 1]] if n else KEEP
            below = verdicts[filled[n + 1]] if n + 1 < len(filled) and settled[i] == FOOTER else KEEP
            settled[i] = DEBRIS if above == DEBRIS or below == DEBRIS else KEEP
    verdicts[:] = settled


def _pair_label_lines(lines: list[str], verdicts: list[str], found: list[list[tuple[str, str]]],
                      rules: _Rules) -> None:
    """Give each label line (索 引 号：alone) the value on the next non-blank line, if that line is one.

    A value line is short, has no sentence end and is not itself a key or furniture; a label line followed
    by another label line has an empty value (文 号：⏎发布机构：⏎某局). Label lines of letter elements
    (签发人, 类别) and their values stay in the text, like the other body keys.
    """
    for i, v in enumerate(verdicts):
        if v != LABEL:
            continue
        key = found[i][0][0]
        kind = rules.kinds[_bare(key)]
        j = next((k for k in range(i + 1, len(lines)) if verdicts[k] != BLANK), None)
        value = ""
        if j is not None and verdicts[j] == KEEP:
            cand = lines[j].strip(_TRIM).lstrip("•· ").strip(_TRIM)
            if len(cand) <= _VALUE_MAX and not _SENTENCE_END.search(cand):
                value = cand
                verdicts[j] = META_KEEP if kind == "body" else META
        found[i] = [(key, value)]
        verdicts[i] = META_KEEP if kind == "body" else META if kind == "strong" or value else WEAK
        if verdicts[i] == WEAK:
            verdicts[i] = KEEP


def _bare(key: str) -> str:
    """Return a key as written without its inner spaces (类 别 → 类别)."""
    return _SPACES.sub("", _fold(key))


def _kind(match: re.Match[str] | None, rules: _Rules) -> str | None:
    """Return strong | weak | body for a matched key-shaped word, None when it is not a known key."""
    return rules.kinds.get(_bare(match.group(1))) if match else None


def _line_pairs(core: str, rules: _Rules, head: str | None = None) -> tuple[list[tuple[str, str]], bool] | None:
    """Return (the (key, value) pairs, whether a key had a colon) of a line that starts with a known key.

    A key ends at a colon, at two spaces or at a pipe; a value runs to the next key (it may be empty).
    ``head`` is the folded start of the line when the caller has it already.

    >>> _line_pairs("发布日期:2021-09-03  来源:区人社局  阅读:1234次", _rules())
    ([('发布日期', '2021-09-03'), ('来源', '区人社局'), ('阅读', '1234次')], True)
    >>> _line_pairs("索 引 号  000/2019-1  发布机构  某市某局", _rules())[0]
    [('索 引 号', '000/2019-1'), ('发布机构', '某市某局')]
    >>> _line_pairs("2019-05-06 10:11:12  作者:  点击数:", _rules())[0]
    [('时间', '2019-05-06 10:11:12'), ('作者', ''), ('点击数', '')]
    """
    head = _fold(core[:_HEAD]) if head is None else head
    stamp = _STAMP.match(head)  # 2019-05-06 10:11:12␣␣作者:␣点击数: (a byline led by its time stamp)
    start = stamp.end() if stamp else len(head) - len(head.lstrip("[( |•·"))
    first = rules.key_bare.match(head, start + (len(head[start:]) - len(head[start:].lstrip(" |"))))
    if stamp and (stamp["time"] or first and _kind(first, rules)):
        pairs, colon = _line_pairs(core[stamp.end():].lstrip(" |"), rules) or ([], True)
        return [(_STAMP_KEY, stamp["stamp"]), *pairs], True
    if not first or _kind(first, rules) is None:
        return None
    folded = _fold(core)
    found = [m for m in rules.key_bare.finditer(folded, first.start()) if _kind(m, rules)]
    colon = any(":" in folded[m.end(1):m.end()] for m in found)
    ends = [m.start() for m in found[1:]] + [len(core)]
    pairs = [(core[m.start(1):m.end(1)], _clean_value(core[m.end():end], rules)) for m, end in zip(found, ends)]
    return pairs, colon


def _clean_value(value: str, rules: _Rules) -> str:
    """Return a metadata value without trailing page furniture, separators and wrapping brackets."""
    value = value.rstrip(_TRIM)
    folded = _fold(value)
    for i in range(1, len(folded)):
        if (folded[i - 1] == " " or folded[i] in _CUT_BEFORE) and _is_debris(folded, rules, i):
            value = value[:i]
            break
    value = value.strip(_TRIM + "|｜").rstrip(_TRIM + "【[（(")
    for open_, close in ("【】", "[]", "（）", "()"):
        if value.endswith(close) and open_ not in value:
            value = value[:-1].rstrip(_TRIM)
    return value


_COLUMN_NAME = re.compile(r"数$|数量|占比|比例|比重|金额|[（(][^（）()]{1,6}[）)]$")  # 件数, 占比（%）: a column's name


def _classify_row(core: str, rules: _Rules) -> tuple[str, list[tuple[str, str]]]:
    """Return the verdict for a markdown table row and the metadata pairs it holds."""
    cells = [c.strip(_TRIM) for c in _CELL_SPLIT.split(core.strip("|｜"))]
    if not any(cells):
        return DEBRIS, []
    if all(not c or _RULE_ROW.fullmatch(c) for c in cells):
        return RULE, []
    pairs, kinds = _row_pairs(cells, rules)
    if len(kinds) == 1 and (sum(1 for c in cells if c and c not in {x for pair in pairs for x in pair}) >= 2
                            or any(_COLUMN_NAME.search(value) for _, value in pairs)):
        return KEEP, []  # | 类别 | 承办数 | 主办 | 协办 |, | 类别 | 件数 | 占比（%） |: a data table's header
    if "strong" in kinds or "body" in kinds or len(kinds) >= 2:
        return META, pairs
    return KEEP, []


def _row_pairs(cells: list[str], rules: _Rules) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the (key, value) pairs of table cells (a key cell, then its value cell) and key kinds.

    A key followed by another key or by nothing gets the value "" (the page left it empty).

    >>> _row_pairs(["公开日期", "有效性", "", ""], _rules())
    ([('公开日期', ''), ('有效性', '')], ['strong', 'strong'])
    """
    pairs: list[tuple[str, str]] = []
    kinds: list[str] = []
    pending: str | None = None
    for cell in cells:
        folded = _fold(cell)
        key = rules.key_cell.fullmatch(folded)
        key = key if _kind(key, rules) else None
        inline = None if key else rules.key_in_line.match(folded)
        inline = inline if _kind(inline, rules) else None
        if key or inline:
            if pending is not None:
                pairs.append((pending, ""))
            match = key or inline
            name = cell[match.start(1):match.end(1)]
            kinds.append(rules.kinds[_bare(name)])
            pending = name
            if inline:
                pairs.append((name, _clean_value(cell[inline.end():], rules)))
                pending = None
        elif pending is not None:
            pairs.append((pending, _clean_value(cell, rules)))
            pending = None
    if pending is not None:
        pairs.append((pending, ""))
    return pairs, kinds
