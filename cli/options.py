"""Shared option aliases: declared once, imported by every command that needs them."""
from __future__ import annotations

from typing import Annotated

import typer

__all__ = [
    "Jobs", "Script", "Quiet", "NoProgress", "Excel", "Strict", "Redact", "MaxBytes", "Glob",
    "Encoding", "DEFAULT_MAX_BYTES", "SCRIPTS",
]

DEFAULT_MAX_BYTES = 20_000_000
SCRIPTS = ("simplified", "traditional", "keep")


def _check_script(value: str) -> str:
    """Return the script name, or raise a usage error naming the choices."""
    if value not in SCRIPTS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(SCRIPTS)}")
    return value


def _check_jobs(value: int | None) -> int | None:
    """Return the number of processes (None: all cores); 0 or less is a usage error."""
    if value is not None and value < 1:
        raise typer.BadParameter("must be 1 or more")
    return value


def _check_max_bytes(value: int) -> int:
    """Return the size limit; it must be positive."""
    if value < 1:
        raise typer.BadParameter("must be 1 or more")
    return value


def _check_encoding(value: str | None) -> str | None:
    """Return the codec name as given, or raise a usage error if Python does not know it."""
    if value is not None:
        import codecs

        try:
            info = codecs.lookup(value)
        except (LookupError, ValueError, TypeError):  # a NUL or odd characters in the name
            raise typer.BadParameter(f"unknown encoding {value!r}") from None
        if not getattr(info, "_is_text_encoding", True):
            raise typer.BadParameter(f"{value!r} is not a text encoding (rot13, base64 ... are not)")
    return value


Jobs = Annotated[int | None, typer.Option(
    "--jobs", "-j", metavar="N", callback=_check_jobs,
    help="Worker processes (default: all cores).")]
Script = Annotated[str, typer.Option(
    "--script", metavar="simplified|traditional|keep", callback=_check_script,
    help="Output script, converted with OpenCC.")]
Quiet = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print nothing on success (errors still go to stderr).")]
NoProgress = Annotated[bool, typer.Option(
    "--no-progress", help="No progress bar, even on a terminal.")]
Excel = Annotated[bool, typer.Option(
    "--excel", help="Write CSV with a UTF-8 BOM so that Excel reads Chinese correctly.")]
Strict = Annotated[bool, typer.Option(
    "--strict", help="Stop at the first letter that fails.")]
Redact = Annotated[bool, typer.Option(
    "--redact", help="Replace contact names and phone numbers with [redacted].")]
MaxBytes = Annotated[int, typer.Option(
    "--max-bytes", metavar="N", callback=_check_max_bytes,
    help="Refuse input files larger than N bytes.")]
Glob = Annotated[str, typer.Option(
    "--glob", metavar="PATTERN", help="File names to take from folders.")]
Encoding = Annotated[str | None, typer.Option(
    "--encoding", metavar="NAME", callback=_check_encoding,
    help="Decode every input (stdin too) with this encoding instead of detecting it.")]
