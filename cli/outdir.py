"""Where outputs go: checked output paths, the output folder (lock, staged records, state and manifest).

Every output path is checked before anything is written: an empty path is a usage error; `-` is
stdout; a pipe (`--csv >(gzip)`, `/dev/fd/N`, a FIFO with a reader) is written as a stream; a device,
socket, folder or any other non-regular file is refused; a regular file is replaced atomically (a
symbolic link is replaced at its target, never turned into a file). The caller also checks that no
output is one of the inputs.
"""
from __future__ import annotations

import errno
import os
import stat
import time
from dataclasses import dataclass
from typing import Any

__all__ = ["OutputError", "Target", "check_output", "open_target", "OutputFolder", "State", "encode_source",
           "decode_source"]

_STREAM_PREFIXES = ("/dev/fd/", "/proc/self/fd/", "/dev/stdout", "/dev/stderr")


class OutputError(Exception):
    """An output location that cannot be used (exit 2, or 75 for a held lock)."""

    def __init__(self, path: str, reason: str, code: int = 2) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.code = path, reason, code


@dataclass(frozen=True, slots=True)
class Target:
    """A checked output path: kind is stdout | stream (a pipe) | file (replaced atomically)."""

    given: str
    kind: str
    path: str  # the file to replace (its symlink resolved), or the pipe to open
    identity: tuple[int, int] | None = None  # (dev, ino) of an existing file


