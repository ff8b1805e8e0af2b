"""The body of a letter as a tree of sections: opening, marked headings, inline items, closing."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..codes import SectionKind
from ..model import Section, Span
from .text import CLOSING as _CLOSING
from .text import alt, first_sentence

__all__ = ["sections", "MARKERS"]

_NUM = "[一二三四五六七八九十]{1,3}"
MARKERS = (  # (level, pattern at line start, group that is the path token)
    (1, re.compile(rf"({_NUM})[、．.]")),
    (2, re.compile(rf"([（(]{_NUM}[）)])")),
    (3, re.compile(r"(\d{1,2})(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"([（(]\d{1,2}[）)])")),
)
_ITEM = re.compile(r"[一二三四五六七八九十]{1,2}是|第[一二三四五六七八九十]{1,2}[，、,]")
_ITEM_AFTER = frozenset("。；！？：")
_OPENING = re.compile(alt("opening"))
_NEXT = re.compile(rf"(?:{alt('next_steps')})")
_NEXT_HEADING = re.compile(alt("next_steps_heading"))
_SHORT = 40


@dataclass(slots=True)
class _Node:
    start: int
    end: int
    level: int
    kind: str
    marker: Span | None = None
    token: str | None = None
    heading: Span | None = None
    children: list[_Node] = field(default_factory=list)  # marked sections, in text order
    items: list[_Node] = field(default_factory=list)  # 一是 / 第一 items, in text order


def sections(text: str, folded: str, paras: tuple[Span, ...]) -> tuple[Section, ...]:
    """The section tree of the body paragraphs (lines between the header and the signature)."""
    if not paras:
        return ()
    n_open = _opening_count(folded, paras)
    rest = paras[n_open:]
    close_at = _closing_start(folded, rest)
    main = [(s, min(e, close_at)) for s, e in rest if s < close_at] if close_at is not None else list(rest)
    main = [(s, _trim(text, s, e)) for s, e in main if _trim(text, s, e) > s]
    nodes: list[_Node] = []
    if n_open:
        nodes.append(_Node(paras[0][0], paras[n_open - 1][1], 0, SectionKind.OPENING))
    nodes += _main_nodes(text, folded, main)
    if close_at is not None:
        nodes.append(_Node(close_at, rest[-1][1], 0, SectionKind.CLOSING))
    return tuple(_freeze(text, n, None) for n in nodes)


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _opening_count(folded: str, paras: tuple[Span, ...]) -> int:
    """How many leading paragraphs are the opening (收悉 … 现答复如下)."""
    s, e = paras[0]
    if not _OPENING.search(folded, s, e):
        return 0
    if "如下" not in folded[s:e] and len(paras) > 1:
        s2, e2 = paras[1]
        if e2 - s2 <= _SHORT and "如下" in folded[s2:e2]:
            return 2
    return 1


def _closing_start(folded: str, paras: tuple[Span, ...]) -> int | None:
    """Offset where the trailing paragraphs of closing formulas (此复, 以上答复妥否, 感谢…) begin."""
    start = None
    i = len(paras) - 1
    while i >= 0 and _CLOSING.match(folded, paras[i][0], paras[i][1]):
        start = paras[i][0]
        i -= 1
    return start


def _main_nodes(text: str, folded: str, main: list[Span]) -> list[_Node]:
    """Top-level nodes of the body between opening and closing, items attached."""
    if not main:
        return []
    events = [ev for s, e in main if (ev := _marked(text, folded, s, e))]
    last_marked = events[-1].start if events else -1
    nxt = next((s for s, e in main if s > last_marked and _NEXT.match(folded, s, e)), None)
    if nxt is not None and not any(ev.kind == SectionKind.NEXT_STEPS for ev in events):
        events.append(_Node(nxt, 0, 0, SectionKind.NEXT_STEPS))
    first = events[0].start if events else main[-1][1] + 1
    top = _unmarked(text, folded, [p for p in main if p[0] < first])
    _nest(text, events, main[-1][1], top)
    _attach_items(text, folded, main, top)
    return top


def _unmarked(text: str, folded: str, paras: list[Span]) -> list[_Node]:
    """One body node per unmarked paragraph; a paragraph that starts with 一是 / 第一， joins the
    body paragraph before it, or is a top-level item when there is none."""
    top: list[_Node] = []
    for s, e in paras:
        item = _ITEM.match(folded, s, e)
        if item and top and top[-1].level < 5:
            top[-1].end = e
        elif item:
            heading = _first_sentence(text, item.end(), e)
            top.append(_Node(s, e, 5, SectionKind.BODY, (s, item.end()), text[s:item.end()].rstrip("，、,"),
                             heading))
        else:
            top.append(_Node(s, e, 0, SectionKind.BODY))
    return top


def _marked(text: str, folded: str, s: int, e: int) -> _Node | None:
    for level, pattern in MARKERS:
        m = pattern.match(folded, s, e)
        if m:
            heading = _first_sentence(text, m.end(), e)
            kind = SectionKind.BODY
            if heading and _NEXT_HEADING.search(folded, heading[0], heading[1]):
                kind = SectionKind.NEXT_STEPS
            return _Node(s, e, level, kind, (s, m.end()), text[m.start(1):m.end(1)], heading)
    return None


def _first_sentence(text: str, s: int, e: int) -> Span | None:
    """The first sentence of text[s:e], without its final punctuation."""
    while s < e and text[s] in "，,、 ":
        s += 1
    first = first_sentence(text[s:e])
    if first is None:
        return None
    a, b = first
    while b > a and text[s + b - 1] in "。；！？，：:":
        b -= 1
    return (s + a, s + b) if b > a else None


def _nest(text: str, events: list[_Node], main_end: int, top: list[_Node]) -> None:
    """Give each event its end (before the next event of its level or above) and its parent."""
    stack: list[_Node] = []
    for ev in events:
        while stack and (ev.level == 0 or stack[-1].level >= ev.level):
            done = stack.pop()
            done.end = _trim(text, done.start, ev.start)
        if stack:
            if stack[-1].kind == SectionKind.NEXT_STEPS:
                ev.kind = SectionKind.NEXT_STEPS
            stack[-1].children.append(ev)
        else:
            top.append(ev)
        stack.append(ev)
    for ev in stack:
        ev.end = main_end


def _attach_items(text: str, folded: str, main: list[Span], top: list[_Node]) -> None:
    """Add 一是 / 第一 items (level 5) to the deepest node that holds them."""
    for s, e in main:
        starts = [m for m in _ITEM.finditer(folded, s, e) if m.start() == s or folded[m.start() - 1] in _ITEM_AFTER]
        for n, m in enumerate(starts):
            parent = _deepest(top, m.start())
            if parent is None or parent.level == 5:
                continue
            end = starts[n + 1].start() if n + 1 < len(starts) else e
            end = _trim(text, m.start(), min(end, parent.end))
            heading = _first_sentence(text, m.end(), end)
            parent.items.append(_Node(m.start(), end, 5, parent.kind, (m.start(), m.end()),
                                      text[m.start():m.end()].rstrip("，、,"), heading))


def _deepest(nodes: list[_Node], offset: int) -> _Node | None:
    """The deepest marked node holding offset (nodes are in text order and do not overlap)."""
    i = bisect_right(nodes, offset, key=lambda n: n.start) - 1
    if i < 0 or not nodes[i].start <= offset < nodes[i].end:
        return None
    return _deepest(nodes[i].children, offset) or nodes[i]


def _freeze(text: str, node: _Node, parent_path: str | None) -> Section:
    own = node.token if node.level else str(node.kind)
    path = f"{parent_path}/{own}" if parent_path else own
    marker = text[node.marker[0]:node.marker[1]] if node.marker else None
    heading = text[node.heading[0]:node.heading[1]] if node.heading else None
    merged = sorted(node.children + node.items, key=lambda c: c.start)
    children = tuple(_freeze(text, c, path) for c in merged)
    return Section(kind=str(node.kind), level=node.level, marker=marker, heading=heading, path=path,
                   span=(node.start, node.end), children=children)
