"""explain: each agency's gap equals an independent computation."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.errors import QbplanError
from qbplan.tools.explain import explain
from tests.helpers import SAMPLES, agency, write_form


def _need(num: int, den: int, target: Fraction) -> int:
    """Smallest k >= 0 with (num + k) / den >= target, by search: no shared formula."""
    k = 0
    while den and Fraction(num + k, den) < target:
        k += 1
    return k


def test_gaps_match_an_independent_search(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    rows = [
        agency(ma_don_vi="A", huyen="H1", cap="huyen", loai="ubnd_huyen", so_vien_chuc=10, so_vien_chuc_trang_bi=3),
        agency(ma_don_vi="B", huyen="H1", cap="huyen", loai="ubnd_huyen", so_vien_chuc=7, so_vien_chuc_trang_bi=7),
        agency(ma_don_vi="C", huyen="H2", cap="xa", loai="ubnd_xa", so_vien_chuc=9, so_vien_chuc_trang_bi=4),
        agency(ma_don_vi="D", huyen=None, so_vien_chuc=0, so_vien_chuc_trang_bi=0),
    ]
    for row in rows:
        row["so_nguoi_dao_tao_cntt"] = 30
    path = write_form(tmp_path / "s.xlsx", {"co_quan": rows})
    exp = explain("ct02b", [path], targets)
    target = Fraction(70, 100)
    # Largest gap first (A needs 4, C needs 3), then the lowest rate; D has no rate.
    assert [(r.key, r.gap) for r in exp.rows] == [
        ("A", _need(3, 10, target)),
        ("C", _need(4, 9, target)),
        ("B", 0),
        ("D", 0),
    ]
    assert exp.report.errors == []
    assert exp.gap == _need(3 + 7 + 4, 10 + 7 + 9, target)
    groups = {g.group: (g.numerator, g.denominator, g.gap) for g in exp.groups}
    assert groups == {"H1": (10, 17, _need(10, 17, target)), "H2": (4, 9, _need(4, 9, target)), None: (0, 0, 0)}
    assert exp.rows[1].row == 4 and exp.rows[1].sheet == "co_quan" and exp.spec.unit("vi") == "viên chức được trang bị"


def test_count_indicator_scope_and_sample(targets) -> None:  # type: ignore[no-untyped-def]
    exp = explain("ct07b", [SAMPLES / "survey.xlsx"], targets)
    ind = exp.indicator
    assert exp.gap == _need(ind.numerator, ind.denominator, Fraction(80, 100))
    assert all(r.denominator == 1 for r in exp.rows) and len(exp.rows) == ind.denominator
    assert sum(r.gap for r in exp.rows) == ind.denominator - ind.numerator
    assert sum(g.numerator for g in exp.groups) == ind.numerator


def test_unknown_indicator_is_a_usage_error(targets) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QbplanError) as info:
        explain("ct99", [SAMPLES / "survey.xlsx"], targets)
    assert "ct02b" in info.value.message("en")


def test_cli_gap_sentence_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["explain", "ct11", str(SAMPLES / "survey.xlsx"), "--top", "3"])
    assert result.exit_code == 0 and "Theo Huyện, thị xã, thành phố" in result.output  # the label, not the key
    doc = json.loads(runner.invoke(app, ["explain", "ct08", str(SAMPLES / "survey.xlsx"), "-f", "json"]).stdout)
    need = math.ceil(Fraction(70, 100) * doc["denominator"]) - doc["numerator"]
    assert doc["gap"] == max(0, need)
    text = runner.invoke(app, ["explain", "ct08", str(SAMPLES / "survey.xlsx")]).output
    assert f"Cần thêm {doc['gap']:,}".replace(",", ".") in text and "doanh nghiệp giao dịch điện tử" in text


def test_an_unknown_or_absent_by_column_is_a_usage_error_as_in_check() -> None:
    runner = CliRunner()
    unknown = runner.invoke(app, ["explain", "ct02b", str(SAMPLES / "survey.xlsx"), "--by", "xyz"])
    assert unknown.exit_code == 2 and "Chọn một trong" in unknown.output
    absent = runner.invoke(app, ["explain", "ct03", str(SAMPLES / "survey.xlsx"), "--by", "huyen"])
    assert absent.exit_code == 2 and "CSDL chuyên ngành" in absent.output
    # Without --by, a sheet with no district column is simply not grouped.
    assert runner.invoke(app, ["explain", "ct03", str(SAMPLES / "survey.xlsx")]).exit_code == 0
    by_label = runner.invoke(app, ["explain", "ct02b", str(SAMPLES / "survey.xlsx"), "--by", "Cấp", "-f", "json"])
    assert json.loads(by_label.stdout)["by"] == "cap"


def test_explain_with_a_register_lists_the_units_that_did_not_report_first() -> None:
    import math

    import openpyxl

    from tests.helpers import SAMPLES

    args = ["explain", "ct07b", str(SAMPLES / "thieu-don-vi"), "-r", str(SAMPLES / "danh-muc.xlsx")]
    table = CliRunner().invoke(app, [*args, "--top", "3"])
    assert table.exit_code == 0
    text = table.stdout
    assert text.index("Đơn vị trong danh mục chưa có số liệu hợp lệ (26)") < text.index("Theo Huyện")
    assert "… và 23 đơn vị khác" in text
    assert "kể cả 26 đơn vị chưa có số liệu hợp lệ" in " ".join(text.split())  # however the line wraps
    doc = json.loads(CliRunner().invoke(app, [*args, "-f", "json"]).stdout)
    ws = openpyxl.load_workbook(SAMPLES / "danh-muc.xlsx", read_only=True)["Cơ quan, đơn vị"]
    communes = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[3] == "UBND cấp xã"]
    assert [u["key"] for u in doc["missing"]] == [r[0] for r in communes if r[4] == "Huyện Lệ Thủy"]
    assert doc["coverage"] == {"expected": len(communes), "reported": len(communes) - 26}
    # The gap counts every registered commune: a missing one is no e-page until it reports.
    assert doc["gap"] == math.ceil(len(communes) * 8 / 10) - doc["numerator"]


def test_explain_and_by_say_vuot_where_check_does_for_the_same_rate() -> None:
    """ct02b (70 %, no stretch level): met and beyond is VƯỢT in check, in explain and in --by, recomputed here."""
    runner = CliRunner()
    survey = str(SAMPLES / "survey.xlsx")
    doc = json.loads(runner.invoke(app, ["explain", "ct02b", survey, "-f", "json"]).stdout)
    target = Fraction(70, 100)

    def beyond(num: int, den: int) -> bool:
        return den > 0 and Fraction(num, den) > target

    assert doc["exceeded"] is beyond(doc["numerator"], doc["denominator"]) is True
    for part in (*doc["groups"], *doc["rows"]):
        assert part["exceeded"] is beyond(part["numerator"], part["denominator"]), part
    checked = json.loads(runner.invoke(app, ["check", survey, "--by", "huyen", "-f", "json"]).stdout)
    ct02b = next(i for i in checked["indicators"] if i["id"] == "ct02b")
    assert ct02b["exceeded"] is True
    by_check = {g["group"]: (g["status"], g["exceeded"]) for g in ct02b["breakdown"]}
    by_explain = {g["group"]: (g["status"], g["exceeded"]) for g in doc["groups"]}
    assert by_check == by_explain
    text = runner.invoke(app, ["explain", "ct02b", survey], env={"COLUMNS": "200"}).output
    assert text.splitlines()[0].endswith("— VƯỢT")
