"""Run letters through the pipeline on a Dask cluster; results come back in input order.

The same interface as the local runner (`parallel.Runner`): `start()`, iterate for the Results in
task order, `stop(now)`. The client sends paths or URLs, never texts: each worker reads its letters
(data locality) in batches and sends back finished JSON bytes and CSV rows, so the writer in
`convert` is the one a local run uses and the bytes are the same.

Faults: a worker that dies holding a batch costs a retry elsewhere (the scheduler reschedules it);
a batch that keeps killing workers has its letters run one at a time, alone on the cluster, and a
letter that still kills its worker becomes an error naming it, like a local failure. Losing the scheduler stops the
run (`SchedulerError`, an OSError: the writer discards what it had, exit 2).

Nothing here imports Dask at module level: `dafu convert` without `--scheduler` never loads it.
"""
from __future__ import annotations

import itertools
import uuid
from collections import deque
from collections.abc import Iterator
from typing import Any

from .letter import Config, Result, Task, process_one, sha256_of, unchanged
from .urls import is_url, read_url, sha256_url

__all__ = ["SchedulerError", "DaskRunner", "connect", "run_batch", "run_task"]

CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler
WORKERS_TIMEOUT = 30.0  # seconds to wait for a first worker


class SchedulerError(OSError):
    """The Dask scheduler cannot be reached or was lost (an unusable location: exit 2)."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(0, reason, address)
        self.address, self.reason = address, reason

    def __str__(self) -> str:
        return f"{self.address}: {self.reason}"


# ---------------------------------------------------------------- worker side
def run_task(task: Task, config: Config) -> Result:
    """Return the Result of one letter as a worker makes it: the worker reads the file (path or URL).

    An unchanged letter (same bytes as the last run, `--incremental`) comes back as status
    "unchanged" without its record: the record lives in the client's output folder, which the
    client reads itself.
    """
    if task.known_sha256 is not None and task.path is not None:
        sha = sha256_url(task.path) if is_url(task.path) else sha256_of(task.path)
        if sha == task.known_sha256:
            return Result("unchanged", task.id, task.display, sha256=sha)
        task = task._replace(known_sha256=None)
    if is_url(task.path):
        try:
            data = read_url(task.path, config.max_bytes)
        except OSError as exc:
            return Result("error", task.id, task.display, reason=exc.strerror or str(exc), kind="read")
        task = task._replace(path=None, data=data)
    if hasattr(task, "record"):
        task = task._replace(record=None)
    return process_one(task, config)


def run_batch(tasks: list[Task], config: Config) -> list[Result]:
    """Return the Results of a batch of letters (the function a Dask worker runs)."""
    return [run_task(t, config) for t in tasks]


def worker_version() -> str:
    """Return the dafu version a worker runs (it must be the client's: same version, same bytes)."""
    import dafu

    return dafu.__version__


# ---------------------------------------------------------------- client side
def connect(address: str, *, timeout: float = CONNECT_TIMEOUT):
    """Return a distributed.Client connected to `address`, its workers running this dafu.

    Raises SchedulerError (one line for the user) when Dask is missing, the scheduler cannot be
    reached, no worker joins, or a worker runs another dafu.
    """
    import logging

    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError(address, "--scheduler needs Dask: pip install 'dafu[dask]'") from None
    for name in ("distributed", "distributed.client", "distributed.comm", "distributed.core"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # our one-line errors say it; no log noise
    _reachable(address, timeout)
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(address, f"cannot reach the Dask scheduler ({_why(exc)})") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        versions = client.run(worker_version)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise SchedulerError(address, f"no Dask worker joined within {WORKERS_TIMEOUT:.0f} s ({_why(exc)})") from None
    except ImportError as exc:
        client.close()
        raise SchedulerError(address, f"a Dask worker cannot import dafu ({exc}); install it where the workers run") \
            from None
    import dafu

    other = sorted({v for v in versions.values() if v != dafu.__version__})
    if other:
        client.close()
        raise SchedulerError(address, f"Dask workers run dafu {', '.join(other)}, this is {dafu.__version__} "
                                      "(records would differ)")
    return client


def _reachable(address: str, timeout: float) -> None:
    """Check the address's form, and that something listens there, before Dask retries for `timeout`."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location)
    except ValueError as exc:
        raise SchedulerError(address, f"not a scheduler address ({exc}); expected tcp://HOST:PORT") from None
    if scheme not in ("tcp", "tls"):
        return
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        why = exc.strerror or _why(exc) if not isinstance(exc, TimeoutError) else f"no answer within {timeout:.0f} s"
        raise SchedulerError(address, f"cannot reach the Dask scheduler ({why})") from None


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _killed(exc: BaseException | None) -> bool:
    from distributed.scheduler import KilledWorker

    return isinstance(exc, KilledWorker)


class DaskRunner:
    """Results of tasks in task order, from the workers of a Dask cluster.

    Batches are submitted with their index as priority, at most 4 per worker thread in flight (done
    but not yet taken counts), so memory stays flat however many letters there are; results are taken
    as they complete (as_completed) and handed out in task order.

    A worker that dies costs a retry of the batches it held (the scheduler's `allowed-failures`).
    A batch that still fails with KilledWorker may only have been queued beside the culprit, so its
    letters become suspects: each runs alone on the cluster, nothing else in flight, and only a
    letter that kills its worker there is reported as an error.
    """

    def __init__(self, tasks, config: Config, *, client, batch: int | None = None) -> None:
        self.tasks = tasks
        self.config = config
        self.client = client
        self.address = getattr(client.scheduler, "address", None) or "scheduler"
        self._batch_fixed = batch
        self._size = 1
        self._threads = 1
        self._next = 0
        self._futures: dict[Any, tuple[int, int | None]] = {}  # future -> (batch index, letter within or None)
        self._parts: dict[int, list[Result | None]] = {}  # a split batch's results as its letters come
        self._done: dict[int, list[Result]] = {}
        self._ac = None
        self._suspects: deque[tuple[int, int]] = deque()  # (batch index, letter within) to run alone
        self._alone = False  # a suspect is running alone
        self._run = uuid.uuid4().hex[:8]
        self._keys = itertools.count()
        self._stopped = False

    @property
    def jobs(self) -> int:
        """The number of worker threads when the run started (for run.json and messages)."""
        return self._threads

    def start(self) -> None:
        from distributed import as_completed

        try:
            info = self.client.scheduler_info()
            self._threads = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        except Exception:
            self._threads = 1
        n = len(self.tasks)
        self._size = self._batch_fixed or max(1, min(32, n // (self._threads * 8)))
        # with_results: each batch's results are fetched as soon as it finishes (a worker that dies
        # afterwards cannot take them with it); errors come back as values, not raised
        self._ac = as_completed(loop=self.client.loop, with_results=True, raise_errors=False)
        self._feed()

    def _batches(self) -> int:
        return (len(self.tasks) + self._size - 1) // self._size

    def _batch(self, index: int) -> list[Task]:
        return list(self.tasks[index * self._size:(index + 1) * self._size])

    def _in_flight(self) -> int:
        return len(self._done) + len(self._parts) + len({i for i, _ in self._futures.values()})

    def _feed(self) -> None:
        if self._suspects or self._alone:
            return
        while self._next < self._batches() and self._in_flight() < 4 * self._threads:
            index = self._next
            self._next += 1
            batch = self._batch(index)
            if any(t.data is not None for t in batch):  # stdin's bytes: done here, not shipped
                self._done[index] = [self._finish(t, process_one(t, self.config)) for t in batch]
                continue
            self._submit(index, None, batch)

    def _submit(self, index: int, part: int | None, batch: list[Task]) -> None:
        key = f"dafu-{self._run}-{index}" + ("" if part is None else f"-{part}") + f"-{next(self._keys)}"
        future = self.client.submit(run_batch, batch, self.config, key=key, priority=-index, pure=False)
        self._futures[future] = (index, part)
        self._ac.add(future)

    def __iter__(self) -> Iterator[Result]:
        head, total = 0, self._batches()
        while head < total and not self._stopped:
            if head in self._done:
                results = self._done.pop(head)
                head += 1
                self._feed()
                yield from results
                continue
            if not self._futures and self._suspects:
                index, part = self._suspects.popleft()
                self._alone = True
                self._submit(index, part, [self._batch(index)[part]])
            if not self._futures:  # pragma: no cover - a bug
                raise RuntimeError(f"batch {head} was never sent")
            self._wait()
            self._take(*next(self._ac))
            if not self._futures and not self._suspects:
                self._feed()

    def _wait(self) -> None:
        """Wait for a batch to complete; the scheduler gone, or no worker for WORKERS_TIMEOUT, stops the run."""
        import time

        checked = time.monotonic()
        alone_since = None
        while not self._ac.has_ready():
            time.sleep(0.05)
            now = time.monotonic()
            if now - checked < 2:
                continue
            checked = now
            if self.client.status not in ("running", "connecting"):
                raise SchedulerError(self.address, "lost the Dask scheduler mid-run")
            try:
                workers = len(self.client.scheduler_info(n_workers=1).get("workers", {}))
            except Exception:  # a moment without the scheduler: the client reconnects or closes
                continue
            alone_since = None if workers else (alone_since or now)
            if alone_since is not None and now - alone_since > WORKERS_TIMEOUT:
                raise SchedulerError(self.address, f"no Dask worker left for {WORKERS_TIMEOUT:.0f} s")

    def _take(self, future, outcome) -> None:
        """File a completed future's results; a batch that killed its workers is split, a letter reported."""
        index, part = self._futures.pop(future)
        alone, self._alone = self._alone, False
        future.release()
        if isinstance(outcome, list):
            tasks = self._batch(index) if part is None else [self._batch(index)[part]]
            self._file(index, part, [self._finish(t, r) for t, r in zip(tasks, outcome)])
            return
        if isinstance(outcome, BaseException) or self.client.status not in ("running", "connecting"):
            raise SchedulerError(self.address, "lost the Dask scheduler mid-run")  # cancelled: not by us
        exc = outcome[1]  # (type, exception, traceback)
        batch = self._batch(index)
        if _killed(exc) and not alone:
            if part is None:
                self._parts[index] = [None] * len(batch)
                self._suspects.extend((index, k) for k in range(len(batch)))
            else:
                self._suspects.append((index, part))
            return
        tasks = batch if part is None else [batch[part]]
        if _killed(exc):
            reason = "a Dask worker died converting this letter, on every retry"
        else:
            reason = f"the Dask worker failed ({type(exc).__name__}: {_why(exc)})"
        self._file(index, part, [Result("error", t.id, t.display, reason=reason, kind="internal") for t in tasks])

    def _file(self, index: int, part: int | None, results: list[Result]) -> None:
        if part is None and index not in self._parts:
            self._done[index] = results
            return
        parts = self._parts.setdefault(index, [None] * len(self._batch(index)))
        if part is None:
            parts[:] = results
        else:
            parts[part] = results[0]
        if all(r is not None for r in parts):
            del self._parts[index]
            self._done[index] = parts

    def _finish(self, task: Task, res: Result) -> Result:
        """Complete an unchanged letter from the client's own output folder (the worker cannot see it)."""
        if res.status != "unchanged" or getattr(task, "record", None) is None:
            return res
        done = unchanged(task, self.config)
        if done is not None:
            return done
        if not is_url(task.path):  # the record is damaged or gone: the local runner's own handling, here
            return process_one(task, self.config)
        return run_task(task._replace(known_sha256=None), self.config)

    def stop(self, now: bool = True) -> None:
        """Cancel what is left (Ctrl-C, --strict, a closed pipe) and close the connection."""
        self._stopped = True
        futures, self._futures = list(self._futures), {}
        try:
            if futures and now:
                self.client.cancel(futures)
            self.client.close(timeout=10)
        except Exception:  # the scheduler is gone already: nothing to cancel
            pass

