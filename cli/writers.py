"""Output files: atomic replacement, the folder lock, CSV, JSON Lines, run.json, datapackage.json.

Every file is written to a hidden temporary file in its own folder,
fsynced, then renamed over the target, so a reader (or a run killed with SIGKILL) only ever sees a
complete file from this run or from the previous one.
"""
from __future__ import annotations

import csv
import fcntl
import io
import os
import secrets
from collections.abc import Iterable, Iterator
from typing import IO, Any

__all__ = [
    "AtomicFile", "atomic_write", "Journal", "JOURNAL_NAME", "StagedRecords", "sync_filesystem", "LockBusy",
    "lock_folder", "remove_stale_temps", "fsync_folder",
    "csv_bytes", "datapackage", "TEMP_MARK", "BOM",
]

TEMP_MARK = ".dafu-tmp"
BOM = "\ufeff".encode("utf-8")


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd` (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class AtomicFile(io.RawIOBase):
    """A binary file that replaces `path` on `commit()` and leaves no trace on `discard()`.

    It is written under a hidden temp name (`.<name>.<random>.dafu-tmp`) in the same folder; only
    a SIGKILL can leave such a file behind, and the next run into that folder removes it.
    """

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        folder = os.path.dirname(path) or "."
        self._named: str | None = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(4)}{TEMP_MARK}")
        self.fd = os.open(self._named, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        try:
            _write_all(self.fd, data)
        except OSError as exc:  # name the file the user knows, not the temp name
            raise OSError(exc.errno, exc.strerror, self.path) from exc
        return len(data)

    def prepare(self) -> tuple[str, str]:
        """Flush to disk and close, leaving the file under its temp name: (temp name, final name) for a
        publish journal (``Journal``); ``commit()`` then puts it in place."""
        if self.fd >= 0:
            try:
                os.fsync(self.fd)
                os.close(self.fd)
                self.fd = -1
            except OSError as exc:
                self.discard()
                raise OSError(exc.errno, exc.strerror, self.path) from exc
        return os.path.basename(self._named or ""), os.path.basename(self.path)

    def hand_over(self) -> None:
        """After ``prepare()``: the temp file is the journal's now; closing this object leaves it be."""
        self._named = None

    def commit(self) -> None:
        """Flush to disk and put the file in place under its name."""
        self.prepare()
        try:
            os.replace(self._named, self.path)
        except OSError as exc:
            self.discard()
            raise OSError(exc.errno, exc.strerror, self.path) from exc
        self._named = None

    def discard(self) -> None:
        """Forget the file; the old one at `path` (if any) stays as it was."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self._named is not None:
            try:
                os.unlink(self._named)
            except FileNotFoundError:
                pass
            self._named = None

    def close(self) -> None:
        self.discard()
        super().close()

    def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[override]
        if exc_type is None:
            self.commit()
        self.close()


def atomic_write(path: str, data: bytes) -> None:
    """Replace the file at `path` with `data`, atomically."""
    with AtomicFile(path) as f:
        f.write(data)


def sync_filesystem(folder: str) -> None:
    """Flush every written file of the file system holding `folder` to disk (one syncfs call)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if _syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _syncfs(fd: int) -> int:
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs(fd)
    except (OSError, AttributeError):  # not Linux
        return -1


class StagedRecords:
    """Records written beside their final names and put in place all together at the end of a run.

    Each record goes to `.<name>.dafu-tmp` in the folder; every `max_files` files (or `max_seconds`)
    the file system is synced once, so 10,000 records cost some 100 flushes instead of 10,000.
    `commit()` renames every staged record into place (the run then publishes its CSVs too);
    `discard()` (an interrupted or failed run) removes them, and the folder keeps the last run's
    records, in step with its CSVs. Nothing is kept in memory per record.
    """

    def __init__(self, folder: str, *, max_files: int = 64, max_seconds: float = 1.0) -> None:
        self.folder, self.max_files, self.max_seconds = folder, max_files, max_seconds
        self._unsynced = 0
        self._since = 0.0
        self.staged = 0

    def _temp(self, name: str) -> str:
        return os.path.join(self.folder, f".{name}{TEMP_MARK}")

    def write(self, name: str, data: bytes) -> None:
        """Stage `folder/name` (in place at `commit()`)."""
        import time

        path = os.path.join(self.folder, name)
        temp = self._temp(name)
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, path) from exc
        try:
            _write_all(fd, data)
        except OSError as exc:
            os.close(fd)
            os.unlink(temp)
            raise OSError(exc.errno, exc.strerror, path) from exc
        os.close(fd)
        self.staged += 1
        if not self._unsynced:
            self._since = time.monotonic()
        self._unsynced += 1
        if self._unsynced >= self.max_files or time.monotonic() - self._since >= self.max_seconds:
            self.flush()

    def flush(self) -> None:
        """Sync the staged files to disk."""
        if self._unsynced:
            sync_filesystem(self.folder)
            self._unsynced = 0

    def _staged_names(self) -> Iterator[tuple[str, str]]:
        """Yield (temp, final path) of the staged records (the folder holds no other temp file: the lock)."""
        with os.scandir(self.folder) as it:
            for entry in it:
                name = entry.name
                if name.startswith(".") and name.endswith(".json" + TEMP_MARK):
                    yield entry.path, os.path.join(self.folder, name[1:-len(TEMP_MARK)])

    def commit(self) -> None:
        """Put every staged record in place under its name (after one sync)."""
        sync_filesystem(self.folder)
        self._unsynced = 0
        for temp, path in list(self._staged_names()):
            try:
                os.replace(temp, path)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, path) from exc
        self.staged = 0

    def discard(self) -> None:
        """Drop every staged record; the previous ones stay."""
        if not self.staged:
            return
        for temp, _ in list(self._staged_names()):
            try:
                os.unlink(temp)
            except FileNotFoundError:
                pass
        self.staged = 0


JOURNAL_NAME = ".dafu-publish.json"


class Journal:
    """How a run puts its outputs in place so that a SIGKILL in the middle is finished by the next run.

    Every output is first written and synced under a temp name (records in ``letters/``, the folder's
    files via ``AtomicFile.prepare``); then the journal (``.dafu-publish.json``: the temp → final names, the
    records to prune) is written atomically, and only then are the files renamed into place and the
    journal removed. A run that finds a journal (``roll_forward``, with the lock held, before temp files
    are cleaned) completes the renames, so ``letters/`` and the CSVs never stay out of step.
    """

    def __init__(self, folder: str, letters: str) -> None:
        self.folder, self.letters = folder, letters

    def publish(self, files: list[tuple[str, str]], pruned: list[str]) -> None:
        """Write the journal for ``files`` (temp, final names in the folder) and ``pruned`` (record names in
        letters/), then apply it and remove it."""
        import orjson

        sync_filesystem(self.folder)
        atomic_write(os.path.join(self.folder, JOURNAL_NAME),
                     orjson.dumps({"files": [list(f) for f in files], "pruned": sorted(pruned)}))
        fsync_folder(self.folder)
        self._apply(files, pruned)

    def roll_forward(self) -> bool:
        """Finish a publish that a killed run began; True when there was one."""
        import orjson

        path = os.path.join(self.folder, JOURNAL_NAME)
        try:
            with open(path, "rb") as fp:
                data = orjson.loads(fp.read())
            files = [(str(t), str(f)) for t, f in data["files"]]
            pruned = [str(n) for n in data["pruned"]]
            if any(os.sep in n or n in ("", ".", "..") for n in [*pruned, *(n for pair in files for n in pair)]):
                raise ValueError("a name outside the folder")
        except FileNotFoundError:
            return False
        except (OSError, ValueError, TypeError, KeyError):
            os.unlink(path)  # written atomically, so never half: not dafu's; the temps are cleaned as usual
            return False
        self._apply(files, pruned)
        return True

    def _apply(self, files: list[tuple[str, str]], pruned: list[str]) -> None:
        for name in os.listdir(self.letters):  # the staged records first, as their CSV rows were written
            if name.startswith(".") and name.endswith(".json" + TEMP_MARK):
                _replace(os.path.join(self.letters, name), os.path.join(self.letters, name[1:-len(TEMP_MARK)]))
        for name in pruned:
            try:
                os.unlink(os.path.join(self.letters, name))
            except FileNotFoundError:
                pass
        for temp, final in files:
            if os.path.lexists(os.path.join(self.folder, temp)):  # a rename done before the kill is not redone
                _replace(os.path.join(self.folder, temp), os.path.join(self.folder, final))
        fsync_folder(self.letters)
        fsync_folder(self.folder)
        os.unlink(os.path.join(self.folder, JOURNAL_NAME))
        fsync_folder(self.folder)


def _replace(temp: str, path: str) -> None:
    """os.replace, an error naming the file the user knows (not its temp name)."""
    try:
        os.replace(temp, path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from exc


def fsync_folder(folder: str) -> None:
    """Make renames inside `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(folders: Iterable[str]) -> int:
    """Delete temp files a killed run left behind (call with the lock held); return how many."""
    removed = 0
    for folder in folders:
        try:
            names = [n for n in os.listdir(folder) if n.startswith(".") and n.endswith(TEMP_MARK)]
        except FileNotFoundError:
            continue
        for name in names:
            try:
                os.unlink(os.path.join(folder, name))
                removed += 1
            except FileNotFoundError:
                pass
    return removed


