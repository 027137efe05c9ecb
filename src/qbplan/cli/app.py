"""The Typer app and its root options; each command adds itself from its own module."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Optional, ParamSpec

import typer

from qbplan.cli.options import DEFAULT_LANG, OPTIONS, Lang, h, plan_in_use
from qbplan.model.version import __version__

app = typer.Typer(
    name="qbplan",
    help=h(
        "Kiểm tra biểu số liệu CNTT của các cơ quan, đơn vị theo chỉ tiêu của quy hoạch trong tệp chỉ tiêu",
        "Check agencies' IT survey workbooks against the targets of the plan in the targets file",
    )
    + plan_in_use()
    + ".",
    no_args_is_help=True,
    # -h as well as --help, on every command (sub-contexts inherit it).
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    pretty_exceptions_enable=False,
    options_metavar=OPTIONS,
    subcommand_metavar=h("LỆNH [THAM SỐ]...", "COMMAND [ARGS]..."),
    # Plain help text: Rich's help renderer costs more to import (~70 ms) than
    # the whole of typer, and `qbplan --help` should feel instant.
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qbplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=h("In phiên bản rồi thoát.", "Print the version and exit."),
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            case_sensitive=False,
            help=h("Ngôn ngữ của trợ giúp: vi hoặc en.", "Language of the help: vi or en."),
        ),
    ] = DEFAULT_LANG,
) -> None:
    """Root options. ``--lang`` here only picks the language of ``--help``."""


P = ParamSpec("P")


def command(name: str, help: str) -> Callable[[Callable[P, int]], Callable[P, int]]:
    """Add a command that returns its exit code (the library's) to the app; the app exits with it."""

    def add(func: Callable[P, int]) -> Callable[P, int]:
        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> int:
            raise typer.Exit(func(*args, **kwargs))

        app.command(name, options_metavar=OPTIONS, help=help)(run)
        return func

    return add
