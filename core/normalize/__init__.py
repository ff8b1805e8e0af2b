"""Normalize: decoded letter text -> clean text in one script, with a report of every change.

The order lives in ``normalize()``: debris lines, byte-loss repair, pinyin annotations, script
conversion (OpenCC), then Unicode, spacing and punctuation. Each step is a ``str -> str`` function
(or returns the text with what it found) and each step that changed something is recorded.
Offsets of repairs are carried through the later steps, so they index the final text.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from operator import ne

from .._chars import CJK_WIDE as _CJK
from ..model import Normalization, Normalized, Repair, Unresolved, Warning
from ..options import DEFAULT_OPTIONS, Options

__all__ = [
    "normalize", "to_script", "detect_script", "tidy_spaces", "tidy_punctuation", "unify_forms",
    "unify_doc_brackets",
]

_CJK_RE = re.compile(f"[{_CJK}]")


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc  # lazy: 20 ms import, not needed by `dafu --help`

    return opencc.OpenCC(config)


def to_script(text: str, script: str = "simplified") -> str:
    """Return ``text`` in the wanted script (OpenCC t2s / s2t), length-preserving.

    >>> to_script("關於職業技能培訓的答復")
    '关于职业技能培训的答复'
    """
    if script == "keep" or not _CJK_RE.search(text):
        return text
    conv = _converter("t2s" if script == "simplified" else "s2t")
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    # A phrase rule changed the length: convert character by character so offsets stay valid.
    return "".join(c if len(s := conv.convert(c)) != 1 else s for c in text)


def detect_script(text: str, simplified: str | None = None) -> str:
    """Return simplified, traditional, mixed or none from the characters OpenCC would change.

    >>> detect_script("關於技能培訓"), detect_script("关于技能培训"), detect_script("2024")
    ('traditional', 'simplified', 'none')
    """
    if not _CJK_RE.search(text):
        return "none"
    simplified = to_script(text, "simplified") if simplified is None else simplified
    return _script_of(text, _count_changes(text, simplified))


def _script_of(text: str, trad: int) -> str:
    """Return detect_script's answer for CJK text in which t2s changes ``trad`` characters."""
    if trad == 0:
        return "simplified"  # valid simplified text (no need to load the s2t converter)
    simp = _count_changes(text, to_script(text, "traditional"))
    if trad + simp == 0:
        return "none"
    share = trad / (trad + simp)
    return "traditional" if share >= 0.9 else "simplified" if share <= 0.1 else "mixed"


_FORMS = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
     "％": "%", "\u00a0": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
     "\u202f": " ", "\t": " "}
)


_FORMS_RE = re.compile("[" + re.escape("".join(map(chr, _FORMS))) + "]")


