"""Run letters through the pipeline in worker processes; results come back in input order.

Workers get paths (not texts) in small batches and send back finished JSON bytes (`letter.process_one`).
At most a fixed window of batches is in flight, so memory stays flat however many letters there are, and
results are yielded in the order the tasks were given (inputs are sorted by id before), which makes
the output bytes the same for any number of jobs.
"""
from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterator
from typing import Any

from .letter import Config, Result, Task, process_one

__all__ = ["Task", "Config", "Result", "Runner", "default_jobs", "cap_jobs", "process_one"]


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------- worker side
_WORKER_MB = 200  # a worker's private memory at worst (the repair model is shared after fork, mostly)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (a SIGKILLed run leaves no orphans)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when their pipe closes
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker(conn, config: Config, close_fds: tuple[int, ...], parent: int) -> None:
    """A worker's life: batches of tasks in, lists of results out, until the pipe closes."""
    _die_with_parent(parent)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)  # the parent decides when the run stops, and kills its workers
    for fd in close_fds:
        try:
            os.close(fd)  # the flock stays with the parent's descriptor
        except OSError:
            pass
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            break
        if batch is None:
            break
        index, tasks = batch
        try:
            conn.send((index, [process_one(t, config) for t in tasks]))
        except (BrokenPipeError, OSError):
            break
    os._exit(0)


def _warm_up(options: Any) -> None:
    """Load the pipeline's libraries and tables (the repair model too) before workers are forked.

    Forked workers then share those pages with the parent; `gc.freeze()` keeps the collector from
    touching (and so copying) them.
    """
    import gc

    from dafu import process

    try:
        process("关于第1号提案的答复\n张三委员：\n现答复如下：培训100人次。\n某某局\n2020年1月1日\n", options=options)
        from dafu.normalize.repair import repair_byte_loss

        repair_byte_loss("议》(第20180218号)收悉?,F(xiàn)答复(fù)如下:")
    except Exception:  # a broken pipeline shows up per letter, with its path; not here
        pass
    gc.freeze()


