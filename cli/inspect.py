"""`dafu inspect`, `dafu normalize` and `dafu schema`: looking at one letter, filtering text, the schema.

``inspect`` prints a person's view of one letter to stdout (it is the requested output); rich adds
colour only on a terminal and honours NO_COLOR. ``normalize`` is a filter: the normalized text as
UTF-8 bytes on stdout. Input ``-`` is stdin for both. Exit codes: 0 done, 1 the letter is not
usable text (binary, empty, undecodable, too large), 2 usage error (no such file).
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .options import DEFAULT_MAX_BYTES, Encoding, MaxBytes, Redact, Script

if TYPE_CHECKING:
    from rich.console import RenderableType

    from dafu.model import Record, Section
    from dafu.read import Decoded

    from .inputs import Item

__all__ = ["inspect", "normalize", "schema"]

_FILE = Annotated[str, typer.Argument(metavar="FILE", help="A letter (.txt), or - for stdin.")]
_SENTENCE_CHARS = 40
_DEBRIS_SHOWN = 10
_PLAIN_WIDTH = 160


def inspect(
    file: _FILE,
    json: Annotated[bool, typer.Option("--json", help="Print the record as JSON instead.")] = False,
    script: Script = "simplified",
    redact: Redact = False,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    encoding: Encoding = None,
) -> None:
    """Show one letter: the normalization it needed, header fields, section tree and metrics."""
    import dataclasses

    from dafu.options import DEFAULT_OPTIONS
    from dafu.pipeline import process

    item, decoded = _read_one(file, max_bytes, encoding)
    options = dataclasses.replace(DEFAULT_OPTIONS, script=script, redact=redact)
    record = process(decoded.text, options=options, id=item.id, source=decoded.source(item.display))
    if decoded.replaced:
        from dafu.codes import WarningCode
        from dafu.model import Warning

        code = WarningCode.DECODE_REPLACED
        record = dataclasses.replace(record, warnings=(Warning(code.value, code.template.format(
            count=decoded.replaced)),) + record.warnings)
    if json:
        from dafu.output import record_to_json

        _write_stdout(record_to_json(record) + b"\n")
        return
    console = _console()
    try:
        for part in _view(record):
            console.print(part)
        console.file.flush()
    except (BrokenPipeError, SystemExit) as exc:  # rich turns a closed pipe into SystemExit(1)
        from .console import EXIT_PIPE, silence_stdout

        if isinstance(exc, SystemExit) and not console.quiet:
            raise
        silence_stdout()
        raise typer.Exit(EXIT_PIPE) from None
    except OSError as exc:
        from .console import fail, silence_stdout

        silence_stdout()
        fail("<stdout>", f"cannot write ({exc.strerror or exc})")


def normalize(
    file: _FILE,
    script: Script = "simplified",
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    encoding: Encoding = None,
) -> None:
    """Print the normalized text of one letter (debris and damage removed, script converted)."""
    import dataclasses

    from dafu.normalize import normalize as normalize_text  # `from dafu import normalize` can give the module
    from dafu.options import DEFAULT_OPTIONS

    _, decoded = _read_one(file, max_bytes, encoding)
    text = normalize_text(decoded.text, options=dataclasses.replace(DEFAULT_OPTIONS, script=script)).text
    _write_stdout((text if text.endswith("\n") or not text else text + "\n").encode("utf-8", "replace"))


def schema(
    csv: Annotated[bool, typer.Option("--csv", help="Print the CSV column names instead, one per line.")] = False,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a record."""
    if csv:
        from dafu.output import CSV_COLUMNS

        _write_stdout("".join(c + "\n" for c in CSV_COLUMNS).encode("utf-8"))
        return
    import orjson

    from dafu.output import json_schema

    _write_stdout(orjson.dumps(json_schema(), option=orjson.OPT_INDENT_2) + b"\n")