class LockBusy(Exception):
    """Another dafu run holds the output folder's lock."""


def lock_folder(folder: str) -> int:
    """Take the exclusive lock `folder/.dafu.lock` and return its fd; raise LockBusy if taken.

    The lock is an flock: the kernel drops it when the holding process dies, even by SIGKILL.
    """
    fd = os.open(os.path.join(folder, ".dafu.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockBusy(folder) from None
    return fd


# ---------------------------------------------------------------- CSV
def csv_bytes(rows: Iterable[list[str]]) -> bytes:
    """Return rows as RFC 4180 CSV (CRLF line ends, quotes only where needed), UTF-8.

    >>> csv_bytes([["答复", "x,y", "1.5"]]).decode()
    '答复,"x,y",1.5\\r\\n'
    """
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


# ---------------------------------------------------------------- datapackage.json
def datapackage(*, excel: bool, version: str, lexicon: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """Return the Frictionless Data Package descriptor of metrics.csv and letters.csv (made in dafu.output)."""
    from dafu.output.datapackage import datapackage as descriptor

    return descriptor(excel=excel, version=version, lexicon=lexicon)


def jsonl_lines(records: Iterator[bytes]) -> Iterator[bytes]:
    """Yield each JSON record followed by a newline."""
    for data in records:
        yield data + b"\n"


def open_sink(path: str) -> tuple[IO[bytes], AtomicFile | None]:
    """Return a binary stream for `path` (`-` is stdout) and the AtomicFile to commit, if any."""
    import sys

    if path == "-":
        return sys.stdout.buffer, None
    f = AtomicFile(os.path.abspath(path))
    return f, f  # type: ignore[return-value]
