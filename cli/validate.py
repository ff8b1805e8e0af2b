"""`dafu validate`: run the pipeline on letters and check each record (schema, default and user rules).

Where output goes: the per-letter verdicts are the requested output, so they go to stdout (a rich
table when stdout is a terminal, else one plain line per letter as it is checked:
``PASS id``, ``FAIL id: problem; problem``, ``ERROR id: reason``); messages and the summary line
go to stderr. ``--quiet`` drops the PASS lines and, when every letter passes, the summary.
Exit codes: 0 every letter valid, 1 some letter invalid or unreadable, 2 usage error (bad rules
file, bad --report, missing input, no letters found).
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from .options import DEFAULT_MAX_BYTES, Encoding, Glob, Jobs, MaxBytes, NoProgress, Quiet, Script, Strict

if TYPE_CHECKING:
    from rich.console import Console

    from dafu.options import Options
    from dafu.validate import RuleBook, Verdict

    from .console import Reporter
    from .inputs import Item

__all__ = ["validate"]

REPORT_FORMATS = ("json", "junit")


def validate(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT...", help="Letters: files, folders (walked recursively) or - for stdin.")],
    rules: Annotated[str | None, typer.Option(
        "--rules", metavar="FILE",
        help="TOML rules checked on top of the defaults (required fields, min_metrics, categories, "
             "doc_types, date_min/date_max, per-doc_type tables).")] = None,
    report: Annotated[tuple[str, str] | None, typer.Option(
        "--report", metavar="json|junit PATH", help="Also write a JSON or JUnit XML report to PATH.")] = None,
    glob: Glob = "*.txt",
    script: Script = "simplified",
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    encoding: Encoding = None,
    jobs: Jobs = None,
    strict: Strict = False,
    quiet: Quiet = False,
    no_progress: NoProgress = False,
) -> None:
    """Check that every letter parses to a valid record; exit 0 if all are valid, 1 if not."""
    from .console import Interrupted, Reporter, signals

    reporter = Reporter(quiet)
    with signals():
        try:
            code = _validate(inputs, rules, report, glob, script, max_bytes, encoding, jobs, strict, quiet,
                             no_progress, reporter)
        except Interrupted as sig:
            reporter.say("dafu: interrupted; no report written")
            code = sig.code
    raise typer.Exit(code)


def _validate(inputs, rules, report, glob, script, max_bytes, encoding, jobs, strict, quiet, no_progress,
              reporter) -> int:
    import dataclasses

    from dafu.options import DEFAULT_OPTIONS

    from .console import STDOUT_NAME, stream_closed
    from .inputs import collect

    book = _load_rules(rules)
    target = _check_report(*report) if report is not None else None
    if inputs.count("-") > 1:
        raise typer.BadParameter("stdin (-) can be read only once", param_hint="INPUT")
    if glob == "":
        raise typer.BadParameter("empty pattern", param_hint="--glob")
    if stream_closed(1):
        _usage(STDOUT_NAME, "standard output is closed; nothing written")
    if "-" in inputs and stream_closed(0):
        _usage("<stdin>", "standard input is closed")
    outputs = {target.identity: "--report"} if target is not None and target.identity else None
    found = collect(inputs, glob, outputs=outputs)
    for problem in found.problems:
        if problem.level == "warning":
            reporter.warning(problem.display, problem.reason)
        else:
            reporter.error(problem.display, problem.reason, None if problem.fatal else "skipped")
    if any(p.fatal for p in found.problems):
        return 2
    for item in found.items:
        if item.collision_of is not None:
            reporter.warning(item.display, f"id {item.collision_of!r} already used; this letter is {item.id!r}")
    if not found.items:
        reporter.error(" ".join(inputs), f"no letters found (--glob {glob!r})", None)
        return 2

    options = dataclasses.replace(DEFAULT_OPTIONS, script=script)
    started = time.perf_counter()
    verdicts = _run(found.items, options, book, reporter, max_bytes=max_bytes, encoding=encoding, jobs=jobs,
                    strict=strict, quiet=quiet, progress=not (quiet or no_progress))
    seconds = round(time.perf_counter() - started, 3)
    if target is not None:
        _write_report(report[0], target, verdicts, rules, seconds)
    _summary(reporter, verdicts, seconds)
    problems = any(p.level == "error" for p in found.problems)
    return 0 if all(v.status == "pass" for v in verdicts) and not problems else 1


# ---------------------------------------------------------------- options
def _load_rules(path: str | None) -> RuleBook:
    """Return the user's rule book (an empty one without --rules); exit 2 when it is unusable."""
    import os
    import stat

    from dafu.output import json_schema
    from dafu.validate import RuleBook, RulesError, parse_rules, unknown_paths

    from .inputs import display_path

    if path is None:
        return RuleBook()
    shown = display_path(path)
    if path == "":
        _usage("--rules ''", "empty path (an unset shell variable?)")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            mode = os.fstat(fd).st_mode
            if not (stat.S_ISREG(mode) or (stat.S_ISFIFO(mode) and path.startswith(("/dev/fd/", "/proc/")))):
                _usage(shown, "rules file is not a regular file")
            os.set_blocking(fd, True)
            with open(fd, "rb", closefd=False) as fp:
                data = fp.read(10_000_001)
        finally:
            os.close(fd)
    except OSError as exc:
        _usage(shown, f"cannot read rules file ({exc.strerror or exc})")
    if len(data) > 10_000_000:
        _usage(shown, "rules file is too large (over 10 MB)")
    try:
        book = parse_rules(data.decode("utf-8"))
    except UnicodeDecodeError:
        _usage(shown, "rules file is not UTF-8")
    except RulesError as exc:
        _usage(shown, str(exc))
    except RecursionError:
        _usage(shown, "rules file is nested too deeply")
    except (ValueError, TypeError, KeyError, MemoryError) as exc:
        _usage(shown, f"rules file is not usable ({type(exc).__name__}: {exc})")
    unknown = unknown_paths(book, json_schema())
    if unknown:
        _usage(shown, "required: no record has the field(s) " + ", ".join(unknown))
    return book


