"""The ``qbplan`` command line: parse options, call the core, render, exit.

Heavy modules (pandas, pydantic, calamine) are imported inside the commands so
that ``qbplan --help`` stays fast. Exceptions become exit codes in one place,
:func:`_exit_on_error`.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import Targets
    from qbplan.files.inputs import Inputs
    from qbplan.history.periods import Period
    from qbplan.model.report import Report
    from qbplan.register.load import Register
    from qbplan.render import RenderOptions
    from qbplan.render.history import HistoryView

from qbplan.defaults import (
    DEFAULT_MAX_FINDINGS,
    DEFAULT_MAX_UNZIPPED,
    DEFAULT_TIMEOUT,
    FAIL_ON,
    LANGS,
    MAX_MEMORY_MB,
    MAX_TIMEOUT,
    MIN_MEMORY_MB,
)
from qbplan.error_handler import error_handler, say
from qbplan.errors import EXIT_CANNOT_RUN, EXIT_INTERRUPTED, QbplanError
from qbplan.model.version import __version__
from qbplan.render import FORMATS, HISTORY_FORMATS


def _help_lang(argv: list[str]) -> str:
    """Language of --help text, read before Typer parses anything."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("QBPLAN_LANG", "vi")


_LANG = "en" if _help_lang(sys.argv[1:]).strip().lower() == "en" else "vi"


def _h(vi: str, en: str) -> str:
    return en if _LANG == "en" else vi


# Click's own words in the help, said in Vietnamese.
_CLICK_VI = {
    "Usage: ": "Cách dùng: ",
    "Arguments": "Tham số",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "Show this message and exit.": "In trợ giúp này rồi thoát.",
}


def _vietnamese_help() -> None:
    """Best effort: typer's internals move between versions, and English is the fallback."""
    try:
        import typer.core
        from typer._click import core as click_core
        from typer._click import formatting

        core: Any = typer.core
        english = core._
        core._ = lambda text: _CLICK_VI.get(text, english(text))
        write_usage = formatting.HelpFormatter.write_usage

        def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, _CLICK_VI["Usage: "] if prefix is None else prefix)

        formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
        get_help_option = click_core.Command.get_help_option

        def help_option(self: Any, ctx: Any) -> Any:
            option = get_help_option(self, ctx)
            if option is not None:
                option.help = _CLICK_VI["Show this message and exit."]
            return option

        click_core.Command.get_help_option = help_option  # type: ignore[method-assign]
    except (ImportError, AttributeError):
        pass


def _plain_argument_help() -> None:
    """Arguments shown by their names (``TỆP...``), without typer's ``{…}`` and ``<list[Path]>``."""
    try:
        from typer.core import TyperArgument

        def usage_name(self: Any) -> str:
            return str(self.display_name_raw) + ("..." if self.nargs != 1 else "")

        def no_type(self: Any, ctx: Any) -> None:
            return None

        TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]
        TyperArgument.display_type_rich = no_type  # type: ignore[method-assign]
    except (ImportError, AttributeError):
        pass


_plain_argument_help()
if _LANG == "vi":
    _vietnamese_help()


Lang = Enum("Lang", {name: name for name in LANGS}, type=str)  # type: ignore[misc]


_DEFAULT_LANG = Lang(_LANG)
_OPTIONS = _h("[TÙY CHỌN]", "[OPTIONS]")


# Choices come from the library, so the CLI cannot drift from it.
Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]
FailOn = Enum("FailOn", {name: name for name in FAIL_ON}, type=str)  # type: ignore[misc]


class ExplainFormat(str, Enum):
    table = "table"
    json = "json"


def _plan_in_use() -> str:
    """The title of the plan a check here would use (./targets.yaml, else the bundled file), read cheaply.

    Help must stay fast, so no YAML parser or Pydantic: the plan's title line is
    read as text. Whatever goes wrong, help names no plan rather than fail.
    """
    local = Path("targets.yaml")
    path = local if local.is_file() else Path(__file__).with_name("data") / "targets.yaml"
    key = "title_en:" if _LANG == "en" else "title_vi:"
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for line in itertools.islice(fh, 200):
                if line.strip().startswith(key):
                    return f" ({line.split(':', 1)[1].strip().strip(chr(34))}, {path})"
    except OSError:
        pass
    return ""


app = typer.Typer(
    name="qbplan",
    help=_h(
        "Kiểm tra biểu số liệu CNTT của các cơ quan, đơn vị theo chỉ tiêu của quy hoạch trong tệp chỉ tiêu",
        "Check agencies' IT survey workbooks against the targets of the plan in the targets file",
    )
    + _plan_in_use()
    + ".",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    options_metavar=_OPTIONS,
    subcommand_metavar=_h("LỆNH [THAM SỐ]...", "COMMAND [ARGS]..."),
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
            help=_h("In phiên bản rồi thoát.", "Print the version and exit."),
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            case_sensitive=False,
            help=_h("Ngôn ngữ của trợ giúp: vi hoặc en.", "Language of the help: vi or en."),
        ),
    ] = _DEFAULT_LANG,
) -> None:
    """Root options. ``--lang`` here only picks the language of ``--help``."""


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")


