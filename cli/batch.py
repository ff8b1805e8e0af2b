"""One `dafu convert` run: inputs walked (`plan`), letters converted by a runner, results written (`sink`).

The run reads forward only: `Plan` checks everything before a file is touched; each letter becomes a
`letter.Task`; a runner (`parallel.Runner` on this machine, `cluster.DaskRunner` with --scheduler) gives
back `letter.Result`s in input order; the `Sink` writes them and puts the outputs in place at the end.

The runner lives in the shell, not in `dafu` itself: a run forks workers, locks the output folder, reads the
last run's records and writes files, while the library stays pure (`read.py` alone touches files) and never
imports `cli/`. In Python, `dafu.process_file` gives one letter's Record (`record_to_json`, `csv_rows` its bytes).
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import Any

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
)
from .outdir import OutputError
from .plan import Plan, Settings
from .sink import Sink
from .summary import RunInfo, Tally, summary_line

__all__ = ["run"]


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
            plan = Plan(settings, reporter)
            code = plan.check()
            if code is not None:
                return code
            client = _connect(settings.scheduler)  # before the output folder is touched
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


def _connect(scheduler: str | None):
    """Return a Dask client of --scheduler (None without it); an unreachable scheduler changes nothing."""
    if not scheduler:
        return None
    from .cluster import SchedulerError, connect

    try:
        return connect(scheduler)
    except SchedulerError as exc:
        raise OutputError(exc.address, exc.reason) from None


def _run(settings: Settings, plan: Plan, reporter: Reporter, client=None) -> int:
    """Convert the planned letters and put the outputs in place; return the exit code."""
    from .letter import Config
    from .outdir import State
    from .parallel import cap_jobs

    started, clock = time.time(), time.perf_counter()
    options, key = _options(settings, plan)
    _warn_before(plan, options, reporter)
    tally = Tally()
    state = State.load(plan.out.folder) if plan.out else State(letters={}, sources={})
    if state.damaged:
        tally.warnings += 1
        reporter.warning(plan.out.folder, "the last run's state (.dafu-state.json) is missing or damaged; every "
                                          "letter is converted again and nothing is pruned")
    tasks = _tasks(plan, _known(settings, plan, state, key))
    config = Config(options, settings.max_bytes, settings.encoding,
                    want_rows=plan.out is not None or settings.csv_path is not None, dedupe=settings.dedupe,
                    want_letter_row=plan.out is not None and not settings.dedupe)
    jobs, why = cap_jobs(settings.jobs)
    sink = Sink(settings, plan, reporter, tally, state, RunInfo(options, key, started, clock, jobs))
    sink.report_problems()
    if why:
        reporter.warning(f"--jobs {settings.jobs}", f"using {jobs} (the machine has {why})")
    if client is not None:  # --scheduler: the same tasks and results, from a Dask cluster's workers
        from .cluster import DaskRunner

        runner = DaskRunner(tasks, config, client=client)
    else:
        from .parallel import Runner

        runner = Runner(tasks, config, jobs=jobs, lock_fd=plan.out.lock_fd if plan.out else None)
    return _execute(sink, runner, len(tasks))


def _options(settings: Settings, plan: Plan) -> tuple[Any, dict[str, Any]]:
    """Return the run's Options and its key: the settings that change a record's bytes (a change: convert again)."""
    import dataclasses

    from dafu.options import DEFAULT_OPTIONS

    options = dataclasses.replace(DEFAULT_OPTIONS, script=settings.script, redact=settings.redact,
                                  corrections=plan.corrections)
    key = {"script": options.script, "redact": options.redact,
           "repair_min_confidence": options.repair_min_confidence,
           "lexicon": [list(p) for p in options.lexicon], "encoding": settings.encoding,
           "corrections": options.corrections.digest if options.corrections else None}
    if settings.dedupe:
        key["dedupe"] = True  # records marked by --dedupe are not reused by a run without it, nor the reverse
    if plan.manifest is not None:
        key["manifest"] = _file_sha256(settings.manifest)  # a changed manifest converts again (--incremental)
    return options, key


def _warn_before(plan: Plan, options, reporter: Reporter) -> None:
    """Say which corrections name no letter of this run, and which letters got another id than their name's."""
    if options.corrections:
        missing = sorted(options.corrections.letters - {i.id for i in plan.found.items})
        if missing:
            shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
            reporter.warning("corrections", f"{len(missing)} letter id(s) not among this run's inputs: {shown}")
    for item in plan.found.items:
        if item.collision_of is not None:
            reporter.warning(item.display, f"id {item.collision_of!r} already used; this letter is {item.id!r}")


