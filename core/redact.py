"""`--redact`: contact names and telephone numbers replaced by ``[redacted]`` (FIELD-GUIDE Part 1 §5).

What is found, anywhere in the letter:

- every contact line (联系人 / 联 系 人 / 承办人 / 经办人 / 负责人 / 姓名 / 联系电话 / 手机 / 传真 …, also
  several lines and lines in the body), with every name in its value (names joined by 、，, / 和 及 or
  spaces, a name written with a layout space 张 三) — and each of those names wherever else it stands;
- telephone numbers in every written shape: mobiles (13812345678, 138 1234 5678, 138-1234-5678,
  +86 138 1234 5678), landlines with an area code (0763-3362101, (0763)3362101, 020 8888 6666, with
  转 / - extension), international and Hong Kong / Macao numbers (+852 2123 4567, (852) 2123 4567),
  400/800 numbers; and, inside a contact line or just after a phone word, bare local numbers
  (33621010, 2123 4567, 3362101);
- e-mail addresses.

``redact(text, names)`` returns the new text and a function that moves an offset of the old text to
the new one (an offset inside a replaced span goes to the start of its ``[redacted]``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable

from ._chars import CJK

__all__ = ["REDACTED", "redact", "contact_names", "redact_plain"]

REDACTED = "[redacted]"

_S = r"[ \u3000\-－—–.·]?"  # one separator a number may be written with
_PLUS = r"(?:\+|＋|00)"
_MOBILE = rf"(?:{_PLUS}?86{_S})?1[3-9]\d(?:[ \u3000\-－]?\d{{4}}){{2}}"
_AREA = r"(?:[（(]\s*0?\d{2,3}\s*[）)]|0\d{2,3})"
_LANDLINE = rf"(?:{_PLUS}86{_S})?{_AREA}{_S}\d{{3,4}}{_S}\d{{4}}(?:\s*(?:转|-|ext\.?|分机)\s*\d{{1,6}})?"
_INTL = rf"(?:{_PLUS}\d{{1,3}}|[（(]\s*\+?\d{{3}}\s*[）)]){_S}\d{{1,4}}(?:{_S}\d{{2,4}}){{1,3}}"
_HOTLINE = rf"[48]00{_S}\d{{3}}{_S}\d{{4}}"
PHONE_ANY = re.compile(rf"(?<![0-9A-Za-z])(?:{_INTL}|{_LANDLINE}|{_MOBILE}|{_HOTLINE})(?!\d)")
_LOCAL = re.compile(r"(?<![0-9A-Za-z])\d{3,4}[ \u3000\-－]?\d{4}(?:\s*(?:转|-)\s*\d{1,6})?(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")

_SP = r"[ \u3000]*"
_KEY = re.compile(
    rf"(?:联{_SP}系{_SP}人|承{_SP}办{_SP}人|经{_SP}办{_SP}人|负{_SP}责{_SP}人|办{_SP}理{_SP}人|姓{_SP}名"
    rf"|联系电话|联系方式|联系手机|办公电话|电{_SP}话|手{_SP}机|传{_SP}真|座机|热线|Tel|TEL|电子邮箱|邮箱)"
)
_CONTACT_LINE = re.compile(rf"^.{{0,16}}?{_KEY.pattern}[^:：\n]{{0,8}}[:：]", re.M)
_PHONE_WORD = re.compile(r"(?:电话|手机|传真|座机|热线|Tel|TEL|联系方式)[^:：\n\d]{0,4}[:：]?")
_NAME_KEY = re.compile(rf"(?:联{_SP}系{_SP}人|承{_SP}办{_SP}人|经{_SP}办{_SP}人|负{_SP}责{_SP}人|办{_SP}理{_SP}人"
                       rf"|姓{_SP}名)[^:：\n]{{0,8}}[:：]")
_VALUE_END = re.compile(rf"{_KEY.pattern}|[:：;；。\n]|(?:{PHONE_ANY.pattern})|\d")
_NAME = re.compile(rf"[{CJK}](?:[ \u3000]?[{CJK}]){{1,3}}(?:·[{CJK}]{{1,4}})?")
_NOT_NAME = re.compile(r"(?:局|处|科|室|厅|中心|办公室|委员会|单位|部门|电话|手机|联系|同志|先生|女士|领导|负责|经办"
                       r"|及|和)$|^(?:联系|电话|手机|传真|地址|邮编|邮政|单位|部门|无)")
_TITLE = re.compile(r"(?:同志|先生|女士|处长|科长|主任|局长|副处长|副科长|副主任)$")


def contact_names(text: str) -> tuple[str, ...]:
    """Return the names written in the text's contact lines (a spaced name also without its space).

    >>> contact_names("联系人：张三、李四\\n承 办 人：王 五  联系电话：13812345678")
    ('张三', '李四', '王 五', '王五')
    """
    names: list[str] = []
    for key in _NAME_KEY.finditer(text):
        end = text.find("\n", key.end())
        line = text[key.end(): len(text) if end < 0 else end]
        stop = _VALUE_END.search(line)
        value = line[: stop.start()] if stop else line
        for part in re.split(r"[、，,/／;；]|和|及|\s{2,}", value):
            part = part.strip(" \u3000（）()")
            part = _TITLE.sub("", part)
            if not part or not _NAME.fullmatch(part) or _NOT_NAME.search(part.replace(" ", "")):
                continue
            names.append(part)
            if " " in part or "\u3000" in part:
                names.append(re.sub(r"[ \u3000]", "", part))
    return tuple(dict.fromkeys(names))


def _spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Return the sorted, merged spans to redact."""
    spans: list[tuple[int, int]] = [m.span() for m in PHONE_ANY.finditer(text)]
    spans += [m.span() for m in _EMAIL.finditer(text)]
    for line in _CONTACT_LINE.finditer(text):  # bare local numbers, only in a contact line
        end = text.find("\n", line.start())
        end = len(text) if end < 0 else end
        spans += [m.span() for m in _LOCAL.finditer(text, line.end(), end)]
    for word in _PHONE_WORD.finditer(text):  # … or just after a phone word in the body
        m = _LOCAL.match(text, word.end()) or _LOCAL.match(text, word.end() + 1)
        if m:
            spans.append(m.span())
    words = sorted({n for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    if words:
        spans += [m.span() for m in re.finditer("|".join(map(re.escape, words)), text)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def redact(text: str, names: tuple[str, ...] = ()) -> tuple[str, Callable[[int], int]]:
    """Return text with contact names, phone numbers and e-mail addresses as [redacted], and an offset map.

    `names` are added to the names found in the text's contact lines.

    >>> redact("联系人：朱华，电话：0763-3362101", ())[0]
    '联系人：[redacted]，电话：[redacted]'
    """
    spans = _spans(text, contact_names(text) + tuple(names))
    pieces, old_starts, old_ends, new_starts, last, shift = [], [], [], [], 0, 0
    for s, e in spans:
        pieces += [text[last:s], REDACTED]
        old_starts.append(s)
        old_ends.append(e)
        new_starts.append(s + shift)
        shift += len(REDACTED) - (e - s)
        last = e
    pieces.append(text[last:])

    def move(pos: int) -> int:
        k = bisect_right(old_starts, pos) - 1
        if k < 0:
            return pos
        if pos < old_ends[k]:
            return new_starts[k]
        return pos + new_starts[k] + len(REDACTED) - old_ends[k]

    return "".join(pieces), move


def redact_plain(text: str, names: tuple[str, ...]) -> str:
    """Return a short string (a metadata value, a debris line) with the same redactions."""
    return redact(text, names)[0]