# Options several commands share, defined once.
InputsArgument = Annotated[
    list[Path],
    typer.Argument(
        help=_h("Biểu số liệu: tệp, thư mục hoặc mẫu tên tệp.", "The submissions: files, folders or globs."),
        show_default=False,
        metavar=_h("TỆP", "FILE"),
        # qbplan reports an unreadable file itself (input-permission) and checks the rest.
        readable=False,
    ),
]
TargetsOption = Annotated[
    Optional[Path],
    typer.Option(
        "--targets",
        "-t",
        help=_h(
            "Tệp chỉ tiêu YAML. Mặc định: ./targets.yaml nếu có, nếu không thì bản kèm theo gói.",
            "Targets YAML file. Default: ./targets.yaml if present, else the bundled one.",
        ),
    ),
]
PlanOption = Annotated[
    Optional[str],
    typer.Option(
        "--plan",
        help=_h(
            "Kế hoạch kèm theo qbplan (xem qbplan plans), thay cho --targets.",
            "A plan bundled with qbplan (see qbplan plans), instead of --targets.",
        ),
        show_default=False,
    ),
]
LangOption = Annotated[
    Lang, typer.Option("--lang", case_sensitive=False, help=_h("Ngôn ngữ: vi hoặc en.", "Language: vi or en."))
]
ForceOption = Annotated[
    bool, typer.Option("--force", help=_h("Ghi đè nếu tệp đã có.", "Overwrite the file if it exists."))
]
PasswordOption = Annotated[
    Optional[str],
    typer.Option(
        "--password",
        envvar="QBPLAN_PASSWORD",
        help=_h(
            "Mật khẩu mở tệp được mã hóa (nên dùng biến môi trường QBPLAN_PASSWORD).",
            "Password for encrypted workbooks (prefer the QBPLAN_PASSWORD variable).",
        ),
        show_default=False,
    ),
]
RegisterOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--register",
        "-r",
        help=_h(
            "Danh mục đơn vị phải báo cáo (.xlsx, .ods, .xls, hoặc một tệp .csv mỗi trang; có thể ghi nhiều lần). "
            "Mặc định: danh mục ghi trong tệp chỉ tiêu, nếu có.",
            "The register of units that must report (.xlsx, .ods, .xls, or one .csv per sheet; may be repeated). "
            "Default: the register the targets file names, if any.",
        ),
        show_default=False,
        metavar=_h("DANH_MỤC", "REGISTER"),
    ),
]


def _register(paths: list[Path] | None) -> tuple[str, ...] | None:
    """``--register`` as CheckOptions takes it: None (not given) lets the targets file name one."""
    return tuple(str(p) for p in paths) if paths else None


PeriodOption = Annotated[
    Optional[str],
    typer.Option(
        "--period",
        help=_h(
            "Kỳ báo cáo: 2024, 2024-Q1 (quý), 2024-H1 (6 tháng), 2024-03 (tháng). Chọn mốc của năm đó nếu có.",
            "Reporting period: 2024, 2024-Q1 (quarter), 2024-H1 (half), 2024-03 (month). Picks that year's milestones.",
        ),
        show_default=False,
        metavar=_h("KỲ", "PERIOD"),
    ),
]
DbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        help=_h(
            "Cơ sở dữ liệu lịch sử (SQLite). Mặc định: biến QBPLAN_DB, nếu không thì qbplan.db ở thư mục hiện tại.",
            "The history database (SQLite). Default: QBPLAN_DB, else qbplan.db in the current folder.",
        ),
        show_default=False,
    ),
]

TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=1,
        max=MAX_TIMEOUT,
        help=_h("Thời gian tối đa (giây) để đọc một tệp.", "Most seconds one file may take to read."),
    ),
]
MaxMemoryOption = Annotated[
    Optional[int],
    typer.Option(
        "--max-memory-mb",
        min=MIN_MEMORY_MB,
        max=MAX_MEMORY_MB,
        help=_h(
            "Bộ nhớ tối đa (MB) của tiến trình đọc một tệp. Mặc định: không giới hạn.",
            "Most MB of memory the process reading one file may use. Default: no limit.",
        ),
    ),
]


def _targets(targets: Path | None, plan: str | None) -> Any:
    """The targets of ``--plan`` or ``--targets`` (or the default file), loaded."""
    from qbplan.config.targets import load_targets, plan_path

    if plan is not None and targets is not None:
        raise QbplanError("usage-plan-and-targets")
    return load_targets(plan_path(plan.strip().lower()) if plan is not None else targets)


