"""`dafu convert`: letters in, JSON records, metrics.csv and a run summary out."""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Optional

import typer

from .options import (DEFAULT_MAX_BYTES, Encoding, Excel, Glob, Jobs, MaxBytes, NoProgress, Quiet,
                      Redact, Script, Strict)

__all__ = ["convert", "Settings", "run"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141


def convert(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", help="Letter files, folders (walked recursively) or - for one letter on stdin.")],
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="DIR",
        help="Write DIR/letters/<id>.json, metrics.csv, run.json, errors.jsonl, datapackage.json.")] = None,
    csv_path: Annotated[Optional[str], typer.Option(
        "--csv", metavar="PATH|-", help="Also write the metrics CSV here (- is stdout).")] = None,
    jsonl_path: Annotated[Optional[str], typer.Option(
        "--jsonl", metavar="PATH|-", help="Also write the records as JSON Lines here (- is stdout).")] = None,
    incremental: Annotated[bool, typer.Option(
        "--incremental", help="With -o: skip letters unchanged since the last run (same bytes, version, options).")] = False,
    prune: Annotated[bool, typer.Option(
        "--prune", help="With -o: delete the records of inputs that are gone.")] = False,
    jobs: Jobs = None,
    script: Script = "simplified",
    redact: Redact = False,
    strict: Strict = False,
    quiet: Quiet = False,
    no_progress: NoProgress = False,
    excel: Excel = False,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    glob: Glob = "*.txt",
    encoding: Encoding = None,
) -> None:
    """Convert letters to JSON records (one per letter) and a flat CSV of their metrics.

    Without -o the records go to stdout as JSON Lines, ordered by id.
    Exit 0: all converted; 1: some letters failed (the rest were written); 2: usage error or unusable
    output location; 130: interrupted.
    """
    if (incremental or prune) and output is None:
        raise typer.BadParameter("needs -o DIR (the state of the last run is kept there)",
                                 param_hint="--incremental/--prune")
    if csv_path == "-" and jsonl_path == "-":
        raise typer.BadParameter("only one of --csv and --jsonl can go to stdout", param_hint="--csv/--jsonl")
    if inputs.count("-") > 1:
        raise typer.BadParameter("stdin (-) can be read only once", param_hint="INPUT")
    settings = Settings(
        inputs=tuple(inputs), output=output, csv_path=csv_path, jsonl_path=jsonl_path,
        incremental=incremental, prune=prune, jobs=jobs, script=script, redact=redact, strict=strict,
        quiet=quiet, no_progress=no_progress, excel=excel, max_bytes=max_bytes, glob=glob, encoding=encoding,
    )
    raise typer.Exit(run(settings))


@dataclass(frozen=True)
class Settings:
    """Everything `dafu convert` was asked to do."""

    inputs: tuple[str, ...]
    output: str | None = None
    csv_path: str | None = None
    jsonl_path: str | None = None
    incremental: bool = False
    prune: bool = False
    jobs: int | None = None
    script: str = "simplified"
    redact: bool = False
    strict: bool = False
    quiet: bool = False
    no_progress: bool = False
    excel: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    glob: str = "*.txt"
    encoding: str | None = None


class _Stop(Exception):
    """The run cannot go on: an unusable output location (exit 2)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


class _Terminated(Exception):
    """SIGTERM arrived: stop like Ctrl-C."""


class Reporter:
    """Messages for people, on stderr, through one rich console made on first use."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self._console = None

    @property
    def console(self):
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._console

    @property
    def is_terminal(self) -> bool:
        """True when stderr is a terminal, or rich is told to treat it as one (FORCE_COLOR, TTY_COMPATIBLE)."""
        if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
            return self.console.is_terminal
        return sys.stderr.isatty() and self.console.is_terminal

    def say(self, line: str) -> None:
        if self._console is None and not self.is_terminal:
            sys.stderr.write(line + "\n")  # a plain line: no need to import rich (~20 ms) for a log
            sys.stderr.flush()
            return
        self.console.print(line, markup=False, highlight=False, emoji=False)

    def error(self, path: str, reason: str, outcome: str | None = "skipped") -> None:
        self.say(f"dafu: error: {path}: {reason}" + (f"; {outcome}" if outcome else ""))

    def warning(self, path: str, reason: str) -> None:
        if not self.quiet:
            self.say(f"dafu: warning: {path}: {reason}")


