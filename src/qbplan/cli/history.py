"""``qbplan history``: saved checks across periods, with a projection."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from qbplan.cli.app import command
from qbplan.cli.options import (
    DEFAULT_LANG,
    DbOption,
    LangOption,
    PlanOption,
    TargetsOption,
    h,
    targets_from,
)
from qbplan.cli.output import refuse_bytes_to_stdout
from qbplan.error_handler import error_handler
from qbplan.errors import EXIT_OK
from qbplan.render import HistoryFormat, is_binary

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import Targets
    from qbplan.history.location import Location
    from qbplan.history.periods import Period
    from qbplan.render.history import HistoryView

_HISTORY_HELP = h(
    "Lịch sử các lần kiểm tra đã lưu (check --period KỲ --save): tỷ lệ từng chỉ tiêu qua các kỳ, thay đổi so với "
    "kỳ trước, và dự báo năm đạt mục tiêu theo đường thẳng. --runs liệt kê mọi lần chạy với mã băm tệp.",
    "The history of saved checks (check --period PERIOD --save): each indicator's rate across periods, the change "
    "since the previous one, and a straight-line projection of the year its target is reached. --runs lists "
    "every run with its file hashes.",
)


@command("history", _HISTORY_HELP)
def history_cmd(
    db: DbOption = None,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    indicator: Annotated[
        Optional[str],
        typer.Option("--indicator", "-i", help=h("Chỉ một chỉ tiêu, ví dụ ct07b.", "One indicator only, e.g. ct07b.")),
    ] = None,
    start: Annotated[
        Optional[str],
        typer.Option(
            "--from",
            help=h("Từ kỳ (kể cả), ví dụ 2022.", "From this period on, e.g. 2022."),
            metavar=h("KỲ", "PERIOD"),
        ),
    ] = None,
    end: Annotated[
        Optional[str],
        typer.Option("--to", help=h("Đến kỳ (kể cả).", "Up to this period."), metavar=h("KỲ", "PERIOD")),
    ] = None,
    runs: Annotated[
        bool,
        typer.Option(
            "--runs",
            help=h(
                "Liệt kê mọi lần chạy: thời điểm, phiên bản, tệp chỉ tiêu và các tệp với SHA-256, lệnh đã chạy.",
                "List every run: when, which version, the targets file and the files with their SHA-256, the command.",
            ),
        ),
    ] = False,
    ranks: Annotated[
        bool,
        typer.Option(
            "--ranks",
            help=h(
                "Chỉ số và hạng của từng đơn vị qua các kỳ (đã lưu bằng qbplan rank --period KỲ --save).",
                "Each unit's index and rank across periods (saved by qbplan rank --period PERIOD --save).",
            ),
        ),
    ] = False,
    fmt: Annotated[
        HistoryFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help=h("Định dạng kết quả (xlsx cần --output).", "Output format (xlsx needs --output)."),
        ),
    ] = HistoryFormat.table,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o", help=h("Ghi vào tệp thay vì ra màn hình.", "Write to a file instead of stdout.")
        ),
    ] = None,
    lang: LangOption = DEFAULT_LANG,
) -> int:
    with error_handler(lang.value):
        from qbplan.history.location import db_location
        from qbplan.history.periods import parse_period
        from qbplan.history.trend import read_history
        from qbplan.i18n import localized
        from qbplan.render import history as history_format
        from qbplan.run.pipeline import indicator_named

        plan_targets = targets_from(targets, plan)
        first, last = (parse_period(start) if start else None), (parse_period(end) if end else None)
        wanted = indicator_named(plan_targets, indicator).id if indicator else None
        refuse_bytes_to_stdout(fmt.value, is_binary(fmt.value), output)
        where = db_location(db)
        if output is not None:
            from qbplan.files.output import RunInputs, refuse_writing_over

            database = where if isinstance(where, Path) else None
            refuse_writing_over(output, RunInputs(targets=plan_targets.path or None, database=database))
        if ranks:
            _ranks(where, plan_targets, first, last, fmt.value, output, lang.value)
            return EXIT_OK
        found = read_history(where, plan_targets, wanted, first, last, runs=runs)
        title = localized(plan_targets.plan.title_vi, plan_targets.plan.title_en, lang.value)
        view = history_format.history_view(found.series, found.runs, lang.value, title, str(where), with_runs=runs)
        _write_history(view, fmt.value, output)
    return EXIT_OK


def _ranks(
    where: Location, targets: Targets, first: Period | None, last: Period | None, fmt: str, output: Path | None,
    lang: str,
) -> None:  # fmt: skip
    """``--ranks``: each unit's saved index and rank, in a text format."""
    from qbplan.errors import QbplanError
    from qbplan.files.output import atomic_write
    from qbplan.history.ranks import read_rank_history
    from qbplan.i18n import localized
    from qbplan.render.rank.history import RANK_HISTORY_FORMATS, render_rank_history

    if fmt not in RANK_HISTORY_FORMATS:
        raise QbplanError("usage-ranks-format", format=fmt)
    series = read_rank_history(where, targets, first, last)
    spec = targets.scoring
    title = localized(spec.title_vi, spec.title_en, lang) if spec else targets.plan.id
    if output is None:
        render_rank_history(series, fmt, sys.stdout, lang, title, str(where))
        sys.stdout.flush()
        return
    with atomic_write(output) as out:
        render_rank_history(series, fmt, out, lang, title, str(where))


def _write_history(view: HistoryView, fmt: str, output: Path | None) -> None:
    from qbplan.files.output import atomic_write
    from qbplan.render import history as history_format

    if output is None:
        history_format.render(view, fmt, sys.stdout)
        sys.stdout.flush()
        return
    with atomic_write(output, binary=is_binary(fmt)) as out:
        history_format.render(view, fmt, out)
