"""The dafu command line: a thin Typer shell over the dafu library.

Only typer and the option aliases are imported here; every command imports the pipeline, rich
and orjson inside its body, so that `dafu --help` stays fast.
"""
from __future__ import annotations

from importlib import import_module
from typing import Annotated

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="dafu",
    help="Convert folders of Chinese government letters (.txt) into JSON records and a metrics CSV.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        from dafu import __version__

        typer.echo(f"dafu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool | None, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Convert folders of Chinese government letters (.txt) into JSON records and a metrics CSV."""


def _register(module: str, *names: str) -> None:
    """Add the commands `names` of `dafu.cli.<module>`, if that module is there."""
    try:
        mod = import_module(f"{__name__}.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{module}":
            raise
        return
    for name in names:
        func = getattr(mod, name, None)
        if func is not None:
            app.command(name)(func)


_register("convert", "convert")
_register("validate", "validate")
_register("inspect", "inspect", "normalize", "schema")
_register("review", "review")


def main() -> None:
    """Run the dafu command line (the `dafu` script and `python -m dafu`).

    Signals end the process with 128 + their number (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP), a closed
    stdout with 141, whatever the command was doing; a signal that comes while dafu exits is ignored.
    """
    import signal
    import sys

    from .console import Interrupted, guard_stdio, signals, silence_stdout

    click_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    guard_stdio()
    code: int | str | None = 0
    try:
        with signals():
            code = app(prog_name="dafu", standalone_mode=False)
    except click_error as exc:  # usage errors: one line, exit 2
        from .console import Reporter, escape

        if type(exc).__name__ == "NoArgsIsHelpError":  # `dafu` alone: the help, as Click shows it
            exc.show()
            sys.exit(exc.exit_code)
        hint = f" (dafu {exc.ctx.info_name} --help)" if getattr(exc, "ctx", None) and exc.ctx.parent else ""
        Reporter(quiet=False).say(f"dafu: error: {escape(exc.format_message())}{hint}")
        code = exc.exit_code
    except typer.Abort:
        code = 1
    except SystemExit as exc:
        code = exc.code
    except Interrupted as sig:
        code = sig.code
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        silence_stdout()
        code = 141
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        code = code or 141
    except (OSError, ValueError, AttributeError):
        silence_stdout()
    sys.exit(code)