@dataclass
class _Tally:
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
    errors: list[dict[str, Any]] = field(default_factory=list)


_STATE = ".dafu-state.json"
_STATE_FORMAT = "dafu.state/1"


def _options_key(settings: Settings, options: Any) -> dict[str, Any]:
    """Return the settings that change a record's bytes (a change means: convert again)."""
    return {"script": options.script, "redact": options.redact,
            "repair_min_confidence": options.repair_min_confidence,
            "lexicon": [list(p) for p in options.lexicon], "encoding": settings.encoding}


def _load_state(folder: str) -> dict[str, Any]:
    """Return the last run's state, or an empty one when there is none or it is unreadable."""
    import orjson

    try:
        with open(os.path.join(folder, _STATE), "rb") as fp:
            state = orjson.loads(fp.read())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("format") == _STATE_FORMAT else {}


class _Output:
    """The output folder: created, locked, cleaned of a killed run's temp files."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.letters = os.path.join(folder, "letters")
        self.lock_fd: int | None = None

    def open(self) -> None:
        from .writers import LockBusy, lock_folder, remove_stale_temps

        try:
            os.makedirs(self.letters, exist_ok=True)
            self.lock_fd = lock_folder(self.folder)
        except LockBusy:
            raise _Stop(self.folder, "another dafu run holds the lock") from None
        except OSError as exc:
            raise _Stop(self.folder, f"cannot write here ({exc.strerror or exc})") from None
        if not os.access(self.letters, os.W_OK | os.X_OK):
            raise _Stop(self.folder, "cannot write here (permission denied)")
        remove_stale_temps([self.folder, self.letters])

    def record_path(self, id: str) -> str:
        return os.path.join(self.letters, id + ".json")

    def close(self) -> None:
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None


def run(settings: Settings) -> int:
    """Do one `dafu convert` run and return its exit code."""
    import signal

    reporter = Reporter(settings.quiet)
    out = _Output(settings.output) if settings.output else None
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise _Terminated()

    try:
        signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread
        previous = None
    try:
        if out is not None:
            out.open()
        return _run(settings, out, reporter)
    except _Stop as stop:
        reporter.error(stop.path, stop.reason, None)
        return EXIT_USAGE
    finally:
        if out is not None:
            out.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _sinks(settings: Settings):
    """Return (jsonl sink, csv sink) as (stream, AtomicFile|None) pairs or None."""
    from .writers import open_sink

    jsonl = settings.jsonl_path
    if jsonl is None and settings.output is None and settings.csv_path != "-":
        jsonl = "-"
    try:
        return (open_sink(jsonl) if jsonl else None,
                open_sink(settings.csv_path) if settings.csv_path else None)
    except OSError as exc:
        path = jsonl if settings.csv_path is None else settings.csv_path
        raise _Stop(path or "-", f"cannot write here ({exc.strerror or exc})") from None


def _run(settings: Settings, out: _Output | None, reporter: Reporter) -> int:
    import dataclasses

    import dafu
    from dafu.options import DEFAULT_OPTIONS

    from .inputs import collect
    from .parallel import Config, Runner, Task, default_jobs

    started = time.time()
    clock = time.perf_counter()
    options = dataclasses.replace(DEFAULT_OPTIONS, script=settings.script, redact=settings.redact)
    key = _options_key(settings, options)
    tally = _Tally()

    found = collect(settings.inputs, settings.glob)
    if not found.items and not found.problems:
        reporter.warning(" ".join(settings.inputs), f"no files matching {settings.glob!r}")
    for item in found.items:
        if item.collision_of is not None:
            reporter.warning(item.display, f"id {item.collision_of!r} already used; this letter is {item.id!r}")
    state = _load_state(out.folder) if out else {}
    same_run = state.get("version") == dafu.__version__ and state.get("options") == key
    known: dict[str, str] = state.get("letters", {}) if same_run else {}
    before: dict[str, str] = state.get("letters", {})
    stdin_data = None
    if any(i.path is None for i in found.items):
        stdin_data = sys.stdin.buffer.read(settings.max_bytes + 1)
    def task(i) -> Task:
        known_sha = known.get(i.id) if settings.incremental and out and os.path.exists(out.record_path(i.id)) else None
        return Task(i.path, i.display, i.id, i.collision_of, known_sha, stdin_data if i.path is None else None)

    tasks = _LazyTasks(found.items, task)
    config = Config(options, settings.max_bytes, settings.encoding,
                    want_rows=out is not None or settings.csv_path is not None)
    ctx = _Context(settings, out, reporter, tally, before)
    for problem in found.problems:
        if problem.fatal:
            ctx.fail(problem.display, problem.reason, problem.kind)
        else:
            tally.warnings += 1
            reporter.warning(problem.display, problem.reason)
    jobs = settings.jobs or default_jobs()
    runner = Runner(tasks if not (settings.strict and tally.failed) else [], config, jobs=jobs,
                    lock_fd=out.lock_fd if out else None)
    status = "complete"
    try:
        ctx.open()
        runner.start()
        status = ctx.consume(runner, len(tasks))
        runner.stop(now=status != "complete")
        if out is not None:
            ctx.finish(found.items, key, options, started, clock, status, jobs)
        else:
            ctx.close_sinks()
    except (KeyboardInterrupt, _Terminated) as exc:
        runner.stop()
        ctx.discard()
        reporter.say(f"dafu: interrupted; {tally.new + tally.changed + tally.unchanged} letters done, "
                     "every file written is complete")
        return EXIT_INTERRUPTED if isinstance(exc, KeyboardInterrupt) else 128 + 15
    except BrokenPipeError:
        runner.stop()
        ctx.discard()
        _silence_stdout()
        return EXIT_PIPE
    except OSError as exc:  # the output location failed mid-run (disk full, removed, read-only)
        runner.stop()
        ctx.discard()
        reporter.error(getattr(exc, "filename", None) or (out.folder if out else "-"),
                       f"{exc.strerror or exc}", "stopping")
        return EXIT_USAGE
    seconds = time.perf_counter() - clock
    if not settings.quiet:
        reporter.say(f"dafu: {_count(tally.letters, 'letter')}, {tally.metrics} metrics, {tally.warnings} warnings, "
                     f"{tally.failed} errors in {seconds:.1f} s" + ("" if status == "complete" else f" ({status})"))
    return EXIT_FAILED if tally.failed else EXIT_OK


def _count(n: int, noun: str) -> str:
    """Return "1 letter" or "5 letters"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so that the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class _Context:
    """The state of one run while results stream in: sinks, counts, errors."""

    def __init__(self, settings: Settings, out: _Output | None, reporter: Reporter, tally: _Tally,
                 before: dict[str, str]) -> None:
        self.settings, self.out, self.reporter, self.tally, self.before = settings, out, reporter, tally, before
        self.jsonl = self.csv = None
        self.errors_file = None
        self.metrics_file = None  # metrics.csv of the output folder, written as the results come
        self.records = None  # BatchWriter of letters/
        self.done: dict[str, str] = {}  # id -> sha256 of every letter in this run's output

    def open(self) -> None:
        from .writers import BOM, AtomicFile, csv_bytes

        self.jsonl, self.csv = _sinks(self.settings)
        head = (BOM if self.settings.excel else b"") + csv_bytes([_columns()])
        if self.csv is not None:
            self.csv[0].write(head)
        if self.out is not None:
            from .writers import BatchWriter

            self.records = BatchWriter(self.out.letters)
            self.metrics_file = AtomicFile(os.path.join(self.out.folder, "metrics.csv"))
            self.metrics_file.write(head)
            self.errors_file = AtomicFile(os.path.join(self.out.folder, "errors.jsonl"))
            for error in self.tally.errors:
                self._log_error(error)

    def fail(self, display: str, reason: str, kind: str, trace: str | None = None) -> None:
        self.tally.failed += 1
        error = {"path": display, "reason": reason, "kind": kind}
        if trace:
            error["traceback"] = trace
        self.tally.errors.append(error)
        if self.errors_file is not None:
            self._log_error(error)
        self.reporter.error(display, reason)

    def _log_error(self, error: dict[str, Any]) -> None:
        import orjson

        self.errors_file.write(orjson.dumps(error) + b"\n")

    def consume(self, runner, total: int) -> str:
        """Handle results as they come; return "complete" or why the run stopped early."""
        with self._progress(total) as advance:
            for res in runner:
                advance()
                if res.status == "error":
                    self.fail(res.display, res.reason, res.kind, res.traceback)
                    if self.settings.strict:
                        if self.records is not None:
                            self.records.flush()
                        return "stopped at the first error (--strict)"
                    continue
                self._take(res)
        if self.records is not None:
            self.records.flush()
        return "complete" if not (self.settings.strict and self.tally.failed) else "stopped at the first error (--strict)"

    def _take(self, res) -> None:
        """Write a converted (or unchanged) letter's record, JSON line and CSV rows; count it."""
        if res.status == "unchanged":
            self.tally.unchanged += 1
            self.tally.skipped += 1
            with open(self.out.record_path(res.id), "rb") as fp:
                data = fp.read().rstrip(b"\n")
            res = _from_record_file(res, data)
        else:
            self._count_change(res.id, res.sha256)
            data = res.json
            if self.records is not None:
                self.records.write(res.id + ".json", data + b"\n")
        self.done[res.id] = res.sha256
        self.tally.letters += 1
        self.tally.metrics += res.metrics
        self.tally.warnings += res.warnings
        if self.jsonl is not None:
            self.jsonl[0].write(data + b"\n")
        if res.csv is not None:
            if self.metrics_file is not None:
                self.metrics_file.write(res.csv)
            if self.csv is not None:
                self.csv[0].write(res.csv)

    def _count_change(self, id: str, sha: str | None) -> None:
        old = self.before.get(id)
        if old is None:
            self.tally.new += 1
        elif old == sha:
            self.tally.unchanged += 1
        else:
            self.tally.changed += 1

    def _progress(self, total: int):
        """Return a context manager giving an `advance()`; a rich bar only on a terminal."""
        from contextlib import contextmanager

        settings = self.settings

        @contextmanager
        def bar():
            if settings.quiet or settings.no_progress or total < 2 or not self.reporter.is_terminal:
                yield lambda: None
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            with Progress("converting", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          console=self.reporter.console, transient=True) as progress:
                task = progress.add_task("convert", total=total)
                yield lambda: progress.advance(task)

        return bar()

    def finish(self, items, key, options, started: float, clock: float, status: str, jobs: int) -> None:
        """Prune, put metrics.csv in place, write state, errors, package, run.json."""
        import orjson

        import dafu

        from .writers import atomic_write, datapackage, fsync_folder

        out, settings, tally = self.out, self.settings, self.tally
        current = {i.id for i in items}
        if settings.prune:
            for name in sorted(os.listdir(out.letters)):
                if name.endswith(".json") and not name.startswith(".") and name[:-5] not in current:
                    os.unlink(os.path.join(out.letters, name))
                    tally.pruned += 1
        self.metrics_file.commit()
        self.metrics_file = None
        letters = {k: v for k, v in self.before.items() if k in current or not settings.prune}
        letters.update(self.done)
        state = {"format": _STATE_FORMAT, "version": dafu.__version__, "options": key,
                 "letters": dict(sorted(letters.items()))}
        atomic_write(os.path.join(out.folder, _STATE), orjson.dumps(state) + b"\n")
        self.errors_file.commit()
        self.errors_file = None
        atomic_write(os.path.join(out.folder, "datapackage.json"),
                     orjson.dumps(datapackage(excel=settings.excel, version=dafu.__version__),
                                  option=orjson.OPT_INDENT_2) + b"\n")
        seconds = round(time.perf_counter() - clock, 3)
        summary = _run_summary(settings, options, tally, started, seconds, status, jobs)
        atomic_write(os.path.join(out.folder, "run.json"), orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
        self.close_sinks()
        fsync_folder(out.letters)
        fsync_folder(out.folder)
        self.records = None

    def close_sinks(self) -> None:
        for sink in (self.jsonl, self.csv):
            if sink is None:
                continue
            stream, atomic = sink
            if atomic is not None:
                atomic.commit()
            else:
                stream.flush()
        self.jsonl = self.csv = None

    def discard(self) -> None:
        """Drop every unfinished output; files already in place stay complete."""
        for sink in (self.jsonl, self.csv):
            if sink is not None and sink[1] is not None:
                sink[1].discard()
        for atomic in (self.errors_file, self.metrics_file):
            if atomic is not None:
                atomic.discard()
        if self.records is not None:
            self.records.discard()
        self.jsonl = self.csv = self.errors_file = self.metrics_file = self.records = None


class _LazyTasks(Sequence):
    """The run's tasks, each made when the runner takes it (not a list held for the whole run)."""

    def __init__(self, items, make) -> None:
        self.items, self.make = items, make

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self.make(i) for i in self.items[k]]
        return self.make(self.items[k])


