"""Detection: where a '?' is a damage anchor, and how far its visibly damaged stretch runs (REPAIR.md §3)."""
from __future__ import annotations

import re

from ..._chars import CJK as _CJK
from ..pinyin import SYL, TONED

__all__ = [
    "has_damage_anchor", "anchors", "has_sign", "strong_sign", "sign_end", "undamaged", "MAX_RUN", "MAX_UNASSIGNED",
]

_URL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:/._%&=?#+~-")
MAX_RUN = 40
MAX_UNASSIGNED = 4
_FOREIGN = "\u0370-\u04ff\u3040-\u30ff"  # Greek, Cyrillic, kana: GBK rows A4-A7 (悉。 shows as 障ぁ)
_ODD_RE = re.compile(rf"[^{_CJK}\s\w，。、；：？！“”‘’《》（）〔〕【】…—·.,;:!?()%+\-/|\"'<>\[\]]"
                     rf"|(?<![a-z{TONED}])[{TONED}](?![a-z{TONED}])"  # a pinyin letter alone (GBK row A8)
                     rf"|(?<![{_FOREIGN}])[{_FOREIGN}](?![{_FOREIGN}])")  # one foreign letter alone; a run is real text
_GLUE_RE = re.compile(rf"[^\x00-\x7f{TONED}][\x40-\x7e?]|[\x40-\x7e]\({SYL}\)")
_STRONG_RE = re.compile(rf"[\x40-\x7e]|{SYL}\)")
_STRONG_GLUE_RE = re.compile(rf"[^\x00-\x7f{TONED}][\x40-\x7e]|[\x40-\x7e]\({SYL}\)")
_LEAD_SIGN_RE = re.compile(rf"\?|[\x40-\x7e]|{SYL}\)")


def _in_url(text: str, i: int) -> bool:
    """True when text[i] sits in a URL-like ASCII token (REPAIR.md §3)."""
    a, b = i, i + 1
    while a > 0 and text[a - 1] in _URL_CHARS and i - a < 200:
        a -= 1
    while b < len(text) and text[b] in _URL_CHARS and b - i < 200:
        b += 1
    tok = text[a:b]
    return len(tok) >= 6 and ("/" in tok or "=" in tok or tok.lower().startswith("www"))


def anchors(text: str) -> list[int]:
    """Offsets of every '?' outside URL-like tokens."""
    out, i = [], text.find("?")
    while i >= 0:
        if not _in_url(text, i):
            out.append(i)
        i = text.find("?", i + 1)
    return out


def has_sign(text: str, i: int) -> bool:
    """True when the text after the '?' at i looks like a shifted run (odd char, glued letter, `syl)`)."""
    after = text[i + 1 : i + 1 + MAX_RUN]
    rest = after.lstrip("?")
    before = len(text[max(0, i - MAX_RUN):i]) - len(text[max(0, i - MAX_RUN):i].rstrip("?"))
    if not rest or before + 1 + len(after) - len(rest) > MAX_UNASSIGNED:
        return False  # a long run of '?': no byte of it is left to read, any "repair" would be invented
    return bool(_LEAD_SIGN_RE.match(after) or _GLUE_RE.search(after) or _ODD_RE.search(after))


def strong_sign(text: str, i: int) -> bool:
    """Signs strong enough to report an anchor as unresolved: glued letter, `syl)`, odd character."""
    after = text[i + 1 : i + 1 + MAX_RUN]
    return bool(_STRONG_RE.match(after) or _STRONG_GLUE_RE.search(after) or _ODD_RE.search(after))


def has_damage_anchor(text: str) -> bool:
    """True when some '?' (outside URLs) is followed by signs of a shifted GBK run.

    >>> has_damage_anchor("收悉?,F(xiàn)答復(fù)如下"), has_damage_anchor("嗎?答:可以")
    (True, False)
    """
    if "?" not in text:
        return False
    return any(has_sign(text, i) for i in anchors(text))


def sign_end(text: str, i: int) -> int:
    """End of the visibly damaged stretch after the anchor at i (up to the first ASCII byte run)."""
    j = i + 1
    while j < len(text) and j - i <= MAX_RUN and (ord(text[j]) > 0x7F or text[j] == "?"):
        j += 1
    return min(len(text), j + 1)


def undamaged(text: str, anchors: list[int]) -> str:
    """The letter with every anchor's visibly damaged stretch cut out (lines joined by newlines)."""
    parts, last = [], 0
    for i in anchors:
        if i >= last:
            parts.append(text[last:i])
            last = sign_end(text, i)
    parts.append(text[last:])
    return "\n".join(parts)
