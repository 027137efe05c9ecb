"""The 2025 reorganisation: the two-tier plan follows the old one, and its series runs on across the break."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.config.targets import DEFAULT_PLAN, load_targets, plan_path
from qbplan.render.annex import HEADER_ROW
from tests.helpers import SAMPLES

TWO_TIER = "qd-2972-2017-hai-cap"
OLD = str(SAMPLES / "survey.xlsx")
NEW = str(SAMPLES / "hai-cap")


def _saved_2024(tmp_path: Path) -> Path:
    db = tmp_path / "h.db"
    saved = CliRunner().invoke(app, ["check", OLD, "--period", "2024", "--save", "--db", str(db), "-q"])
    assert saved.exit_code == 1, saved.output
    return db


def test_the_two_tier_plan_follows_the_default_plan() -> None:
    assert load_targets(plan_path(TWO_TIER)).lineage() == (TWO_TIER, DEFAULT_PLAN)
    assert load_targets().lineage() == (DEFAULT_PLAN,)


def test_a_two_tier_2025_run_compares_with_a_saved_2024_default_plan_run(tmp_path: Path) -> None:
    db = _saved_2024(tmp_path)
    args = ["check", NEW, "--plan", TWO_TIER, "--period", "2025", "--compare", "2024", "--db", str(db)]
    result = CliRunner().invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 1, result.output  # the sample misses targets, and says so
    doc = json.loads(result.stdout)
    ct07b = next(i for i in doc["indicators"] if i["id"] == "ct07b")
    # The sample's 2024 figure for ct07b, counted independently from its rows: 108 of 154 communes.
    assert Fraction(ct07b["previous"]["numerator"], ct07b["previous"]["denominator"]) == Fraction(108, 154)
    # The annex shows the previous period and says the series breaks.
    out = tmp_path / "phu-luc.xlsx"
    assert CliRunner().invoke(app, [*args, "-f", "annex", "-o", str(out)]).exit_code == 1
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(HEADER_ROW, 5).value == "Thực hiện kỳ trước"
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any(t == "108/154 (70,1 %) (*)" for t in texts)
    assert any("chuỗi số liệu bị ngắt" in t and DEFAULT_PLAN in t for t in texts)


def test_history_shows_the_series_with_its_break_in_the_table_and_the_svg(tmp_path: Path) -> None:
    db = _saved_2024(tmp_path)
    args = ["check", NEW, "--plan", TWO_TIER, "--period", "2025", "--save", "--db", str(db), "-q"]
    assert CliRunner().invoke(app, args).exit_code == 1
    table = CliRunner().invoke(app, ["history", "--plan", TWO_TIER, "--db", str(db)], env={"COLUMNS": "120"})
    assert table.exit_code == 0, table.output
    assert "Năm 2024" in table.stdout and "Năm 2025 (*)" in table.stdout
    assert "chuỗi bị ngắt" in table.stdout
    html = CliRunner().invoke(app, ["history", "--plan", TWO_TIER, "--db", str(db), "-f", "html"])
    assert html.exit_code == 0 and html.stdout.count('class="break"') == 14
    doc = json.loads(CliRunner().invoke(app, ["history", "--plan", TWO_TIER, "--db", str(db), "-f", "json"]).stdout)
    points = doc["indicators"][0]["points"]
    assert [(p["period"], p["plan_id"], p["break"]) for p in points] == [
        ("2024", DEFAULT_PLAN, False),
        ("2025", TWO_TIER, True),
    ]
    # The old plan's own history is untouched by the new plan's runs.
    old = json.loads(CliRunner().invoke(app, ["history", "--db", str(db), "-f", "json"]).stdout)
    assert [p["period"] for p in old["indicators"][0]["points"]] == ["2024"]


def test_a_merged_department_counts_whole_in_the_old_areas_indicators() -> None:
    from qbplan.run.pipeline import CheckOptions, check

    report = check([NEW], load_targets(plan_path(TWO_TIER)), CheckOptions())
    wb = openpyxl.load_workbook(Path(NEW) / "survey-2025.xlsx", read_only=True)
    ws = wb["Cơ quan, đơn vị"]
    header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "Mã đơn vị")
    rows = [
        dict(zip(header, r, strict=False))
        for r in ws.iter_rows(values_only=True)
        if r and r[0] and str(r[0])[:1] in "SDTX"
    ]
    departments = [r for r in rows if r["Loại cơ quan"] == "Sở, ban, ngành"]
    # ct07a: the departments, all merged ("Toàn tỉnh"), none of them dropped for serving both areas.
    assert departments and all(r["Tỉnh cũ"] == "Toàn tỉnh" for r in departments)
    ct07a = next(i for i in report.indicators if i.id == "ct07a")
    assert ct07a.denominator == len(departments)
    assert ct07a.numerator == sum(1 for r in departments if r["Có trang TTĐT tích hợp Cổng TTĐT tỉnh"] == "Có")
    # ct07b counts the old Quảng Bình area's communes only.
    communes = [r for r in rows if r["Loại cơ quan"] == "UBND cấp xã" and r["Tỉnh cũ"] == "Quảng Bình (cũ)"]
    assert next(i for i in report.indicators if i.id == "ct07b").denominator == len(communes)


def test_the_two_tier_titles_name_no_district_tier_and_the_old_titles_are_aliases() -> None:
    targets = load_targets(plan_path(TWO_TIER))
    for ind in targets.indicators:
        assert "huyện" not in ind.title_vi.lower() and "district" not in ind.title_en.lower(), ind.id
    old = {i.id: i.title_vi for i in load_targets().indicators}
    renamed = {i.id: i for i in targets.indicators if i.title_vi != old[i.id]}
    assert set(renamed) == {"ct04a", "ct07a", "ct09"}
    # An annex written with the decision's own wording still matches.
    assert all(old[k] in ind.aliases for k, ind in renamed.items())


def test_the_break_is_marked_in_the_table_markdown_and_json_not_only_the_annex(tmp_path: Path) -> None:
    db = _saved_2024(tmp_path)
    args = ["check", NEW, "--plan", TWO_TIER, "--period", "2025", "--compare", "2024", "--db", str(db)]
    doc = json.loads(CliRunner().invoke(app, [*args, "-f", "json"]).stdout)
    previous = next(i for i in doc["indicators"] if i["id"] == "ct07b")["previous"]
    assert (previous["plan_id"], previous["break"]) == (DEFAULT_PLAN, True)
    note = f"(*) Kỳ trước (Năm 2024) tính theo kế hoạch {DEFAULT_PLAN}, cơ cấu khác kỳ này: chuỗi số liệu bị ngắt"
    table = CliRunner().invoke(app, args, env={"COLUMNS": "400"}).stdout
    assert "70,1 % (*)" in table and note in table
    markdown = CliRunner().invoke(app, [*args, "-f", "markdown"]).stdout
    escaped = note.replace("(", "\\(").replace(")", "\\)").replace("*", "\\*")
    assert "70,1 % \\(\\*\\)" in markdown and escaped in markdown
    html = CliRunner().invoke(app, [*args, "-f", "html"]).stdout
    assert "70,1 % (*)" in html and note in html
