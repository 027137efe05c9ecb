"""No command writes over a file its run reads: submissions, register, targets, the history database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.config.targets import load_targets
from qbplan.errors import QbplanError
from qbplan.files.output import RunInputs, refuse_writing_over
from qbplan.register.load import load_register
from qbplan.tools.template import unit_file_name
from tests.helpers import SAMPLES, TARGETS_YAML

runner = CliRunner()


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a submission, a register, a targets file and a saved history."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "survey.xlsx", tmp_path / "survey.xlsx")
    shutil.copy(TARGETS_YAML, tmp_path / "plan.yaml")
    shutil.copy(SAMPLES / "danh-muc.xlsx", tmp_path / "reg.xlsx")
    shutil.copy(SAMPLES / "history.db", tmp_path / "h.db")
    return tmp_path


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_each_kind_of_input_is_named_by_its_own_code(tmp_path: Path) -> None:
    for name in ("s.xlsx", "r.xlsx", "t.yaml", "h.db"):
        (tmp_path / name).write_bytes(b"x")
    os.link(tmp_path / "r.xlsx", tmp_path / "hard-link.xlsx")
    reads = RunInputs(
        submissions=(str(tmp_path / "s.xlsx"),),
        registers=(str(tmp_path / "r.xlsx"),),
        targets=str(tmp_path / "t.yaml"),
        database=tmp_path / "h.db",
    )
    expected = {
        "s.xlsx": "usage-output-is-input",
        "r.xlsx": "usage-output-is-register",
        "hard-link.xlsx": "usage-output-is-register",
        "t.yaml": "usage-output-is-targets",
        "h.db": "usage-output-is-database",
        "h.db-wal": "usage-output-is-database",
        "h.db-shm": "usage-output-is-database",
        "h.db-journal": "usage-output-is-database",
    }
    for name, code in expected.items():
        with pytest.raises(QbplanError) as info:
            refuse_writing_over(tmp_path / name, reads)
        assert info.value.code == code, name
    refuse_writing_over(tmp_path / "report.xlsx", reads)  # anything else is fine


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "--db", "h.db", "-o", "h.db", "-f", "json"], "cơ sở dữ liệu lịch sử"),
        (["history", "--db", "h.db", "--targets", "plan.yaml", "-o", "plan.yaml", "-f", "csv"], "tệp chỉ tiêu"),
        (
            ["check", "survey.xlsx", "--period", "2025", "--save", "--db", "h.db", "-o", "h.db", "-f", "json"],
            "cơ sở dữ liệu lịch sử",
        ),
        (["check", "survey.xlsx", "--compare", "2024", "--db", "h.db", "-o", "h.db", "-f", "json"], "lịch sử"),
        (["check", "survey.xlsx", "--register", "reg.xlsx", "-o", "reg.xlsx"], "danh sách đơn vị"),
        (["check", "survey.xlsx", "--targets", "plan.yaml", "-o", "plan.yaml", "-f", "csv"], "tệp chỉ tiêu"),
        (["check", "survey.xlsx", "--period", "2025", "--save", "--db", "survey.xlsx"], "tệp đầu vào"),
        (["check", "survey.xlsx", "--period", "2025", "--save", "--db", "reg.xlsx", "--register", "reg.xlsx"], "danh"),
        (["template", "--register", "reg.xlsx", "-o", "reg.xlsx", "--force"], "danh sách đơn vị"),
        (["template", "--targets", "plan.yaml", "-o", "plan.yaml", "--force"], "tệp chỉ tiêu"),
        (["annotate", "survey.xlsx", "-o", "plan.yaml", "--targets", "plan.yaml", "--force"], "tệp chỉ tiêu"),
        (["annotate", "survey.xlsx", "-o", "survey.xlsx", "--force"], "tệp đầu vào"),
    ],
)
def test_a_command_refuses_to_write_over_what_it_reads_and_changes_nothing(
    run: Path, args: list[str], message: str
) -> None:
    before = _bytes(run)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert _bytes(run) == before


def test_per_unit_forms_never_land_on_the_register(run: Path) -> None:
    """A register kept in the forms' folder under a unit's own file name is refused, not replaced."""
    forms = run / "forms"
    forms.mkdir()
    register = load_register([str(run / "reg.xlsx")], load_targets())
    first = next(iter(register.sheets.values()))
    name = unit_file_name(str(first.units[0].values[first.key]))
    shutil.copy(run / "reg.xlsx", forms / name)
    before = (forms / name).read_bytes()
    result = runner.invoke(app, ["template", "--register", str(forms / name), "--per-unit", "-o", "forms", "--force"])
    assert result.exit_code == 2 and "danh sách đơn vị" in result.stderr
    assert (forms / name).read_bytes() == before


def test_db_memory_is_refused_not_said_saved(run: Path) -> None:
    result = runner.invoke(app, ["check", "survey.xlsx", "--period", "2025", "--save", "--db", ":memory:"])
    assert result.exit_code == 2 and "không giữ lại gì" in result.stderr and "đã lưu" not in result.stderr
    env = runner.invoke(app, ["history"], env={"QBPLAN_DB": ":memory:"})
    assert env.exit_code == 2 and ":memory:" in env.stderr
