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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, NoReturn, Optional

import typer

from .options import DEFAULT_MAX_BYTES, Glob, Jobs, MaxBytes, NoProgress, Quiet, Script, Strict

if TYPE_CHECKING:
    from dafu.options import Options
    from dafu.validate import RuleBook, Verdict

    from .inputs import Item

__all__ = ["validate"]

REPORT_FORMATS = ("json", "junit")


def validate(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT...", help="Letters: files, folders (walked recursively) or - for stdin.")],
    rules: Annotated[Optional[Path], typer.Option(
        "--rules", metavar="FILE",
        help="TOML rules checked on top of the defaults (required fields, min_metrics, categories, "
             "doc_types, date_min/date_max, per-doc_type tables).")] = None,
    report: Annotated[Optional[tuple[str, Path]], typer.Option(
        "--report", metavar="json|junit PATH", help="Also write a JSON or JUnit XML report to PATH.")] = None,
    glob: Glob = "*.txt",
    script: Script = "simplified",
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    jobs: Jobs = None,
    strict: Strict = False,
    quiet: Quiet = False,
    no_progress: NoProgress = False,
) -> None:
    """Check that every letter parses to a valid record; exit 0 if all are valid, 1 if not."""
    import dataclasses

    from dafu.options import DEFAULT_OPTIONS

    from .inputs import collect

    book = _load_rules(rules)
    if report is not None:
        _check_report(*report)
    found = collect(inputs, glob)
    for problem in found.problems:
        _message("error" if problem.fatal else "warning", problem.display, problem.reason)
    if any(p.fatal for p in found.problems):
        raise typer.Exit(2)
    if not found.items:
        _message("error", " ".join(inputs), f"no letters found (--glob {glob!r})")
        raise typer.Exit(2)

    options = dataclasses.replace(DEFAULT_OPTIONS, script=script)
    started = time.perf_counter()
    verdicts = _run(found.items, options, book, max_bytes=max_bytes, jobs=jobs, strict=strict,
                    quiet=quiet, progress=not (quiet or no_progress))
    seconds = round(time.perf_counter() - started, 3)
    if report is not None:
        _write_report(report[0], report[1], verdicts, rules, seconds)
    _summary(verdicts, seconds, quiet)
    raise typer.Exit(0 if all(v.status == "pass" for v in verdicts) else 1)


# ---------------------------------------------------------------- options
def _load_rules(path: Path | None) -> RuleBook:
    """Return the user's rule book (an empty one without --rules); exit 2 when it is unusable."""
    from dafu.record import json_schema
    from dafu.validate import RuleBook, RulesError, parse_rules, unknown_paths

    if path is None:
        return RuleBook()
    try:
        book = parse_rules(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        _usage(str(path), f"cannot read rules file ({exc.strerror or exc})")
    except UnicodeDecodeError:
        _usage(str(path), "rules file is not UTF-8")
    except RulesError as exc:
        _usage(str(path), str(exc))
    unknown = unknown_paths(book, json_schema())
    if unknown:
        _usage(str(path), "required: no record has the field(s) " + ", ".join(unknown))
    return book


def _check_report(fmt: str, path: Path) -> None:
    """Exit 2 before any work when --report names an unknown format or an unusable folder."""
    if fmt not in REPORT_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(REPORT_FORMATS)}", param_hint="--report")
    folder = path.parent
    if not folder.is_dir():
        raise typer.BadParameter(f"{path}: folder {str(folder)!r} does not exist", param_hint="--report")
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder", param_hint="--report")


# ---------------------------------------------------------------- checking
def _run(items: tuple[Item, ...], options: Options, book: RuleBook, *, max_bytes: int, jobs: int | None,
         strict: bool, quiet: bool, progress: bool) -> list[Verdict]:
    """Check every item (in parallel when asked), print each verdict, return them in input order."""
    from rich.console import Console

    out = Console(highlight=False, soft_wrap=True)
    verdicts: list[Verdict] = []
    for verdict in _with_progress(_verdicts(items, options, book, max_bytes, jobs), len(items), progress):
        verdicts.append(verdict)
        if verdict.error is not None:
            _message("error", verdict.path, f"{verdict.error}; counted as invalid")
        if not out.is_terminal:
            _print_line(verdict, quiet)
        if strict and verdict.status != "pass":
            break
    if out.is_terminal:
        _print_table(out, verdicts, quiet)
    return verdicts


