"""Walk the inputs a user names and give every letter a safe, unique id."""
from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

__all__ = ["Item", "Problem", "Inputs", "collect", "sanitize_id", "display_path", "STDIN"]

STDIN = "-"
_STDIN_ID = "stdin"
_SUFFIXES = (".txt", ".html", ".htm")  # dropped from ids; .html/.htm pages are read as HTML
_MAX_ID_BYTES = 200  # "<id>.json" and a temp prefix must stay under NAME_MAX (255)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\ufffd]")
_LEADING_DOTS = re.compile(r"^\.+")


@dataclass(frozen=True, slots=True)
class Item:
    """One letter to convert: where it is (None for stdin), how to show it, its id."""

    path: str | None
    display: str
    id: str
    collision_of: str | None = None  # the id it would have had, when it was renamed
    follow: bool = True  # False: found in a folder walk as a plain file; a symlink put there later is refused
    stream: bool = False  # a pipe named on the command line (`<(cat x.txt)`): read as a stream


@dataclass(frozen=True, slots=True)
class Problem:
    """An input path that yields no letter.

    level: usage (exit 2, nothing is written), error (that part is skipped, exit 1), warning.
    kind: missing | unreadable | loop | special | outside | output | empty
    """

    display: str
    reason: str
    kind: str
    level: str = "usage"

    @property
    def fatal(self) -> bool:
        return self.level == "usage"


@dataclass(frozen=True, slots=True)
class Inputs:
    items: tuple[Item, ...]
    problems: tuple[Problem, ...]
    roots: tuple[str, ...] = ()  # absolute paths of the inputs given (files and folders)


def display_path(path: str) -> str:
    """Return `path` as valid UTF-8 text for messages and JSON (an undecodable byte is written \\xNN, so two
    names that differ only there stay apart).

    >>> display_path(os.fsdecode(b"letters/\\xb9\\xd8.txt"))
    'letters/\\\\xb9\\\\xd8.txt'
    """
    if path.isascii():
        return path  # the same string, not a copy: one is kept per letter for the whole run
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def sanitize_id(raw: str) -> str:
    """Return an id that is one safe file name: no separators, controls, dot names or U+FFFD.

    >>> sanitize_id("../../etc/passwd")
    '___.._etc_passwd'
    """
    text = _UNSAFE.sub("_", display_path(raw))
    text = _LEADING_DOTS.sub(lambda m: "_" * len(m.group()), text) or "_"
    data = text.encode("utf-8")
    if len(data) > _MAX_ID_BYTES:
        digest = hashlib.sha256(data).hexdigest()[:12]
        text = data[: _MAX_ID_BYTES - 13].decode("utf-8", "ignore") + "~" + digest
    return text


def _strip_suffix(name: str) -> str:
    """Return a file name without a final `.txt`, `.html` or `.htm` (any case)."""
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _id_for(relparts: Iterable[str]) -> str:
    """Return the id of a path relative to the folder given: components joined by `__`."""
    parts = list(relparts)
    parts[-1] = _strip_suffix(parts[-1])
    return sanitize_id("__".join(parts))


_NEVER_INPUT = (".dafu.lock", ".dafu-state.json")
_TEMP_MARK = ".dafu-tmp"


def _matcher(pattern: str):
    """Return match(name, relparts): a pattern with `/` is matched against the relative path (`**/` is any depth)."""
    while pattern.startswith("**/"):
        pattern = pattern[3:]
    if "/" not in pattern:
        return lambda name, rel: fnmatch.fnmatchcase(name, pattern)
    return lambda name, rel: fnmatch.fnmatchcase("/".join(rel), pattern)