# ---------------------------------------------------------------- input and output
def _read_one(file: str, max_bytes: int, encoding: str | None) -> tuple[Item, Decoded]:
    """Return the letter at `file` (`-`: stdin) and its text; exit 2 if it is not a file, 1 if unusable."""
    import os

    from dafu.read import ReadError, read_file, read_stream

    from .console import STDOUT_NAME, Reporter, stream_closed
    from .inputs import collect, display_path

    if stream_closed(1):
        _error(STDOUT_NAME, "standard output is closed; nothing written", 2)
    if file == "-" and stream_closed(0):
        _error("<stdin>", "standard input is closed", 2)
    if file != "-" and os.path.isdir(file):
        _error(display_path(file), "is a folder; give one letter", 2)
    found = collect([file], "*")
    for problem in found.problems:
        _error(problem.display, problem.reason, 2)
    item = found.items[0]
    try:
        if item.path is None:
            decoded = read_stream(sys.stdin.buffer, max_bytes=max_bytes, encoding=encoding)
        else:
            decoded = read_file(item.path, max_bytes=max_bytes, encoding=encoding, follow=item.follow,
                                stream=item.stream)
    except ReadError as exc:
        _error(item.display, exc.reason, 1)
    if decoded.replaced:
        Reporter(quiet=False).warning(item.display, f"{decoded.replaced} undecodable byte(s) replaced by U+FFFD")
    return item, decoded


def _console():
    """Return the stdout console; off a terminal (a pager, a file) it is wider than rich's 80 columns."""
    import os

    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(highlight=False, width=_PLAIN_WIDTH)
    return console


def _write_stdout(data: bytes) -> None:
    from .console import write_stdout

    write_stdout(data)


def _error(path: str, reason: str, code: int) -> NoReturn:
    from .console import fail

    fail(path, reason, code)


# ---------------------------------------------------------------- the view (pure: record -> renderables)
def _view(record: Record) -> list[RenderableType]:
    """Return the renderables of the inspect view, top to bottom."""
    from rich.rule import Rule

    src = record.source
    where = (f"{src.path}  ({src.encoding}, confidence {src.encoding_confidence:.2f}, {src.bytes} bytes)"
             if src else record.id)
    parts: list[RenderableType] = [Rule(f"{record.id}  {record.doc_type}", align="left"), where, ""]
    parts += [_heading("Normalization"), _normalization(record), ""]
    parts += [_heading("Header"), _header(record), ""]
    parts += [_heading("Sections"), _tree(record), ""]
    parts += [_heading(f"Metrics ({len(record.metrics)})"), _metrics(record)]
    if record.warnings:
        parts += ["", _heading(f"Warnings ({len(record.warnings)})"), _warnings(record)]
    return parts


def _heading(title: str) -> RenderableType:
    from rich.text import Text

    return Text(title, style="bold")


def _none() -> RenderableType:
    from rich.text import Text

    return Text("—", style="dim")