_CHECK_HELP = _h(
    "Kiểm tra biểu số liệu, tính tỷ lệ đạt từng chỉ tiêu và in bảng đạt/chưa đạt.\n\n"
    "Mã thoát: 0 đạt tất cả chỉ tiêu; 1 có chỉ tiêu chưa đạt hoặc chưa có số liệu; 2 không chạy được "
    "(tham số, tệp chỉ tiêu, tệp đầu vào hỏng); 3 có dòng số liệu lỗi. Ưu tiên 2 > 3 > 1.",
    "Validate the submissions, compute each indicator's rate and print a pass/fail table.\n\n"
    "Exit codes: 0 all targets met; 1 a target missed or without data; 2 cannot run (usage, targets file, "
    "unreadable input); 3 invalid rows. Precedence 2 > 3 > 1.",
)


_MB = 1024 * 1024


def _bytes(megabytes: int | None) -> int | None:
    """A --max-memory value in bytes; None (no limit) stays None."""
    return megabytes * _MB if megabytes else None


@app.command("check", options_metavar=_OPTIONS, help=_CHECK_HELP)
def check_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help=_h(
                "Tệp biểu số liệu (.xlsx, .xlsm, .xlsb, .xls, .ods), thư mục (tìm cả thư mục con) "
                "hoặc mẫu như 'nop/*.xlsx'.",
                "Survey workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), folders (searched recursively) or globs "
                "such as 'inbox/*.xlsx'.",
            ),
            show_default=False,
            metavar=_h("TỆP", "FILE"),
            # qbplan reports an unreadable file itself (input-permission) and checks the rest.
            readable=False,
        ),
    ],
    targets: TargetsOption = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help=_h(
                "Định dạng kết quả (annex: phụ lục báo cáo). xlsx và annex cần --output; "
                "các định dạng khác in ra màn hình nếu không có --output.",
                "Output format (annex: the annex of a report). xlsx and annex need --output; "
                "the others go to stdout without --output.",
            ),
        ),
    ] = Format.table,  # type: ignore[attr-defined]
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help=_h(
                "Ghi kết quả vào tệp (ghi trọn vẹn: tệp tạm rồi đổi tên) thay vì ra màn hình.",
                "Write the result to a file, atomically (a temp file, then rename), instead of stdout.",
            ),
        ),
    ] = None,
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
            case_sensitive=False,
            help=_h(
                "Khi nào trả mã 1: fail (có chỉ tiêu chưa đạt hoặc chưa có số liệu), warn (cả cần cố gắng), never.",
                "When to exit 1: fail (a target missed or without data), warn (also warn), never.",
            ),
        ),
    ] = FailOn.fail,  # type: ignore[attr-defined]
    lang: LangOption = _DEFAULT_LANG,
    max_findings: Annotated[
        int,
        typer.Option(
            "--max-findings", min=0, help=_h("Số lỗi tối đa in ra trong bảng.", "Findings shown in the table.")
        ),
    ] = DEFAULT_MAX_FINDINGS,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help=_h("Không hiện thanh tiến độ.", "No progress bar.")),
    ] = False,
    jobs: Annotated[
        Optional[int],
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help=_h(
                "Số tiến trình đọc tệp song song. Mặc định: số lõi CPU.", "Files read in parallel. Default: cores."
            ),
        ),
    ] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_unzipped_mb: Annotated[
        int,
        typer.Option(
            "--max-unzipped-mb",
            min=1,
            max=MAX_MEMORY_MB,
            help=_h(
                "Dung lượng giải nén tối đa (MB) của một tệp .xlsx/.ods; lớn hơn bị coi là bom nén.",
                "Most MB an .xlsx/.ods may unpack to; more is refused as a zip bomb.",
            ),
        ),
    ] = DEFAULT_MAX_UNZIPPED // _MB,
    max_memory_mb: MaxMemoryOption = None,
    password: PasswordOption = None,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom/--no-bom",
            help=_h(
                "CSV: ghi dấu BOM UTF-8 ở đầu để Excel trên Windows hiện đúng tiếng Việt.",
                "CSV: start with a UTF-8 byte order mark, so Excel on Windows shows the Vietnamese right.",
            ),
        ),
    ] = True,
    unit: Annotated[
        str,
        typer.Option("--unit", help=_h("Phụ lục: tên cơ quan, đơn vị báo cáo.", "Annex: the reporting unit's name.")),
    ] = "",
    report_number: Annotated[
        str,
        typer.Option(
            "--report-number",
            help=_h("Phụ lục: số báo cáo, ví dụ 123/BC-SKHCN.", "Annex: the report's number, e.g. 123/BC-SKHCN."),
        ),
    ] = "",
    signer: Annotated[str, typer.Option("--signer", help=_h("Phụ lục: người ký.", "Annex: who signs it."))] = "",
    period: PeriodOption = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help=_h(
                "Lưu lần chạy này vào cơ sở dữ liệu lịch sử (cần --period).",
                "Save this run in the history database (needs --period).",
            ),
        ),
    ] = False,
    compare: Annotated[
        Optional[str],
        typer.Option(
            "--compare",
            help=_h(
                "So với kỳ đã lưu, ví dụ 2024 hoặc 2025-H1: tỷ lệ kỳ trước và thay đổi.",
                "Compare with a saved period, e.g. 2024 or 2025-H1: its rate and the change.",
            ),
            show_default=False,
            metavar=_h("KỲ", "PERIOD"),
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    with error_handler(lang.value):
        from qbplan.read.sniff import Limits
        from qbplan.render import Annex, RenderOptions
        from qbplan.run.pipeline import CheckOptions, Progress, check

        when, earlier = _periods(period, compare, save)
        found = _check_inputs(inputs, fmt.value, output)
        loaded = _targets(targets, plan)
        options = CheckOptions(
            by=by,
            fail_on=fail_on.value,
            jobs=jobs,
            timeout=timeout,
            max_memory=_bytes(max_memory_mb),
            limits=Limits(max_unzipped=max_unzipped_mb * _MB),
            password=password,
            register=_register(register),
            period=when,
        )
        with _progress(enabled=not quiet and sys.stderr.isatty()) as progress:
            report = check(
                found,
                loaded,
                options,
                Progress(files_found=progress.start, file_done=progress.advance, merging=progress.merging),
            )
        # Files that could not be used are said on stderr, whatever the format.
        _say_input_errors(report, lang.value)
        if save or earlier is not None:
            # sqlite3 and the store only when a check is saved or compared.
            from qbplan.history.store import db_path

            report = _over_time(report, when if save else None, earlier, db_path(db), lang.value)
        if output is None and fmt.value == "table" and report.unreadable_files == len(report.files):
            # Nothing could be read: a table of no_data would only hide the cause.
            raise typer.Exit(report.exit_code)
        annex = Annex(unit=unit, report_number=report_number, signer=signer)
        shown = RenderOptions(lang=lang.value, max_findings=max_findings, bom=bom, annex=annex)
        _write(report, fmt.value, output, shown)
        raise typer.Exit(report.exit_code)


def _periods(period: str | None, compare: str | None, save: bool) -> tuple[Period | None, Period | None]:
    """The reporting period and the one to compare with; --save needs a period."""
    from qbplan.history.periods import parse_period

    when = parse_period(period) if period is not None else None
    if save and when is None:
        raise QbplanError("usage-save-needs-period")
    return when, parse_period(compare) if compare is not None else None


def _check_inputs(inputs: list[Path], fmt: str, output: Path | None) -> Inputs:
    """The files to check, once the output is known to be writable where asked and not one of them."""
    from qbplan.files.inputs import collect
    from qbplan.render import is_binary

    _refuse_bytes_to_stdout(fmt, is_binary(fmt), output)
    # Walked once: the files are both what -o must not be and what is checked.
    found = collect([str(p) for p in inputs])
    if output is not None:
        from qbplan.files.output import refuse_input_as_output

        refuse_input_as_output(output, found.files)
    return found


def _refuse_bytes_to_stdout(fmt: str, binary: bool, output: Path | None) -> None:
    """A format that writes bytes (xlsx, annex) goes to a file: --output is required."""
    if binary and output is None:
        raise QbplanError("usage-output-required", format=fmt)


def _over_time(report: Report, save: Period | None, compare: Period | None, db: Path, lang: str) -> Report:
    """The report beside a saved period (``--compare``), saved as a run of ``save`` (``--save``)."""
    if compare is not None:
        from qbplan.history.compare import compared

        report = compared(report, db, compare)
    if save is not None:
        _save(report, save, db, lang)
    return report


def _save(report: Report, period: Period, db: Path, lang: str) -> None:
    """Save a run, and say where on stderr."""
    from qbplan.history.record import save_run
    from qbplan.i18n import ui

    # The command as typed, by its name: not the path of the console script.
    saved = save_run(report, period, db, ["qbplan", *sys.argv[1:]])
    if saved.backup is not None:
        say(ui("history.backup", lang, backup=str(saved.backup)))
    say(ui("history.saved", lang, run=saved.run_id, period=period.label(lang), db=str(db)))


def _say_input_errors(report: Report, lang: str) -> bool:
    """Files that could not be used, one line each on stderr; whether there was one."""
    from qbplan.model.wording import describe

    found = [f for f in report.errors if f.code.startswith("input-")]
    for finding in found:
        say(describe(finding, lang))
    return bool(found)


def _write(report: Report, fmt: str, output: Path | None, options: RenderOptions) -> None:
    """Render ``report`` to stdout, or atomically to ``output``."""
    from dataclasses import replace

    from qbplan.render import get_renderer, is_binary

    render = get_renderer(fmt)
    if output is None:
        render(report, sys.stdout, options)
        sys.stdout.flush()
        return
    from qbplan.files.output import atomic_write

    with atomic_write(output, binary=is_binary(fmt)) as out:
        render(report, out, replace(options, color=False))


_TEMPLATE_HELP = _h(
    "Tạo biểu mẫu trống (.xlsx) từ tệp chỉ tiêu: mỗi biểu một trang, có danh sách chọn, "
    "kiểm tra số nguyên, trang Hướng dẫn và phiên bản biểu mẫu. Với --register: điền sẵn và khóa mã, tên, cấp, "
    "loại, huyện của từng đơn vị trong danh mục; thêm --per-unit để tạo mỗi cơ quan, đơn vị một tệp.",
    "Write the blank survey form (.xlsx) from the targets file: one sheet per form sheet, "
    "dropdowns, whole-number checks, a 'Hướng dẫn' (guide) sheet and the form version. With --register: each "
    "registered unit's code, name, level, type and district written in and locked; add --per-unit for one file "
    "per agency.",
)


@app.command("template", options_metavar=_OPTIONS, help=_TEMPLATE_HELP)
def template_cmd(
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help=_h(
                "Tệp biểu mẫu sẽ tạo (mặc định bieu-mau.xlsx); với --per-unit là thư mục (mặc định bieu-mau/).",
                "The form file to write (default bieu-mau.xlsx); with --per-unit a folder (default bieu-mau/).",
            ),
            show_default=False,
        ),
    ] = None,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    per_unit: Annotated[
        bool,
        typer.Option(
            "--per-unit",
            help=_h(
                "Mỗi cơ quan, đơn vị trong danh mục một tệp, chỉ có dòng của đơn vị đó (cần --register).",
                "One file per registered agency, holding its own row only (needs --register).",
            ),
        ),
    ] = False,
    force: ForceOption = False,
    lang: LangOption = _DEFAULT_LANG,
) -> None:
    with error_handler(lang.value):
        from qbplan.run.pipeline import CheckOptions, read_register
        from qbplan.tools.template import write_unit_forms

        loaded = _targets(targets, plan)
        if per_unit and not register:
            raise QbplanError("usage-per-unit-needs-register")
        # Only the register named here: a blank form stays blank whatever the targets file names.
        read = read_register(loaded, CheckOptions(register=_register(register) or ()))
        if per_unit:
            assert read is not None  # --register was given
            folder = output or Path("bieu-mau")
            written = write_unit_forms(loaded, read, folder, force=force)
            say(f"{_h('đã tạo', 'wrote')} {len(written)} {_h('tệp trong', 'files in')} {folder}")
        else:
            _write_form(loaded, read, output or Path("bieu-mau.xlsx"), force)


