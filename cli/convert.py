"""`dafu convert`: letters in, JSON records, metrics.csv and a run summary out.

What a run promises (DESIGN §6; the cron job's view):

- An input that is missing, an unreadable folder, or a folder that yields no letter stops the run
  before anything is written (exit 2); `--allow-empty` accepts a folder with no letter.
- Records are staged and put in place together with metrics.csv at the end: an interrupted or failed
  run leaves the last run's files, and letters/ and the CSVs always describe the same records.
- A letter that fails keeps its last good record (and its rows); records of inputs no longer given
  stay (and stay in the CSVs); `--prune` deletes only records dafu wrote (the manifest in
  `.dafu-state.json`) whose input was under a folder walked in this run and is gone.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Annotated, Any

import typer

from .console import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PIPE,
    EXIT_USAGE,
    Interrupted,
    Reporter,
    deferred_signals,
    signals,
    silence_stdout,
    stream_closed,
)
from .options import DEFAULT_MAX_BYTES, Encoding, Excel, Glob, Jobs, MaxBytes, NoProgress, Quiet, Redact, Script, Strict
from .outdir import OutputError

__all__ = ["convert", "Settings", "run"]


def convert(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", help="Letter files, folders (walked recursively) or - for one letter on stdin.")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="DIR",
        help="Write DIR/letters/<id>.json, metrics.csv, letters.csv, run.json, errors.jsonl, "
             "datapackage.json.")] = None,
    csv_path: Annotated[str | None, typer.Option(
        "--csv", metavar="PATH|-", help="Also write the metrics CSV here (- is stdout; a pipe is a stream).")] = None,
    jsonl_path: Annotated[str | None, typer.Option(
        "--jsonl", metavar="PATH|-", help="Also write the records as JSON Lines here (- is stdout).")] = None,
    sqlite_path: Annotated[str | None, typer.Option(
        "--sqlite", metavar="PATH",
        help="Also write a SQLite database (letters, metrics, sections, warnings, repairs, full-text search) "
             "and its Datasette metadata (PATH without .db + .metadata.json).")] = None,
    xlsx_path: Annotated[str | None, typer.Option(
        "--xlsx", metavar="PATH",
        help="Also write an Excel workbook with sheets letters and metrics (needs: pip install 'dafu[xlsx]').")] = None,
    incremental: Annotated[bool, typer.Option(
        "--incremental",
        help="With -o: skip letters unchanged since the last run (same bytes, version, options).")] = False,
    prune: Annotated[bool, typer.Option(
        "--prune",
        help="With -o: delete the records dafu wrote for inputs that are gone from the folders given.")] = False,
    allow_empty: Annotated[bool, typer.Option(
        "--allow-empty", help="Accept a folder with no letter (otherwise exit 2, outputs untouched).")] = False,
    wait: Annotated[float, typer.Option(
        "--wait", metavar="SECONDS", min=0,
        help="Wait this long for another run's lock on -o (otherwise exit 75).")] = 0.0,
    jobs: Jobs = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="tcp://HOST:PORT", envvar="DAFU_SCHEDULER", show_envvar=True,
        help="Convert on this Dask cluster's workers instead of local processes (the dask extra).")] = None,
    script: Script = "simplified",
    redact: Redact = False,
    strict: Strict = False,
    quiet: Quiet = False,
    no_progress: NoProgress = False,
    excel: Excel = False,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    glob: Glob = "*.txt",
    encoding: Encoding = None,
    manifest: Annotated[str | None, typer.Option(
        "--manifest", metavar="FILE.csv",
        help="CSV with path,url,fetched_at[,site] (paths relative to the file): fills source.url and "
             "source.fetched_at. Without it, <letter>.meta.json beside a letter is read.")] = None,
    dedupe: Annotated[bool, typer.Option(
        "--dedupe", help="Group mirror copies (same or nearly the same text): copies get duplicate_of and a "
                         "warning, and only the canonical copy's metrics go to the CSVs (needs the dedupe extra).")
    ] = False,
    corrections: Annotated[str | None, typer.Option(
        "--corrections", metavar="FILE",
        help="Apply a person's corrections (TOML or .jsonl; default: DIR/corrections.toml when there).")] = None,
) -> None:
    """Convert letters to JSON records (one per letter) and a flat CSV of their metrics.

    Without -o the records go to stdout as JSON Lines, ordered by id.
    Exit 0: all converted; 1: some letters failed (the rest were written); 2: usage error, unusable
    input or output location (nothing written); 75: output folder locked; 130/143/129: interrupted.
    """
    if (incremental or prune) and output is None:
        raise typer.BadParameter("needs -o DIR (the state of the last run is kept there)",
                                 param_hint="--incremental/--prune")
    if csv_path == "-" and jsonl_path == "-":
        raise typer.BadParameter("only one of --csv and --jsonl can go to stdout", param_hint="--csv/--jsonl")
    if xlsx_path is not None:
        import importlib.util

        if importlib.util.find_spec("xlsxwriter") is None:
            raise typer.BadParameter("needs XlsxWriter: pip install 'dafu[xlsx]'", param_hint="--xlsx")
    if inputs.count("-") > 1:
        raise typer.BadParameter("stdin (-) can be read only once", param_hint="INPUT")
    _check_urls(inputs, scheduler)
    if glob == "":
        raise typer.BadParameter("empty pattern", param_hint="--glob")
    settings = Settings(
        inputs=tuple(inputs), output=output, csv_path=csv_path, jsonl_path=jsonl_path, sqlite_path=sqlite_path,
        xlsx_path=xlsx_path,
        incremental=incremental, prune=prune, jobs=jobs, script=script, redact=redact, strict=strict,
        quiet=quiet, no_progress=no_progress, excel=excel, max_bytes=max_bytes, glob=glob, encoding=encoding,
        allow_empty=allow_empty, wait=wait, scheduler=scheduler or None, manifest=manifest, dedupe=dedupe,
        corrections=corrections,
    )
    raise typer.Exit(run(settings))


def _check_urls(inputs: list[str], scheduler: str | None) -> None:
    """URL inputs (fsspec) are read by Dask workers: they need --scheduler, and are not mixed with local paths."""
    from .urls import is_url

    urls = sum(is_url(i) for i in inputs)
    if urls and not scheduler:
        raise typer.BadParameter("URL inputs are read by Dask workers: give --scheduler too", param_hint="INPUT")
    if urls and urls < len(inputs):
        raise typer.BadParameter("give local paths or URLs, not both", param_hint="INPUT")


@dataclass(frozen=True)
class Settings:
    """Everything `dafu convert` was asked to do."""

    inputs: tuple[str, ...]
    output: str | None = None
    csv_path: str | None = None
    jsonl_path: str | None = None
    sqlite_path: str | None = None
    xlsx_path: str | None = None
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
    allow_empty: bool = False
    wait: float = 0.0
    scheduler: str | None = None  # a Dask scheduler's address: run there (cli/cluster.py)
    manifest: str | None = None
    dedupe: bool = False
    corrections: str | None = None  # FILE of --corrections (None: DIR/corrections.toml when there)


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
    kept: int = 0
    duplicates: int = 0  # letters marked as mirror copies (--dedupe)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _options_key(settings: Settings, options: Any) -> dict[str, Any]:
    """Return the settings that change a record's bytes (a change means: convert again)."""
    return {"script": options.script, "redact": options.redact,
            "repair_min_confidence": options.repair_min_confidence,
            "lexicon": [list(p) for p in options.lexicon], "encoding": settings.encoding,
            "corrections": options.corrections.digest if options.corrections else None}


