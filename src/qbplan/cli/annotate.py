"""``qbplan annotate``: a marked copy of a submission, each bad cell red and commented."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from qbplan.cli.app import command
from qbplan.cli.options import (
    DEFAULT_LANG,
    ForceOption,
    LangOption,
    MaxMemoryOption,
    PlanOption,
    TargetsOption,
    TimeoutOption,
    as_bytes,
    h,
    targets_from,
)
from qbplan.cli.output import say_input_errors
from qbplan.defaults import DEFAULT_TIMEOUT
from qbplan.error_handler import error_handler, say
from qbplan.errors import QbplanError

_ANNOTATE_HELP = h(
    "Tạo bản sao của biểu số liệu, tô đỏ và ghi chú từng ô lỗi (tô vàng ô cảnh báo), để gửi lại cơ quan, đơn vị. "
    "Tệp gốc không bị sửa. Chỉ áp dụng cho .xlsx/.xlsm.",
    "Write a copy of a submission with each bad cell filled red and commented (warnings yellow), "
    "to send back to the agency. The original is never modified. .xlsx/.xlsm only.",
)


@command("annotate", _ANNOTATE_HELP)
def annotate_cmd(
    submission: Annotated[
        Path,
        typer.Argument(
            help=h("Tệp biểu số liệu (.xlsx).", "The submission (.xlsx)."),
            show_default=False,
            metavar=h("TỆP", "FILE"),
            # qbplan reports an unreadable file itself (input-permission) and checks the rest.
            readable=False,
        ),
    ],
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help=h(
                "Tệp sẽ tạo. Mặc định: <tên>-danh-dau.xlsx trong thư mục hiện tại.",
                "The file to write. Default: <name>-danh-dau.xlsx in the current folder.",
            ),
        ),
    ] = None,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    force: ForceOption = False,
    lang: LangOption = DEFAULT_LANG,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> int:
    with error_handler(lang.value):
        from qbplan.files.output import RunInputs, atomic_write, refuse_overwrite, refuse_writing_over
        from qbplan.i18n import ui
        from qbplan.run.pipeline import CheckOptions, check, run_bounded

        plan_targets = targets_from(targets, plan)
        target = output or default_output(submission)
        reads = RunInputs(
            submissions=(str(submission),), registers=plan_targets.register_paths(), targets=plan_targets.path or None
        )
        refuse_writing_over(target, reads)
        refuse_overwrite(target, force)
        options = CheckOptions(timeout=timeout, max_memory=as_bytes(max_memory_mb))
        report = check([str(submission)], plan_targets, options)
        if say_input_errors(report, lang.value):
            return report.exit_code  # 2: the file cannot be used
        macros = _annotated_kind(submission, target)
        marked = run_bounded(
            lambda path: _annotated(path, report.errors + report.warnings, lang.value, macros), str(submission), options
        )
        with atomic_write(target, binary=True) as out:
            out.write(marked[1])
        say(ui("annotate.done", lang.value, cells=marked[0], output=target))
        # The file's own verdict: a clean file exits 0 whatever the province's targets.
        return report.validity_exit_code


def default_output(submission: Path) -> Path:
    """``<name>-danh-dau.xlsx`` in the current folder: never beside the submission, in the inbox.

    A marked copy in the inbox would be checked with the next round, as a
    second file of the same agency.
    """
    return Path(f"{submission.stem}-danh-dau{submission.suffix or '.xlsx'}")


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