def _special(mode: int) -> str | None:
    """Return what a non-regular, non-folder file is (fifo, device, socket), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _walk(root: str, pattern: str, problems: list[Problem], skip: frozenset, outputs: dict
          ) -> Iterator[tuple[str, tuple[str, ...], bool]]:
    """Yield (path, parts relative to root, is a symlink) of matching files, sorted.

    Folder symlinks are followed once; a symlink (file or folder) leading outside the root is not
    followed; FIFOs, devices and sockets are skipped unopened; the output folder is never walked.
    """
    try:
        top = os.stat(root)
        real_root = os.path.realpath(root)
    except OSError as exc:
        problems.append(Problem(display_path(root), exc.strerror or str(exc), "unreadable"))
        return
    walker = _Walker(_matcher(pattern), problems, skip, outputs, real_root, {(top.st_dev, top.st_ino)})
    stack: list[tuple[str, tuple[str, ...], frozenset[tuple[int, int]]]] = [
        (root, (), frozenset(walker.visited))]
    first = True
    while stack:
        folder, rel, ancestors = stack.pop()
        entries = walker.scan(folder, first)
        first = False
        subfolders: list[tuple[str, tuple[str, ...], frozenset[tuple[int, int]]]] = []
        for entry in entries:
            found = walker.look(entry, rel, ancestors, subfolders)
            if found is not None:
                yield found
        stack.extend(reversed(subfolders))


@dataclass
class _Walker:
    """What one walk of a folder has seen: each entry is a letter to yield, a folder to enter, or a problem."""

    match: Callable[[str, tuple[str, ...]], bool]
    problems: list[Problem]
    skip: frozenset
    outputs: dict
    real_root: str
    visited: set[tuple[int, int]]

    def scan(self, folder: str, first: bool) -> list[os.DirEntry]:
        """Return the entries of a folder in byte order (none, and a problem, when it cannot be read)."""
        try:
            with os.scandir(folder) as it:
                return sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            level = "usage" if first else "error"
            self.problems.append(Problem(display_path(folder), f"unreadable folder ({exc.strerror or exc})",
                                         "unreadable", level))
            return []

    def look(self, entry: os.DirEntry, rel: tuple[str, ...], ancestors: frozenset, subfolders: list
             ) -> tuple[str, tuple[str, ...], bool] | None:
        """Return (path, parts, is a symlink) of a letter; add a folder to enter to `subfolders`."""
        name = entry.name
        if name in _NEVER_INPUT or name.endswith(_TEMP_MARK):
            return None
        link = entry.is_symlink()
        try:
            st = entry.stat()  # follows symlinks
        except OSError:
            if link:
                self._problem(entry, "broken symbolic link", "missing", "warning")
            elif self.match(name, rel + (name,)):
                return entry.path, rel + (name,), False
            return None
        key = (st.st_dev, st.st_ino)
        if key in self.skip:
            return None  # the output folder (and its lock) is never read as input
        if link and not _inside(os.path.realpath(entry.path), self.real_root):
            if stat.S_ISDIR(st.st_mode) or self.match(name, rel + (name,)):
                self._problem(entry, "symbolic link leading outside the input folder; not followed", "outside",
                              "warning")
            return None
        if stat.S_ISDIR(st.st_mode):
            self._folder(entry, key, rel + (name,), ancestors, subfolders)
            return None
        if not self.match(name, rel + (name,)) or not self._letter(entry, key, st.st_mode):
            return None
        return entry.path, rel + (name,), link

    def _folder(self, entry: os.DirEntry, key: tuple[int, int], parts: tuple[str, ...], ancestors: frozenset,
                subfolders: list) -> None:
        if key in ancestors:
            self._problem(entry, "folder symlink loop; not followed", "loop", "warning")
        elif key in self.visited:
            self._problem(entry, "folder already read through another path; not read again", "loop", "warning")
        elif os.path.lexists(os.path.join(entry.path, ".dafu.lock")):  # its records and CSVs are no letters
            self._problem(entry, "an output folder of dafu; not read", "output", "warning")
        else:
            self.visited.add(key)
            subfolders.append((entry.path, parts, ancestors | {key}))

    def _letter(self, entry: os.DirEntry, key: tuple[int, int], mode: int) -> bool:
        """True for a matching file that can be read as a letter (not an output, not a FIFO or device)."""
        if key in self.outputs:
            self._problem(entry, f"is the {self.outputs[key]} output; an input is never overwritten", "output")
            return False
        kind = _special(mode)
        if kind is not None:
            self._problem(entry, f"{kind}, not a regular file; skipped unopened", "special", "warning")
            return False
        return True

    def _problem(self, entry: os.DirEntry, reason: str, kind: str, level: str = "usage") -> None:
        self.problems.append(Problem(display_path(entry.path), reason, kind, level))


def _assign(found: list[tuple[str, str | None, str, bool, bool]]) -> list[Item]:
    """Return items sorted by id; a repeated id gets `-2`, `-3`, … (first path in byte order keeps it)."""
    found.sort(key=lambda f: (f[0], os.fsencode(f[1]) if f[1] is not None else b""))
    taken = {f[0] for f in found}
    used: set[str] = set()
    items = []
    for base, path, disp, follow, stream in found:
        new = base
        n = 2
        while new in used or (new != base and new in taken):
            new = f"{base}-{n}"
            n += 1
        used.add(new)
        items.append(Item(path, disp, new, base if new != base else None, follow, stream))
    items.sort(key=lambda i: i.id)
    return items


def collect(inputs: Iterable[str], pattern: str = "*.txt", *, skip: Iterable[tuple[int, int]] = (),
            outputs: dict[tuple[int, int], str] | None = None) -> Inputs:
    """Return the letters named by `inputs` (files, folders walked recursively, `-` for stdin).

    `skip`: (dev, inode) of folders never walked (the output folder); `outputs`: (dev, inode) of
    output files -> option name (an input that is an output is a usage problem). A folder given that
    yields no letter is a problem of kind "empty".
    """
    problems: list[Problem] = []
    found: list[tuple[str, str | None, str, bool, bool]] = []
    roots: list[str] = []
    skip = frozenset(skip)
    outputs = outputs or {}
    for given in inputs:
        if given == STDIN:
            found.append((_STDIN_ID, None, "<stdin>", True, True))
            continue
        if not given:  # os.path.abspath("") is the current folder: never a root, never walked
            problems.append(Problem("''", "empty path (an unset shell variable?)", "missing"))
            continue
        roots.append(os.path.abspath(given))
        try:
            st = os.stat(given)
        except OSError as exc:
            if os.path.lexists(given):
                reason = "broken symbolic link" if exc.errno == errno.ENOENT else (exc.strerror or str(exc))
                problems.append(Problem(display_path(given), reason, "missing"))
            else:
                problems.append(Problem(display_path(given), "no such file or folder", "missing"))
            continue
        if (st.st_dev, st.st_ino) in outputs:
            problems.append(Problem(display_path(given), f"is the {outputs[(st.st_dev, st.st_ino)]} output; an "
                                    "input is never overwritten", "output"))
        elif stat.S_ISDIR(st.st_mode):
            before, known = len(found), len(problems)
            for path, parts, _link in _walk(given, pattern, problems, skip, outputs):
                found.append((_id_for(parts), path, display_path(path), _link, False))
            if len(found) == before and not any(p.fatal for p in problems[known:]):
                problems.append(Problem(display_path(given), f"no letters found (--glob {pattern!r})", "empty"))
        elif stat.S_ISFIFO(st.st_mode) or stat.S_ISREG(st.st_mode):
            found.append((_id_for([os.path.basename(given) or given]), given, display_path(given), True,
                          stat.S_ISFIFO(st.st_mode)))
        else:
            problems.append(Problem(display_path(given), f"{_special(st.st_mode)}, not a letter file", "special"))
    return Inputs(tuple(_assign(found)), tuple(problems), tuple(roots))