def _from_record_file(res, data: bytes):
    """Return an unchanged letter's result with its counts and CSV rows read from its record file."""
    import orjson

    from dafu.output import csv_rows_from_dict

    from .writers import csv_bytes

    record = orjson.loads(data)
    return res._replace(csv=csv_bytes(csv_rows_from_dict(record)), metrics=len(record.get("metrics") or ()),
                        warnings=len(record.get("warnings") or ()))


def _columns() -> list[str]:
    from dafu.output import CSV_COLUMNS

    return list(CSV_COLUMNS)


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


def _run_summary(settings: Settings, options, tally: _Tally, started: float, seconds: float,
                 status: str, jobs: int) -> dict[str, Any]:
    """Return the content of run.json."""
    from datetime import datetime, timezone

    from dafu.model import SCHEMA_ID

    def iso(t: float) -> str:
        return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds")

    return {
        "format": "dafu.run/1",
        "status": status,
        "counts": {"letters": tally.letters, "metrics": tally.metrics, "warnings": tally.warnings,
                   "errors": tally.failed, "new": tally.new, "changed": tally.changed,
                   "unchanged": tally.unchanged, "failed": tally.failed, "skipped": tally.skipped,
                   "pruned": tally.pruned},
        "errors": [{k: v for k, v in e.items() if k != "traceback"} for e in tally.errors],
        "versions": {**_versions(), "record_schema": SCHEMA_ID},
        "options": {"inputs": list(settings.inputs), "script": options.script, "redact": options.redact,
                    "incremental": settings.incremental, "prune": settings.prune, "strict": settings.strict,
                    "excel": settings.excel, "max_bytes": settings.max_bytes, "glob": settings.glob,
                    "encoding": settings.encoding, "jobs": jobs},
        "timings": {"started": iso(started), "finished": iso(started + seconds), "seconds": seconds},
    }
