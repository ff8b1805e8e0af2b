"""`dafu review OUT_DIR`: the static review site (index + one page per letter) of a convert run's output.

Reads OUT_DIR/letters/*.json one at a time (memory stays flat: the index keeps one short row per letter),
writes OUT_DIR/review/index.html and OUT_DIR/review/letters/<id>.html atomically, removes pages of letters
that are gone. Exit 0 done; 1 some records could not be read (the others have pages); 2 OUT_DIR is not
a dafu output folder, or a corrections file is unusable.
"""
from __future__ import annotations

import os
import sys
from typing import Annotated

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


class _Pages:
    """Atomic writes of many pages with one disk flush per batch: temp files, one syncfs, renames."""

    def __init__(self, folder: str, size: int = 64) -> None:
        self.folder, self.size, self.pending = folder, size, []

    def write(self, name: str, data: bytes) -> None:
        import secrets

        from .writers import TEMP_MARK

        temp = os.path.join(self.folder, f".{name}.{secrets.token_hex(4)}{TEMP_MARK}")
        with open(temp, "xb") as fp:
            fp.write(data)
        self.pending.append((temp, os.path.join(self.folder, name)))
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        from .writers import sync_filesystem

        if self.pending:
            sync_filesystem(self.folder)
            for temp, path in self.pending:
                os.replace(temp, path)
            self.pending.clear()

    def discard(self) -> None:
        for temp, _ in self.pending:
            try:
                os.unlink(temp)
            except OSError:
                pass
        self.pending.clear()


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
    from dafu.output.review_index import index_page

    from .corrections_file import corrections_beside, read_corrections
    from .outdir import OutputError
    from .writers import atomic_write

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
        rows, problems, site_key = _letter_pages(letters, site, base)
    except OutputError as exc:
        _say(f"dafu: error: {exc.path}: {exc.reason}")
        return 2
    index = os.path.join(site, "index.html")
    atomic_write(index, index_page(rows, base_corrections=base, site_key=site_key, problems=problems).encode("utf-8"))
    if not quiet:
        _say(f"dafu: review: {len(rows)} letter pages and the index in {site} "
             f"({time.perf_counter() - clock:.1f} s)" + (f"; corrections from {path}" if path else ""))
    if open_browser:
        import webbrowser
        from pathlib import Path

        uri = Path(index).resolve().as_uri()
        if not webbrowser.open(uri):
            _say(f"dafu: warning: no web browser found to open it; open {uri} yourself")
    return 1 if problems else 0


def _letter_pages(letters: str, site: str, base: list) -> tuple[list, list[tuple[str, str]], str]:
    """Write site/letters/<id>.html for every record and remove the pages of letters that are gone.

    Returns the index rows, the records that could not be read (path, reason) and the site's key.
    """
    import hashlib

    from dafu.output.review import letter_page, page_name
    from dafu.output.review_index import index_row

    from .outdir import OutputError
    from .writers import remove_stale_temps

    names = sorted(n for n in os.listdir(letters) if n.endswith(".json") and not n.startswith("."))
    ids = [n[:-5] for n in names]
    pages = os.path.join(site, "letters")
    try:
        os.makedirs(pages, exist_ok=True)
    except OSError as exc:
        raise OutputError(site, f"cannot write here ({exc.strerror or exc})") from None
    remove_stale_temps([pages])
    batch = _Pages(pages)
    site_key = hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()[:16]
    rows, problems, written = [], [], set()
    for k, letter_id in enumerate(ids):
        record = _record(os.path.join(letters, names[k]), problems)
        if record is None:
            continue
        record.setdefault("id", letter_id)
        html = letter_page(record, prev_id=ids[k - 1] if k else None, next_id=ids[k + 1] if k + 1 < len(ids) else None,
                           position=(k + 1, len(ids)), base_corrections=base, site_key=site_key)
        name = page_name(letter_id)
        try:
            if not _same_bytes(os.path.join(pages, name), data := html.encode("utf-8")):
                batch.write(name, data)  # an unchanged page is left alone: replacing a file costs a flush
        except OSError as exc:
            batch.discard()
            raise OutputError(pages, f"cannot write here ({exc.strerror or exc})") from None
        written.add(name)
        rows.append(index_row(record))
    batch.flush()
    for name in os.listdir(pages):  # pages of letters that are gone (only the .html files this command writes)
        if name.endswith(".html") and name not in written:
            os.unlink(os.path.join(pages, name))
    return rows, problems, site_key


def _record(source: str, problems: list[tuple[str, str]]) -> dict | None:
    """Return the record in a letters/ file, or None (the problem said and kept) when it is not one."""
    import orjson

    try:
        with open(source, "rb") as fp:
            record = orjson.loads(fp.read())
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise ValueError("not a dafu record")
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        problems.append((source, reason))
        _say(f"dafu: error: {source}: {reason}; no page")
        return None
    return record