def check_output(path: str, option: str) -> Target:
    """Return the Target of an output path given to `option`, or raise OutputError."""
    if path == "":
        raise OutputError(f"{option} ''", "empty path (an unset shell variable?)")
    if path == "-":
        return Target(path, "stdout", path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(path, f"cannot write here ({exc.strerror or exc})") from None
    if st is not None and stat.S_ISFIFO(st.st_mode):
        return Target(path, "stream", path)
    if st is not None and path.startswith(_STREAM_PREFIXES) and not stat.S_ISDIR(st.st_mode):
        if stat.S_ISREG(st.st_mode) or stat.S_ISCHR(st.st_mode) or stat.S_ISSOCK(st.st_mode):
            return Target(path, "stream", path)  # a stream the shell set up (2>, >file, a terminal)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(path, "is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputError(path, f"is {_kind(st.st_mode)}, not a regular file; not written")
    real = os.path.realpath(path)
    folder = os.path.dirname(real) or "."
    if not os.path.isdir(folder):
        raise OutputError(path, "cannot write here (No such file or directory)")
    return Target(path, "file", real, (st.st_dev, st.st_ino) if st is not None else None)


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def open_target(target: Target):
    """Return (binary stream, AtomicFile or None) for a checked target."""
    import sys

    from .writers import AtomicFile

    if target.kind == "stdout":
        return sys.stdout.buffer, None
    if target.kind == "stream":
        try:
            fd = os.open(target.path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                raise OutputError(target.given, "a pipe with no reader; not written") from None
            raise OutputError(target.given, f"cannot write here ({exc.strerror or exc})") from None
        os.set_blocking(fd, True)
        return os.fdopen(fd, "wb", buffering=1 << 16), None
    try:
        f = AtomicFile(target.path)
    except OSError as exc:
        raise OutputError(target.given, f"cannot write here ({exc.strerror or exc})") from None
    return f, f



def close_target(stream, atomic) -> None:
    """Finish what open_target returned: commit the file into place, or flush (and close) the stream."""
    import sys

    if atomic is not None:
        atomic.commit()
        return
    stream.flush()
    if stream is not sys.stdout.buffer:
        stream.close()

# ---------------------------------------------------------------- the output folder
def encode_source(path: str) -> str:
    """Return an absolute path as JSON-safe text (a path that is not UTF-8 is kept as hex bytes)."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return "hex:" + os.fsencode(path).hex()


def decode_source(text: str) -> str:
    return os.fsdecode(bytes.fromhex(text[4:])) if text.startswith("hex:") else text


class OutputFolder:
    """The output folder: created, locked (waiting when asked), cleaned of a killed run's temp files."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.letters = os.path.join(folder, "letters")
        self.lock_fd: int | None = None

    def identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.folder)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def check(self) -> None:
        """Raise OutputError when the folder cannot be one (a file, a device)."""
        if self.folder == "":
            raise OutputError("-o ''", "empty path (an unset shell variable?)")
        try:
            st = os.stat(self.folder)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise OutputError(self.folder, f"cannot write here ({exc.strerror or exc})") from None
        if not stat.S_ISDIR(st.st_mode):
            raise OutputError(self.folder, "cannot write here (Not a directory)")

    def open(self, wait: float = 0.0) -> None:
        from .writers import LockBusy, lock_folder, remove_stale_temps

        try:
            os.makedirs(self.letters, exist_ok=True)
        except OSError as exc:
            raise OutputError(self.folder, f"cannot write here ({exc.strerror or exc})") from None
        deadline = time.monotonic() + wait
        while True:
            try:
                self.lock_fd = lock_folder(self.folder)
                break
            except LockBusy:
                if time.monotonic() >= deadline:
                    waited = f" (waited {wait:g} s)" if wait else "; --wait SECONDS waits for it"
                    raise OutputError(self.folder, "another dafu run holds the lock" + waited, 75) from None
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
            except OSError as exc:
                raise OutputError(self.folder, f"cannot write here ({exc.strerror or exc})") from None
        if not os.access(self.letters, os.W_OK | os.X_OK):
            raise OutputError(self.folder, "cannot write here (permission denied)")
        from .writers import Journal

        try:
            Journal(self.folder, self.letters).roll_forward()  # a publish a SIGKILL cut short is finished first
        except OSError as exc:
            raise OutputError(self.folder, f"cannot finish the last run's publish ({exc.strerror or exc})") from None
        remove_stale_temps([self.folder, self.letters])

    def record_path(self, id: str) -> str:
        return os.path.join(self.letters, id + ".json")

    def close(self) -> None:
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None


STATE_NAME = ".dafu-state.json"


def _has_records(folder: str) -> bool:
    try:
        with os.scandir(os.path.join(folder, "letters")) as it:
            return any(e.name.endswith(".json") and not e.name.startswith(".") for e in it)
    except OSError:
        return False
_FORMATS = ("dafu.state/1", "dafu.state/2")
STATE_FORMAT = "dafu.state/2"


@dataclass
class State:
    """The last run's state: version, options, and the manifest of the records dafu wrote.

    `letters` maps id -> sha256 of the input; `sources` maps id -> the input's absolute path (a
    record without a source, from an older state, is never pruned).
    """

    version: str | None = None
    options: Any = None
    letters: dict[str, str] | None = None
    sources: dict[str, str] | None = None
    damaged: bool = False

    @classmethod
    def load(cls, folder: str) -> State:
        import orjson

        try:
            with open(os.path.join(folder, STATE_NAME), "rb") as fp:
                data = orjson.loads(fp.read())
        except FileNotFoundError:  # a first run, or a state deleted beside the records of earlier runs
            return cls.rebuilt(folder) if _has_records(folder) else cls(letters={}, sources={})
        except (OSError, ValueError):
            return cls.rebuilt(folder)
        if not isinstance(data, dict) or data.get("format") not in _FORMATS:
            return cls.rebuilt(folder)
        letters = data.get("letters")
        sources = data.get("sources") or {}
        if not isinstance(letters, dict) or not isinstance(sources, dict):
            return cls.rebuilt(folder)
        return cls(data.get("version"), data.get("options"), {str(k): str(v) for k, v in letters.items()},
                   {str(k): str(v) for k, v in sources.items()})

    @classmethod
    def rebuilt(cls, folder: str) -> State:
        """The state of a damaged state file, rebuilt from the records in ``folder/letters``: every record stays
        in the CSVs (letters/ and the CSVs describe the same records), none is pruned (no source is known), and
        no letter is skipped as unchanged (no version or options)."""
        import orjson

        letters: dict[str, str] = {}
        try:
            names = sorted(n for n in os.listdir(os.path.join(folder, "letters")) if n.endswith(".json"))
        except OSError:
            names = []
        for name in names:
            try:
                with open(os.path.join(folder, "letters", name), "rb") as fp:
                    record = orjson.loads(fp.read())
                sha = record["source"]["sha256"]
            except (OSError, ValueError, TypeError, KeyError):
                continue  # a damaged record: the letter is converted again when given, else left out as before
            if isinstance(record, dict) and record.get("id") == name[:-5] and isinstance(sha, str):
                letters[name[:-5]] = sha
        return cls(letters=letters, sources={}, damaged=True)

    def dump(self) -> bytes:
        import orjson

        return orjson.dumps({"format": STATE_FORMAT, "version": self.version, "options": self.options,
                             "letters": dict(sorted((self.letters or {}).items())),
                             "sources": dict(sorted((self.sources or {}).items()))}) + b"\n"
