"""Where a `dafu convert` run's results go as they stream in, and how its outputs are put in place.

Records are staged in letters/, metrics.csv and errors.jsonl written beside as temporary files, the
--csv/--jsonl streams and the tables (letters.csv, --sqlite, --xlsx) fed in input order; `finish` puts them
in place together with the state and run.json, `discard` drops what is unfinished. Records of the last run
that this run does not redo (a letter that failed now, an input not given) keep their rows in the CSVs.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any

from .console import Reporter, progress
from .plan import Plan, Settings
from .summary import RunInfo, Tally, run_summary

__all__ = ["Sink"]


class Sink:
    """The state of one run while results stream in: sinks, counts, errors, the new manifest."""

    def __init__(self, settings: Settings, plan: Plan, reporter: Reporter, tally: Tally, state, info: RunInfo) -> None:
        self.settings, self.plan, self.out, self.reporter, self.tally = settings, plan, plan.out, reporter, tally
        self.state, self.info = state, info
        self.jsonl = self.csv = None
        self.errors_file = None
        self.metrics_file = None  # metrics.csv of the output folder, written as the results come
        self.records = None  # StagedRecords of letters/
        self._spool = None  # --dedupe: results held until every letter is in (cli/dedupe.py)
        self.letters: dict[str, str] = {}  # the new manifest: id -> sha256 of the input
        self.sources: dict[str, str] = {}  # id -> absolute input path
        self.pruned: list[str] = []
        self._old: list[str] = []  # ids of records from the last run not in this run (merged into the CSVs)
        self._staged: list = []  # the folder's small files (state, package, run.json) prepared for the journal
        self.folder_published = False
        self._old_pos = 0
        self.tables = None  # letters.csv and the --sqlite database (cli/tables.py)

    def open(self) -> None:
        from dafu.output import CSV_COLUMNS

        from .outdir import open_target
        from .writers import BOM, AtomicFile, csv_bytes

        self.jsonl = open_target(self.plan.jsonl) if self.plan.jsonl else None
        self.csv = open_target(self.plan.csv) if self.plan.csv else None
        head = (BOM if self.settings.excel else b"") + csv_bytes([list(CSV_COLUMNS)])
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

    def report_problems(self) -> None:
        """Count and say the problems the walk of the inputs found (unreadable files, id collisions ...)."""
        for problem in self.plan.found.problems:
            if problem.level == "error":
                self.fail(problem.display, problem.reason, problem.kind)
            elif problem.level == "warning" and not problem.fatal:
                self.tally.warnings += 1
                self.reporter.warning(problem.display, problem.reason)

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
        show = not (self.settings.quiet or self.settings.no_progress)
        try:
            with progress(self.reporter, total, "converting", show) as advance:
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
            self.tables.add(res.json, res.letter_csv)
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

    def finish(self, status: str) -> None:
        """Put records, metrics.csv, errors, state (the manifest), package and run.json in place."""
        import orjson

        import dafu

        from .outdir import STATE_NAME, State
        from .writers import AtomicFile, Journal, datapackage

        out, settings, tally = self.out, self.settings, self.tally
        pruned = [id for id in self.pruned if os.path.lexists(out.record_path(id))]
        tally.pruned += len(pruned)
        state = State(dafu.__version__, self.info.key, self.letters, self.sources)
        files = [self.metrics_file.prepare(), self.errors_file.prepare()]
        if self.tables is not None and self.tables.letters_csv is not None:
            files.append(self.tables.letters_csv.prepare())
        for name, data in ((STATE_NAME, state.dump()),
                           ("datapackage.json", orjson.dumps(datapackage(excel=settings.excel,
                                                                          version=dafu.__version__),
                                                              option=orjson.OPT_INDENT_2) + b"\n"),
                           ("run.json", self.run_json(status))):
            staged = AtomicFile(os.path.join(out.folder, name))
            self._staged.append(staged)
            staged.write(data)
            files.append(staged.prepare())
        # from here the temps belong to the journal: a failure leaves them for the next run to put in place
        handed = [self.metrics_file, self.errors_file, *self._staged]
        if self.tables is not None and self.tables.letters_csv is not None:
            handed.append(self.tables.letters_csv)
            self.tables.letters_csv = None
        for atomic in handed:
            atomic.hand_over()
        self.records = self.metrics_file = self.errors_file = None
        self._staged = []
        Journal(out.folder, out.letters).publish(files, [id + ".json" for id in pruned])
        self.folder_published = True  # a --csv/--jsonl/--sqlite/--xlsx failing now leaves the folder as published
        self.close_sinks()

    def publish(self, status: str) -> None:
        """Put every output in place: the output folder's files (with -o), the streams and tables."""
        if self.out is not None:
            self.finish(status)
        else:
            self.close_sinks()

    def write_run_json(self, status: str, strict: bool = False) -> None:
        """Write run.json (status complete, partial, interrupted or failed); best effort unless `strict`."""
        from .writers import atomic_write

        try:
            atomic_write(os.path.join(self.out.folder, "run.json"), self.run_json(status))
        except OSError:
            if strict:
                raise

    def run_json(self, status: str) -> bytes:
        """The bytes of run.json for a run ending with ``status``."""
        import orjson

        info = self.info
        seconds = round(time.perf_counter() - info.clock, 3)
        summary = run_summary(self.settings, info.options, self.tally, info.started, seconds, status, info.jobs)
        return orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n"

    def close_sinks(self) -> None:
        from .outdir import close_target

        if self.tables is not None:
            self.tables.commit()
            self.tables = None
        for sink in (self.jsonl, self.csv):
            if sink is None:
                continue
            close_target(*sink)
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
        for atomic in (self.errors_file, self.metrics_file, *self._staged):
            if atomic is not None:
                atomic.discard()
        self._staged = []
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