def _write_form(loaded: Targets, read: Register | None, output: Path, force: bool) -> None:
    """The one form, prefilled with the register's units when there is one."""
    from qbplan.files.output import atomic_write, refuse_overwrite
    from qbplan.tools.template import register_units, write_template

    refuse_overwrite(output, force)
    with atomic_write(output, binary=True) as out:
        write_template(loaded, out, register_units(read) if read else None)
    say(f"{_h('đã tạo', 'wrote')} {output}")


_EXPLAIN_HELP = _h(
    "Chỉ ra các đơn vị kéo một chỉ tiêu xuống: tỷ lệ riêng của từng đơn vị, số còn thiếu "
    "để đạt mục tiêu, và theo huyện.",
    "Show which agencies pull one indicator down: each one's own rate, the gap in units "
    "to reach the target, and the same by district.",
)


@app.command("explain", options_metavar=_OPTIONS, help=_EXPLAIN_HELP)
def explain_cmd(
    indicator: Annotated[
        str,
        typer.Argument(
            help=_h("Mã chỉ tiêu, ví dụ ct02b.", "Indicator id, e.g. ct02b."),
            show_default=False,
            metavar=_h("MÃ_CHỈ_TIÊU", "INDICATOR"),
        ),
    ],
    inputs: InputsArgument,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    by: Annotated[
        Optional[str],
        typer.Option(
            "--by",
            help=_h(
                "Nhóm theo cột (khóa hoặc tên cột). Mặc định: huyện nếu biểu có cột này.",
                "Group by a column (its key or label). Default: the district, when the sheet has it.",
            ),
        ),
    ] = None,
    register: RegisterOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help=_h("Số đơn vị in ra.", "How many rows to show."))] = 20,
    fmt: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", case_sensitive=False, help=_h("Định dạng kết quả.", "Output format.")),
    ] = ExplainFormat.table,
    lang: LangOption = _DEFAULT_LANG,
    password: PasswordOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> None:
    with error_handler(lang.value):
        from qbplan.render import RenderOptions
        from qbplan.render.explain_table import render_json, render_table
        from qbplan.run.pipeline import CheckOptions
        from qbplan.tools.explain import explain

        loaded = _targets(targets, plan)
        options = CheckOptions(
            password=password, timeout=timeout, max_memory=_bytes(max_memory_mb), register=_register(register)
        )
        result = explain(indicator, [str(p) for p in inputs], loaded, by=by, options=options)
        _say_input_errors(result.report, lang.value)
        if fmt is ExplainFormat.json:
            render_json(result, sys.stdout, RenderOptions(lang=lang.value))
        else:
            render_table(result, sys.stdout, RenderOptions(lang=lang.value), top)
        sys.stdout.flush()
        raise typer.Exit(2 if result.report.unreadable_files else 0)


