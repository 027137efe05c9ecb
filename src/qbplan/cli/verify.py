"""``qbplan verify``: a province's annex against the submissions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qbplan.cli.app import command
from qbplan.cli.options import (
    DEFAULT_LANG,
    ExplainFormat,
    InputsArgument,
    LangOption,
    MaxMemoryOption,
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
from qbplan.cli.output import say_input_errors, write_report
from qbplan.defaults import DEFAULT_TIMEOUT
from qbplan.error_handler import error_handler

_VERIFY_HELP = h(
    "Đối chiếu phụ lục báo cáo của tỉnh (mọi trang) với số liệu: số đếm, tỷ lệ, mục tiêu hoặc đánh giá "
    "sai, ô không đọc được, đánh giá lạ và chỉ tiêu không có dòng nào đều là lỗi tại chỗ của nó. "
    "Mã thoát 1 nếu có lỗi.",
    "Check a province's report annex (every sheet) against the submissions: a wrong count, rate, target "
    "or verdict, a cell that cannot be read, an unknown verdict word and an indicator with no row are "
    "each an error at its place. Exit 1 if there is one.",
)


@command("verify", _VERIFY_HELP)
def verify_cmd(
    annex: Annotated[
        Path,
        typer.Argument(
            help=h("Tệp phụ lục (.xlsx).", "The annex (.xlsx)."),
            show_default=False,
            metavar=h("PHỤ_LỤC", "ANNEX"),
            readable=False,
        ),
    ],
    inputs: InputsArgument,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    period: PeriodOption = None,
    fmt: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", case_sensitive=False, help=h("Định dạng kết quả.", "Output format.")),
    ] = ExplainFormat.table,
    lang: LangOption = DEFAULT_LANG,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> int:
    with error_handler(lang.value):
        from qbplan.history.periods import parse_period
        from qbplan.render import RenderOptions
        from qbplan.run.pipeline import CheckOptions, check
        from qbplan.tools.verify import verified

        plan_targets = targets_from(targets, plan)
        # The annex's period: its year's milestones are the targets it is judged by.
        when = parse_period(period) if period is not None else None
        options = CheckOptions(
            timeout=timeout, max_memory=as_bytes(max_memory_mb), register=register_paths(register), period=when
        )
        report = check([str(p) for p in inputs], plan_targets, options)
        say_input_errors(report, lang.value)
        result = verified(str(annex), report, plan_targets, options)
        from qbplan.render.formats import CHECK

        write_report(result.report, CHECK.get(fmt.value), None, RenderOptions(lang=lang.value, max_findings=100))
        return result.exit_code
