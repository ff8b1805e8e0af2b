"""Messages for people (stderr), exit codes, the standard streams and signals: shared by every command.

Exit codes (the same for every command; README has the table):

| code | meaning                                                                  |
|------|--------------------------------------------------------------------------|
| 0    | every letter converted (or valid)                                        |
| 1    | some letters failed or did not validate; the others were written         |
| 2    | usage error, or an unusable input or output location; nothing published  |
| 75   | the output folder is locked by another run (`--wait SECONDS` waits)      |
| 129  | SIGHUP                                                                   |
| 130  | SIGINT (Ctrl-C)                                                          |
| 141  | stdout closed early (`dafu … | head`)                                   |
| 143  | SIGTERM                                                                  |
"""
from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

__all__ = [
    "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_LOCKED", "EXIT_INTERRUPTED", "EXIT_PIPE", "EXIT_TERM",
    "Reporter", "Interrupted", "escape", "signals", "guard_stdio", "stream_closed", "silence_stdout",
    "write_stdout", "fail", "STDOUT_NAME", "STDIN_NAME", "deferred_signals", "progress",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75
EXIT_INTERRUPTED, EXIT_PIPE, EXIT_TERM = 130, 141, 143
STDOUT_NAME, STDIN_NAME = "<stdout>", "<stdin>"

# C0 and C1 controls, DEL, line and paragraph separators, bidi overrides: never printed raw.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CLOSED: set[int] = set()  # standard fds that were closed when dafu started (now /dev/null)


def escape(text: str) -> str:
    r"""Return `text` safe for one line on a terminal: controls escaped, undecodable bytes as U+FFFD.

    >>> escape("a\nb\x1b[31m.txt")
    'a\\nb\\x1b[31m.txt'
    """
    if not text.isascii():
        text = os.fsencode(text).decode("utf-8", "replace") if _has_surrogate(text) else text
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Reporter:
    """Messages for people, on stderr, through one rich console made on first use."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self._console = None

    @property
    def console(self):
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._console

    @property
    def is_terminal(self) -> bool:
        """True when stderr is a terminal, or rich is told to treat it as one (FORCE_COLOR, TTY_COMPATIBLE)."""
        if sys.stderr is None:
            return False
        if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
            return self.console.is_terminal
        try:
            return sys.stderr.isatty() and self.console.is_terminal
        except (ValueError, OSError):
            return False

    def say(self, line: str) -> None:
        """Print one line on stderr (a message that cannot be printed is dropped, never a traceback)."""
        try:
            if self._console is None and not self.is_terminal:
                sys.stderr.write(line + "\n")  # a plain line: no need to import rich (~20 ms) for a log
                sys.stderr.flush()
                return
            self.console.print(line, markup=False, highlight=False, emoji=False)
        except (OSError, ValueError, AttributeError, UnicodeError):
            pass

    def error(self, path: str, reason: str, outcome: str | None = "skipped") -> None:
        self.say(f"dafu: error: {escape(path)}: {escape(reason)}" + (f"; {outcome}" if outcome else ""))

    def warning(self, path: str, reason: str) -> None:
        if not self.quiet:
            self.say(f"dafu: warning: {escape(path)}: {escape(reason)}")


def fail(path: str, reason: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print `dafu: error: PATH: reason` on stderr and end the command with `code`."""
    import typer

    Reporter(quiet=False).error(path, reason, None)
    raise typer.Exit(code)


# ---------------------------------------------------------------- standard streams
def guard_stdio() -> None:
    """Make the process safe to run with closed or odd standard streams (cron, CI, `>&-`).

    A closed fd 0/1/2 is opened on /dev/null (so that no file dafu opens can land on fd 1 and
    receive data) and remembered: a command that needs that stream then stops with one line.
    Text that a non-UTF-8 terminal cannot show is escaped instead of raising.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            _CLOSED.add(fd)
            got = os.open(os.devnull, os.O_RDWR)
            if got != fd:
                os.dup2(got, fd)
                os.close(got)
    if 2 in _CLOSED or sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def stream_closed(fd: int) -> bool:
    """True when the standard stream `fd` was closed when dafu started."""
    if fd in _CLOSED:
        return True
    stream = (sys.stdin, sys.stdout, sys.stderr)[fd]
    return stream is None


def silence_stdout() -> None:
    """After a closed pipe or a failed write, point stdout at /dev/null so that the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def write_stdout(data: bytes) -> None:
    """Write bytes to stdout; a closed pipe ends with 141, a failing device (full, closed) with one line and 2."""
    import typer

    if stream_closed(1):
        fail(STDOUT_NAME, "standard output is closed; nothing written")
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_PIPE) from None
    except OSError as exc:
        _drop_stdout_buffer()
        fail(STDOUT_NAME, f"cannot write ({exc.strerror or exc})")


def _drop_stdout_buffer() -> None:
    """Forget what is buffered for stdout (a full device would fail again at exit)."""
    silence_stdout()
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass


# ---------------------------------------------------------------- signals
class Interrupted(BaseException):
    """A signal asked the run to stop (SIGINT, SIGTERM, SIGHUP): exit 128 + its number.

    A BaseException, like KeyboardInterrupt: the pipeline's `except Exception` (a bug in one letter
    becomes a warning) must not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def code(self) -> int:
        return 128 + self.signum


class _Deferred:
    """Signals that arrived while a run was putting its files in place."""

    def __init__(self) -> None:
        self.pending: int | None = None
        self.deferring = False


_STATE = _Deferred()
_HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _on_signal(signum, frame) -> None:
    if _STATE.deferring:
        _STATE.pending = _STATE.pending or signum
        return
    raise Interrupted(signum)


@contextmanager
def signals() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into `Interrupted` for the body (main thread only)."""
    previous = {}
    try:
        for sig in _HANDLED:
            previous[sig] = signal.signal(sig, _on_signal)
    except ValueError:  # not the main thread: leave the signals alone
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def deferred_signals() -> Iterator[_Deferred]:
    """Hold SIGINT/SIGTERM/SIGHUP while the body runs (files being put in place); `.pending` says if one came."""
    _STATE.deferring, _STATE.pending = True, None
    try:
        yield _STATE
    finally:
        _STATE.deferring = False


@contextmanager
def progress(reporter: Reporter, total: int, label: str, show: bool = True) -> Iterator[Callable[[], None]]:
    """Yield an `advance()`: a transient rich bar on a terminal (for two items or more), else a no-op."""
    if not show or total < 2 or not reporter.is_terminal:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(label, BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=reporter.console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