_ANNOTATE_HELP = _h(
    "Tạo bản sao của biểu số liệu, tô đỏ và ghi chú từng ô lỗi (tô vàng ô cảnh báo), để gửi lại cơ quan, đơn vị. "
    "Tệp gốc không bị sửa. Chỉ áp dụng cho .xlsx/.xlsm.",
    "Write a copy of a submission with each bad cell filled red and commented (warnings yellow), "
    "to send back to the agency. The original is never modified. .xlsx/.xlsm only.",
)


@app.command("annotate", options_metavar=_OPTIONS, help=_ANNOTATE_HELP)
def annotate_cmd(
    submission: Annotated[
        Path,
        typer.Argument(
            help=_h("Tệp biểu số liệu (.xlsx).", "The submission (.xlsx)."),
            show_default=False,
            metavar=_h("TỆP", "FILE"),
            # qbplan reports an unreadable file itself (input-permission) and checks the rest.
            readable=False,
        ),
    ],
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help=_h("Tệp sẽ tạo. Mặc định: <tên>-danh-dau.xlsx.", "The file to write. Default: <name>-danh-dau.xlsx."),
        ),
    ] = None,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    force: ForceOption = False,
    lang: LangOption = _DEFAULT_LANG,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> None:
    with error_handler(lang.value):
        from qbplan.files.output import atomic_write, refuse_input_as_output, refuse_overwrite
        from qbplan.i18n import ui
        from qbplan.run.pipeline import CheckOptions, check, run_bounded

        loaded = _targets(targets, plan)
        target = output or submission.with_name(f"{submission.stem}-danh-dau{submission.suffix or '.xlsx'}")
        refuse_input_as_output(target, [str(submission)])
        refuse_overwrite(target, force)
        options = CheckOptions(timeout=timeout, max_memory=_bytes(max_memory_mb))
        report = check([str(submission)], loaded, options)
        if _say_input_errors(report, lang.value):
            raise typer.Exit(EXIT_CANNOT_RUN)
        macros = _annotated_kind(submission, target)
        marked = run_bounded(
            lambda path: _annotated(path, report.errors + report.warnings, lang.value, macros), str(submission), options
        )
        with atomic_write(target, binary=True) as out:
            out.write(marked[1])
        say(ui("annotate.done", lang.value, cells=marked[0], output=target))
        raise typer.Exit(report.exit_code)