def _verdicts(items: tuple[Item, ...], options: Options, book: RuleBook, max_bytes: int,
              jobs: int | None) -> Iterator[Verdict]:
    """Yield the verdict of each item in order; stdin is read here, files in the workers."""
    import os

    stdin = {i.id: _read_stdin(max_bytes) for i in items if i.path is None}
    workers = min(jobs or os.cpu_count() or 1, len(items))
    if workers <= 1:
        yield from (_check_item(i, options, book, max_bytes, stdin.get(i.id)) for i in items)
        return
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    pool = ProcessPoolExecutor(workers)
    try:
        results = pool.map(partial(_check_item_pickled, options=options, book=book, max_bytes=max_bytes),
                           [(i, stdin.get(i.id)) for i in items], chunksize=max(1, min(16, len(items) // (4 * workers))))
        yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _read_stdin(max_bytes: int) -> object:
    """Return stdin decoded, or the ReadError that refuses it."""
    from dafu.read import ReadError, read_stream

    try:
        return read_stream(sys.stdin.buffer, max_bytes=max_bytes)
    except ReadError as exc:
        return exc


def _check_item_pickled(pair: tuple[Item, object], *, options: Options, book: RuleBook, max_bytes: int) -> Verdict:
    return _check_item(pair[0], options, book, max_bytes, pair[1])


def _check_item(item: Item, options: Options, book: RuleBook, max_bytes: int, given: object = None) -> Verdict:
    """Return the verdict on one letter: read it (or take stdin's text), process, check."""
    from dafu import process
    from dafu.read import ReadError, read_file
    from dafu.record import record_to_dict
    from dafu.validate import Verdict, check

    try:
        if isinstance(given, ReadError):
            raise given
        decoded = given if given is not None else read_file(item.path, max_bytes=max_bytes)  # type: ignore[arg-type]
    except ReadError as exc:
        return Verdict(item.id, item.display, error=exc.reason)
    record = process(decoded.text, options=options, id=item.id, source=decoded.source(item.display))  # type: ignore[union-attr]
    return Verdict(item.id, item.display, check(record_to_dict(record), book))


def _with_progress(verdicts: Iterator[Verdict], total: int, wanted: bool) -> Iterator[Verdict]:
    """Yield the verdicts, showing a transient progress bar on a terminal's stderr when wanted."""
    from rich.console import Console

    err = Console(stderr=True)
    if not (wanted and err.is_terminal):
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
        sys.stdout.buffer.write(_line(verdict).encode("utf-8", "replace") + b"\n")
        sys.stdout.flush()


_STYLES = {"pass": "green", "fail": "bold red", "error": "bold magenta"}


def _print_table(out, verdicts: list[Verdict], quiet: bool) -> None:
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


def _summary(verdicts: list[Verdict], seconds: float, quiet: bool) -> None:
    from dafu.validate import counts

    n = counts(verdicts)
    if quiet and n["passed"] == n["letters"]:
        return
    sys.stderr.write(f"dafu: {n['letters']} letters: {n['passed']} valid, {n['failed']} invalid, "
                     f"{n['errors']} unreadable ({seconds:.1f} s)\n")


def _write_report(fmt: str, path: Path, verdicts: list[Verdict], rules: Path | None, seconds: float) -> None:
    """Write the report atomically; exit 2 when the location turns out to be unusable."""
    import orjson

    from dafu.validate import junit_xml, report_dict

    from .writers import atomic_write

    if fmt == "junit":
        data = junit_xml(verdicts, seconds=seconds)
    else:
        data = orjson.dumps(report_dict(verdicts, rules=str(rules) if rules else None, seconds=seconds),
                            option=orjson.OPT_INDENT_2) + b"\n"
    try:
        atomic_write(str(path), data)
    except OSError as exc:
        _usage(str(path), f"cannot write report ({exc.strerror or exc})")


def _message(kind: str, path: str, reason: str) -> None:
    sys.stderr.write(f"dafu: {kind}: {path}: {reason}\n")


def _usage(path: str, reason: str) -> NoReturn:
    """Print a one-line error naming `path` and exit 2."""
    _message("error", path, reason)
    raise typer.Exit(2)