def run(settings: Settings) -> int:
    """Do one `dafu convert` run and return its exit code."""
    from .urls import is_url

    if settings.output is not None and is_url(settings.output):  # -o s3://…: written locally, then put there
        from .urls import with_url_output

        return with_url_output(settings, run)
    reporter = Reporter(settings.quiet)
    out = client = None
    with signals():
        try:
            plan = _Plan(settings, reporter)
            code = plan.check()
            if code is not None:
                return code
            if settings.scheduler:  # before the output folder is touched: an unreachable scheduler changes nothing
                from .cluster import SchedulerError, connect

                try:
                    client = connect(settings.scheduler)
                except SchedulerError as exc:
                    raise OutputError(exc.address, exc.reason) from None
            out = plan.out
            if out is not None:
                out.open(settings.wait)
            return _run(settings, plan, reporter, client)
        except OutputError as stop:
            reporter.error(stop.path, stop.reason, None)
            return stop.code
        except Interrupted as sig:
            reporter.say("dafu: interrupted; nothing written")
            return sig.code
        finally:
            if out is not None:
                out.close()
            if client is not None:
                client.close()


class _Plan:
    """What a run will read and write, checked before anything is written."""

    def __init__(self, settings: Settings, reporter: Reporter) -> None:
        from .outdir import OutputFolder

        self.settings, self.reporter = settings, reporter
        self.out = OutputFolder(settings.output) if settings.output is not None else None
        self.csv = self.jsonl = self.sqlite = self.xlsx = None
        self.found = None
        self.manifest = None  # --manifest rows (cli/provenance.py)
        self.corrections = None

    def check(self) -> int | None:
        """Check outputs and inputs; return an exit code to stop with (messages printed), or None to go on."""
        from .outdir import check_output

        settings = self.settings
        self.corrections = _corrections(settings)
        if self.out is not None:
            self.out.check()
        if settings.csv_path is not None:
            self.csv = check_output(settings.csv_path, "--csv")
        jsonl = settings.jsonl_path
        if jsonl is None and settings.output is None and not _is_stdout(settings.csv_path):
            jsonl = "-"
        if jsonl is not None:
            self.jsonl = check_output(jsonl, "--jsonl")
        if settings.sqlite_path is not None:
            self.sqlite = _file_target(settings.sqlite_path, settings.output, "--sqlite")
        if settings.xlsx_path is not None:
            self.xlsx = _file_target(settings.xlsx_path, settings.output, "--xlsx")
        if self.csv and self.jsonl and (self.csv.path == self.jsonl.path or
                                        (_is_stdout(settings.csv_path) and _is_stdout(jsonl))):
            raise OutputError(settings.csv_path, "given to both --csv and --jsonl")
        if any(t is not None and t.kind == "stdout" for t in (self.csv, self.jsonl)) and stream_closed(1):
            raise OutputError("<stdout>", "standard output is closed; nothing written")
        if "-" in settings.inputs and stream_closed(0):
            raise OutputError("<stdin>", "standard input is closed")
        self._inputs_outside_output()
        if settings.dedupe:
            _require_dedupe()
        self.manifest = _load_manifest(settings.manifest)
        return self._collect()

    def _inputs_outside_output(self) -> None:
        from .inputs import display_path

        if self.out is None or not os.path.exists(self.out.folder):
            return
        real_out = os.path.realpath(self.out.folder)
        for given in self.settings.inputs:
            if given == "-":
                continue
            real = os.path.realpath(given)
            if real == real_out or real.startswith(real_out.rstrip(os.sep) + os.sep):
                raise OutputError(display_path(given), "is in the output folder; outputs are never read as input")

    def _collect(self) -> int | None:
        from .inputs import _matcher, collect
        from .urls import is_url

        settings = self.settings
        skip = [k for k in [self.out.identity()] if k] if self.out is not None else []
        outputs = {t.identity: option for t, option in ((self.csv, "--csv"), (self.jsonl, "--jsonl"))
                   if t is not None and t.identity is not None}
        if settings.scheduler and any(is_url(i) for i in settings.inputs):  # listed here, read by the workers
            from .urls import collect_urls

            self.found = found = collect_urls(settings.inputs, settings.glob)
        else:
            self.found = found = collect(settings.inputs, settings.glob, skip=skip, outputs=outputs)
        stop = False
        for problem in found.problems:
            if problem.kind == "empty" and settings.allow_empty:
                self.reporter.warning(problem.display, problem.reason)
            elif problem.fatal:
                stop = True
                outcome = "nothing written" if problem.kind in ("empty", "missing", "unreadable") else None
                self.reporter.error(problem.display, problem.reason, outcome)
        if stop:
            return EXIT_USAGE
        match = _matcher(settings.glob)
        for target, option in ((self.csv, "--csv"), (self.jsonl, "--jsonl")):
            if target is None or target.kind != "file" or target.identity is not None:
                continue
            for root in found.roots:
                real_root = os.path.realpath(root)
                rel = os.path.relpath(target.path, real_root)
                if os.path.isdir(real_root) and not rel.startswith(".."):
                    if match(os.path.basename(target.path), tuple(rel.split(os.sep))):
                        raise OutputError(target.given, f"{option} would be read as a letter by the next run "
                                          f"(it is in {root} and matches --glob)")
        return None


