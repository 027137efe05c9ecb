"""A partial round (units of the register missing) is kept with its bounds and shown as check showed it.

On SQLite and PostgreSQL (the ``history_db`` fixture). The trend is fitted through whole years only,
and never through a change of structure.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.history.periods import parse_period
from qbplan.history.store import SavedIndicator
from qbplan.history.trend import changes_of, trend_points
from tests.helpers import SAMPLES

runner = CliRunner()
INBOX = str(SAMPLES / "thieu-don-vi")
REGISTER = str(SAMPLES / "danh-muc.xlsx")


def _saved_partial(db: str) -> dict[str, dict[str, object]]:
    """The inbox with units missing, checked against the register and saved: check's own indicators, by id."""
    args = ["check", INBOX, "-r", REGISTER, "--period", "2025", "--save", "--db", db, "-q", "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output  # incomplete indicators exit 1
    return {i["id"]: i for i in json.loads(result.stdout)["indicators"]}


def test_a_partial_round_is_read_back_with_the_bounds_check_gave(history_db: str) -> None:
    checked = _saved_partial(history_db)
    partial = {k: v for k, v in checked.items() if "bounds" in v}
    assert partial  # the sample leaves units out
    doc = json.loads(runner.invoke(app, ["history", "--db", history_db, "-f", "json"]).stdout)
    for series in doc["indicators"]:
        (point,) = series["points"]
        expected = checked[series["id"]]
        assert point["partial"] is (expected.get("coverage", {}).get("missing", 0) > 0)
        assert point.get("bounds") == expected.get("bounds"), series["id"]
        assert point.get("coverage") == expected.get("coverage"), series["id"]
    # Recomputed from the saved counts: 26 of the 28 units the register expects reported ct07a, all "yes".
    ct07a = next(s for s in doc["indicators"] if s["id"] == "ct07a")["points"][0]
    missing = ct07a["coverage"]["expected"] - ct07a["coverage"]["reported"]
    of = ct07a["denominator"] + missing
    assert (Fraction(ct07a["bounds"]["low_exact"]), Fraction(ct07a["bounds"]["high_exact"])) == (
        Fraction(ct07a["numerator"], of),
        Fraction(ct07a["numerator"] + missing, of),
    )


def test_the_table_shows_both_bounds_as_check_does(history_db: str) -> None:
    _saved_partial(history_db)
    table = runner.invoke(app, ["history", "--db", history_db, "-i", "ct07a"], env={"COLUMNS": "160"}).stdout
    row = next(line for line in table.splitlines() if line.startswith("│ ct07a"))
    cells = [c.strip() for c in row.split("│")[1:-1]]
    assert cells[2:6] == ["92,8–100,0 %", "26–28/28", "100 %", "CHƯA ĐỦ SỐ LIỆU"]


def test_the_chart_draws_a_partial_round_as_a_band_never_a_point_on_the_target(history_db: str, tmp_path: Path) -> None:
    _saved_partial(history_db)
    page = tmp_path / "lich-su.html"
    assert runner.invoke(app, ["history", "--db", history_db, "-i", "ct07a", "-o", str(page)]).exit_code == 0
    svg = page.read_text(encoding="utf-8")
    assert re.search(r'<rect class="partial"[^>]*><title>Năm 2025: 92,8–100,0 %', svg)
    assert "<circle cx" not in svg  # no point drawn for it, on the target or anywhere


def _point(year: int, num: int, den: int, plan: str = "p", expected: int | None = None) -> SavedIndicator:
    return SavedIndicator(
        run_id=year, period=parse_period(str(year)), indicator="x", title_vi="x", title_en="x", mode="count",
        numerator=num, denominator=den, target=Fraction(1), status="fail", exceeded=False, deadline=2030,
        coverage_expected=expected, coverage_reported=den if expected is not None else None, plan_id=plan,
    )  # fmt: skip


def test_the_trend_leaves_out_partial_years_and_starts_after_a_break() -> None:
    rows = [_point(2021, 5, 10, "old"), _point(2022, 6, 10), _point(2023, 7, 10), _point(2024, 9, 10, expected=12)]
    assert trend_points(rows) == [(2022, Fraction(6, 10)), (2023, Fraction(7, 10))]
    # No change is computed to or from a partial year: its rate is only a bound.
    assert changes_of(rows)[-1] is None and changes_of(rows)[2] == Fraction(10)
