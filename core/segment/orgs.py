"""Whether a short line or phrase reads as an organisation's name (signature, addressee, title, contact unit)."""
from __future__ import annotations

import re

from .text import SEAL, alt, words

__all__ = ["is_org", "is_office"]


def is_org(folded: str) -> bool:
    """Whether a short line or phrase reads as an organization's name.

    >>> is_org("清远市人力资源和社会保障局")
    True
    """
    core = _ALTERNATIVES.sub("", SEAL.sub("", folded.strip()))  # 交通运输厅（局、委）: the name before the options
    if len(core) == 3:
        return core in _SHORT
    return (4 <= len(core) <= 40 and not re.search(r"[。，；：:,]", core)
            and _OWN.match(core) is None and _ORG_END.search(core) is not None
            and _NOT_ORG.search(core) is None)


def is_office(folded: str) -> bool:
    """Whether a short line names an office of a body (办公室, 社会事业局, 经发局): 2 to 6 characters ending as an
    organisation does; the body is named elsewhere (the line above it in a signature)."""
    core = SEAL.sub("", folded.strip())
    return 2 <= len(core) <= 6 and _ORG_END.search(core) is not None and _OWN.match(core) is None \
        and not re.search(r"[。，；：:,\s]", core)


_ALTERNATIVES = re.compile(r"[（(][^（）()]{1,8}[）)]$")
_ORG_END = re.compile(rf"(?:{alt('org_suffixes')}|文件)$")
_OWN = re.compile(rf"[我本]|贵(?:{alt('org_suffixes')})")  # 我局, 本单位, 贵委: not a name (贵州省… is)
_SHORT = frozenset(words()["short_orgs"])
_NOT_ORG = re.compile(r"召开|举办|举行|关于|答复|开展|印发")