def _known(settings: Settings, plan: Plan, state, key: dict[str, Any]) -> dict[str, str]:
    """Return id -> sha256 of the letters that --incremental may skip (the last run had the same version and key)."""
    import dafu

    same_run = state.version == dafu.__version__ and state.options == key
    return state.letters if (same_run and settings.incremental and plan.out) else {}


def _tasks(plan: Plan, known: dict[str, str]) -> _LazyTasks:
    """Return the run's tasks in input order; stdin's bytes (one `-` input) are read here, once."""
    from .letter import Task, task_for

    items, out, manifest = plan.found.items, plan.out, plan.manifest
    stdin_data = _read_stdin(plan.settings.max_bytes) if any(i.path is None for i in items) else None

    def task(i) -> Task:
        sha = known.get(i.id)
        return task_for(i, stdin_data, known_sha256=sha, record=out.record_path(i.id) if sha is not None else None,
                        provenance=manifest.get(i.path) if manifest is not None else None)

    return _LazyTasks(items, task)


def _read_stdin(max_bytes: int) -> bytes:
    try:
        return sys.stdin.buffer.read(max_bytes + 1)
    except (OSError, AttributeError, ValueError) as exc:
        raise OutputError("<stdin>", f"cannot read ({getattr(exc, 'strerror', None) or exc})") from None


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


def _execute(sink: Sink, runner, total: int) -> int:
    """Run the runner into the sink and publish the outputs; return the exit code (a stop discards them)."""
    settings, reporter, tally = sink.settings, sink.reporter, sink.tally
    status = "complete"
    try:
        sink.open()
        runner.start()
        status = sink.consume(runner, total)
        runner.stop(now=status != "complete")
        manifest = sink.plan.manifest
        if manifest is not None and manifest.unused and status == "complete":
            reporter.warning(settings.manifest, f"rows naming no input letter: {manifest.unused}")
        with deferred_signals() as held:
            sink.publish(status)
    except Interrupted as sig:
        runner.stop()
        return _interrupted(sink, sig)
    except BrokenPipeError:
        runner.stop()
        sink.discard()
        silence_stdout()
        return EXIT_PIPE
    except OSError as exc:  # the output location failed mid-run (disk full, removed, read-only)
        runner.stop()
        return _failed(sink, exc)
    except BaseException:  # a bug: its traceback is printed, but no hidden temp file stays behind
        try:
            runner.stop()
        finally:
            sink.discard()
        raise
    if not settings.quiet:
        reporter.say(summary_line(tally, time.perf_counter() - sink.info.clock, status))
    if held.pending:  # the outputs were already being put in place: they are published whole, and said so
        reporter.warning(f"signal {held.pending}", "arrived while the outputs were put in place; the run was "
                                                   "published whole and stops now")
    return EXIT_FAILED if tally.failed else EXIT_OK


def _interrupted(sink: Sink, sig: Interrupted) -> int:
    """A signal stopped the run: drop what is unfinished, record it in run.json, say so."""
    sink.discard()
    if sink.out is not None:
        sink.write_run_json("interrupted")
    sink.reporter.say(f"dafu: interrupted; nothing published ({sink.tally.letters} letters were done); "
                      "the output keeps the last run's files")
    return sig.code


def _failed(sink: Sink, exc: OSError) -> int:
    """The output location failed: drop what is unfinished, record it in run.json, name the place."""
    plan, out = sink.plan, sink.out
    sink.discard()
    if out is not None and not sink.folder_published:
        sink.write_run_json("failed")
    streams = any(t is not None and t.kind != "file" for t in (plan.csv, plan.jsonl))
    where = getattr(exc, "filename", None) or ("<stdout>" if streams or out is None else out.folder)
    where = _as_given(plan, where)
    from .writers import JOURNAL_NAME

    journaled = out is not None and os.path.exists(os.path.join(out.folder, JOURNAL_NAME))
    if sink.folder_published:
        outcome = f"not written; the output folder {out.folder} was published"
    elif journaled:
        outcome = "stopping; the next run into the folder finishes putting this run's outputs in place"
    else:
        outcome = "stopping; nothing published"
    sink.reporter.error(str(where), f"{exc.strerror or exc}", outcome)
    if where == "<stdout>" or (out is None and sink.settings.jsonl_path in (None, "-")):
        silence_stdout()
    return EXIT_USAGE


def _as_given(plan, where):
    """Name an output as the user wrote it (--sqlite out/dafu.db), not by the resolved path dafu opened."""
    for target in (plan.csv, plan.jsonl, plan.sqlite, plan.xlsx):
        if target is not None and where == target.path:
            return target.given
    return where


def _file_sha256(path: str) -> str:
    import hashlib

    with open(path, "rb") as fp:
        return hashlib.file_digest(fp, "sha256").hexdigest()
