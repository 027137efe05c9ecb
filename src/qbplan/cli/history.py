"""``qbplan history``: saved checks across periods, with a projection."""

from __future__ import annotations

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
from qbplan.cli.output import chosen_format, emit, ready_output
from qbplan.error_handler import error_handler
from qbplan.errors import EXIT_OK, QbplanError
from qbplan.render import HistoryFormat

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import Targets
    from qbplan.history.location import Location
    from qbplan.history.periods import Period
    from qbplan.render.formats import OutputFormat

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
        Optional[HistoryFormat],
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help=h(
                "Định dạng kết quả (xlsx cần --output hoặc ống |). Mặc định: theo đuôi tệp --output "
                "(.xlsx, .html, .json, .csv), nếu không thì table.",
                "Output format (xlsx needs --output or a pipe). Default: by the --output file's suffix "
                "(.xlsx, .html, .json, .csv), else table.",
            ),
        ),
    ] = None,
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
        from qbplan.render.formats import HISTORY, RANK_HISTORY

        given = fmt.value if fmt is not None else None
        if ranks and given is not None and given not in RANK_HISTORY.names():
            raise QbplanError("usage-ranks-format", format=given)
        chosen = chosen_format(RANK_HISTORY if ranks else HISTORY, given, output)
        ready_output(output, lang.value)
        where = db_location(db)
        if output is not None:
            from qbplan.files.output import RunInputs, refuse_writing_over

            database = where if isinstance(where, Path) else None
            refuse_writing_over(output, RunInputs(targets=plan_targets.path or None, database=database))
        if ranks:
            _ranks(where, plan_targets, first, last, chosen, output, lang.value, targets is None and plan is None)
            return EXIT_OK
        found = read_history(where, plan_targets, wanted, first, last, runs=runs)
        title = localized(plan_targets.plan.title_vi, plan_targets.plan.title_en, lang.value)
        view = history_format.history_view(found.series, found.runs, lang.value, title, str(where), with_runs=runs)
        emit(lambda out: history_format.render(view, chosen.name, out), chosen, output, lang.value)
    return EXIT_OK


def _ranks(
    where: Location, targets: Targets, first: Period | None, last: Period | None, fmt: OutputFormat,
    output: Path | None, lang: str, any_plan: bool,
) -> None:  # fmt: skip
    """``--ranks``: each unit's saved index and rank, in a text format.

    With no targets file named (``any_plan``), the one plan the database holds rankings of is shown, and said.
    """
    from qbplan.error_handler import say
    from qbplan.history.ranks import read_rank_history
    from qbplan.i18n import localized, ui
    from qbplan.render.rank.history import render_rank_history

    series, plan_used = read_rank_history(where, targets, first, last, any_plan=any_plan)
    spec = targets.scoring if plan_used == targets.plan.id else None
    title = localized(spec.title_vi, spec.title_en, lang) if spec else plan_used
    if plan_used != targets.plan.id:
        say(ui("history.ranks_of", lang, plan=plan_used))
    emit(lambda out: render_rank_history(series, fmt.name, out, lang, title, str(where)), fmt, output, lang)
