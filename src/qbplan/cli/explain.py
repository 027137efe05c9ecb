"""``qbplan explain``: which agencies pull one indicator down."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from qbplan.cli.app import command
from qbplan.cli.options import (
    DEFAULT_LANG,
    ExplainFormat,
    InputsArgument,
    LangOption,
    MaxMemoryOption,
    PasswordOption,
    PlanOption,
    RegisterOption,
    TargetsOption,
    TimeoutOption,
    as_bytes,
    h,
    register_paths,
    targets_from,
)
from qbplan.cli.output import say_input_errors
from qbplan.defaults import DEFAULT_TIMEOUT
from qbplan.error_handler import error_handler

_EXPLAIN_HELP = h(
    "Chỉ ra các đơn vị kéo một chỉ tiêu xuống: tỷ lệ riêng của từng đơn vị, số còn thiếu "
    "để đạt mục tiêu, và theo huyện.",
    "Show which agencies pull one indicator down: each one's own rate, the gap in units "
    "to reach the target, and the same by district.",
)


@command("explain", _EXPLAIN_HELP)
def explain_cmd(
    indicator: Annotated[
        str,
        typer.Argument(
            help=h("Mã chỉ tiêu, ví dụ ct02b.", "Indicator id, e.g. ct02b."),
            show_default=False,
            metavar=h("MÃ_CHỈ_TIÊU", "INDICATOR"),
        ),
    ],
    inputs: InputsArgument,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    by: Annotated[
        Optional[str],
        typer.Option(
            "--by",
            help=h(
                "Nhóm theo cột (khóa hoặc tên cột). Mặc định: huyện nếu biểu có cột này.",
                "Group by a column (its key or label). Default: the district, when the sheet has it.",
            ),
        ),
    ] = None,
    register: RegisterOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help=h("Số đơn vị in ra.", "How many rows to show."))] = 20,
    fmt: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", case_sensitive=False, help=h("Định dạng kết quả.", "Output format.")),
    ] = ExplainFormat.table,
    lang: LangOption = DEFAULT_LANG,
    password: PasswordOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> int:
    with error_handler(lang.value):
        from qbplan.render import RenderOptions
        from qbplan.render.explain_table import render_json, render_table
        from qbplan.run.pipeline import CheckOptions
        from qbplan.tools.explain import explain

        plan_targets = targets_from(targets, plan)
        options = CheckOptions(
            password=password, timeout=timeout, max_memory=as_bytes(max_memory_mb), register=register_paths(register)
        )
        result = explain(indicator, [str(p) for p in inputs], plan_targets, by=by, options=options)
        say_input_errors(result.report, lang.value)
        if fmt is ExplainFormat.json:
            render_json(result, sys.stdout, RenderOptions(lang=lang.value))
        else:
            render_table(result, sys.stdout, RenderOptions(lang=lang.value), top)
        sys.stdout.flush()
        return result.exit_code
