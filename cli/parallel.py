"""Run letters through the pipeline in worker processes; results come back in input order.

Workers get paths (not texts) in small batches and send back finished JSON bytes. At most a
fixed window of batches is in flight, so memory stays flat however many letters there are, and
results are yielded in the order the tasks were given (inputs are sorted by id before), which makes
the output bytes the same for any number of jobs.
"""
from __future__ import annotations

import os
import signal
import traceback
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Iterator, NamedTuple

__all__ = ["Task", "Config", "Result", "Runner", "default_jobs", "process_one"]

ISSUES_URL = "https://github.com/dafu-project/dafu/issues"


class Task(NamedTuple):
    """One letter to do: path (None for stdin, then `data` holds its bytes), display path, id."""

    path: str | None
    display: str
    id: str
    collision_of: str | None = None
    known_sha256: str | None = None  # skip the letter when its bytes still hash to this
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class Config:
    options: Any  # dafu.Options
    max_bytes: int
    encoding: str | None = None
    want_rows: bool = False


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


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _read(task: Task, config: Config):
    """Return the Decoded text of a task's file or stdin bytes (dafu.read; --encoding forces a codec)."""
    from dafu.read import ReadError, decode, read_file

    if task.data is None:
        return read_file(task.path, max_bytes=config.max_bytes, encoding=config.encoding)
    if len(task.data) > config.max_bytes:
        raise ReadError(f"too large (more than --max-bytes {config.max_bytes})")
    return decode(task.data, encoding=config.encoding)


def _sha256_of(path: str) -> str | None:
    """Return the file's SHA-256, or None when it cannot be read."""
    import hashlib

    try:
        with open(path, "rb") as fp:
            return hashlib.file_digest(fp, "sha256").hexdigest()
    except OSError:
        return None


def process_one(task: Task, config: Config) -> Result:
    """Return the Result of one letter; never raises for a bad letter."""
    from dafu.read import ReadError

    if task.known_sha256 is not None and task.path is not None and _sha256_of(task.path) == task.known_sha256:
        return Result("unchanged", task.id, task.display, sha256=task.known_sha256)
    try:
        decoded = _read(task, config)
    except ReadError as exc:
        return Result("error", task.id, task.display, reason=exc.reason, kind="read")
    try:
        return _convert(task, config, decoded)
    except Exception as exc:  # a bug: keep the batch going, keep the traceback for the report
        return Result("error", task.id, task.display, sha256=decoded.sha256,
                      reason=f"internal error ({type(exc).__name__}); please report it at {ISSUES_URL}",
                      kind="internal", traceback=traceback.format_exc())


def _convert(task: Task, config: Config, decoded) -> Result:
    """Return the ok Result: the record's JSON bytes (and CSV rows when wanted)."""
    from dafu import process
    from dafu.codes import WarningCode
    from dafu.model import Warning
    from dafu.output import csv_rows, record_to_json

    from .writers import csv_bytes

    record = process(decoded.text, options=config.options, id=task.id, source=decoded.source(task.display))
    if task.collision_of is not None:
        note = Warning(WarningCode.ID_COLLISION.value,
                       WarningCode.ID_COLLISION.template.format(id=task.collision_of, new_id=task.id))
        record = replace(record, warnings=(note,) + record.warnings)
    return Result("ok", task.id, task.display, sha256=decoded.sha256, json=record_to_json(record),
                  csv=csv_bytes(csv_rows(record)) if config.want_rows else None,
                  metrics=len(record.metrics), warnings=len(record.warnings))


# ---------------------------------------------------------------- worker side
_CONFIG: Config | None = None


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (a SIGKILLed run leaves no orphans)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when the task queue closes
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _init_worker(config: Config, close_fd: int | None, parent: int) -> None:
    """Set up a worker: Ctrl-C is the parent's business; the output lock is the parent's alone."""
    global _CONFIG
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if close_fd is not None:
        try:
            os.close(close_fd)  # the flock stays with the parent's descriptor
        except OSError:
            pass
    _CONFIG = config


def _run_batch(tasks: list[Task]) -> list[Result]:
    assert _CONFIG is not None
    return [process_one(t, _CONFIG) for t in tasks]


def _warm_up(options: Any) -> None:
    """Load the pipeline's libraries and tables once, before workers are forked (they inherit them)."""
    from dafu import process

    try:
        process("关于第1号提案的答复\n张三委员：\n现答复如下：培训100人次。\n某某局\n2020年1月1日\n", options=options)
    except Exception:  # a broken pipeline shows up per letter, with its path; not here
        pass


class Runner:
    """Results of tasks in task order, from `jobs` processes (in this process when jobs is 1)."""

    def __init__(self, tasks: list[Task], config: Config, *, jobs: int, lock_fd: int | None = None) -> None:
        self.tasks = tasks
        self.config = config
        self.jobs = max(1, min(jobs, len(tasks)))
        self.lock_fd = lock_fd
        self._pool = None
        self._window: deque = deque()
        self._batches: Iterator[list[Task]] = iter(())
        self._stopped = False

    def _batch_size(self) -> int:
        return max(1, min(16, len(self.tasks) // (self.jobs * 8)))

    def start(self) -> None:
        """Fork the workers (before any thread exists in this process) and fill the window."""
        if self.jobs == 1:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _warm_up(self.config.options)
        size = self._batch_size()
        self._batches = (self.tasks[i:i + size] for i in range(0, len(self.tasks), size))
        self._pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_init_worker, initargs=(self.config, self.lock_fd, os.getpid()))
        for _ in range(self.jobs * 4):
            if not self._submit():
                break

    def _submit(self) -> bool:
        batch = next(self._batches, None)
        if batch is None:
            return False
        self._window.append(self._pool.submit(_run_batch, batch))
        return True

    def __iter__(self) -> Iterator[Result]:
        if self.jobs == 1:
            for task in self.tasks:
                if self._stopped:
                    return
                yield process_one(task, self.config)
            return
        while self._window and not self._stopped:
            results = self._window.popleft().result()
            self._submit()
            yield from results

    def stop(self, now: bool = True) -> None:
        """End the workers: at once (Ctrl-C, --strict, closed pipe) or, after the last result, politely."""
        self._stopped = True
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not now:
            pool.shutdown(wait=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            if proc.is_alive():
                proc.terminate()
        for proc in processes:
            proc.join(timeout=5)
