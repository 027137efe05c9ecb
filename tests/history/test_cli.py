"""check --period --save / --compare, history in each format, milestones, and the sample history."""

from __future__ import annotations

import json
import re
import sqlite3
from fractions import Fraction
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from qbplan.cli import app
from tests.helpers import SAMPLES, TARGETS_YAML, agency, write_form

runner = CliRunner()


def _save(db: str | Path, path: Path, period: str, *args: str) -> None:
    result = runner.invoke(app, ["check", str(path), "--period", period, "--save", "--db", str(db), "-q", *args])
    assert result.exit_code in (0, 1, 3), result.output


def test_two_periods_saved_show_in_history_with_the_change(history_db: str) -> None:
    db = history_db
    _save(db, SAMPLES / "survey.xlsx", "2024")
    _save(db, SAMPLES / "survey-compliant.xlsx", "2025")
    table = runner.invoke(app, ["history", "--db", str(db), "-i", "ct07b"])
    assert table.exit_code == 0
    text = table.stdout
    assert "Năm 2024" in text and "Năm 2025" in text and "↑" in text
    doc = json.loads(runner.invoke(app, ["history", "--db", str(db), "-f", "json"]).stdout)
    ct07b = next(s for s in doc["indicators"] if s["id"] == "ct07b")
    a, b = ct07b["points"]
    assert (a["period"], b["period"]) == ("2024", "2025")
    change = (Fraction(b["rate_exact"]) - Fraction(a["rate_exact"])) * 100
    assert Fraction(b["change_pp_exact"]) == change and a["change_pp"] is None
    # Two yearly points only: no projection yet, and the table says why.
    assert ct07b["projection"] is None
    assert "ct07b: chưa dự báo: cần tỷ lệ của ít nhất 3 năm, mới có 2" in text


def test_a_later_run_of_a_period_is_current_and_runs_lists_both(history_db: str) -> None:
    db = history_db
    _save(db, SAMPLES / "survey.xlsx", "2025")
    _save(db, SAMPLES / "survey-compliant.xlsx", "2025")
    doc = json.loads(runner.invoke(app, ["history", "--db", str(db), "-f", "json", "-i", "ct01"]).stdout)
    (ct01,) = doc["indicators"]
    assert [p["run"] for p in ct01["points"]] == [2] and ct01["points"][0]["status"] == "pass"
    runs = json.loads(runner.invoke(app, ["history", "--db", str(db), "--runs", "-f", "json"]).stdout)["runs"]
    assert [(r["id"], r["current"]) for r in runs] == [(1, False), (2, True)]
    import hashlib

    first = runs[0]["files"][0]
    assert first["sha256"] == hashlib.sha256((SAMPLES / "survey.xlsx").read_bytes()).hexdigest()
    assert first["size"] == (SAMPLES / "survey.xlsx").stat().st_size
    assert runs[0]["targets_sha256"] == hashlib.sha256(Path(runs[0]["targets"]).read_bytes()).hexdigest()
    # The argv of this process is pytest's: the command typed is checked in a subprocess below.
    assert runs[0]["command"].split()[0] == "qbplan"


def test_check_compare_puts_the_previous_rate_and_the_change_beside_each_indicator(history_db: str) -> None:
    db = history_db
    _save(db, SAMPLES / "survey.xlsx", "2024")
    args = ["check", str(SAMPLES / "survey-compliant.xlsx"), "--compare", "2024", "--db", str(db), "-q"]
    doc = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert doc["compared_with"] == "2024"
    for ind in doc["indicators"]:
        prev = ind["previous"]
        assert prev["period"] == "2024"
        expected = (Fraction(ind["rate_exact"]) - Fraction(prev["rate_exact"])) * 100
        assert Fraction(prev["change_pp_exact"]) == expected
    table = runner.invoke(app, args).stdout
    assert "Kỳ trước: Năm 2024" in table and "Thay đổi (điểm %)" in table
    markdown = runner.invoke(app, [*args, "-f", "markdown"]).stdout
    assert "| Kỳ trước | Thay đổi \\(điểm %\\) |" in markdown
    html = runner.invoke(app, [*args, "-f", "html"]).stdout
    assert "Kỳ trước" in html