def unify_forms(text: str) -> str:
    """Return NFC text with full-width digits and letters and odd spaces made ASCII (1:1).

    >>> unify_forms("培训１２００人次，占３５％")
    '培训1200人次，占35%'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.translate(_FORMS) if _FORMS_RE.search(text) else text  # the search is ~15x cheaper


_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{2,}")


def tidy_spaces(text: str) -> str:
    """Return text without zero-width characters, indentation, trailing spaces or blank lines.

    >>> tidy_spaces("  一、总体情况  \\n\\n\\n  全市共有3家。\\u200b")
    '一、总体情况\\n全市共有3家。'
    """
    text = _ZERO_WIDTH.sub("", text)
    if " " in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))  # str.strip: linear on any run of spaces
        text = _SPACE_RUN.sub(" ", text)
    if "\n\n" in text:
        text = _BLANK_LINES.sub("\n", text)
    return text.strip("\n")


_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_TO_HALF = {v: k for k, v in _TO_FULL.items()}
_MARKS = frozenset(_TO_FULL) | frozenset(_TO_HALF)
_PUNCT_RE = re.compile(r"[,;:?!()，；：？！（）]")
# "Chinese text" around a mark: CJK and the CJK punctuation this step never changes. The marks it
# changes are skipped when looking for a neighbour, so the decision cannot depend on its own output
# (that keeps the step idempotent).
_CHINESE_SIDE = re.compile(f"[{_CJK}\u3001-\u303f\uff02-\uff07\uff0a-\uff0b\uff0d-\uff0f\uff1c-\uff1e\uff20“”‘’—…·]")
_ALNUM = re.compile(r"[A-Za-z0-9%.]")
# A full-width ，；：？！ right next to Chinese text stays as it is; a line whose marks are all such
# needs no look at its neighbours. Any other mark (ASCII, a bracket, a lone full-width one) does.
_SIDE = _CHINESE_SIDE.pattern
_MARK_TO_LOOK_AT = re.compile(f"[,;:?!()（）]|(?<!{_SIDE})[，；：？！](?!{_SIDE})")


def tidy_punctuation(text: str) -> str:
    """Return text with full-width punctuation beside Chinese text and ASCII inside numbers and Latin.

    >>> tidy_punctuation("收悉,现答复如下:(一)共3,500人(CEPA)")
    '收悉，现答复如下：（一）共3,500人（CEPA）'
    """
    return "\n".join(_tidy_line(line) for line in text.split("\n"))


def _tidy_line(line: str) -> str:
    if not _MARK_TO_LOOK_AT.search(line):
        return line
    marks = [m.start() for m in _PUNCT_RE.finditer(line)]
    chars = list(line)
    pairs = _bracket_pairs(line)
    left = _neighbours(line, marks, -1)
    right = _neighbours(line, marks[::-1], 1)
    next_chinese = _next_chinese(line, sorted(pairs)) if pairs else {}
    for i in marks:
        c = chars[i]
        if i in pairs:  # Chinese inside the pair
            lo, hi = sorted((i, pairs[i]))
            chinese = (next_chinese[lo] <= hi or _is_chinese(line, left[lo]) or _is_chinese(line, right[hi]))
        elif c in "()（）":  # an unmatched bracket: its outer neighbour decides
            chinese = _is_chinese(line, left[i]) or _is_chinese(line, right[i])
        else:
            before = line[left[i]] if left[i] >= 0 else ""
            after = line[right[i]] if right[i] >= 0 else ""
            if (before and after and _ALNUM.fullmatch(before) and _ALNUM.fullmatch(after)
                    and right[i] == i + 1 and left[i] == i - 1):
                chinese = False  # 3,500  10:30  ?id=1
            else:
                chinese = _is_chinese(line, left[i]) or _is_chinese(line, right[i])
        chars[i] = _TO_FULL.get(c, c) if chinese else _TO_HALF.get(c, c)
    return "".join(chars)


_DOC_YEAR_BRACKETS = re.compile(
    f"(?<=[{_CJK}])[\\[【［]((?:19|20)[0-9]{{2}})[\\]】］](?=[0-9]{{1,6}} ?[号號])"
)


def unify_doc_brackets(text: str) -> str:
    """Return text with [] and 【】 around a document number's year made 〔〕, the standard's brackets.

    >>> unify_doc_brackets("粤人社函[2020]58号、平人社【2021】3号、第[2021]期")
    '粤人社函〔2020〕58号、平人社〔2021〕3号、第[2021]期'
    """
    if "[" not in text and "【" not in text and "［" not in text:
        return text  # the usual case: no bracket to look at
    return _DOC_YEAR_BRACKETS.sub(r"〔\1〕", text)


def _neighbours(line: str, marks: list[int], step: int) -> dict[int, int]:
    """For each mark, the index of the nearest character on one side that is neither a mark nor a
    space (-1: none). ``marks`` are visited from that side inwards, so a run of marks is walked once."""
    found: dict[int, int] = {}
    for i in marks:
        j = i + step
        while 0 <= j < len(line) and line[j] == " ":
            j += step
        if 0 <= j < len(line) and line[j] in _MARKS:
            found[i] = found[j]  # the mark next to this one was visited first: share its neighbour
        else:
            found[i] = j if 0 <= j < len(line) else -1
    return found


def _is_chinese(line: str, i: int) -> bool:
    return i >= 0 and bool(_CHINESE_SIDE.match(line[i]))


_ROUND = re.compile(r"[()（）]")


def _bracket_pairs(line: str) -> dict[int, int]:
    """Map each matched round bracket (ASCII or full-width) to its partner; one pass, a stack."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in _ROUND.finditer(line):
        i = m.start()
        if line[i] in "(（":
            stack.append(i)
        elif stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def _next_chinese(line: str, stops: list[int]) -> dict[int, int]:
    """For each stop (sorted), the index of the first Chinese-side character at or after it (len: none).

    Each search ends at the next stop, whose answer it then shares, so 100k nested brackets stay linear.
    """
    found: dict[int, int] = {}
    after = len(line)
    end = len(line)
    for stop in reversed(stops):
        m = _CHINESE_SIDE.search(line, stop, end)
        after = found[stop] = m.start() if m else after
        end = stop
    return found