def _annotated(path: str, findings: list[Any], lang: str, macros: bool) -> tuple[int, bytes]:
    import io

    from qbplan.tools.annotate import annotate

    buffer = io.BytesIO()
    cells = annotate(path, findings, buffer, lang, macros)
    return cells, buffer.getvalue()


def _annotated_kind(submission: Path, target: Path) -> bool:
    """Whether the copy keeps macros: only an .xlsm written as .xlsm. The name must say what the content is."""
    from qbplan.tools.annotate import has_macros

    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise QbplanError("usage-annotate-suffix", file=str(target))
    macros = suffix == ".xlsm"
    if macros and not has_macros(str(submission)):
        # No macros to keep: the content is an .xlsx and must be named so.
        raise QbplanError("usage-annotate-suffix", file=str(target))
    return macros


_VERIFY_HELP = _h(
    "Đối chiếu phụ lục báo cáo của tỉnh (Thực hiện, Đánh giá) với số liệu: số thực hiện sai "
    "hoặc đánh giá không đúng với số liệu là lỗi tại ô của nó. Mã thoát 1 nếu có lỗi.",
    "Check a province's report annex (its Thực hiện and Đánh giá) against the submissions: a wrong "
    "claimed rate or a verdict the numbers do not give is an error at its cell. Exit 1 if there is one.",
)


@app.command("verify", options_metavar=_OPTIONS, help=_VERIFY_HELP)
def verify_cmd(
    annex: Annotated[
        Path,
        typer.Argument(
            help=_h("Tệp phụ lục (.xlsx).", "The annex (.xlsx)."),
            show_default=False,
            metavar=_h("PHỤ_LỤC", "ANNEX"),
            readable=False,
        ),
    ],
    inputs: InputsArgument,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    fmt: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", case_sensitive=False, help=_h("Định dạng kết quả.", "Output format.")),
    ] = ExplainFormat.table,
    lang: LangOption = _DEFAULT_LANG,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> None:
    with error_handler(lang.value):
        import dataclasses

        from qbplan.render import RenderOptions
        from qbplan.run.pipeline import CheckOptions, check
        from qbplan.tools.verify import verify

        loaded = _targets(targets, plan)
        options = CheckOptions(timeout=timeout, max_memory=_bytes(max_memory_mb), register=_register(register))
        report = check([str(p) for p in inputs], loaded, options)
        _say_input_errors(report, lang.value)
        found = verify(str(annex), report, loaded, options)
        claims = [f for f in found if f.severity == "error"]
        shown = dataclasses.replace(
            report,
            errors=claims + report.errors,
            warnings=[f for f in found if f.severity == "warning"] + report.warnings,
        )
        _write(shown, fmt.value, None, RenderOptions(lang=lang.value, max_findings=100))
        raise typer.Exit(EXIT_CANNOT_RUN if report.unreadable_files else 1 if claims else 0)