def test_check_compare_in_xlsx_gives_the_previous_rate_and_the_change_as_numbers(
    tmp_path: Path, history_db: str
) -> None:
    db = history_db
    _save(db, SAMPLES / "survey.xlsx", "2024")
    args = ["check", str(SAMPLES / "survey-compliant.xlsx"), "--compare", "2024", "--db", str(db), "-q"]
    doc = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    out = tmp_path / "r.xlsx"
    assert runner.invoke(app, [*args, "-f", "xlsx", "-o", str(out)]).exit_code in (0, 1)
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Mã")
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] in {i["id"] for i in doc["indicators"]}}
    prev_col, change_col = header.index("Kỳ trước"), header.index("Thay đổi (điểm %)")
    assert header.index("Kết quả") == 6  # the result stays in column G, where its colours are
    for ind in doc["indicators"]:
        prev = Fraction(ind["previous"]["rate_exact"])
        change = (Fraction(ind["rate_exact"]) - prev) * 100
        # Shown as the other formats show them: the rate rounded down to 0.1 %, the change
        # to 0.1 point, half away from zero.
        tenths = (abs(change) * 10 + Fraction(1, 2)).__floor__() * (1 if change >= 0 else -1)
        assert rows[ind["id"]][prev_col] == (prev * 1000).__floor__() / 1000
        assert rows[ind["id"]][change_col] == tenths / 10


def test_compare_with_a_period_never_saved_is_exit_2(history_db: str) -> None:
    db = history_db
    _save(db, SAMPLES / "survey.xlsx", "2024")
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--compare", "2023", "--db", str(db), "-q"])
    assert result.exit_code == 2
    # A server is named by its URL without the password.
    shown = re.sub(r":[^:@/]*@", ":***@", db)
    assert (
        result.stderr
        == f"qbplan: {shown}: không có lần chạy nào đã lưu của kỳ 2023 (kế hoạch qd-2972-2017-quang-binh)\n"
    )