def _run(settings: Settings, plan: _Plan, reporter: Reporter, client=None) -> int:
    import dataclasses

    import dafu
    from dafu.options import DEFAULT_OPTIONS

    from .outdir import State
    from .parallel import Config, Runner, Task, cap_jobs

    started = time.time()
    clock = time.perf_counter()
    options = dataclasses.replace(DEFAULT_OPTIONS, script=settings.script, redact=settings.redact,
                                  corrections=plan.corrections)
    key = _options_key(settings, options)
    tally = _Tally()
    found, out = plan.found, plan.out
    manifest = plan.manifest
    if settings.dedupe:
        key["dedupe"] = True  # records marked by --dedupe are not reused by a run without it, nor the reverse
    if manifest is not None:
        key["manifest"] = _file_sha256(settings.manifest)  # a changed manifest converts again (--incremental)
    if options.corrections:
        _warn_unmatched_letters(options.corrections, found.items, reporter)
    for item in found.items:
        if item.collision_of is not None:
            reporter.warning(item.display, f"id {item.collision_of!r} already used; this letter is {item.id!r}")
    state = State.load(out.folder) if out else State(letters={}, sources={})
    if state.damaged:
        tally.warnings += 1
        reporter.warning(out.folder, "the last run's state (.dafu-state.json) is damaged; every letter is "
                                     "converted again and nothing is pruned")
    same_run = state.version == dafu.__version__ and state.options == key
    known = state.letters if (same_run and settings.incremental and out) else {}
    stdin_data = None
    if any(i.path is None for i in found.items):
        try:
            stdin_data = sys.stdin.buffer.read(settings.max_bytes + 1)
        except (OSError, AttributeError, ValueError) as exc:
            raise OutputError("<stdin>", f"cannot read ({getattr(exc, 'strerror', None) or exc})") from None

    def task(i) -> Task:
        sha = known.get(i.id)
        record = out.record_path(i.id) if sha is not None else None
        return Task(i.path, i.display, i.id, i.collision_of, sha, stdin_data if i.path is None else None,
                    i.follow, i.stream, record, provenance=manifest.get(i.path) if manifest is not None else None)

    tasks = _LazyTasks(found.items, task)
    config = Config(options, settings.max_bytes, settings.encoding,
                    want_rows=out is not None or settings.csv_path is not None, dedupe=settings.dedupe)
    ctx = _Context(settings, plan, reporter, tally, state)
    for problem in found.problems:
        if problem.level == "error":
            ctx.fail(problem.display, problem.reason, problem.kind)
        elif problem.level == "warning" and not problem.fatal:
            tally.warnings += 1
            reporter.warning(problem.display, problem.reason)
    jobs, why = cap_jobs(settings.jobs)
    if why:
        reporter.warning(f"--jobs {settings.jobs}", f"using {jobs} (the machine has {why})")
    if client is not None:  # --scheduler: the same tasks and results, from a Dask cluster's workers
        from .cluster import DaskRunner

        runner = DaskRunner(tasks, config, client=client)
    else:
        runner = Runner(tasks, config, jobs=jobs, lock_fd=out.lock_fd if out else None)
    status = "complete"
    try:
        ctx.open()
        runner.start()
        status = ctx.consume(runner, len(tasks))
        runner.stop(now=status != "complete")
        if manifest is not None and manifest.unused and status == "complete":
            reporter.warning(settings.manifest, f"rows naming no input letter: {manifest.unused}")
        with deferred_signals() as held:
            if out is not None:
                ctx.finish(found, key, options, started, clock, status, jobs)
            else:
                ctx.close_sinks()
    except Interrupted as sig:
        runner.stop()
        ctx.discard()
        if out is not None:
            ctx.write_run_json(options, started, clock, "interrupted", jobs)
        reporter.say(f"dafu: interrupted; nothing published ({tally.letters} letters were done); "
                     "the output keeps the last run's files")
        return sig.code
    except BrokenPipeError:
        runner.stop()
        ctx.discard()
        silence_stdout()
        return EXIT_PIPE
    except OSError as exc:  # the output location failed mid-run (disk full, removed, read-only)
        runner.stop()
        ctx.discard()
        if out is not None:
            ctx.write_run_json(options, started, clock, "failed", jobs)
        streams = any(t is not None and t.kind != "file" for t in (plan.csv, plan.jsonl))
        where = getattr(exc, "filename", None) or ("<stdout>" if streams or out is None else out.folder)
        reporter.error(str(where), f"{exc.strerror or exc}", "stopping; nothing published")
        if where == "<stdout>" or (out is None and settings.jsonl_path in (None, "-")):
            silence_stdout()
        return EXIT_USAGE
    seconds = time.perf_counter() - clock
    if not settings.quiet:
        kept = f", {tally.kept} kept from the last run" if tally.kept else ""
        tail = kept + ("" if status == "complete" else f" ({status})")
        reporter.say(f"dafu: {_count(tally.letters, 'letter')}, {tally.metrics} metrics, {tally.warnings} warnings, "
                     f"{tally.failed} errors in {seconds:.1f} s" + tail)
    if held.pending:
        return 128 + held.pending
    return EXIT_FAILED if tally.failed else EXIT_OK


