"""One way to write every command's result: the format from the suffix, refusals before reading, old files kept."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.cli.output import chosen_format
from qbplan.errors import QbplanError
from qbplan.render.formats import CHECK, HISTORY, RANK
from tests.helpers import SAMPLES

runner = CliRunner()
SURVEY = str(SAMPLES / "survey.xlsx")
SCORING = str(SAMPLES / "cham-diem" / "targets.yaml")


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("command", "exit_code"),
    [
        (["rank", SURVEY, "-t", SCORING, "-o", "{out}"], 0),
        (["history", "--db", str(SAMPLES / "history.db"), "-o", "{out}"], 0),
        (["check", SURVEY, "-o", "{out}"], 1),  # the sample misses targets
    ],
    ids=["rank", "history", "check"],
)
def test_an_xlsx_output_without_a_format_is_a_workbook(command: list[str], exit_code: int, tmp_path: Path) -> None:
    out = tmp_path / "ket-qua.xlsx"
    code, err = _run(*[part.format(out=out) for part in command])
    assert (code, err.splitlines()[-1]) == (exit_code, f"qbplan: đã ghi {out}")
    assert openpyxl.load_workbook(out).sheetnames  # opens as a workbook, not a text table named .xlsx


def test_a_run_that_cannot_run_leaves_the_earlier_report(tmp_path: Path) -> None:
    old = tmp_path / "bao-cao.html"
    old.write_text("báo cáo kỳ trước", encoding="utf-8")
    code, err = _run("check", str(tmp_path / "khong-co.xlsx"), "-o", str(old))
    assert (
        code == 2
        and err.splitlines()[-1] == f"qbplan: không ghi {old}: lần chạy không thực hiện được, tệp cũ giữ nguyên"
    )
    assert old.read_text(encoding="utf-8") == "báo cáo kỳ trước"


def test_a_full_device_is_one_line_in_the_users_language() -> None:
    code, err = _run("check", SURVEY, "-o", "/dev/full")
    assert (code, err) == (2, "qbplan: /dev/full: không ghi được kết quả (đĩa đã đầy); tệp cũ (nếu có) giữ nguyên\n")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["-o", "/khong/co/thu-muc/x.html"], "thư mục chứa tệp kết quả không tồn tại"),
        (["--compare", "2019", "--db", "{tmp}/chua-co.db"], "chưa có cơ sở dữ liệu lịch sử"),
        (["--period", "2025", "--save", "--db", "{tmp}/khong-co/thu-muc.db"], "{tmp}/khong-co/thu-muc.db"),
    ],
    ids=["output-folder", "compare-no-database", "save-no-folder"],
)
def test_refusals_that_need_no_input_come_before_the_inputs_are_read(
    args: list[str], said: str, tmp_path: Path
) -> None:
    # The input does not exist: had it been read first, that is what would be said.
    code, err = _run("check", str(tmp_path / "khong-co.xlsx"), *[a.format(tmp=tmp_path) for a in args])
    assert code == 2 and said.format(tmp=tmp_path) in err and "khong-co.xlsx" not in err


def test_an_unreachable_database_is_said_before_ranking(tmp_path: Path) -> None:
    code, err = _run(
        "rank", str(tmp_path / "khong-co.xlsx"), "-t", SCORING, "--period", "2025", "--save",
        "--db", "postgresql://qbplan:sai@127.0.0.1:1/qbplan",
    )  # fmt: skip
    assert code == 2 and "127.0.0.1" in err and "khong-co.xlsx" not in err


def test_a_binary_format_is_refused_on_a_terminal_and_taken_by_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    import qbplan.cli.output as output

    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    with pytest.raises(QbplanError) as raised:
        chosen_format(RANK, "cards", None)
    assert raised.value.code == "usage-output-required"
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: False)
    assert chosen_format(RANK, "cards", None).binary


@pytest.mark.parametrize(
    ("family", "name", "wanted"),
    [
        (CHECK, "a.xlsx", "xlsx"), (CHECK, "a.xml", "junit"), (CHECK, "a.md", "markdown"), (CHECK, "a.HTM", "html"),
        (HISTORY, "a.html", "html"), (HISTORY, "a.xml", "table"), (RANK, "a.csv", "csv"), (RANK, "a.txt", "table"),
    ],
)  # fmt: skip
def test_the_suffix_picks_the_format_of_each_family(family: object, name: str, wanted: str) -> None:
    assert family.chosen(None, name).name == wanted  # type: ignore[attr-defined]
