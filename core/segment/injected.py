"""Text a mirror site, content farm or spammer injected into a page: found, cut out, never taken as a field.

The vocabulary is data (``core/data/injected.toml``); besides it: URLs, ``$ _ @ ! + #`` glued to Chinese
characters, and SEO placeholders (关键词2).
"""
from __future__ import annotations

import re
from functools import cache

from .._data import data_toml
from .text import CJK

__all__ = ["boilerplate", "injected", "spam_line", "strip_injected"]


@cache
def _injected_pattern() -> re.Pattern[str]:
    data = data_toml("injected.toml")
    words = "|".join(re.escape(w) for w in sorted(data["words"], key=lambda w: (-len(w), w)))
    return re.compile(
        rf"https?://|www\.|\.(?:com|cn|net)\b|[{CJK}][$_@!+#]|[$_@!+#][{CJK}]|关键词\d|{words}", re.IGNORECASE)


def injected(value: str) -> bool:
    """Whether a short value reads as text a mirror site or spammer injected.

    >>> injected("某某体育_某某app$官网平台"), injected("贵州省水利厅")
    (True, False)
    """
    return _injected_pattern().search(value) is not None


def spam_line(line: str) -> bool:
    """Whether a whole line is a spammer's (its figures are not the letter's): a link or a handle glued to Chinese,
    or two of the spam words — one word (政务服务APP注册用户120万人；) may stand in the letter's own list.

    >>> spam_line("九州体育_jz365app$官方入口 实时比分 首存送100%"), spam_line("1.政务服务APP注册用户120万人；")
    (True, False)
    """
    found = {m.group().lower() for m in _injected_pattern().finditer(line)}
    return bool(found) and (len(found) >= 2 or _LINK_OR_HANDLE.search(line) is not None)


_LINK_OR_HANDLE = re.compile(rf"https?://|www\.|\.(?:com|cn|net|org|top|xyz|cc|vip|club|site|info|app)\b"
                             rf"|[{CJK}][$_@!+#]|[$_@!+#][{CJK}]", re.I)


def boilerplate(paragraph: str) -> bool:
    """Whether a paragraph is an upload or content-farm site's boilerplate (本文来源于网友上传，仅供参考…), which a
    letter never writes; the spam words of ``injected`` (APP, 彩票, 公众号) may stand in a letter's own sentences.

    >>> boilerplate("本文来源于网友上传，仅供参考。"), boilerplate("全省共销售福利彩票48.65亿元。")
    (True, False)
    """
    return any(w in paragraph for w in _boilerplate_words())


@cache
def _boilerplate_words() -> tuple[str, ...]:
    return tuple(data_toml("injected.toml")["boilerplate"])


_BRACKETED = re.compile(r"[\[【(（][^\[\]【】()（）\n]{1,80}[\]】)）]")


def strip_injected(value: str) -> str:
    """The value without injected runs: a bracketed run holding one, then space-separated tokens holding one.

    >>> strip_injected("某某影视官方网站 县人大第21号建议的答复")
    '县人大第21号建议的答复'
    >>> strip_injected("某局关于提案办理工[某素材库:https://example.cn/公众号:某某]作的总结")
    '某局关于提案办理工作的总结'
    """
    value = _BRACKETED.sub(lambda m: "" if injected(m.group()) else m.group(), value)
    return " ".join(t for t in value.split() if not injected(t)).strip()


