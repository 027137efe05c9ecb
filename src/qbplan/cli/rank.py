"""``qbplan rank``: the units graded and ranked by the plan's scoring."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from qbplan.cli.app import command
from qbplan.cli.options import (
    DEFAULT_LANG,
    DbOption,
    InputsArgument,
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
from qbplan.cli.output import chosen_format, emit, ready_output, say_input_errors
from qbplan.defaults import DEFAULT_TIMEOUT
from qbplan.error_handler import error_handler
from qbplan.errors import QbplanError
from qbplan.render.options import RankFormat

_RANK_HELP = h(
    "Chấm điểm và xếp hạng các đơn vị theo bộ tiêu chí trong tệp chỉ tiêu (khối scoring): điểm từng trụ cột, "
    "tổng điểm, chỉ số 0–1, xếp loại, hạng; -f cards: phiếu điểm của từng đơn vị.\n\n"
    "Mã thoát: 0 mọi dòng hợp lệ; 1 có điểm tự chấm trái với số liệu (--self-assessment); 3 có dòng số liệu lỗi "
    "(bị loại, không được tính điểm); 2 không chạy được. Ưu tiên 2 > 3 > 1.",
    "Score and rank the units by the scoring in the targets file (its scoring block): points per pillar, "
    "total, index on 0–1, grade, rank; -f cards: each unit's scorecard.\n\n"
    "Exit codes: 0 every row valid; 1 a self-score the data contradict (--self-assessment); 3 invalid rows "
    "(left out, not scored); 2 cannot run. Precedence 2 > 3 > 1.",
)


@command("rank", _RANK_HELP)
def rank_cmd(
    inputs: InputsArgument,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    by: Annotated[
        Optional[str],
        typer.Option(
            "--by",
            help=h(
                "Xếp hạng theo nhóm của một cột (khóa hoặc tên cột, ví dụ huyen) thay vì từng đơn vị.",
                "Rank the groups of a column (its key or label, e.g. huyen) instead of each unit.",
            ),
            metavar=h("CỘT", "COLUMN"),
        ),
    ] = None,
    register: RegisterOption = None,
    self_assessment: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--self-assessment",
            "-s",
            help=h(
                "Bảng điểm tự đánh giá của đơn vị (cột Mã đơn vị, Tiêu chí, Điểm tự chấm, Tài liệu kiểm chứng); "
                "mỗi điểm tự chấm được đối chiếu với số liệu. Dùng nhiều lần cho nhiều tệp.",
                "A unit's self-assessment (columns Mã đơn vị, Tiêu chí, Điểm tự chấm, Tài liệu kiểm chứng); "
                "each self-score is checked against the data. Repeat for several files.",
            ),
            show_default=False,
            metavar=h("TỆP", "FILE"),
        ),
    ] = None,
    period: PeriodOption = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help=h(
                "Lưu lần chạy và điểm của từng đơn vị vào cơ sở dữ liệu lịch sử (cần --period); "
                "xem lại bằng qbplan history --ranks.",
                "Save the run and each unit's score to the history database (needs --period); "
                "see them with qbplan history --ranks.",
            ),
        ),
    ] = False,
    db: DbOption = None,
    fmt: Annotated[
        Optional[RankFormat],
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help=h(
                "Định dạng kết quả (xlsx và cards cần --output hoặc ống |). Mặc định: theo đuôi tệp --output "
                "(.xlsx, .json, .csv), nếu không thì table.",
                "Output format (xlsx and cards need --output or a pipe). Default: by the --output file's suffix "
                "(.xlsx, .json, .csv), else table.",
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
    password: PasswordOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> int:
    with error_handler(lang.value):
        from qbplan.files.inputs import collect
        from qbplan.files.output import RunInputs, refuse_writing_over_inputs
        from qbplan.history.location import db_location
        from qbplan.history.periods import parse_period
        from qbplan.render import rank as rank_format
        from qbplan.render.formats import RANK
        from qbplan.run.pipeline import CheckOptions, register_files
        from qbplan.tools.rank import rank

        chosen = chosen_format(RANK, fmt.value if fmt is not None else None, output)
        ready_output(output, lang.value)
        if save and period is None:
            raise QbplanError("usage-save-needs-period")
        if save and by is not None:
            raise QbplanError("usage-rank-save-by")
        plan_targets = targets_from(targets, plan)
        where = db_location(db) if save else None
        found = collect([str(p) for p in inputs])  # listed, not read
        reads = RunInputs(
            # A self-assessment is a unit's submission too: nothing is written over it.
            submissions=(*found.files, *map(str, self_assessment or [])),
            registers=register_files(plan_targets, register_paths(register)),
            targets=plan_targets.path or None,
            database=where if isinstance(where, Path) else None,
        )
        refuse_writing_over_inputs(reads, output, saves=save)
        if where is not None:
            from qbplan.history.store import ready_store

            ready_store(where, create=True)  # an unreachable database is said before any file is read
        options = CheckOptions(
            password=password,
            timeout=timeout,
            max_memory=as_bytes(max_memory_mb),
            register=register_paths(register),
            period=parse_period(period) if period else None,
            keep_figures=save,  # each unit's figures saved with the period
        )
        assessments = [str(p) for p in self_assessment or []]
        ranking = rank(found, plan_targets, by=by, options=options, self_assessments=assessments)
        if say_input_errors(ranking.report, lang.value):
            # A unit whose file could not be read would rank as one that sent nothing, at 0 points:
            # no ranking is shown or saved until every file can be read (each is said above).
            return ranking.exit_code
        if where is not None and options.period is not None:
            from qbplan.cli.saving import save_and_say

            save_and_say(ranking.report, options.period, where, lang.value, ranking=ranking)
        view = rank_format.rank_view(ranking, lang.value, cards=chosen.name == "cards")
        emit(lambda out: rank_format.render(view, chosen.name, out), chosen, output, lang.value)
        # Rows left out for errors are not scored, and a self-score the data contradict is wrong: a gate needs to know.
        return ranking.exit_code