def _fields(rows: list[tuple[str, Any]]) -> RenderableType:
    """Return a two-column grid of names and values; None and empty values show as —."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column()
    for name, value in rows:
        grid.add_row(name, _none() if value in (None, "", (), []) else Text(str(value)))
    return grid


def _normalization(record: Record) -> RenderableType:
    """Return what normalization did: script, debris lines, pinyin, repairs, unresolved spans."""
    from rich.console import Group
    from rich.table import Table

    n = record.normalization
    debris = "\n".join(n.debris_removed[:_DEBRIS_SHOWN])
    if len(n.debris_removed) > _DEBRIS_SHOWN:
        debris += f"\n… and {len(n.debris_removed) - _DEBRIS_SHOWN} more"
    rows = [
        ("script", f"{n.script_in} → {n.script_out}"),
        ("steps", ", ".join(f"{name} {count}" for name, count in n.steps)),
        (f"debris lines removed ({len(n.debris_removed)})", debris),
        ("pinyin annotations removed", n.pinyin_annotations_removed),
        ("damage repaired", len(n.mojibake_repaired)),
        ("damage unresolved", len(n.mojibake_unresolved)),
    ]
    parts: list[RenderableType] = [_fields(rows)]
    if n.mojibake_repaired:
        table = Table("at", "damaged", "repaired", "confidence", title="repairs", title_justify="left")
        for r in n.mojibake_repaired:
            table.add_row(f"{r.start}-{r.end}", r.damaged, r.repaired, f"{r.confidence:.2f}")
        parts.append(table)
    if n.mojibake_unresolved:
        table = Table("at", "text", "reason", title="unresolved", title_justify="left")
        for u in n.mojibake_unresolved:
            table.add_row(f"{u.start}-{u.end}", u.text, u.reason)
        parts.append(table)
    return Group(*parts)


def _header(record: Record) -> RenderableType:
    """Return the header fields: type, title, numbers, proposal, addressees, signature block."""
    number = record.doc_number
    p = record.proposal
    c = record.contact
    rows = [
        ("doc_type", record.doc_type),
        ("title", record.title),
        ("doc_number", number and (f"{number.raw}  (issuer code {number.issuer_code}, year {number.year}, "
                                   f"serial {number.serial})")),
        ("category", record.category),
        ("signer", record.signer),
        ("proposal", p and "  ".join(x for x in (p.kind, p.body, p.meeting, p.number, p.title and f"《{p.title}》")
                                     if x)),
        ("addressees", "，".join(a.name + (a.role or "") + ("等" if a.and_others else "") for a in record.addressees)),
        ("issuer", record.issuer),
        ("date", record.date),
        ("contact", c and "  ".join(x for x in (c.person, c.unit, *c.phones) if x)),
        ("cc", "，".join(record.cc)),
    ]
    rows += [(f"metadata: {k}", v) for k, v in record.metadata]
    return _fields(rows)


def _tree(record: Record) -> RenderableType:
    """Return the section tree: marker, heading (or the first words) and kind of each section."""
    from rich.tree import Tree

    root = Tree(f"{len(record.sections)} top-level sections", guide_style="dim")

    def add(parent: Tree, section: Section) -> None:
        node = parent.add(_section_label(section, record.text))
        for child in section.children:
            add(node, child)

    for section in record.sections:
        add(root, section)
    return root


def _section_label(section: Section, text: str) -> RenderableType:
    from rich.text import Text

    label = Text()
    if section.marker:
        label.append(section.marker, style="bold")
    if section.heading:
        label.append(section.heading)
    else:  # no heading: show where the section starts
        label.append(_trim(text[section.span[0]:section.span[1]].split("\n", 1)[0], _SENTENCE_CHARS), style="dim")
    label.append(f"  [{section.kind}]", style="cyan")
    return label


def _metrics(record: Record) -> RenderableType:
    """Return a table of the metrics: raw, value, unit, qualifier, label, section, sentence."""
    from rich.table import Table

    if not record.metrics:
        return _none()
    table = Table("raw", "value", "unit", "qualifier", "label", "category", "section", "sentence")
    for column in table.columns[:4]:  # numbers and units are never cut
        column.no_wrap = True
    for m in record.metrics:
        value = _number(m.value) + (f"–{_number(m.value_high)}" if m.value_high is not None else "")
        table.add_row(m.raw, value, m.unit, m.qualifier or "", m.label or "", m.category, m.section or "",
                      _trim(m.sentence, _SENTENCE_CHARS))
    return table


def _warnings(record: Record) -> RenderableType:
    return _fields([(w.code, w.message + (f"  (at {w.span[0]}-{w.span[1]})" if w.span else ""))
                    for w in record.warnings])


def _number(value: float | int) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _trim(text: str, limit: int) -> str:
    """Return text cut to `limit` characters with an ellipsis.

    >>> _trim("开展各类技能培训68715人次", 8)
    '开展各类技能培…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"