# ---------------------------------------------------------------- offsets through deleting steps
class _Deletions:
    """Where a step deleted characters, so that offsets before it can be mapped after it."""

    def __init__(self, before: str, after: str) -> None:
        self.starts: list[int] = []  # start of each deleted run, in `before` coordinates
        self.ends: list[int] = []
        self.shift: list[int] = []  # characters deleted up to and including each run
        i = j = total = 0
        while i < len(before):
            if j < len(after) and before[i] == after[j]:
                i += 1
                j += 1
                continue
            start = i
            while i < len(before) and (j >= len(after) or before[i] != after[j]):
                i += 1
            total += i - start
            self.starts.append(start)
            self.ends.append(i)
            self.shift.append(total)

    def map(self, pos: int) -> int:
        k = bisect_right(self.starts, pos) - 1
        if k < 0:
            return pos
        if pos < self.ends[k]:  # inside a deleted run: snap to its start
            return self.starts[k] - (self.shift[k] - (self.ends[k] - self.starts[k]))
        return pos - self.shift[k]


def _repair_spans_in_output(repairs: tuple[Repair, ...]) -> list[tuple[int, int]]:
    """Return where each repaired text stands in the repair step's output."""
    spans, delta = [], 0
    for r in repairs:
        start = r.start + delta
        spans.append((start, start + len(r.repaired)))
        delta += len(r.repaired) - (r.end - r.start)
    return spans


def _no_damage(text: str) -> bool:
    return False


def _no_annotations(text: str) -> tuple[str, int]:
    return text, 0


_MAYBE_DAMAGED = re.compile(r"\?|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")


def _input_to_output(start: int, end: int, repairs: tuple[Repair, ...]) -> tuple[int, int]:
    """Move a span of the repair step's input past the length changes of the repairs before it."""
    shift = sum(len(r.repaired) - (r.end - r.start) for r in repairs if r.end <= start)
    return start + shift, end + shift