def _check_report(fmt: str, path: str):
    """Exit 2 before any work when --report names an unknown format or an unusable location."""
    import os

    from .outdir import OutputError, check_output

    if fmt not in REPORT_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(REPORT_FORMATS)}", param_hint="--report")
    if path == "-":
        _usage("--report -", "give a file (stdout carries the verdicts)")
    folder = os.path.dirname(path) or "."
    if path and not os.path.isdir(folder):
        raise typer.BadParameter(f"{path}: folder {folder!r} does not exist", param_hint="--report")
    try:
        target = check_output(path, "--report")
    except OutputError as exc:
        from .inputs import display_path

        _usage(display_path(exc.path), exc.reason)
    return target


# ---------------------------------------------------------------- checking
def _run(items: tuple[Item, ...], options: Options, book: RuleBook, reporter: Reporter, *, max_bytes: int,
         encoding: str | None, jobs: int | None, strict: bool, quiet: bool, progress: bool) -> list[Verdict]:
    """Check every item (in parallel when asked), print each verdict, return them in input order."""
    from rich.console import Console

    from .letter import Config, task_for
    from .parallel import Runner, cap_jobs

    out = Console(highlight=False, soft_wrap=True)
    stdin = sys.stdin.buffer.read(max_bytes + 1) if any(i.path is None for i in items) else None
    tasks = [task_for(i, stdin) for i in items]
    used, why = cap_jobs(jobs)
    if why:
        reporter.warning(f"--jobs {jobs}", f"using {used} (the machine has {why})")
    runner = Runner(tasks, Config(options, max_bytes, encoding), jobs=used)
    verdicts: list[Verdict] = []
    runner.start()
    try:
        for verdict in _with_progress((_verdict(res, book) for res in runner), len(items),
                                      reporter.console if progress else None):
            verdicts.append(verdict)
            if verdict.error is not None:
                reporter.error(verdict.path, verdict.error, "counted as invalid")
            if not out.is_terminal:
                _print_line(verdict, quiet)
            if strict and verdict.status != "pass":
                break
    finally:
        runner.stop(now=len(verdicts) < len(items))
    if out.is_terminal:
        _print_table(out, verdicts, quiet)
    return verdicts


