"""Finding and reading a corrections file (shared by `dafu convert` and `dafu review`; not a command)."""
from __future__ import annotations

import os

__all__ = ["corrections_beside", "read_corrections"]

_NAMES = ("corrections.toml", "corrections.jsonl")


def corrections_beside(out_dir: str | None) -> str | None:
    """Return OUT_DIR/corrections.toml (or .jsonl) when it is there, else None."""
    if not out_dir:
        return None
    for name in _NAMES:
        path = os.path.join(out_dir, name)
        if os.path.isfile(path):
            return path
    return None


def read_corrections(path: str):
    """Return the parsed Corrections of a file; raise CorrectionsError("PATH: reason") when unusable."""
    from dafu.corrections import CorrectionsError, parse_corrections

    try:
        with open(path, "rb") as fp:
            data = fp.read()
    except OSError as exc:
        raise CorrectionsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path}: not UTF-8 text") from None
    return parse_corrections(text, name=path, jsonl=path.endswith(".jsonl"))
