"""Options: the immutable settings of one run of the pipeline."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Options", "DEFAULT_OPTIONS", "SCRIPTS"]

SCRIPTS = ("simplified", "traditional", "keep")


@dataclass(frozen=True, slots=True)
class Options:
    """Pipeline settings; change one with `dataclasses.replace(opts, script="keep")`."""

    script: str = "simplified"  # simplified | traditional | keep
    redact: bool = False
    repair_min_confidence: float = 0.0  # repairs less sure than this are left as they were (and warned)
    lexicon: tuple[tuple[str, str], ...] = ()  # extra (keyword, category) pairs, checked before the built-in ones
    # a person's fixes (a dafu.corrections.Corrections), applied after extraction; typed Any so that options
    # imports no stage (corrections reads segment, which reads options: tests/test_layout.py forbids the cycle)
    corrections: Any = None

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ValueError(f"Options.script must be one of {', '.join(SCRIPTS)}; got {self.script!r}")


DEFAULT_OPTIONS = Options()
