"""The ``qbplan`` command line: parse options, call the core, render, exit.

Heavy modules (pandas, pydantic, calamine) are imported inside the commands so
that ``qbplan --help`` stays fast. Exceptions become exit codes in one place,
:func:`_exit_on_error`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from qbplan import __version__
from qbplan.errors import EXIT_CANNOT_RUN, QbplanError


def _help_lang(argv: list[str]) -> str:
    """Language of --help text, read before Typer parses anything."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("QBPLAN_LANG", "vi")


_LANG = "en" if _help_lang(sys.argv[1:]) == "en" else "vi"


def _h(vi: str, en: str) -> str:
    return en if _LANG == "en" else vi


class Lang(str, Enum):
    vi = "vi"
    en = "en"


_DEFAULT_LANG = Lang(_LANG)


_DEFAULT_LANG = Lang(_LANG)


class Format(str, Enum):
    table = "table"
    json = "json"


class FailOn(str, Enum):
    warn = "warn"
    fail = "fail"
    never = "never"


app = typer.Typer(
    name="qbplan",
    help=_h(
        "Kiểm tra biểu số liệu CNTT của các cơ quan, đơn vị theo chỉ tiêu Quy hoạch "
        "(mặc định: QĐ 2972/QĐ-UBND tỉnh Quảng Bình, mục tiêu năm 2025).",
        "Check agencies' IT survey workbooks against the plan's targets "
        "(default: Quảng Bình Decision 2972/QĐ-UBND, 2025 targets).",
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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
            help=_h("In phiên bản rồi thoát.", "Print the version and exit."),
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option("--lang", help=_h("Ngôn ngữ của trợ giúp: vi hoặc en.", "Language of the help: vi or en.")),
    ] = _DEFAULT_LANG,
) -> None:
    """Root options. ``--lang`` here only picks the language of ``--help``."""


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")


@contextmanager
def _exit_on_error(lang: str) -> Iterator[None]:
    """Map every exception to a one-line message and an exit code."""
    try:
        yield
    except QbplanError as exc:
        _stderr(f"qbplan: {exc.message(lang)}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _stderr("qbplan: interrupted")
        raise typer.Exit(130) from None
    except MemoryError:
        _stderr("qbplan: " + _h("hết bộ nhớ", "out of memory"))
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:
        if os.environ.get("QBPLAN_DEBUG"):
            raise
        _stderr(f"qbplan: {_h('lỗi nội bộ', 'internal error')}: {type(exc).__name__}: {exc} (QBPLAN_DEBUG=1)")
        raise typer.Exit(EXIT_CANNOT_RUN) from None


_CHECK_HELP = _h(
    "Kiểm tra biểu số liệu, tính tỷ lệ đạt từng chỉ tiêu và in bảng đạt/chưa đạt.\n\n"
    "Mã thoát: 0 đạt tất cả chỉ tiêu; 1 có chỉ tiêu chưa đạt; 2 không chạy được "
    "(tham số, tệp chỉ tiêu, tệp đầu vào hỏng); 3 có dòng số liệu lỗi. Ưu tiên 2 > 3 > 1.",
    "Validate the submissions, compute each indicator's rate and print a pass/fail table.\n\n"
    "Exit codes: 0 all targets met; 1 a target missed; 2 cannot run (usage, targets file, "
    "unreadable input); 3 invalid rows. Precedence 2 > 3 > 1.",
)


@app.command("check", help=_CHECK_HELP)
def check_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help=_h("Tệp biểu số liệu (.xlsx, .xlsm, .xls, .ods).", "Survey workbooks (.xlsx, .xlsm, .xls, .ods)."),
            show_default=False,
        ),
    ],
    targets: Annotated[
        Optional[Path],
        typer.Option(
            "--targets",
            "-t",
            help=_h(
                "Tệp chỉ tiêu YAML. Mặc định: ./targets.yaml nếu có, nếu không thì bản kèm theo gói.",
                "Targets YAML file. Default: ./targets.yaml if present, else the bundled one.",
            ),
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help=_h("Định dạng kết quả.", "Output format."))
    ] = Format.table,
    by: Annotated[
        Optional[str],
        typer.Option(
            "--by", help=_h("Chia kết quả theo một cột, ví dụ huyen.", "Break results down by a column, e.g. huyen.")
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help=_h(
                "Khi nào trả mã 1: fail (có chỉ tiêu chưa đạt), warn (cả cần cố gắng hoặc chưa có số liệu), never.",
                "When to exit 1: fail (a target missed), warn (also warn or no data), never.",
            ),
        ),
    ] = FailOn.fail,
    lang: Annotated[
        Lang, typer.Option("--lang", help=_h("Ngôn ngữ: vi hoặc en.", "Language: vi or en."))
    ] = _DEFAULT_LANG,
    max_findings: Annotated[
        int,
        typer.Option(
            "--max-findings", min=0, help=_h("Số lỗi tối đa in ra trong bảng.", "Findings shown in the table.")
        ),
    ] = 20,
) -> None:
    with _exit_on_error(lang.value):
        from qbplan.core import check
        from qbplan.render import RenderOptions, get_renderer
        from qbplan.targets import load_targets

        loaded = load_targets(targets)
        report = check([str(p) for p in inputs], loaded, by=by, lang=lang.value, fail_on=fail_on.value)
        if report.unreadable_files == len(report.files):
            # Nothing could be read: a table of no_data would only hide the cause.
            for finding in report.errors:
                _stderr(f"qbplan: {finding.message}")
            raise typer.Exit(report.exit_code)
        get_renderer(fmt.value)(report, sys.stdout, RenderOptions(max_findings=max_findings))
        sys.stdout.flush()
        raise typer.Exit(report.exit_code)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="qbplan")