def _verdict(result, book: RuleBook) -> Verdict:
    """Return the verdict on one letter from the worker's result (its record's JSON, or an error)."""
    import orjson

    from dafu.validate import Verdict, check

    if result.status != "ok":
        return Verdict(result.id, result.display, error=result.reason)
    return Verdict(result.id, result.display, check(orjson.loads(result.json), book))


def _with_progress(verdicts: Iterator[Verdict], total: int, err: Console | None) -> Iterator[Verdict]:
    """Yield the verdicts, showing a transient progress bar on the stderr console if it is a terminal."""
    if err is None or not err.is_terminal:
        yield from verdicts
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("validating", total=total)
        for verdict in verdicts:
            bar.advance(task)
            yield verdict


# ---------------------------------------------------------------- output
def _line(verdict: Verdict) -> str:
    """Return the plain line of one verdict: PASS id, FAIL id: problems, ERROR id: reason."""
    if verdict.error is not None:
        return f"ERROR {verdict.id}: {verdict.error}"
    if verdict.problems:
        return f"FAIL {verdict.id}: " + "; ".join(p.message for p in verdict.problems)
    return f"PASS {verdict.id}"


def _print_line(verdict: Verdict, quiet: bool) -> None:
    if not (quiet and verdict.status == "pass"):
        from .console import write_stdout

        write_stdout(_line(verdict).encode("utf-8", "replace") + b"\n")  # 141 on a closed pipe, 2 on a full device


_STYLES = {"pass": "green", "fail": "bold red", "error": "bold magenta"}


def _print_table(out: Console, verdicts: list[Verdict], quiet: bool) -> None:
    """Print the verdicts as a rich table (letters that passed are left out with --quiet)."""
    from rich.table import Table
    from rich.text import Text

    rows = [v for v in verdicts if not (quiet and v.status == "pass")]
    if not rows:
        return
    table = Table("letter", "status", "problems", show_lines=False)
    for v in rows:
        problems = v.error if v.error is not None else "\n".join(p.message for p in v.problems)
        table.add_row(Text(v.id), Text(v.status.upper(), style=_STYLES[v.status]), Text(problems))
    out.print(table)


def _summary(reporter: Reporter, verdicts: list[Verdict], seconds: float) -> None:
    """Say how many letters were valid, invalid, unreadable (nothing with --quiet when all passed)."""
    from dafu.validate import counts

    n = counts(verdicts)
    if reporter.quiet and n["passed"] == n["letters"]:
        return
    reporter.say(f"dafu: {n['letters']} letters: {n['passed']} valid, {n['failed']} invalid, "
                 f"{n['errors']} unreadable ({seconds:.1f} s)")


def _write_report(fmt: str, target, verdicts: list[Verdict], rules: str | None, seconds: float) -> None:
    """Write the report (atomically to a file, or to a pipe); exit 2 when the location turns out to be unusable."""
    import orjson

    from .inputs import display_path
    from .outdir import OutputError, close_target, open_target
    from .reports import junit_xml, report_dict

    if fmt == "junit":
        data = junit_xml(verdicts, seconds=seconds)
    else:
        data = orjson.dumps(report_dict(verdicts, rules=display_path(rules) if rules else None, seconds=seconds),
                            option=orjson.OPT_INDENT_2) + b"\n"
    try:
        stream, atomic = open_target(target)
        stream.write(data)
        close_target(stream, atomic)
    except OutputError as exc:
        _usage(display_path(exc.path), exc.reason)
    except OSError as exc:
        _usage(display_path(target.given), f"cannot write report ({exc.strerror or exc})")


def _usage(path: str, reason: str) -> NoReturn:
    """Print a one-line error naming `path` and exit 2."""
    from .console import fail

    fail(path, reason)