def _available_mb() -> int | None:
    """Return the memory available to new processes (MemAvailable), in MB, or None when unknown."""
    try:
        with open("/proc/meminfo", "rb") as fp:
            for line in fp:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def cap_jobs(requested: int | None) -> tuple[int, str | None]:
    """Return the number of worker processes to use and, when fewer than asked, why.

    At most one per core, and no more than the available memory holds at ~200 MB per worker.
    """
    cores = default_jobs()
    jobs = requested or cores
    why = None
    if jobs > cores:
        jobs, why = cores, f"{cores} core{'s' if cores > 1 else ''}"
    memory = _available_mb()
    if memory is not None and jobs > 1 and jobs > max(1, memory // _WORKER_MB):
        jobs, why = max(1, memory // _WORKER_MB), f"{memory} MB of memory available"
    return jobs, (why if requested and jobs < requested else None)


class Runner:
    """Results of tasks in task order, from `jobs` processes (in this process when jobs is 1).

    Workers are forked after the pipeline is loaded, get paths (not texts) in small batches over a
    pipe and send back finished results; at most a fixed window of batches is in flight, so memory
    stays flat however many letters there are. A worker that dies costs its batch (each letter an
    error naming it), never the run. `stop()` kills the workers through the public Process API.
    """

    def __init__(self, tasks, config: Config, *, jobs: int, lock_fd: int | None = None) -> None:
        self.tasks = tasks
        self.config = config
        self.jobs = max(1, min(jobs, len(tasks)))
        self.lock_fd = lock_fd
        self._workers: list = []  # [process, connection, outstanding batch indexes]
        self._stopped = False
        self._next = 0  # next batch index to send
        self._size = 1
        self._ctx = None
        self._done: dict[int, list[Result]] = {}  # results received, waiting for their turn

    def _batch_size(self) -> int:
        return max(1, min(16, len(self.tasks) // (self.jobs * 8)))

    def start(self) -> None:
        """Load the pipeline, then fork the workers (before any thread exists in this process)."""
        if self.jobs == 1:
            return
        import multiprocessing

        _warm_up(self.config.options)
        self._ctx = multiprocessing.get_context("fork")
        self._size = self._batch_size()
        for _ in range(self.jobs):
            self._spawn()

    def _spawn(self) -> None:
        parent_end, child_end = self._ctx.Pipe(duplex=True)
        close = (self.lock_fd,) if self.lock_fd is not None else ()
        proc = self._ctx.Process(target=_worker, args=(child_end, self.config, close, os.getpid()), daemon=True)
        proc.start()
        child_end.close()
        self._workers.append([proc, parent_end, deque()])

    def _batches(self) -> int:
        return (len(self.tasks) + self._size - 1) // self._size

    def _batch(self, index: int) -> list[Task]:
        return list(self.tasks[index * self._size:(index + 1) * self._size])

    def _send(self, worker) -> bool:
        """Send the next batch to `worker`; False when none is left.

        A batch holding stdin's bytes is done here, at once: a big message could fill the pipe
        while the worker is sending its results, and both would wait for ever.
        """
        if self._next >= self._batches():
            return False
        index = self._next
        self._next += 1
        batch = self._batch(index)
        if any(t.data is not None for t in batch):
            self._done[index] = [process_one(t, self.config) for t in batch]
            return True
        worker[2].append(index)
        worker[1].send((index, batch))
        return True

    def __iter__(self) -> Iterator[Result]:
        if self.jobs == 1:
            for i in range(len(self.tasks)):
                if self._stopped:
                    return
                yield process_one(self.tasks[i], self.config)
            return
        yield from self._parallel()

    def _in_flight(self) -> int:
        return len(self._done) + sum(len(w[2]) for w in self._workers)

    def _feed(self) -> None:
        """Give each worker up to two batches while the window (4 batches per worker) has room."""
        for worker in list(self._workers):
            while len(worker[2]) < 2 and self._in_flight() < 4 * self.jobs:
                if not self._send(worker):
                    return

    def _parallel(self) -> Iterator[Result]:
        from multiprocessing.connection import wait

        done = self._done
        head, total = 0, self._batches()
        self._feed()
        while head < total and not self._stopped:
            if head in done:
                results = done.pop(head)
                head += 1
                self._feed()
                yield from results
                continue
            busy = {w[1]: w for w in self._workers if w[2]}
            if not busy:
                self._feed()
                if not any(w[2] for w in self._workers) and head not in done:
                    raise RuntimeError(f"batch {head} was never sent")  # pragma: no cover - a bug
                continue
            for conn in wait(list(busy)):
                worker = busy[conn]
                try:
                    index, results = conn.recv()
                except (EOFError, OSError):
                    self._lost(worker, done)
                    continue
                worker[2].remove(index)
                done[index] = results

    def _lost(self, worker, done: dict[int, list[Result]]) -> None:
        """A worker died: its batches become errors naming each letter; a new worker takes its place."""
        proc, conn, pending = worker
        proc.join(timeout=5)
        code = proc.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        reason = f"worker process died ({how}; out of memory?)"
        for index in pending:
            done[index] = [Result("error", t.id, t.display, reason=reason, kind="internal")
                           for t in self._batch(index)]
        conn.close()
        self._workers.remove(worker)
        if not self._stopped:
            self._spawn()

    def stop(self, now: bool = True) -> None:
        """End the workers: ask them to leave (after the last result), or kill them (a signal, --strict)."""
        self._stopped = True
        workers, self._workers = self._workers, []
        for proc, conn, _ in workers:
            if not now:
                try:
                    conn.send(None)
                except OSError:
                    pass
            else:
                proc.kill()
        for proc, conn, _ in workers:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=5)
            conn.close()