def _is_stdout(path: str | None) -> bool:
    """True for `-` and the names of stdout (/dev/stdout, /dev/fd/1, /proc/self/fd/1)."""
    return path in ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def _file_target(path: str, output: str | None, option: str):
    """Return the checked target of --sqlite or --xlsx (a regular file; in -o DIR even before DIR is made)."""
    from .outdir import Target, check_output

    folder = os.path.dirname(os.path.abspath(path))
    if output is not None and folder == os.path.abspath(output) and not os.path.exists(folder):
        return Target(path, "file", os.path.abspath(path))
    target = check_output(path, option)
    if target.kind != "file":
        raise OutputError(path, f"{option} writes a regular file (it is replaced as a whole); not written")
    return target


def _require_dedupe() -> None:
    """Stop the run (exit 2) when the dedupe extra is missing."""
    from dafu.dedupe import DedupeExtraMissing, require

    try:
        require()
    except DedupeExtraMissing as exc:
        raise OutputError("--dedupe", str(exc)) from None


def _load_manifest(path: str | None):
    """Return the --manifest rows, or None; an unusable manifest stops the run (exit 2)."""
    if path is None:
        return None
    from .provenance import ManifestError, load_manifest

    try:
        return load_manifest(path)
    except ManifestError as exc:
        raise OutputError(path, str(exc)) from None


