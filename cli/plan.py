"""What a `dafu convert` run will read and write, checked before anything is written.

`Settings` is everything the command was asked. `Plan.check()` resolves and checks every output (files,
streams, the -o folder), the corrections file, the manifest and the inputs (`cli/inputs.py`), and stops the
run (exit 2, one line) while nothing has been touched yet.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .console import EXIT_USAGE, Reporter, stream_closed
from .options import DEFAULT_MAX_BYTES
from .outdir import OutputError

__all__ = ["Settings", "Plan", "corrections_path"]


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


class Plan:
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
        if self.csv and self.jsonl and _is_stdout(settings.csv_path) and _is_stdout(jsonl):
            raise OutputError(settings.csv_path, "given to both --csv and --jsonl")
        self._files_apart()
        if any(t is not None and t.kind == "stdout" for t in (self.csv, self.jsonl)) and stream_closed(1):
            raise OutputError("<stdout>", "standard output is closed; nothing written")
        if "-" in settings.inputs and stream_closed(0):
            raise OutputError("<stdin>", "standard input is closed")
        self._inputs_outside_output()
        if settings.dedupe:
            _require_dedupe()
        self.manifest = _load_manifest(settings.manifest)
        return self._collect()

    def _file_targets(self) -> list[tuple[object, str]]:
        """The outputs written as files (target, option), in the order the options are checked."""
        return [(t, option) for t, option in ((self.csv, "--csv"), (self.jsonl, "--jsonl"), (self.sqlite, "--sqlite"),
                                              (self.xlsx, "--xlsx")) if t is not None and t.kind == "file"]

    def _files_apart(self) -> None:
        """Refuse two outputs on one file, and an output on a file the -o folder writes itself (metrics.csv,
        run.json, the state, a record): each would silently replace the other."""
        seen: dict[str, str] = {}
        own = _own_files(self.out.folder) if self.out is not None else {}
        for target, option in self._file_targets():
            real = os.path.realpath(target.path)
            if real in seen:
                raise OutputError(target.given, f"given to both {seen[real]} and {option}; not written")
            seen[real] = option
            if (name := _own_name(real, own)) is not None:
                raise OutputError(target.given, f"{option} would replace {name}, which -o writes itself; not written")

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
        from .inputs import collect
        from .urls import is_url

        settings = self.settings
        skip = [k for k in [self.out.identity()] if k] if self.out is not None else []
        outputs = {t.identity: option for t, option in self._file_targets() if t.identity is not None}
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
        self._outputs_not_letters()
        return None

    def _outputs_not_letters(self) -> None:
        """Refuse an output file that the next run would walk into and read as a letter."""
        from .inputs import _matcher

        match = _matcher(self.settings.glob)
        for target, option in self._file_targets():
            if target.identity is not None:
                continue
            for root in self.found.roots:
                real_root = os.path.realpath(root)
                rel = os.path.relpath(target.path, real_root)
                if os.path.isdir(real_root) and not rel.startswith(".."):
                    if match(os.path.basename(target.path), tuple(rel.split(os.sep))):
                        raise OutputError(target.given, f"{option} would be read as a letter by the next run "
                                          f"(it is in {root} and matches --glob)")


# what -o DIR writes itself (cli/sink.py, cli/tables.py, cli/outdir.py): no other output may replace them
_OWN_FILES = ("metrics.csv", "letters.csv", "errors.jsonl", "datapackage.json", "run.json", ".dafu-state.json",
              ".dafu.lock", ".dafu-publish.json", "corrections.toml", "corrections.jsonl")
_OWN_FOLDERS = ("letters", "review")


def _own_files(folder: str) -> dict[str, str]:
    """The real paths of what -o writes itself (each folder resolved: letters/ may be a link elsewhere)."""
    real = os.path.realpath(folder)
    return {**{os.path.join(real, n): n for n in _OWN_FILES},
            **{os.path.realpath(os.path.join(folder, n)) + os.sep: n + "/" for n in _OWN_FOLDERS}}


def _own_name(real: str, own: dict[str, str]) -> str | None:
    """The name of the -o folder's own file (or folder) that the path ``real`` is, or lies in; else None."""
    if real in own:
        return own[real]
    return next((name for path, name in own.items()
                 if path.endswith(os.sep) and (real.startswith(path) or real == path[:-1])), None)


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


def _corrections(settings: Settings):
    """Return the Corrections to apply (--corrections FILE, else DIR/corrections.toml), or None.

    An unusable file stops the run before anything is written (OutputError: exit 2).
    """
    from dafu.corrections import CorrectionsError

    from .corrections_file import read_corrections

    path = corrections_path(settings)
    if path is None:
        return None
    try:
        return read_corrections(path)
    except CorrectionsError as exc:
        where, _, reason = str(exc).partition(": ")
        raise OutputError(where, reason) from None


def corrections_path(settings: Settings) -> str | None:
    """The corrections file of this run: --corrections FILE, else DIR/corrections.toml (.jsonl) when there."""
    from .corrections_file import corrections_beside

    return settings.corrections or corrections_beside(settings.output)
