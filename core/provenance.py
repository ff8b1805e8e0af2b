"""Where a letter came from: the manifest (``path,url,fetched_at[,site]``) and ``<letter>.meta.json`` (pure).

Decisions (issue 22):

- A manifest is a CSV file with a header row naming at least ``path``, ``url`` and ``fetched_at``
  (``site`` optional; other columns are ignored). ``path`` is relative to the manifest's folder (or
  absolute); the CLI matches it to the inputs. A bad manifest is a usage error naming its line: it is
  strict CSV (an unclosed quote, text after a closing quote), each row with as many fields as the header.
- A sidecar ``<letter>.meta.json`` (``a.html`` → ``a.meta.json`` or ``a.html.meta.json``) holds an
  object with the same keys. A manifest row wins over a sidecar for the same letter.
- ``fetched_at`` is ISO 8601 (a date, or a date and time with an optional offset); it is kept as written.
- ``url`` must be an http(s) URL. ``is_official`` tells a government domain (``.gov.cn``), which the
  mirror-copy grouping prefers as the canonical copy.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlsplit

from .model import Source

__all__ = ["Provenance", "ProvenanceError", "parse_manifest", "parse_sidecar", "sidecar_names", "with_provenance",
           "is_official"]

_REQUIRED = ("path", "url", "fetched_at")
_OFFICIAL = (".gov.cn", ".gov.hk", ".gov.mo", ".gov.tw")


class ProvenanceError(ValueError):
    """A manifest or sidecar that cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Provenance:
    url: str | None = None
    fetched_at: str | None = None
    site: str | None = None


def _check(url: str | None, fetched_at: str | None, where: str) -> None:
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ProvenanceError(f"{where}: url {url!r} is not an http(s) URL")
    if fetched_at:
        try:
            (datetime if "T" in fetched_at or " " in fetched_at else date).fromisoformat(fetched_at)
        except ValueError:
            raise ProvenanceError(f"{where}: fetched_at {fetched_at!r} is not an ISO 8601 date or time") from None


def _value(raw) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def parse_manifest(text: str) -> tuple[tuple[str, Provenance], ...]:
    """Return (path, provenance) for each row of a manifest's text; raise ProvenanceError when unusable.

    >>> parse_manifest("path,url,fetched_at\\na.html,https://x.gov.cn/1.html,2024-05-06T10:00:00+08:00\\n")
    (('a.html', Provenance(url='https://x.gov.cn/1.html', fetched_at='2024-05-06T10:00:00+08:00', site=None)),)
    """
    records = _csv_records(text.removeprefix("\ufeff"))
    header = next(records, (1, []))[1]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise ProvenanceError(
            f"line 1: the header needs the columns path,url,fetched_at (missing {', '.join(missing)})")
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise ProvenanceError(f"line 1: the column {twice[0]!r} appears twice in the header")
    rows, seen = [], set()
    for line, fields in records:
        where = f"line {line}"
        if len(fields) != len(header):
            hint = " (a value holding a comma needs quotes)" if len(fields) > len(header) else ""
            raise ProvenanceError(f"{where}: {_count(len(fields))} where the header has {len(header)}{hint}")
        row = dict(zip(header, fields))
        path = _value(row.get("path"))
        if not path:
            raise ProvenanceError(f"{where}: empty path")
        if path in seen:
            raise ProvenanceError(f"{where}: {path!r} is listed twice")
        seen.add(path)
        prov = Provenance(_value(row.get("url")), _value(row.get("fetched_at")), _value(row.get("site")))
        _check(prov.url, prov.fetched_at, where)
        rows.append((path, prov))
    return tuple(rows)


def _csv_records(text: str):
    """Yield (line where the record starts, fields) for each non-blank CSV record; a syntax error is a
    ProvenanceError naming its line (strict: an unterminated quote or stray text after one is refused).

    >>> list(_csv_records('a,b\\n\\n"x\\ny",z\\n'))
    [(1, ['a', 'b']), (3, ['x\\ny', 'z'])]
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            why = "a quote opened here is never closed" if "end of data" in str(exc) else str(exc)
            raise ProvenanceError(f"line {start}: not CSV ({why})") from None
        if fields:
            yield start, fields
        start = reader.line_num + 1


def _count(n: int) -> str:
    return f"{n} field" if n == 1 else f"{n} fields"


def parse_sidecar(data: bytes) -> Provenance:
    """Return the provenance in a ``.meta.json`` sidecar's bytes; raise ProvenanceError when unusable.

    >>> parse_sidecar(b'{"url": "https://mirror.example.com/a", "fetched_at": "2024-05-06", "site": "mirror"}')
    Provenance(url='https://mirror.example.com/a', fetched_at='2024-05-06', site='mirror')
    """
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProvenanceError(f"not JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise ProvenanceError("not a JSON object")
    prov = Provenance(_value(obj.get("url")), _value(obj.get("fetched_at")), _value(obj.get("site")))
    _check(prov.url, prov.fetched_at, "meta.json")
    return prov


def sidecar_names(name: str) -> tuple[str, ...]:
    """Return the sidecar file names looked for beside a letter file, in order of preference.

    >>> sidecar_names("a.html")
    ('a.html.meta.json', 'a.meta.json')
    """
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return (name + ".meta.json",) + ((stem + ".meta.json",) if stem != name else ())


def with_provenance(source: Source, prov: Provenance | None) -> Source:
    """Return ``source`` with the url, fetched_at and site of ``prov`` (unchanged when None)."""
    if prov is None:
        return source
    return replace(source, url=prov.url, fetched_at=prov.fetched_at, site=prov.site)


def is_official(url: str | None) -> bool:
    """Return True when the URL's host is a government domain (.gov.cn and the like).

    >>> is_official("https://rsj.example.gov.cn/a.html"), is_official("https://gov.cn.example.com/a")
    (True, False)
    """
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(_OFFICIAL)
