"""Walk the inputs a user names and give every letter a safe, unique id."""
from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from typing import Iterable, Iterator

__all__ = ["Item", "Problem", "Inputs", "collect", "sanitize_id", "display_path", "STDIN"]

STDIN = "-"
_STDIN_ID = "stdin"
_SUFFIX = ".txt"
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


@dataclass(frozen=True, slots=True)
class Problem:
    """An input path that yields no letter: missing, unreadable folder, symlink loop."""

    display: str
    reason: str
    kind: str  # missing | unreadable | loop
    fatal: bool = True  # False: a warning only (a loop is skipped, the rest is walked)


@dataclass(frozen=True, slots=True)
class Inputs:
    items: tuple[Item, ...]
    problems: tuple[Problem, ...]


def display_path(path: str) -> str:
    """Return `path` as valid UTF-8 text for messages and JSON (undecodable bytes become U+FFFD).

    >>> display_path(os.fsdecode(b"letters/\\xb9\\xd8.txt"))
    'letters/\\ufffd\\ufffd.txt'
    """
    if path.isascii():
        return path  # the same string, not a copy: one is kept per letter for the whole run
    return os.fsencode(path).decode("utf-8", "replace")


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
    """Return a file name without a final `.txt` (any case)."""
    return name[: -len(_SUFFIX)] if name.lower().endswith(_SUFFIX) and len(name) > len(_SUFFIX) else name


def _id_for(relparts: Iterable[str]) -> str:
    """Return the id of a path relative to the folder given: components joined by `__`."""
    parts = list(relparts)
    parts[-1] = _strip_suffix(parts[-1])
    return sanitize_id("__".join(parts))


def _walk(root: str, pattern: str, problems: list[Problem]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Yield (path, parts relative to root) of matching files, sorted, following folder symlinks once."""
    try:
        top = os.stat(root)
    except OSError as exc:
        problems.append(Problem(display_path(root), exc.strerror or str(exc), "unreadable"))
        return
    visited: set[tuple[int, int]] = {(top.st_dev, top.st_ino)}
    stack: list[tuple[str, tuple[str, ...], frozenset[tuple[int, int]]]] = [
        (root, (), frozenset(visited))]
    while stack:
        folder, rel, ancestors = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            problems.append(Problem(display_path(folder), exc.strerror or str(exc), "unreadable"))
            continue
        subfolders = []
        for entry in entries:
            try:
                st = entry.stat()  # follows symlinks
            except OSError:
                if entry.is_symlink():
                    problems.append(Problem(display_path(entry.path), "broken symbolic link", "missing", False))
                elif fnmatch.fnmatchcase(entry.name, pattern):
                    yield entry.path, rel + (entry.name,)
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    problems.append(Problem(display_path(entry.path), "folder symlink loop; not followed", "loop", False))
                elif key in visited:
                    problems.append(Problem(display_path(entry.path), "folder already read through another path; not read again", "loop", False))
                else:
                    visited.add(key)
                    subfolders.append((entry.path, rel + (entry.name,), ancestors | {key}))
            elif fnmatch.fnmatchcase(entry.name, pattern):
                yield entry.path, rel + (entry.name,)
        stack.extend(reversed(subfolders))


def _assign(found: list[tuple[str, str | None, str]]) -> list[Item]:
    """Return items sorted by id; a repeated id gets `-2`, `-3`, … (first path in byte order keeps it)."""
    found.sort(key=lambda f: (f[0], os.fsencode(f[1]) if f[1] is not None else b""))
    taken = {f[0] for f in found}
    used: set[str] = set()
    items = []
    for base, path, disp in found:
        new = base
        n = 2
        while new in used or (new != base and new in taken):
            new = f"{base}-{n}"
            n += 1
        used.add(new)
        items.append(Item(path, disp, new, base if new != base else None))
    items.sort(key=lambda i: i.id)
    return items


def collect(inputs: Iterable[str], pattern: str = "*.txt") -> Inputs:
    """Return the letters named by `inputs` (files, folders walked recursively, `-` for stdin)."""
    problems: list[Problem] = []
    found: list[tuple[str, str | None, str]] = []
    for given in inputs:
        if given == STDIN:
            found.append((_STDIN_ID, None, "<stdin>"))
            continue
        if os.path.isdir(given):
            for path, parts in _walk(given, pattern, problems):
                found.append((_id_for(parts), path, display_path(path)))
        elif os.path.lexists(given) and not os.path.exists(given):
            problems.append(Problem(display_path(given), "broken symbolic link", "missing"))
        elif not os.path.lexists(given):
            problems.append(Problem(display_path(given), "no such file or folder", "missing"))
        else:
            found.append((_id_for([os.path.basename(given) or given]), given, display_path(given)))
    return Inputs(tuple(_assign(found)), tuple(problems))
