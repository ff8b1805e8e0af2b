"""`dafu convert`: letters in, JSON records, metrics.csv and a run summary out.

The command parses and checks its arguments; the run is `batch.run` (plan -> letters -> runner -> sink).

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

from typing import Annotated

import typer

from .options import DEFAULT_MAX_BYTES, Encoding, Excel, Glob, Jobs, MaxBytes, NoProgress, Quiet, Redact, Script, Strict

__all__ = ["convert"]


def convert(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT...", help="Letter files, folders (walked recursively) or - for one letter on stdin.")],
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
    _check_arguments(inputs, output, csv_path, jsonl_path, xlsx_path, incremental or prune, scheduler, glob)
    from .batch import run
    from .plan import Settings

    settings = Settings(
        inputs=tuple(inputs), output=output, csv_path=csv_path, jsonl_path=jsonl_path, sqlite_path=sqlite_path,
        xlsx_path=xlsx_path,
        incremental=incremental, prune=prune, jobs=jobs, script=script, redact=redact, strict=strict,
        quiet=quiet, no_progress=no_progress, excel=excel, max_bytes=max_bytes, glob=glob, encoding=encoding,
        allow_empty=allow_empty, wait=wait, scheduler=scheduler or None, manifest=manifest, dedupe=dedupe,
        corrections=corrections,
    )
    raise typer.Exit(run(settings))


def _check_arguments(inputs: list[str], output: str | None, csv_path: str | None, jsonl_path: str | None,
                     xlsx_path: str | None, needs_output: bool, scheduler: str | None, glob: str) -> None:
    """Refuse arguments that cannot go together (a usage error, exit 2) before anything is looked at."""
    if needs_output and output is None:
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


def _check_urls(inputs: list[str], scheduler: str | None) -> None:
    """URL inputs (fsspec) are read by Dask workers: they need --scheduler, and are not mixed with local paths."""
    from .urls import is_url

    urls = sum(is_url(i) for i in inputs)
    if urls and not scheduler:
        raise typer.BadParameter("URL inputs are read by Dask workers: give --scheduler too", param_hint="INPUT")
    if urls and urls < len(inputs):
        raise typer.BadParameter("give local paths or URLs, not both", param_hint="INPUT")

