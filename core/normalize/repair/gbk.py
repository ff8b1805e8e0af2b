"""GBK tables (code <-> character, by lead and trail byte) and the forms a character takes for the model."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from ..pinyin import strip_annotations
from ..script import t2s_char, variant_rank

__all__ = ["Gbk", "gbk", "shown_codes", "s5", "lmform", "simp"]



@dataclass(frozen=True, slots=True)
class Gbk:
    code2char: dict
    char2code: dict
    by_trail: dict
    by_lead: dict
    inv_leads: frozenset  # bytes that, used as a lead, make an unassigned pair with some lead byte


@lru_cache(maxsize=1)
def gbk() -> Gbk:
    code2char, char2code, by_trail, by_lead = {}, {}, {}, {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                c = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            code2char[(lead, trail)] = c
            char2code.setdefault(c, (lead, trail))
            by_trail.setdefault(trail, []).append(c)
            by_lead.setdefault(lead, []).append(c)
    inv = frozenset(t for t in range(0x81, 0xFF) if any((t, x) not in code2char for x in range(0x81, 0xFF)))
    for table in (by_trail, by_lead):
        for chars in table.values():
            chars.sort(key=variant_rank)  # stable: code order otherwise
    return Gbk(code2char, char2code, by_trail, by_lead, inv)


def shown_codes(o: str, g: Gbk) -> list[tuple[int, int]]:
    """The byte pairs a shown character can stand for when the run goes on."""
    if o == "?":
        return [g.char2code["？"]]
    if "\x21" <= o <= "\x7e":
        code = g.char2code.get(chr(ord(o) + 0xFEE0))
        return [code] if code else []
    code = g.char2code.get(o)
    return [code] if code else []


def s5(c: str) -> str:
    return chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c


@cache
def lmform(c: str) -> str:
    """A candidate character as the scoring model sees it: after S5 and t2s."""
    s = t2s_char(s5(c))
    return s if len(s) == 1 else s5(c)


def simp(raw: str) -> str:
    """Annotation-stripped, per-character t2s form used for scoring."""
    return "".join(lmform(c) for c in strip_annotations(raw))