def test_save_needs_a_period_and_a_run_that_could_not_read_is_not_saved(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--save", "--db", str(db), "-q"])
    assert result.exit_code == 2 and "--save cần kỳ báo cáo" in result.stderr
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = runner.invoke(app, ["check", str(broken), "--period", "2024", "--save", "--db", str(db), "-q"])
    assert result.exit_code == 2 and "không lưu vào" in result.stderr
    assert not db.exists()
    # With a good file beside it, the report is still written: it says which file could not be used.
    both = [str(SAMPLES / "survey.xlsx"), str(broken)]
    result = runner.invoke(app, ["check", *both, "--period", "2024", "--save", "--db", str(db), "-f", "json"])
    assert result.exit_code == 2 and "không lưu vào" in result.stderr and not db.exists()
    report = json.loads(result.stdout)
    assert report["summary"]["exit_code"] == 2 and len(report["indicators"]) == 14


def test_a_milestone_judges_its_own_year(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    text = TARGETS_YAML.read_text(encoding="utf-8")
    # ct07b: 80 % by 2025, 50 % as the 2023 milestone.
    text = text.replace(
        "    scope: {loai: [ubnd_xa]}\n    target: 80\n",
        "    scope: {loai: [ubnd_xa]}\n    target: 80\n    milestones: {2023: 50}\n",
    )
    assert "milestones" in text
    targets.write_text(text, encoding="utf-8")
    communes = [
        agency(ma_don_vi=f"X{i}", cap="xa", loai="ubnd_xa", huyen="Huyện Minh Hóa", co_trang_ttdt=i < 6)
        for i in range(10)
    ]
    path = write_form(tmp_path / "nop.xlsx", {"co_quan": communes})

    def ct07b(period: str) -> dict[str, object]:
        args = ["check", str(path), "-t", str(targets), "--period", period, "-f", "json"]
        doc = json.loads(runner.invoke(app, args).stdout)
        return next(i for i in doc["indicators"] if i["id"] == "ct07b")

    in_2023, in_2025 = ct07b("2023-H2"), ct07b("2025")
    assert (in_2023["status"], in_2023["target"], in_2023["goal"]) == ("pass", 0.5, "50 %")
    assert (in_2025["status"], in_2025["target"]) == ("fail", 0.8)
    table = runner.invoke(app, ["check", str(path), "-t", str(targets), "--period", "2023"]).stdout
    assert "50 % (mốc 2023)" in table


def test_history_html_draws_each_trend_as_inline_svg_without_script(tmp_path: Path) -> None:
    out = tmp_path / "lich-su.html"
    result = runner.invoke(app, ["history", "--db", str(SAMPLES / "history.db"), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 14 and page.count('class="rate"') == 14 and page.count('class="target"') == 14
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "không phải cam kết" in page


def test_history_csv_and_xlsx(tmp_path: Path) -> None:
    import csv
    import io

    text = runner.invoke(app, ["history", "--db", str(SAMPLES / "history.db"), "-f", "csv", "-i", "ct07b"]).stdout
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["period"] for r in rows if r["kind"] == "point"] == ["2022", "2023", "2024", "2025"]
    assert [r["kind"] for r in rows][-1] == "projection"
    out = tmp_path / "h.xlsx"
    assert (
        runner.invoke(app, ["history", "--db", str(SAMPLES / "history.db"), "-f", "xlsx", "-o", str(out)]).exit_code
        == 0
    )
    ws = openpyxl.load_workbook(out).active
    assert ws is not None and ws["A5"].value == "Mã" and ws.max_row > 14 * 4


def test_the_sample_history_is_rebuilt_the_same(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_history", SAMPLES / "build_history.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path / "history.db")

    def rows(db: Path) -> list[tuple[object, ...]]:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            out = con.execute("SELECT period, saved_at, command, targets_file, targets_sha256 FROM runs").fetchall()
            out += con.execute("SELECT run_id, path, sha256, size FROM files").fetchall()
            out += con.execute("SELECT run_id, indicator, numerator, denominator, status FROM indicators").fetchall()
            return out
        finally:
            con.close()

    assert rows(tmp_path / "history.db") == rows(SAMPLES / "history.db")


def test_the_sample_history_projects_each_indicator_from_four_years() -> None:
    doc = json.loads(runner.invoke(app, ["history", "--db", str(SAMPLES / "history.db"), "-f", "json"]).stdout)
    assert len(doc["indicators"]) == 14
    for s in doc["indicators"]:
        assert [p["period"] for p in s["points"]] == ["2022", "2023", "2024", "2025"]
        assert s["projection"]["points"] == 4
    ct07b = next(s for s in doc["indicators"] if s["id"] == "ct07b")
    assert not ct07b["projection"]["on_track"] and ct07b["projection"]["reach_year"] > 2025


def test_the_saved_command_is_the_one_typed_without_the_password(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "h.db"
    args = [sys.executable, "-m", "qbplan", "check", str(SAMPLES / "survey.xlsx"), "--period", "2024", "--save"]
    args += ["--db", str(db), "-q", "--password", "bi-mat-123", "-f", "json"]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"qbplan: đã lưu lần chạy #1 (Năm 2024) vào {db}\n"
    (command,) = sqlite3.connect(db).execute("SELECT command FROM runs").fetchone()
    assert (
        command == f"qbplan check {SAMPLES / 'survey.xlsx'} --period 2024 --save --db {db} -q --password '***' -f json"
    )
    assert "bi-mat-123" not in db.read_bytes().decode("latin-1")


def test_the_history_table_fits_80_columns_and_keeps_every_value_whole() -> None:
    import io

    from qbplan.config.targets import load_targets
    from qbplan.history.store import open_store
    from qbplan.history.trend import build_series
    from qbplan.render.history import history_view
    from qbplan.render.history.table import render_table

    targets = load_targets(TARGETS_YAML)
    store = open_store(SAMPLES / "history.db", create=False)
    try:
        series = build_series(store.current(targets.plan.id), targets)
    finally:
        store.close()
    for width in (80, 120):
        out = io.StringIO()
        render_table(history_view(series, [], "vi", targets.plan.title_vi, "h.db"), out, width=width)
        lines = out.getvalue().splitlines()
        assert max(len(line) for line in lines) <= width
        assert sum("Năm 2025" in line for line in lines) == 14  # never "Năm / 2025" or "Năm 20…"
        assert ("Lần chạy" in out.getvalue()) == (width >= 100)
