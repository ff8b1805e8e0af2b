"""Whether a short line or phrase reads as an organisation's name (signature, addressee, title, contact unit)."""
from __future__ import annotations

import re

from .text import SEAL, alt

__all__ = ["is_org"]


def is_org(folded: str) -> bool:
    """Whether a short line or phrase reads as an organization's name.

    >>> is_org("清远市人力资源和社会保障局")
    True
    """
    core = SEAL.sub("", folded.strip())
    return (4 <= len(core) <= 40 and not re.search(r"[。，；：:,]", core)
            and _OWN.match(core) is None and _ORG_END.search(core) is not None
            and _NOT_ORG.search(core) is None)


_ORG_END = re.compile(rf"(?:{alt('org_suffixes')}|文件)$")
_OWN = re.compile(rf"[我本]|贵(?:{alt('org_suffixes')})")  # 我局, 本单位, 贵委: not a name (贵州省… is)
_NOT_ORG = re.compile(r"召开|举办|举行|关于|答复|开展|印发")
