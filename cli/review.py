"""`dafu review OUT_DIR`: the static review site (index + one page per letter) of a convert run's output.

Reads OUT_DIR/letters/*.json one at a time (memory stays flat: the index keeps one short row per letter),
builds the whole site (index.html, letters/<page>.html) beside OUT_DIR/review and puts it in its place at
the end, so a failure leaves the previous site. A record that is not one (bad JSON, a field of the wrong
shape) gets a line and no page. Exit 0 done; 1 some records have no page (the others have); 2 OUT_DIR is
not a dafu output folder, a corrections file is unusable, or the site could not be written; 75 another dafu
run holds OUT_DIR's lock.
"""
from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

__all__ = ["review"]


def review(
    out_dir: Annotated[str, typer.Argument(metavar="OUT_DIR", help="The folder a `dafu convert -o` run wrote.")],
    open_browser: Annotated[bool, typer.Option("--open", help="Open the index in a web browser.")] = False,
    corrections: Annotated[str | None, typer.Option(
        "--corrections", metavar="FILE",
        help="The corrections the pages start from (default: OUT_DIR/corrections.toml or .jsonl, if there).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
) -> None:
    """Write OUT_DIR/review/: a static HTML site to check every extracted figure and download corrections."""
    raise typer.Exit(_run(out_dir, open_browser, corrections, quiet))


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _same_bytes(path: str, data: bytes) -> bool:
    """True when the file at path holds exactly data."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as fp:
            return fp.read() == data
    except OSError:
        return False


def _run(out_dir: str, open_browser: bool, corrections_path: str | None, quiet: bool) -> int:
    import time

    from dafu.corrections import CorrectionsError

    from .corrections_file import corrections_beside, read_corrections
    from .outdir import OutputError
    from .writers import LockBusy, lock_folder

    clock = time.perf_counter()
    letters = os.path.join(out_dir, "letters")
    if not out_dir:
        _say("dafu: error: '': empty path (an unset shell variable?)")
        return 2
    if not os.path.isdir(letters):
        _say(f"dafu: error: {out_dir}: not a dafu output folder "
             f"(no letters/ inside; run `dafu convert … -o {out_dir}`)")
        return 2
    path = corrections_path or corrections_beside(out_dir)
    try:
        base = read_corrections(path).as_dicts() if path else []
    except CorrectionsError as exc:
        _say(f"dafu: error: {exc}")
        return 2
    site = os.path.join(out_dir, "review")
    try:
        lock = lock_folder(out_dir)  # no convert rewrites letters/ meanwhile, no other review stages beside us
    except LockBusy:
        _say(f"dafu: error: {out_dir}: another dafu run holds the lock")
        return 75
    except OSError as exc:
        _say(f"dafu: error: {out_dir}: cannot write here ({exc.strerror or exc})")
        return 2
    try:
        from .writers import Journal

        Journal(out_dir, letters).roll_forward()  # a convert killed while publishing: its records first
        shown, problems = _publish(out_dir, letters, site, base)
    except OSError as exc:
        _say(f"dafu: error: {out_dir}: cannot finish the last run's publish ({exc.strerror or exc})")
        return 2
    except OutputError as exc:
        _say(f"dafu: error: {exc.path}: {exc.reason}; the previous site is left as it was")
        return 2
    finally:
        os.close(lock)
    index = os.path.join(site, "index.html")
    if not quiet:
        _say(f"dafu: review: {shown} letter pages and the index in {site} "
             f"({time.perf_counter() - clock:.1f} s)" + (f"; corrections from {path}" if path else ""))
    if open_browser:
        import webbrowser
        from pathlib import Path

        uri = Path(index).resolve().as_uri()
        if not webbrowser.open(uri):
            _say(f"dafu: warning: no web browser found to open it; open {uri} yourself")
    return 1 if problems else 0


_STAGE = ".dafu-review-"  # the site being built (OUT_DIR/.dafu-review-<hex>) and the one it replaces


def _publish(out_dir: str, letters: str, site: str, base: list) -> tuple[int, list[tuple[str, str]]]:
    """Build the whole site in a folder beside it, then put it in place of the old one (two renames).

    A failure before the renames leaves the previous site as it was (or none, as before); a site is never
    half old, half new. Returns the number of letter pages and the records that have none (path, reason).
    """
    import secrets

    from .outdir import OutputError
    from .writers import sync_filesystem

    if os.path.islink(site):  # review -> elsewhere: the site is rebuilt there, the link stays
        site = os.path.realpath(site)
    if os.path.lexists(site) and not os.path.isdir(site):
        raise OutputError(site, "is not a folder dafu wrote; not replaced")
    beside = os.path.dirname(site)
    for name in os.listdir(beside):  # what a killed review left (the lock is ours)
        if name.startswith(_STAGE):
            _remove(os.path.join(beside, name))
    stage = os.path.join(beside, f"{_STAGE}{secrets.token_hex(4)}")
    old = stage + "-old"
    try:
        try:
            os.makedirs(os.path.join(stage, "letters"))
            shown, problems = _build(letters, site, stage, base)
            sync_filesystem(stage)
            if os.path.lexists(site):
                os.rename(site, old)
            os.rename(stage, site)
        except OSError as exc:
            raise OutputError(exc.filename or site, f"cannot write here ({exc.strerror or exc})") from None
    finally:
        if not os.path.lexists(site) and os.path.lexists(old):  # stopped between the renames: the old site back
            os.rename(old, site)
        _remove(stage)
        _remove(old)
    return shown, problems


def _remove(path: str) -> None:
    """Remove a folder dafu staged (or a link or file left in its place); nothing when it is not there."""
    import shutil

    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)


def _build(letters: str, site: str, stage: str, base: list) -> tuple[int, list[tuple[str, str]]]:
    """Write stage/letters/<page>.html for every record that is one, and stage/index.html.

    Two passes over letters/: the first finds the records (so previous/next link only to pages that
    exist), the second writes their pages; an unchanged page of the old site is hard-linked, not rewritten.
    """
    import hashlib

    from dafu.output.review import letter_page, page_name
    from dafu.output.review_index import index_page, index_row

    names = sorted(n for n in os.listdir(letters) if n.endswith(".json") and not n.startswith("."))
    problems: list[tuple[str, str]] = []
    ids = [n[:-5] for n in names if _record(os.path.join(letters, n), problems) is not None]
    site_key = hashlib.sha256("\n".join(n[:-5] for n in names).encode("utf-8")).hexdigest()[:16]
    rows = []
    for k, letter_id in enumerate(ids):
        record = _load(os.path.join(letters, letter_id + ".json"))  # checked in the first pass (under the lock)
        record.setdefault("id", letter_id)
        html = letter_page(record, prev_id=ids[k - 1] if k else None, next_id=ids[k + 1] if k + 1 < len(ids) else None,
                           position=(k + 1, len(ids)), base_corrections=base, site_key=site_key)
        name = page_name(letter_id)
        _put(os.path.join(site, "letters", name), os.path.join(stage, "letters", name), html.encode("utf-8"))
        rows.append(index_row(record))
    index = index_page(rows, base_corrections=base, site_key=site_key, problems=problems)
    _put(os.path.join(site, "index.html"), os.path.join(stage, "index.html"), index.encode("utf-8"))
    return len(ids), problems


def _put(old: str, path: str, data: bytes) -> None:
    """Write data at path, or hard-link the old site's file when it holds the same bytes (no second copy)."""
    if _same_bytes(old, data):
        try:
            os.link(old, path)
            return
        except OSError:
            pass  # a file system without hard links: write it
    with open(path, "xb") as fp:
        fp.write(data)


def _load(source: str) -> Any:
    import orjson

    with open(source, "rb") as fp:
        return orjson.loads(fp.read())


def _record(source: str, problems: list[tuple[str, str]]) -> dict | None:
    """Return the record in a letters/ file, or None (the problem said and kept) when it is not one."""
    from dafu.output.review import record_problem

    try:
        record = _load(source)
        reason = record_problem(record)
        if reason is not None:
            raise ValueError(reason)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        problems.append((source, reason))
        _say(f"dafu: error: {source}: {reason}; no page")
        return None
    return record
