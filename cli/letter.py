"""One letter's work in a batch: its bytes read, the pipeline run, the record's JSON bytes (and CSV rows) made.

A `Task` names a letter by path (never by text), so it is cheap to send to a worker process or a Dask
worker; `process_one` is what every runner calls for it (`parallel.Runner`, `cluster.DaskRunner`) and gives
back a `Result` that never raises for a bad letter. Shared by `dafu convert` and `dafu validate`.
"""
from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

__all__ = ["Task", "Config", "Result", "task_for", "process_one", "unchanged", "sha256_of"]

ISSUES_URL = "https://github.com/dafu-project/dafu/issues"


class Task(NamedTuple):
    """One letter to do: path (None for stdin, then `data` holds its bytes), display path, id."""

    path: str | None
    display: str
    id: str
    collision_of: str | None = None
    known_sha256: str | None = None  # skip the letter when its bytes still hash to this
    data: bytes | None = None
    follow: bool = True  # False: refuse a symbolic link (the walk found a plain file)
    stream: bool = False  # a pipe named on the command line
    record: str | None = None  # the record file of the last run (with known_sha256)
    provenance: Any = None  # dafu.provenance.Provenance from --manifest (else the letter's .meta.json is read)


def task_for(item, data: bytes | None = None, *, known_sha256: str | None = None, record: str | None = None,
             provenance: Any = None) -> Task:
    """Return the Task of an input (a `cli.inputs.Item`); `data` is stdin's bytes, given to the `-` input only."""
    return Task(item.path, item.display, item.id, item.collision_of, known_sha256,
                data if item.path is None else None, item.follow, item.stream, record, provenance)


@dataclass(frozen=True, slots=True)
class Config:
    options: Any  # dafu.Options
    max_bytes: int
    encoding: str | None = None
    want_rows: bool = False
    dedupe: bool = False  # send each letter's grouping signature back (--dedupe)
    want_letter_row: bool = False  # the letters.csv row is made with the record (-o, no --dedupe)


class Result(NamedTuple):
    """What became of a task: status ok | unchanged | error."""

    status: str
    id: str
    display: str
    sha256: str | None = None
    json: bytes | None = None
    csv: bytes | None = None  # the letter's metrics.csv rows (when wanted)
    metrics: int = 0
    warnings: int = 0
    reason: str | None = None
    kind: str | None = None  # read | internal
    traceback: str | None = None
    note: str | None = None  # a message for the user about this letter (a damaged record was redone ...)
    dedupe: Any = None  # dafu.dedupe.Member of the letter (--dedupe)
    letter_csv: bytes | None = None  # the letter's letters.csv row, made from the Record (none: from the JSON)


def _read(task: Task, config: Config):
    """Return the Decoded text of a task's file or stdin bytes (dafu.read; --encoding forces a codec)."""
    from dafu.read import ReadError, decode, read_file

    if task.data is None:
        return read_file(task.path, max_bytes=config.max_bytes, encoding=config.encoding, follow=task.follow,
                         stream=task.stream)
    if len(task.data) > config.max_bytes:
        raise ReadError(f"too large (more than --max-bytes {config.max_bytes})")
    return decode(task.data, encoding=config.encoding)


def sha256_of(path: str, follow: bool = True) -> str | None:
    """Return the SHA-256 of a regular file, or None when it cannot be read (or is not a regular file)."""
    import hashlib
    import stat

    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as fp:
            return hashlib.file_digest(fp, "sha256").hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def unchanged(task: Task, config: Config) -> Result | None:
    """Return the Result of a letter whose bytes and record are as the last run left them, else None."""
    import orjson

    from dafu.output import csv_rows_from_dict

    from .writers import csv_bytes

    try:
        with open(task.record, "rb") as fp:
            data = fp.read().rstrip(b"\n")
        record = orjson.loads(data)
        if not isinstance(record, dict) or record.get("id") != task.id:
            return None
        rows = csv_bytes(csv_rows_from_dict(record)) if config.want_rows else None
        return Result("unchanged", task.id, task.display, sha256=task.known_sha256, json=data, csv=rows,
                      metrics=len(record.get("metrics") or ()), warnings=len(record.get("warnings") or ()))
    except Exception:  # a damaged record file: convert the letter again
        return None


def process_one(task: Task, config: Config) -> Result:
    """Return the Result of one letter; never raises for a bad letter."""
    from dafu.read import ReadError

    note = None
    if task.known_sha256 is not None and task.path is not None and not task.stream \
            and sha256_of(task.path, task.follow) == task.known_sha256:
        done = unchanged(task, config) if task.record else None
        if done is not None:
            return done
        if task.record and os.path.exists(task.record):
            note = "the last run's record is damaged; converted again"
    try:
        decoded = _read(task, config)
    except ReadError as exc:
        return Result("error", task.id, task.display, reason=exc.reason, kind="read")
    try:
        result = _convert(task, config, decoded)
    except Exception as exc:  # a bug: keep the batch going, keep the traceback for the report
        return Result("error", task.id, task.display, sha256=decoded.sha256,
                      reason=f"internal error ({type(exc).__name__}); please report it at {ISSUES_URL}",
                      kind="internal", traceback=traceback.format_exc())
    if decoded.replaced:
        extra = f"{decoded.replaced} undecodable byte(s) replaced by U+FFFD"
        note = f"{note}; {extra}" if note else extra
    return result._replace(note=note) if note else result


def _convert(task: Task, config: Config, decoded) -> Result:
    """Return the ok Result: the record's JSON bytes (and CSV rows when wanted)."""
    from dafu import process
    from dafu.codes import WarningCode
    from dafu.model import Warning
    from dafu.output import csv_rows, record_to_json
    from dafu.output.tables import letter_row
    from dafu.provenance import with_provenance

    from .provenance import read_sidecar
    from .writers import csv_bytes

    provenance, problem = (task.provenance, None) if task.provenance or task.path is None else read_sidecar(task.path)
    source = with_provenance(decoded.source(task.display), provenance)
    record = process(decoded.text, options=config.options, id=task.id, source=source, page_metadata=decoded.metadata)
    notes = []
    if problem is not None:
        notes.append(Warning(WarningCode.PROVENANCE_INVALID.value,
                             WarningCode.PROVENANCE_INVALID.template.format(reason=problem)))
    if task.collision_of is not None:
        notes.append(Warning(WarningCode.ID_COLLISION.value,
                             WarningCode.ID_COLLISION.template.format(id=task.collision_of, new_id=task.id)))
    if decoded.replaced:
        notes.append(Warning(WarningCode.DECODE_REPLACED.value,
                             WarningCode.DECODE_REPLACED.template.format(count=decoded.replaced)))
    if notes:
        record = replace(record, warnings=tuple(notes) + record.warnings)
    member = None
    if config.dedupe:
        from dafu.dedupe import record_member

        member = record_member(record)
    return Result("ok", task.id, task.display, sha256=decoded.sha256, json=record_to_json(record),
                  csv=csv_bytes(csv_rows(record)) if config.want_rows else None,
                  metrics=len(record.metrics), warnings=len(record.warnings), dedupe=member,
                  letter_csv=csv_bytes([letter_row(record)]) if config.want_letter_row else None)
