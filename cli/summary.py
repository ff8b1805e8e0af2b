"""The numbers of one `dafu convert` run: the counts, run.json and the summary line (the same numbers)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from .plan import Settings, corrections_path

__all__ = ["Tally", "RunInfo", "run_summary", "summary_line"]


@dataclass(frozen=True)
class RunInfo:
    """What run.json and the state file say of a run besides its counts."""

    options: Any  # the dafu.Options every letter is converted with
    key: dict[str, Any]  # the settings that shape a record's bytes (the state file keeps them for --incremental)
    started: float  # time.time() at the start
    clock: float  # time.perf_counter() at the start
    jobs: int


@dataclass
class Tally:
    """Counts of one run; the same numbers go to run.json and the summary line."""

    letters: int = 0
    metrics: int = 0
    warnings: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    pruned: int = 0
    kept: int = 0
    duplicates: int = 0  # letters marked as mirror copies (--dedupe)
    errors: list[dict[str, Any]] = field(default_factory=list)


def run_summary(settings: Settings, options, tally: Tally, started: float, seconds: float,
                 status: str, jobs: int) -> dict[str, Any]:
    """Return the content of run.json; status is one of complete, partial, interrupted, failed."""
    from datetime import datetime

    from dafu.model import SCHEMA_ID

    from .inputs import display_path

    def iso(t: float) -> str:
        return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")

    return {
        "format": "dafu.run/1",
        "status": status,
        "counts": {"letters": tally.letters, "metrics": tally.metrics, "warnings": tally.warnings,
                   "errors": tally.failed, "new": tally.new, "changed": tally.changed,
                   "unchanged": tally.unchanged, "failed": tally.failed, "skipped": tally.skipped,
                   "pruned": tally.pruned, "kept": tally.kept,
                   "duplicates": tally.duplicates},
        "errors": [{k: v for k, v in e.items() if k != "traceback"} for e in tally.errors],
        "versions": {**_versions(), "record_schema": SCHEMA_ID},
        "options": {"inputs": [display_path(i) for i in settings.inputs], "script": options.script,
                    "redact": options.redact, "incremental": settings.incremental, "prune": settings.prune,
                    "strict": settings.strict, "excel": settings.excel, "max_bytes": settings.max_bytes,
                    "glob": display_path(settings.glob), "encoding": settings.encoding, "jobs": jobs,
                    "manifest": settings.manifest, "dedupe": settings.dedupe,
                    "corrections": corrections_path(settings)},
        "timings": {"started": iso(started), "finished": iso(started + seconds), "seconds": seconds},
    }


def summary_line(tally: Tally, seconds: float, status: str) -> str:
    """Return the line a run ends with on stderr: letters, metrics, warnings, errors, seconds."""
    kept = f", {tally.kept} kept from the last run" if tally.kept else ""
    pruned = f", {tally.pruned} pruned" if tally.pruned else ""
    tail = kept + pruned + ("" if status == "complete" else f" ({status})")
    counts = [_count(tally.letters, "letter"), _count(tally.metrics, "metric"), _count(tally.warnings, "warning"),
              _count(tally.failed, "error")]
    return f"dafu: {', '.join(counts)} in {seconds:.1f} s" + tail


def _versions() -> dict[str, str | None]:
    """Return the versions that shape a record: dafu, Python and the libraries it leans on."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    import dafu

    found: dict[str, str | None] = {"dafu": dafu.__version__, "python": platform.python_version()}
    for name in ("opencc", "jieba", "pypinyin", "charset-normalizer", "cn2an"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _count(n: int, noun: str) -> str:
    """Return "1 letter" or "5 letters"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
