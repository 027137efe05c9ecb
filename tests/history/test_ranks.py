"""rank --period --save keeps each unit's score; history --ranks shows them across periods, on each engine."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from qbplan.cli import app
from tests.helpers import SAMPLES, write_form
from tests.tools.test_rank import _plan, _units, reference

runner = CliRunner()


def _ranked(tmp_path: Path, plan: Path, db: str, period: str, seed: int) -> dict[str, Any]:
    rows = _units(seed, 15)
    form = write_form(tmp_path / f"nop-{period}.xlsx", {"co_quan": rows})
    result = runner.invoke(app, ["rank", str(form), "-t", str(plan), "--period", period, "--save", "--db", db,
                                 "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "đã lưu lần chạy" in result.stderr
    return reference(rows, [], yaml.safe_load(plan.read_text(encoding="utf-8")))


def test_each_units_index_and_rank_are_kept_per_period(tmp_path: Path, history_db: str) -> None:
    plan = _plan(tmp_path)
    want = {
        "2024": _ranked(tmp_path, plan, history_db, "2024", 21),
        "2025": _ranked(tmp_path, plan, history_db, "2025", 22),
    }
    # A later check of 2025 (no scores) does not hide 2025's ranking.
    again = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-t", str(plan), "--period", "2025", "--save",
                                "--db", history_db, "-q"])  # fmt: skip
    assert again.exit_code in (0, 1, 3), again.output
    doc = json.loads(
        runner.invoke(app, ["history", "--ranks", "--db", history_db, "-t", str(plan), "-f", "json"]).stdout
    )
    got = {(u["key"], p["period"]): p for u in doc["units"] for p in u["points"]}
    assert set(got) == {(key, period) for period, units in want.items() for key in units}
    for (key, period), point in got.items():
        expected = want[period][key]
        assert Fraction(point["index_exact"]) == expected["index"]
        assert Fraction(point["total_exact"]) == expected["total"]
        assert (point["rank"], point["grade"]["vi"]) == (expected["rank"], expected["grade"])
    table = runner.invoke(app, ["history", "--ranks", "--db", history_db, "-t", str(plan)])
    assert table.exit_code == 0 and "Năm 2024" in table.stdout and "Năm 2025" in table.stdout
    csv_out = runner.invoke(app, ["history", "--ranks", "--db", history_db, "-t", str(plan), "-f", "csv"]).stdout
    assert len(csv_out.splitlines()) == 1 + len(got)


def test_ranks_that_were_never_saved_and_a_grouped_save_are_refused(tmp_path: Path, history_db: str) -> None:
    plan = _plan(tmp_path)
    saved = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-t", str(plan), "--period", "2024", "--save",
                                "--db", history_db, "-q"])  # fmt: skip
    assert saved.exit_code in (0, 1, 3)
    none = runner.invoke(app, ["history", "--ranks", "--db", history_db, "-t", str(plan)])
    assert none.exit_code == 2 and "chưa lưu lần xếp hạng nào của kế hoạch qb-cham-diem-cntt-vi-du" in none.stderr
    grouped = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx"), "-t", str(plan), "--by", "huyen",
                                  "--period", "2024", "--save", "--db", history_db])  # fmt: skip
    assert grouped.exit_code == 2 and "bỏ --by" in grouped.stderr
    html = runner.invoke(app, ["history", "--ranks", "--db", history_db, "-t", str(plan), "-f", "html"])
    assert html.exit_code == 2 and "không phải html" in html.stderr


def test_history_ranks_as_the_readme_shows_it_finds_the_scoring_plans_ranks(history_db: str) -> None:
    """`rank … -t cham-diem/targets.yaml --save`, then `history --ranks` with no -t: the scoring plan's ranks."""
    scoring = str(SAMPLES / "cham-diem" / "targets.yaml")
    saved = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx"), "-t", scoring, "--period", "2025", "--save",
                                "--db", history_db])  # fmt: skip
    assert saved.exit_code == 0, saved.output
    shown = runner.invoke(app, ["history", "--ranks", "--db", history_db, "-f", "json"])
    assert shown.exit_code == 0, shown.output
    assert shown.stderr == (
        "qbplan: xếp hạng đã lưu của kế hoạch qb-cham-diem-cntt-vi-du (kế hoạch duy nhất có xếp hạng trong cơ sở "
        "dữ liệu)\n"
    )
    assert json.loads(shown.stdout)["units"]
    # Naming another plan's targets file is never answered with these ranks: the plans with ranks are said.
    other = runner.invoke(app, ["history", "--ranks", "--db", history_db, "-t", str(SAMPLES.parent / "targets.yaml")])
    assert other.exit_code == 2
    assert f"qb-cham-diem-cntt-vi-du (-t {scoring})" in other.stderr and "Thêm -t" in other.stderr