def _file_sha256(path: str) -> str:
    import hashlib

    with open(path, "rb") as fp:
        return hashlib.file_digest(fp, "sha256").hexdigest()


def _corrections(settings: Settings):
    """Return the Corrections to apply (--corrections FILE, else DIR/corrections.toml), or None.

    An unusable file stops the run before anything is written (OutputError: exit 2).
    """
    from dafu.corrections import CorrectionsError

    from .corrections_file import read_corrections

    path = _corrections_path(settings)
    if path is None:
        return None
    try:
        return read_corrections(path)
    except CorrectionsError as exc:
        where, _, reason = str(exc).partition(": ")
        raise OutputError(where, reason) from None


def _warn_unmatched_letters(corrections, items, reporter: Reporter) -> None:
    """Say which corrections name a letter this run does not have (they can warn in no record)."""
    missing = sorted(corrections.letters - {i.id for i in items})
    if missing:
        shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        reporter.warning("corrections", f"{len(missing)} letter id(s) not among this run's inputs: {shown}")


def _count(n: int, noun: str) -> str:
    """Return "1 letter" or "5 letters"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _gone(source: str | None, roots: tuple[str, ...]) -> bool:
    """True when a record's input was under an input given to this run and is no longer there."""
    from .outdir import decode_source

    if not source:
        return False
    path = decode_source(source)
    if not any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
        return False  # not looked at in this run
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False  # unreadable: not looked at
    return False


