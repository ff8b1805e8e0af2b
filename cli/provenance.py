"""`--manifest FILE.csv` and `<letter>.meta.json`: where each letter came from (parsing in dafu.provenance)."""
from __future__ import annotations

import os

__all__ = ["ManifestError", "Manifest", "load_manifest", "read_sidecar"]


class ManifestError(Exception):
    """The manifest cannot be used (a usage error: exit 2)."""


class Manifest:
    """Manifest rows keyed by the real path of the file they name; remembers which were used."""

    def __init__(self, rows: dict[str, object]) -> None:
        self.rows = rows
        self.used: set[str] = set()

    def get(self, path: str | None):
        if path is None:
            return None
        key = os.path.realpath(path)
        found = self.rows.get(key)
        if found is not None:
            self.used.add(key)
        return found

    @property
    def unused(self) -> int:
        return len(self.rows) - len(self.used)


def load_manifest(path: str) -> Manifest:
    """Return the manifest at `path`; its paths are relative to the manifest's folder (or absolute)."""
    from dafu.provenance import ProvenanceError, parse_manifest

    try:
        with open(path, "rb") as fp:
            text = fp.read().decode("utf-8-sig")
    except OSError as exc:
        raise ManifestError(f"unreadable ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ManifestError("not UTF-8 text") from None
    try:
        rows = parse_manifest(text)
    except ProvenanceError as exc:
        raise ManifestError(str(exc)) from None
    folder = os.path.dirname(os.path.abspath(path))
    return Manifest({os.path.realpath(os.path.join(folder, p)): prov for p, prov in rows})


def read_sidecar(letter: str):
    """Return (provenance or None, problem or None) from the `.meta.json` beside a letter file."""
    from dafu.provenance import ProvenanceError, parse_sidecar, sidecar_names

    folder, name = os.path.split(letter)
    for candidate in sidecar_names(name):
        path = os.path.join(folder, candidate)
        try:
            with open(path, "rb") as fp:
                data = fp.read(1_000_000)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return None, f"{candidate}: unreadable ({exc.strerror or exc})"
        try:
            return parse_sidecar(data), None
        except ProvenanceError as exc:
            return None, f"{candidate}: {exc}"
    return None, None
