"""Inputs given as fsspec URLs (`s3://bucket/letters/`, `gs://…`, `file:///…`, `memory://…`): listed here, read by the workers.

A URL names a file or a folder (walked recursively, `--glob` on the file names); ids are made as
for local paths (the path under the folder given, separators as `__`, without `.txt`). The client
only lists; each worker opens its letters itself (`read_url`), so a letter's text never travels
through the client. The filesystem packages (s3fs, gcsfs) are optional extras.
"""
from __future__ import annotations

import fnmatch
import re

__all__ = ["is_url", "read_url", "sha256_url", "collect_urls"]

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
