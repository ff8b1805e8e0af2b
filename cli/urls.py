"""Inputs and outputs given as fsspec URLs (`s3://bucket/letters/`, `gs://…`, `file:///…`, `memory://…`).

An input URL names a file or a folder (walked recursively, `--glob` on the file names); ids are made as
for local paths (the path under the folder given, separators as `__`, without `.txt`). The client
only lists; each worker opens its letters itself (`read_url`), so a letter's text never travels
through the client. An output URL (`-o s3://bucket/out`) is a folder copied to a local one, written
there by the usual code, and put back (`with_url_output`). The filesystem packages (s3fs, gcsfs) are
optional extras.
"""
from __future__ import annotations

import fnmatch
import re

__all__ = ["is_url", "read_url", "sha256_url", "collect_urls", "with_url_output"]

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: str | None) -> bool:
    """True for an fsspec URL, not a plain local path.

    >>> is_url("s3://bucket/letters/a.txt"), is_url("letters/a.txt"), is_url(None)
    (True, False, False)
    """
    return bool(path) and _URL.match(path) is not None


def _fs(url: str):
    """Return (filesystem, path within it) of a URL; OSError with a one-line reason when unusable."""
    try:
        import fsspec
    except ImportError:
        raise OSError(0, "URLs need fsspec: pip install 'dafu[dask]'", url) from None
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:  # the protocol's package (s3fs, gcsfs) is missing
        raise OSError(0, f"{exc}".splitlines()[0], url) from None
    except ValueError as exc:
        raise OSError(0, f"not a usable URL ({exc})", url) from None


def read_url(url: str, max_bytes: int) -> bytes:
    """Return at most `max_bytes + 1` bytes of the file at a URL (OSError when it cannot be read)."""
    fs, path = _fs(url)
    try:
        with fs.open(path, "rb") as fp:
            return fp.read(max_bytes + 1)
    except OSError:
        raise
    except Exception as exc:  # a filesystem's own error (credentials, throttling)
        raise OSError(0, f"{type(exc).__name__}: {exc}", url) from None


def sha256_url(url: str) -> str | None:
    """Return the SHA-256 of the file at a URL, or None when it cannot be read."""
    import hashlib

    try:
        fs, path = _fs(url)
        with fs.open(path, "rb") as fp:
            return hashlib.file_digest(fp, "sha256").hexdigest()
    except Exception:
        return None


def collect_urls(inputs, pattern: str = "*.txt"):
    """Return the letters named by URL inputs as `inputs.Inputs` (items sorted by id, problems)."""
    from .inputs import Inputs, Item, Problem, _id_for

    found: list[tuple[str, str]] = []  # (id, url)
    problems = []
    for given in inputs:
        try:
            fs, root = _fs(given)
            if fs.isdir(root):
                paths = sorted(fs.find(root))
                base = root.rstrip("/") + "/"
                before = len(found)
                for path in paths:
                    rel = path[len(base):] if path.startswith(base) else path.rsplit("/", 1)[-1]
                    if fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern):
                        found.append((_id_for(rel.split("/")), fs.unstrip_protocol(path)))
                if len(found) == before:
                    problems.append(Problem(given, f"no letters found (--glob {pattern!r})", "empty"))
            elif fs.isfile(root):
                found.append((_id_for([root.rsplit("/", 1)[-1]]), given))
            else:
                problems.append(Problem(given, "no such file or folder", "missing"))
        except OSError as exc:
            problems.append(Problem(given, exc.strerror or str(exc), "unreadable"))
        except Exception as exc:  # credentials, network: the filesystem's own errors
            problems.append(Problem(given, f"{type(exc).__name__}: {exc}".splitlines()[0], "unreadable"))
    found.sort()
    taken = {id for id, _ in found}
    used: set[str] = set()
    items = []
    for base, url in found:
        new, n = base, 2
        while new in used or (new != base and new in taken):
            new, n = f"{base}-{n}", n + 1
        used.add(new)
        items.append(Item(url, url, new, base if new != base else None))
    items.sort(key=lambda i: i.id)
    return Inputs(tuple(items), tuple(problems))


_SKIP_NAMES = (".dafu.lock",)
_SKIP_SUFFIX = ".dafu-tmp"


def _kept(rel: str) -> bool:
    """True for a file of the output folder that is mirrored (not the lock, a temp file or a staging folder)."""
    parts = rel.split("/")
    return parts[-1] not in _SKIP_NAMES and not parts[-1].endswith(_SKIP_SUFFIX) \
        and not any(p.startswith(".") for p in parts[:-1])


def _digest(path: str) -> str:
    import hashlib

    with open(path, "rb") as fp:
        return hashlib.file_digest(fp, "sha256").hexdigest()


def _download(fs, root: str, local: str) -> dict[str, str]:
    """Copy the output folder at `root` into `local`; return {relative path: sha256} of what was there."""
    import os

    had: dict[str, str] = {}
    if not fs.exists(root):
        return had
    base = root.rstrip("/") + "/"
    for path in sorted(fs.find(root)):
        rel = path[len(base):] if path.startswith(base) else None
        if not rel or not _kept(rel):
            continue
        target = os.path.join(local, *rel.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fs.get_file(path, target)
        had[rel] = _digest(target)
    return had


def _upload(fs, root: str, local: str, had: dict[str, str]) -> None:
    """Put the new or changed files of `local` at `root` (records first, summaries last); remove the gone."""
    import os

    now: dict[str, str] = {}
    for folder, _, names in os.walk(local):
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), local).replace(os.sep, "/")
            if _kept(rel):
                now[rel] = _digest(os.path.join(local, rel))
    last = ("metrics.csv", "letters.csv", "errors.jsonl", "datapackage.json", ".dafu-state.json", "run.json")
    order = sorted(now, key=lambda r: (r in last, last.index(r) if r in last else 0, r))
    base = root.rstrip("/")
    for rel in order:
        if had.get(rel) != now[rel]:
            fs.put_file(os.path.join(local, rel), f"{base}/{rel}")
    for rel in sorted(set(had) - set(now)):
        fs.rm_file(f"{base}/{rel}")


def with_url_output(settings, run) -> int:
    """Do a run whose -o is a URL: the folder is copied to a local one, written there as usual, then put back.

    Only new or changed files are put, records before metrics.csv, the state and run.json; files the
    run removed (--prune) are removed. Object stores have no lock: one run at a time per output URL.
    Nothing is put when the run stops before its end (exit 2, 75, a signal).
    """
    import dataclasses
    import sys
    import tempfile

    url = settings.output

    def fail(reason: str) -> int:
        sys.stderr.write(f"dafu: error: {url}: {reason}\n")
        return 2

    try:
        fs, root = _fs(url)
    except OSError as exc:
        return fail(exc.strerror or str(exc))
    with tempfile.TemporaryDirectory(prefix="dafu-out-") as local:
        try:
            had = _download(fs, root, local)
        except Exception as exc:
            return fail(f"cannot read the output folder ({type(exc).__name__}: {exc}); nothing written")
        code = run(dataclasses.replace(settings, output=local))
        if code not in (0, 1):
            return code
        try:
            _upload(fs, root, local, had)
        except Exception as exc:
            return fail(f"cannot write the output folder ({type(exc).__name__}: {exc}); "
                        "the records put so far are complete files")
    return code