_HISTORY_HELP = _h(
    "Lịch sử các lần kiểm tra đã lưu (check --period KỲ --save): tỷ lệ từng chỉ tiêu qua các kỳ, thay đổi so với "
    "kỳ trước, và dự báo năm đạt mục tiêu theo đường thẳng. --runs liệt kê mọi lần chạy với mã băm tệp.",
    "The history of saved checks (check --period PERIOD --save): each indicator's rate across periods, the change "
    "since the previous one, and a straight-line projection of the year its target is reached. --runs lists "
    "every run with its file hashes.",
)


# history's formats come from its renderer, as check's do.
HistoryFormat = Enum("HistoryFormat", {name: name for name in HISTORY_FORMATS}, type=str)  # type: ignore[misc]


@app.command("history", options_metavar=_OPTIONS, help=_HISTORY_HELP)
def history_cmd(
    db: DbOption = None,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    indicator: Annotated[
        Optional[str],
        typer.Option("--indicator", "-i", help=_h("Chỉ một chỉ tiêu, ví dụ ct07b.", "One indicator only, e.g. ct07b.")),
    ] = None,
    start: Annotated[
        Optional[str],
        typer.Option(
            "--from",
            help=_h("Từ kỳ (kể cả), ví dụ 2022.", "From this period on, e.g. 2022."),
            metavar=_h("KỲ", "PERIOD"),
        ),
    ] = None,
    end: Annotated[
        Optional[str],
        typer.Option("--to", help=_h("Đến kỳ (kể cả).", "Up to this period."), metavar=_h("KỲ", "PERIOD")),
    ] = None,
    runs: Annotated[
        bool,
        typer.Option(
            "--runs",
            help=_h(
                "Liệt kê mọi lần chạy: thời điểm, phiên bản, tệp chỉ tiêu và các tệp với SHA-256, lệnh đã chạy.",
                "List every run: when, which version, the targets file and the files with their SHA-256, the command.",
            ),
        ),
    ] = False,
    fmt: Annotated[
        HistoryFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help=_h("Định dạng kết quả (xlsx cần --output).", "Output format (xlsx needs --output)."),
        ),
    ] = HistoryFormat.table,  # type: ignore[attr-defined]
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o", help=_h("Ghi vào tệp thay vì ra màn hình.", "Write to a file instead of stdout.")
        ),
    ] = None,
    lang: LangOption = _DEFAULT_LANG,
) -> None:
    with error_handler(lang.value):
        from qbplan.history.periods import parse_period
        from qbplan.history.store import db_path
        from qbplan.history.trend import read_history
        from qbplan.i18n import localized
        from qbplan.render import history as shown
        from qbplan.run.pipeline import indicator_named

        loaded = _targets(targets, plan)
        first, last = (parse_period(start) if start else None), (parse_period(end) if end else None)
        wanted = indicator_named(loaded, indicator).id if indicator else None
        _refuse_bytes_to_stdout(fmt.value, fmt.value in shown.BINARY, output)
        path = db_path(db)
        found = read_history(path, loaded, wanted, first, last, runs=runs)
        title = localized(loaded.plan.title_vi, loaded.plan.title_en, lang.value)
        view = shown.history_view(found.series, found.runs, lang.value, title, str(path), with_runs=runs)
        _write_history(view, fmt.value, output)


def _write_history(view: HistoryView, fmt: str, output: Path | None) -> None:
    from qbplan.files.output import atomic_write
    from qbplan.render import history as shown

    if output is None:
        shown.render(view, fmt, sys.stdout)
        sys.stdout.flush()
        return
    with atomic_write(output, binary=fmt in shown.BINARY) as out:
        shown.render(view, fmt, out)


_PLANS_HELP = _h(
    "Liệt kê các kế hoạch kèm theo qbplan: mã (dùng với --plan), tên, nguồn.",
    "List the plans bundled with qbplan: id (for --plan), title, source.",
)


@app.command("plans", options_metavar=_OPTIONS, help=_PLANS_HELP)
def plans_cmd(lang: LangOption = _DEFAULT_LANG) -> None:
    with error_handler(lang.value):
        from qbplan.config.targets import DEFAULT_PLAN, bundled_plans, load_targets
        from qbplan.i18n import localized

        for plan_id, path in bundled_plans().items():
            plan = load_targets(path).plan
            mark = _h(" (mặc định)", " (default)") if plan_id == DEFAULT_PLAN else ""
            sys.stdout.write(f"{plan_id}{mark}\n  {localized(plan.title_vi, plan.title_en, lang.value)}\n")
            sys.stdout.write(f"  {plan.source}\n")


