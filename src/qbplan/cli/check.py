"""``qbplan check``: validate the submissions, compute each indicator, print pass/fail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from qbplan.cli.annex import (
    AuthorityOption,
    ReportDateOption,
    ReportNumberOption,
    SignerOption,
    SignOffOption,
    UnitOption,
    annex_from,
)
from qbplan.cli.app import command
from qbplan.cli.options import (
    DEFAULT_LANG,
    MB,
    DbOption,
    FailOn,
    LangOption,
    MaxMemoryOption,
    PasswordOption,
    PeriodOption,
    PlanOption,
    RegisterOption,
    TargetsOption,
    TimeoutOption,
    as_bytes,
    h,
    register_paths,
    targets_from,
)
from qbplan.cli.output import chosen_format, kept_output, ready_output, say_input_errors, write_report
from qbplan.cli.progress import progress_bar
from qbplan.defaults import DEFAULT_MAX_FINDINGS, DEFAULT_MAX_UNZIPPED, DEFAULT_TIMEOUT, MAX_MEMORY_MB
from qbplan.error_handler import error_handler
from qbplan.errors import EXIT_CANNOT_RUN, QbplanError
from qbplan.render import Format

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import Targets
    from qbplan.files.inputs import Inputs
    from qbplan.files.output import RunInputs
    from qbplan.history.compare import Prior
    from qbplan.history.location import Location
    from qbplan.history.periods import Period
    from qbplan.model.report import Report

_CHECK_HELP = h(
    "Kiểm tra biểu số liệu, tính tỷ lệ đạt từng chỉ tiêu và in bảng đạt/chưa đạt.\n\n"
    "Mã thoát: 0 đạt tất cả chỉ tiêu; 1 có chỉ tiêu chưa đạt hoặc chưa có số liệu; 2 không chạy được "
    "(tham số, tệp chỉ tiêu, tệp đầu vào hỏng); 3 có dòng số liệu lỗi. Ưu tiên 2 > 3 > 1.",
    "Validate the submissions, compute each indicator's rate and print a pass/fail table.\n\n"
    "Exit codes: 0 all targets met; 1 a target missed or without data; 2 cannot run (usage, targets file, "
    "unreadable input); 3 invalid rows. Precedence 2 > 3 > 1.",
)


@command("check", _CHECK_HELP)
def check_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help=h(
                "Tệp biểu số liệu (.xlsx, .xlsm, .xlsb, .xls, .ods), thư mục (tìm cả thư mục con) "
                "hoặc mẫu như 'nop/*.xlsx'.",
                "Survey workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), folders (searched recursively) or globs "
                "such as 'inbox/*.xlsx'.",
            ),
            show_default=False,
            metavar=h("TỆP", "FILE"),
            # qbplan reports an unreadable file itself (input-permission) and checks the rest.
            readable=False,
        ),
    ],
    targets: TargetsOption = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    fmt: Annotated[
        Optional[Format],
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help=h(
                "Định dạng kết quả (annex: phụ lục báo cáo). xlsx và annex cần --output (hoặc ống |); "
                "các định dạng khác in ra màn hình nếu không có --output. Mặc định: theo đuôi tệp "
                "--output (.xlsx, .html, .json, .csv, .md, .xml), nếu không thì table.",
                "Output format (annex: the annex of a report). xlsx and annex need --output (or a pipe); "
                "the others go to stdout without --output. Default: by the --output file's suffix "
                "(.xlsx, .html, .json, .csv, .md, .xml), else table.",
            ),
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help=h(
                "Ghi kết quả vào tệp (ghi trọn vẹn: tệp tạm rồi đổi tên) thay vì ra màn hình.",
                "Write the result to a file, atomically (a temp file, then rename), instead of stdout.",
            ),
        ),
    ] = None,
    by: Annotated[
        Optional[str],
        typer.Option(
            "--by", help=h("Chia kết quả theo một cột, ví dụ huyen.", "Break results down by a column, e.g. huyen.")
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            case_sensitive=False,
            help=h(
                "Khi nào trả mã 1: fail (có chỉ tiêu chưa đạt hoặc chưa có số liệu), warn (cả cần cố gắng), never.",
                "When to exit 1: fail (a target missed or without data), warn (also warn), never.",
            ),
        ),
    ] = FailOn.fail,  # type: ignore[attr-defined]
    lang: LangOption = DEFAULT_LANG,
    max_findings: Annotated[
        int,
        typer.Option(
            "--max-findings", min=0, help=h("Số lỗi tối đa in ra trong bảng.", "Findings shown in the table.")
        ),
    ] = DEFAULT_MAX_FINDINGS,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help=h("Không hiện thanh tiến độ.", "No progress bar.")),
    ] = False,
    jobs: Annotated[
        Optional[int],
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help=h("Số tiến trình đọc tệp song song. Mặc định: số lõi CPU.", "Files read in parallel. Default: cores."),
        ),
    ] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_unzipped_mb: Annotated[
        int,
        typer.Option(
            "--max-unzipped-mb",
            min=1,
            max=MAX_MEMORY_MB,
            help=h(
                "Dung lượng giải nén tối đa (MB) của một tệp .xlsx/.ods; lớn hơn bị coi là bom nén.",
                "Most MB an .xlsx/.ods may unpack to; more is refused as a zip bomb.",
            ),
        ),
    ] = DEFAULT_MAX_UNZIPPED // MB,
    max_memory_mb: MaxMemoryOption = None,
    password: PasswordOption = None,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom/--no-bom",
            help=h(
                "CSV: ghi dấu BOM UTF-8 ở đầu để Excel trên Windows hiện đúng tiếng Việt.",
                "CSV: start with a UTF-8 byte order mark, so Excel on Windows shows the Vietnamese right.",
            ),
        ),
    ] = True,
    authority: AuthorityOption = "",
    unit: UnitOption = "",
    report_number: ReportNumberOption = "",
    report_date: ReportDateOption = "",
    signer: SignerOption = "",
    sign_off: SignOffOption = True,
    period: PeriodOption = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help=h(
                "Lưu lần chạy này vào cơ sở dữ liệu lịch sử (cần --period).",
                "Save this run in the history database (needs --period).",
            ),
        ),
    ] = False,
    compare: Annotated[
        Optional[str],
        typer.Option(
            "--compare",
            help=h(
                "So với kỳ đã lưu, ví dụ 2024 hoặc 2025-H1: tỷ lệ kỳ trước và thay đổi.",
                "Compare with a saved period, e.g. 2024 or 2025-H1: its rate and the change.",
            ),
            show_default=False,
            metavar=h("KỲ", "PERIOD"),
        ),
    ] = None,
    db: DbOption = None,
) -> int:
    with error_handler(lang.value):
        from qbplan.files.inputs import collect
        from qbplan.files.output import refuse_writing_over_inputs
        from qbplan.read.sniff import Limits
        from qbplan.render import RenderOptions
        from qbplan.render.formats import CHECK
        from qbplan.run.pipeline import CheckOptions, Progress, check

        when, earlier = _periods(period, compare, save)
        chosen = chosen_format(CHECK, fmt.value if fmt is not None else None, output)
        # Every refusal that needs no input comes before the inputs are read: the output, the database.
        ready_output(output, lang.value)
        plan_targets = targets_from(targets, plan)
        where = _database(db) if save or earlier is not None else None
        # Walked once (listed, not read): the files are both what is checked and what nothing may be written over.
        found = collect([str(p) for p in inputs])
        reads = _run_inputs(found, plan_targets, register_paths(register), where)
        refuse_writing_over_inputs(reads, output, saves=save)
        prior = None
        if where is not None:
            from qbplan.history.compare import read_prior
            from qbplan.history.store import ready_store

            if earlier is not None:
                # Reading the period compared with opens the database too: a missing one is said here.
                prior = read_prior(where, earlier, plan_targets.lineage())
            else:
                ready_store(where, create=True)
        options = CheckOptions(
            by=by,
            fail_on=fail_on.value,
            jobs=jobs,
            timeout=timeout,
            max_memory=as_bytes(max_memory_mb),
            limits=Limits(max_unzipped=max_unzipped_mb * MB),
            password=password,
            register=register_paths(register),
            period=when,
            # Each unit's figures: saved with the run, or read against the last period's.
            keep_figures=save or earlier is not None,
        )
        with progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
            report = check(
                found,
                plan_targets,
                options,
                Progress(files_found=progress.start, file_done=progress.advance, merging=progress.merging),
            )
        # Files that could not be used are said on stderr, whatever the format.
        say_input_errors(report, lang.value)
        if where is not None:
            # The store and its database library only when a check is saved or compared.
            report = _over_time(report, when if save else None, prior, where, lang.value, plan_targets)
        if output is None and chosen.name == "table" and report.unreadable_files == len(report.files):
            # Nothing could be read: a table of no_data would only hide the cause.
            return report.exit_code
        if output is not None and report.exit_code == EXIT_CANNOT_RUN:
            # A run that could not run never replaces the earlier report with a page of "no data".
            kept_output(output, lang.value)
            return report.exit_code
        annex = annex_from(
            plan_targets,
            authority=authority,
            unit=unit,
            report_number=report_number,
            report_date=report_date,
            signer=signer,
            sign_off=sign_off,
        )
        render_options = RenderOptions(lang=lang.value, max_findings=max_findings, bom=bom, annex=annex)
        write_report(report, chosen, output, render_options)
        return report.exit_code


def _periods(period: str | None, compare: str | None, save: bool) -> tuple[Period | None, Period | None]:
    """The reporting period and the one to compare with; --save needs a period."""
    from qbplan.history.periods import parse_period

    when = parse_period(period) if period is not None else None
    if save and when is None:
        raise QbplanError("usage-save-needs-period")
    return when, parse_period(compare) if compare is not None else None


def _database(db: str | None) -> Location:
    from qbplan.history.location import db_location

    return db_location(db)


def _run_inputs(
    found: Inputs, plan_targets: Targets, registers: tuple[str, ...] | None, where: Location | None
) -> RunInputs:
    """Every file this check reads: the submissions, the registers, the targets, and the database file when used."""
    from qbplan.files.output import RunInputs
    from qbplan.run.pipeline import register_files

    return RunInputs(
        submissions=found.files,
        registers=register_files(plan_targets, registers),
        targets=plan_targets.path or None,
        # A server is no file a report could be written over.
        database=where if isinstance(where, Path) else None,
    )


def _over_time(
    report: Report, save: Period | None, prior: Prior | None, db: Location, lang: str, targets: Targets
) -> Report:
    """The report beside a saved period (``--compare``, read before the check, its units' figures read against
    this check's by the since_last rules), saved as a run of ``save``."""
    if prior is not None:
        from qbplan.history.compare import beside

        report = beside(report, prior, targets)
    if save is not None:
        from qbplan.cli.saving import save_and_say

        save_and_say(report, save, db, lang)
    return report