class _Context:
    """The state of one run while results stream in: sinks, counts, errors, the new manifest."""

    def __init__(self, settings: Settings, plan: _Plan, reporter: Reporter, tally: _Tally, state) -> None:
        self.settings, self.plan, self.out, self.reporter, self.tally = settings, plan, plan.out, reporter, tally
        self.state = state
        self.jsonl = self.csv = None
        self.errors_file = None
        self.metrics_file = None  # metrics.csv of the output folder, written as the results come
        self.records = None  # StagedRecords of letters/
        self._spool = None  # --dedupe: results held until every letter is in (cli/dedupe.py)
        self.letters: dict[str, str] = {}  # the new manifest: id -> sha256 of the input
        self.sources: dict[str, str] = {}  # id -> absolute input path
        self.pruned: list[str] = []
        self._old: list[str] = []  # ids of records from the last run not in this run (merged into the CSVs)
        self._old_pos = 0
        self.tables = None  # letters.csv and the --sqlite database (cli/tables.py)

    def open(self) -> None:
        from .outdir import open_target
        from .writers import BOM, AtomicFile, csv_bytes

        self.jsonl = open_target(self.plan.jsonl) if self.plan.jsonl else None
        self.csv = open_target(self.plan.csv) if self.plan.csv else None
        head = (BOM if self.settings.excel else b"") + csv_bytes([_columns()])
        if self.csv is not None:
            self.csv[0].write(head)
        if self.out is not None:
            from .writers import StagedRecords

            self.records = StagedRecords(self.out.letters)
            self.metrics_file = AtomicFile(os.path.join(self.out.folder, "metrics.csv"))
            self.metrics_file.write(head)
            self.errors_file = AtomicFile(os.path.join(self.out.folder, "errors.jsonl"))
            for error in self.tally.errors:
                self._log_error(error)
        if self.out is not None or self.settings.sqlite_path is not None or self.settings.xlsx_path is not None:
            from .tables import Tables

            self.tables = Tables(self.out.folder if self.out else None,
                                 self.plan.sqlite.path if self.plan.sqlite else None, excel=self.settings.excel,
                                 xlsx_path=self.plan.xlsx.path if self.plan.xlsx else None)
        if self.out is not None:
            self._plan_old()

    def _plan_old(self) -> None:
        """Split the last run's records that this run does not convert into pruned and kept ones."""
        current = {i.id for i in self.plan.found.items}
        roots = self.plan.found.roots
        old = []
        for id in sorted(self.state.letters):
            if id in current:
                continue
            if self.settings.prune and _gone(self.state.sources.get(id), roots):
                self.pruned.append(id)
            elif os.path.exists(self.out.record_path(id)):
                old.append(id)
        self._old = old

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
        """Handle results as they come; return "complete" or "partial" (some letters failed, or --strict stopped)."""
        done = 0
        if self.settings.dedupe:  # results held until every letter is in, then grouped (cli/dedupe.py)
            from .dedupe import Spool

            self._spool = Spool(self.out.record_path if self.out else None)
        try:
            with self._progress(total) as advance:
                for res in runner:
                    advance()
                    done += 1
                    self._old_before(res.id)
                    if res.status == "error":
                        self.fail(res.display, res.reason, res.kind, res.traceback)
                        self._keep(res.id)
                        if self.settings.strict:
                            break
                        continue
                    if self._spool is not None:
                        self._spool.add(res)
                    else:
                        self._take(res)
            if self.out is not None:  # the letters not reached (--strict) keep their records too
                rest = [i.id for i in self.plan.found.items[done:] if i.id in self.state.letters]
                self._old = sorted(set(self._old[self._old_pos:]) | set(rest))
                self._old_pos = 0
                self._old_before(None)
            self._replay()
        finally:
            if self._spool is not None:
                self._spool.close()
                self._spool = None
        return "partial" if self.tally.failed else "complete"

    def _replay(self) -> None:
        """Hand on the held results in order, copies marked (--dedupe); rewrite an unchanged record re-marked."""
        spool, self._spool = self._spool, None
        if spool is None:
            return
        try:
            for entry in spool.replay(want_rows=self.metrics_file is not None or self.csv is not None):
                if entry[0] == "keep":
                    self._keep(entry[1], failed=entry[2])
                    continue
                _, res, changed, is_copy = entry
                if res.status == "unchanged" and changed and self.records is not None:
                    self.records.write(res.id + ".json", res.json + b"\n")
                self.tally.duplicates += is_copy
                self._take(res)
        finally:
            spool.close()

    def _old_before(self, id: str | None) -> None:
        """Put the rows of the last run's records with ids before `id` (all, for None) in the CSVs."""
        old = self._old
        while self._old_pos < len(old) and (id is None or old[self._old_pos] < id):
            self._keep(old[self._old_pos], failed=False)
            self._old_pos += 1

    def _keep(self, id: str, failed: bool = True) -> None:
        """Keep the last run's record of `id` (a letter that failed now, or is not in this run): its rows stay."""
        import orjson

        from dafu.output import csv_rows_from_dict

        from .writers import csv_bytes

        if self.out is None or id not in self.state.letters:
            return
        if self._spool is not None:  # --dedupe: kept in its place among the held results
            self._spool.hold_keep(id, failed)
            return
        path = self.out.record_path(id)
        try:
            with open(path, "rb") as fp:
                record = orjson.loads(fp.read())
            rows = csv_bytes(csv_rows_from_dict(record))
            if not isinstance(record, dict) or record.get("id") != id:
                raise ValueError("not this letter's record")
        except FileNotFoundError:
            return
        except Exception:
            self.tally.warnings += 1
            self.reporter.warning(path, "damaged record from the last run; left out of the CSVs")
            return
        self.tally.kept += 1
        self.letters[id] = self.state.letters[id]
        if id in self.state.sources:
            self.sources[id] = self.state.sources[id]
        self.metrics_file.write(rows)
        if self.csv is not None:
            self.csv[0].write(rows)
        if self.tables is not None:
            self.tables.add(record)

    def _take(self, res) -> None:
        """Write a converted (or unchanged) letter's record, JSON line and CSV rows; count it."""
        from .outdir import encode_source
        from .urls import is_url

        if res.note:
            self.tally.warnings += 1 if "damaged" in res.note else 0
            self.reporter.warning(res.display, res.note)
        if res.status == "unchanged":
            self.tally.unchanged += 1
            self.tally.skipped += 1
        else:
            self._count_change(res.id, res.sha256)
            if self.records is not None:
                self.records.write(res.id + ".json", res.json + b"\n")
        if self.out is not None and res.sha256 is not None:
            self.letters[res.id] = res.sha256
            path = next_path(self.plan.found.items, res.id)
            if path is not None:
                self.sources[res.id] = encode_source(path if is_url(path) else os.path.abspath(path))
        self.tally.letters += 1
        self.tally.metrics += res.metrics
        self.tally.warnings += res.warnings
        if self.jsonl is not None:
            self.jsonl[0].write(res.json + b"\n")
        if self.tables is not None:
            self.tables.add(res.json)
        if res.csv is not None:
            if self.metrics_file is not None:
                self.metrics_file.write(res.csv)
            if self.csv is not None:
                self.csv[0].write(res.csv)

    def _count_change(self, id: str, sha: str | None) -> None:
        old = self.state.letters.get(id)
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

    def finish(self, found, key, options, started: float, clock: float, status: str, jobs: int) -> None:
        """Put records, metrics.csv, errors, state (the manifest), package and run.json in place."""
        import orjson

        import dafu

        from .outdir import STATE_NAME, State
        from .writers import atomic_write, datapackage, fsync_folder

        out, settings, tally = self.out, self.settings, self.tally
        self.records.commit()
        for id in self.pruned:
            try:
                os.unlink(out.record_path(id))
                tally.pruned += 1
            except FileNotFoundError:
                pass
        self.metrics_file.commit()
        self.metrics_file = None
        state = State(dafu.__version__, key, self.letters, self.sources)
        atomic_write(os.path.join(out.folder, STATE_NAME), state.dump())
        self.errors_file.commit()
        self.errors_file = None
        atomic_write(os.path.join(out.folder, "datapackage.json"),
                     orjson.dumps(datapackage(excel=settings.excel, version=dafu.__version__),
                                  option=orjson.OPT_INDENT_2) + b"\n")
        self.write_run_json(options, started, clock, status, jobs, strict=True)
        self.close_sinks()
        fsync_folder(out.letters)
        fsync_folder(out.folder)
        self.records = None

    def write_run_json(self, options, started: float, clock: float, status: str, jobs: int,
                       strict: bool = False) -> None:
        """Write run.json (status complete, partial, interrupted or failed); best effort unless `strict`."""
        import orjson

        from .writers import atomic_write

        seconds = round(time.perf_counter() - clock, 3)
        summary = _run_summary(self.settings, options, self.tally, started, seconds, status, jobs)
        try:
            atomic_write(os.path.join(self.out.folder, "run.json"),
                         orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
        except OSError:
            if strict:
                raise

    def close_sinks(self) -> None:
        if self.tables is not None:
            self.tables.commit()
            self.tables = None
        for sink in (self.jsonl, self.csv):
            if sink is None:
                continue
            stream, atomic = sink
            if atomic is not None:
                atomic.commit()
            else:
                stream.flush()
                if stream is not sys.stdout.buffer:
                    stream.close()
        self.jsonl = self.csv = None

    def discard(self) -> None:
        """Drop every unfinished output; files already in place stay complete."""
        for sink in (self.jsonl, self.csv):
            if sink is not None and sink[1] is not None:
                sink[1].discard()
            elif sink is not None and sink[0] is not sys.stdout.buffer:
                try:
                    sink[0].close()
                except OSError:
                    pass
        for atomic in (self.errors_file, self.metrics_file):
            if atomic is not None:
                atomic.discard()
        if self.records is not None:
            self.records.discard()
        if self.tables is not None:
            self.tables.discard()
        self.jsonl = self.csv = self.errors_file = self.metrics_file = self.records = self.tables = None


def next_path(items, id: str) -> str | None:
    """Return the input path of the item with `id` (items are sorted by id)."""
    from bisect import bisect_left

    k = bisect_left(items, id, key=lambda i: i.id)
    if k < len(items) and items[k].id == id:
        return items[k].path
    return None


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


def _columns() -> list[str]:
    from dafu.output import CSV_COLUMNS

    return list(CSV_COLUMNS)


def _corrections_path(settings: Settings) -> str | None:
    """The corrections file of this run: --corrections FILE, else DIR/corrections.toml (.jsonl) when there."""
    from .corrections_file import corrections_beside

    return settings.corrections or corrections_beside(settings.output)


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
                    "corrections": _corrections_path(settings)},
        "timings": {"started": iso(started), "finished": iso(started + seconds), "seconds": seconds},
    }