class _Progress:
    """A Rich progress bar on stderr, or nothing (not a terminal, --quiet)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: object | None = None
        self.task: object | None = None
        self.drawn = 0.0

    def start(self, total: int) -> None:
        # Not worth a bar for one or two files.
        if not self.enabled or total < 3:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # auto_refresh=False: no refresh thread, so workers are forked from a
        # single-threaded process.
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,
        )
        bar.start()
        self.task = bar.add_task(_h("Đang đọc", "Reading"), total=total)
        self.bar = bar

    def advance(self, _path: str) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, 1)  # type: ignore[attr-defined]
            # At most ten redraws a second: thousands of small files finish fast.
            now = time.monotonic()
            if now - self.drawn >= 0.1:
                self.bar.refresh()  # type: ignore[attr-defined]
                self.drawn = now

    def merging(self) -> None:
        # The last step can take a while on a big folder: say what it is doing.
        if self.bar is not None:
            self.bar.update(self.task, description=_h("Đang tổng hợp…", "Merging…"))  # type: ignore[attr-defined]
            self.bar.refresh()  # type: ignore[attr-defined]

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()  # type: ignore[attr-defined]
            self.bar = None


@contextmanager
def _progress(enabled: bool) -> Iterator[_Progress]:
    progress = _Progress(enabled)
    try:
        yield progress
    finally:
        progress.stop()


def _kinds(exc: BaseException) -> set[str]:
    # Typer ships click under different module names across versions; the
    # exception classes keep their names, so they are recognised by name.
    return {cls.__name__ for cls in type(exc).__mro__}


def _usage_message(exc: Any) -> str:
    """One line for a usage error, in Vietnamese unless --lang en / QBPLAN_LANG=en.

    Click's own messages are English; the common ones are said again here.
    """
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "qbplan"
    if isinstance(getattr(exc, "message", None), str):
        # Typer words a refused choice as Pydantic's "Value error, …": the reason is what follows,
        # in either language.
        exc.message = exc.message.removeprefix("Value error, ")
    if _LANG == "en":
        return f"qbplan: {exc.format_message()} (see: {command} --help)"
    return f"qbplan: {_vietnamese(exc)} (xem: {command} --help)"


def _param_hint(exc: Any) -> str:
    param: Any = getattr(exc, "param", None)
    opts = getattr(param, "opts", None) or []
    return getattr(exc, "param_hint", None) or (" / ".join(opts) if opts else getattr(param, "name", "") or "")


_RANGE_VI = (
    (re.compile(r"less than or equal to (\S+)"), "phải ≤ {}"),
    (re.compile(r"greater than or equal to (\S+)"), "phải ≥ {}"),
    (re.compile(r"valid (?:number|integer)"), "phải là một số"),
    # Typer checks an Enum option's choices itself: the option's type has no choices to list.
    (re.compile(r"('.*') is not one of (.+?)\.?$"), "{} không có trong các lựa chọn: {}"),
)


def _detail_vi(detail: str) -> str:
    """Click's and typer's detail of a bad value, in Vietnamese where it is a common one."""
    for pattern, text in _RANGE_VI:
        match = pattern.search(detail)
        if match:
            return text.format(*match.groups())
    return detail


def _vietnamese(exc: Any) -> str:
    kinds = _kinds(exc)
    hint = _param_hint(exc)
    if "MissingParameter" in kinds:
        return f"thiếu tham số {hint}"
    if "NoSuchOption" in kinds:
        maybe = " (có phải " + ", ".join(sorted(exc.possibilities)) + "?)" if exc.possibilities else ""
        return f"không có tùy chọn {exc.option_name}{maybe}"
    if "BadParameter" in kinds:
        return _bad_parameter_vi(exc, hint)
    return _no_command_vi(exc.format_message())


def _bad_parameter_vi(exc: Any, hint: str) -> str:
    """A value refused: the choices when the option has them, else click's reason in Vietnamese."""
    choices = getattr(getattr(getattr(exc, "param", None), "type", None), "choices", None)
    if choices:
        return f"giá trị không hợp lệ cho {hint}; chọn một trong: {', '.join(str(c) for c in choices)}"
    return f"giá trị không hợp lệ cho {hint}: {_detail_vi(str(exc.message))}"


def _no_command_vi(text: str) -> str:
    """click's "No such command" in Vietnamese; any other message as it is."""
    match = re.match(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?", text)
    if not match:
        return str(text)
    maybe = f" (có phải '{match.group(2)}'?)" if match.group(2) else ""
    return f"không có lệnh '{match.group(1)}'{maybe}"


def _terminate(_signum: int, _frame: object) -> None:
    # systemd and CI cancel with SIGTERM: stop as for Ctrl-C, so workers are
    # stopped and a half-written output file is removed.
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point: runs the app, and says usage errors in one line."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = app(prog_name="qbplan", standalone_mode=False)
    except typer.Abort:
        say("interrupted" if _LANG == "en" else "đã dừng")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        kinds = _kinds(exc)
        if "UsageError" not in kinds:
            raise
        # Bare `qbplan`: the help itself, as Click would show it.
        usage: Any = exc
        _stderr(usage.format_message() if "NoArgsIsHelpError" in kinds else _usage_message(usage))
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)
