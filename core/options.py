"""Options: the immutable settings of one run of the pipeline."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .corrections import Corrections

__all__ = ["Options", "DEFAULT_OPTIONS", "SCRIPTS"]

SCRIPTS = ("simplified", "traditional", "keep")


@dataclass(frozen=True, slots=True)
class Options:
    """Pipeline settings; change one with `dataclasses.replace(opts, script="keep")`."""

    script: str = "simplified"  # simplified | traditional | keep
    redact: bool = False
    repair_min_confidence: float = 0.0  # repairs less sure than this are left as they were (and warned)
    lexicon: tuple[tuple[str, str], ...] = ()  # extra (keyword, category) pairs, checked before the built-in ones
    corrections: Corrections | None = None  # a person's fixes, applied after extraction (core/corrections.py)

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ValueError(f"Options.script must be one of {', '.join(SCRIPTS)}; got {self.script!r}")


DEFAULT_OPTIONS = Options()