def normalize(text: str, *, options: Options = DEFAULT_OPTIONS) -> Normalized:
    """Return the normalized letter, the metadata lifted from page furniture, and the report.

    >>> normalize("當前位置：首頁 > 建議提案\\n關(guān)於技能培訓的答復(fù)\\n收悉,現答復如下:").text
    '关于技能培训的答复\\n收悉，现答复如下：'
    """
    from .debris import drop_debris_lines

    if not isinstance(text, str):
        raise TypeError("normalize() takes str; decode bytes first with dafu.read.decode()")
    steps: list[tuple[str, int]] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, debris, metadata = drop_debris_lines(text)
    if debris:
        steps.append(("drop_debris_lines", len(debris)))

    repairs: tuple[Repair, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    warns: tuple[Warning, ...] = ()
    if _MAYBE_DAMAGED.search(text):  # the repair module costs ~30 ms to import: only when needed
        from .repair import has_damage_anchor, repair_byte_loss, strip_pinyin
    else:
        has_damage_anchor, strip_pinyin = _no_damage, _no_annotations
    if has_damage_anchor(text):
        text, repairs, unresolved, warns = repair_byte_loss(text, min_confidence=options.repair_min_confidence)
        if repairs:
            steps.append(("repair_byte_loss", len(repairs)))
    spans = _repair_spans_in_output(repairs) + [_input_to_output(u.start, u.end, repairs) for u in unresolved]
    spans += [w.span for w in warns if w.span]
    if repairs:  # a restored line break can make a line of page furniture: drop it too (idempotence)
        cleaned, more_debris, more_metadata = drop_debris_lines(text)
        if more_debris:
            spans = _remap(spans, text, cleaned)
            text, debris, metadata = cleaned, tuple(debris) + tuple(more_debris), tuple(metadata) + tuple(more_metadata)
            steps.append(("drop_debris_lines", len(more_debris)))  # recorded in order, like every step

    stripped, n_pinyin = strip_pinyin(text)
    if n_pinyin:
        steps.append(("strip_pinyin", n_pinyin))
        spans = _remap(spans, text, stripped)
        text = stripped
    simplified = to_script(text, "simplified")
    trad = _count_changes(text, simplified)  # counted once: the script and the step both need it
    script_in = _script_of(text, trad) if _CJK_RE.search(text) else "none"
    converted = simplified if options.script == "simplified" else to_script(text, options.script)
    if converted != text:
        steps.append(("to_script", trad if converted is simplified else _count_changes(text, converted)))
        text = converted
    for name, step in (("unify_forms", unify_forms), ("tidy_spaces", tidy_spaces),
                       ("tidy_punctuation", tidy_punctuation), ("unify_doc_brackets", unify_doc_brackets)):
        out = step(text)
        if out != text:
            steps.append((name, _count_changes(text, out)))
            if len(out) != len(text):
                spans = _remap(spans, text, out)
            text = out
    return Normalized(
        text=text,
        metadata=metadata,
        report=Normalization(
            script_in=script_in,
            script_out=script_in if options.script == "keep" else options.script,
            pinyin_annotations_removed=n_pinyin,
            mojibake_repaired=tuple(_moved(r, s, text) for r, s in zip(repairs, spans)),
            mojibake_unresolved=tuple(_moved(u, s, text) for u, s in zip(unresolved, spans[len(repairs):])),
            debris_removed=tuple(debris),
            steps=tuple(steps),
        ),
        warnings=tuple(replace(w, span=s) for w, s in zip(warns, spans[len(repairs) + len(unresolved):])),
    )


def _remap(spans: list[tuple[int, int]], before: str, after: str) -> list[tuple[int, int]]:
    """Return the spans moved from ``before`` to ``after`` (a copy of it with characters deleted)."""
    if not spans:
        return spans  # nothing to move: skip the character walk
    dels = _Deletions(before, after)
    return [(dels.map(a), max(dels.map(a), dels.map(b))) for a, b in spans]


def _moved(item, span: tuple[int, int], text: str):
    """Return the repair or unresolved span moved to final-text offsets (shown text updated)."""
    if isinstance(item, Repair):
        return replace(item, start=span[0], end=span[1], repaired=text[span[0]:span[1]])
    return replace(item, start=span[0], end=span[1], text=text[span[0]:span[1]])


_CHUNK = 64


def _count_changes(before: str, after: str) -> int:
    """Return how many characters differ (same length), else the difference in length.

    Equal chunks are skipped by one C comparison each; only chunks that differ are walked.
    """
    if len(before) != len(after):
        return abs(len(before) - len(after))
    changed = 0
    for i in range(0, len(before), _CHUNK):
        a, b = before[i:i + _CHUNK], after[i:i + _CHUNK]
        if a != b:
            changed += sum(map(ne, a, b))
    return changed
