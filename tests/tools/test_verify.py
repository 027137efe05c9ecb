"""verify: a province's annex checked against the submissions, claim by claim."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.render.annex import HEADER_ROW
from tests.helpers import SAMPLES


def _rows(ws: object) -> dict[str, int]:
    """Each indicator row of the annex by its title (the rows whose STT is a number)."""
    return {
        str(ws.cell(r, 2).value): r
        for r in range(HEADER_ROW + 1, HEADER_ROW + 25)
        if isinstance(ws.cell(r, 1).value, int)
    }  # type: ignore[attr-defined]


def _annex(tmp_path: Path) -> Path:
    out = tmp_path / "phu-luc.xlsx"
    assert (
        CliRunner().invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "annex", "-o", str(out)]).exit_code == 1
    )
    return out


def test_the_annex_qbplan_writes_verifies_clean(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["verify", str(_annex(tmp_path)), str(SAMPLES / "survey.xlsx"), "-f", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and not [e for e in doc["errors"] if e["code"].startswith("annex-")]
    # The annex is named, and its claims counted: one per indicator of the plan.
    annex = str(tmp_path / "phu-luc.xlsx")
    assert doc["annex"] == {"file": annex, "claims_checked": 14, "wrong": 0, "matches": True}


def test_a_passing_verify_says_the_annex_matches_not_only_the_checks_words(tmp_path: Path) -> None:
    annex = _annex(tmp_path)
    result = CliRunner().invoke(app, ["verify", str(annex), str(SAMPLES / "survey.xlsx")], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    assert f"PHỤ LỤC KHỚP SỐ LIỆU: {annex}, 14 chỉ tiêu đã đối chiếu, không có sai lệch. Số liệu:" in result.stdout


def test_a_planted_wrong_claim_and_a_wrong_verdict_are_found_at_their_cells(tmp_path: Path) -> None:
    path = _annex(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = _rows(ws)
    ct02b = next(r for t, r in rows.items() if t.startswith("Viên chức"))
    ct07b = next(r for t, r in rows.items() if t.startswith("UBND cấp xã"))
    ws.cell(ct02b, 5).value = "85,0 %"  # the data gives 81,8 %
    ws.cell(ct07b, 7).value = "Đạt"  # 70,1 % against 80 %: not met
    extra = max(rows.values()) + 1
    ws.insert_rows(extra)
    ws.cell(extra, 2).value = "Chỉ tiêu không có trong kế hoạch"
    ws.cell(extra, 5).value = "50 %"
    wb.save(path)
    result = CliRunner().invoke(app, ["verify", str(path), str(SAMPLES / "survey.xlsx"), "-f", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    found = [(e["code"], e["cell"], e["params"].get("indicator")) for e in doc["errors"]]
    assert found == [
        ("annex-wrong-rate", f"E{ct02b}", "ct02b"),
        ("annex-wrong-verdict", f"G{ct07b}", "ct07b"),
        ("annex-unknown-indicator", f"B{extra}", None),
    ]
    wrong = doc["errors"][0]
    assert "85,0 %" in wrong["message"] and "81,8 %" in wrong["message"]
    assert "CHƯA ĐẠT" in doc["errors"][1]["message"]
    # The process exits as the report's summary says, in every format.
    assert doc["summary"]["exit_code"] == 1
    assert (doc["annex"]["wrong"], doc["annex"]["matches"]) == (3, False)


def test_rounding_to_the_annexs_own_decimals_is_accepted(tmp_path: Path) -> None:
    path = _annex(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    row = next(r for t, r in _rows(ws).items() if t.startswith("Viên chức"))
    ws.cell(row, 5).value = "1.147/1.401 (82 %)"  # 81,87 % rounded half up to no decimals
    wb.save(path)
    result = CliRunner().invoke(app, ["verify", str(path), str(SAMPLES / "survey.xlsx")])
    assert result.exit_code == 0, result.output


def test_a_hostile_annex_is_refused_in_one_line_not_a_crash() -> None:
    # A cell at XFD1048576: the annex is read in a bounded worker, like any input.
    annex = Path(__file__).parents[1] / "corpus" / "files" / "stray-cell-xfd1048576.xlsx"
    result = CliRunner().invoke(app, ["verify", str(annex), str(SAMPLES / "survey.xlsx"), "--max-memory-mb", "1024"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    # Under the memory limit the read fails, and the one line says which limit it met.
    assert len(lines) == 1 and "stray-cell-xfd1048576.xlsx: " in lines[0] and "--max-memory-mb 1024" in lines[0]


def test_a_missing_annex_is_said_as_missing(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "khong-co.xlsx"), str(SAMPLES / "survey.xlsx")])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == f"qbplan: {tmp_path / 'khong-co.xlsx'}: không tìm thấy tệp"


def test_an_annex_saying_incomplete_is_checked_against_the_register(tmp_path: Path) -> None:
    inbox, register = str(SAMPLES / "thieu-don-vi"), str(SAMPLES / "danh-muc.xlsx")
    out = tmp_path / "phu-luc.xlsx"
    made = CliRunner().invoke(app, ["check", inbox, "-r", register, "-f", "annex", "-o", str(out)])
    assert made.exit_code == 1
    ws = openpyxl.load_workbook(out).active
    said = {ind: ws.cell(r, 7).value for ind, r in _rows(ws).items()}
    assert list(said.values()).count("Chưa đủ số liệu") == 7
    # Two sum-mode indicators of 100 % are missed by the units that reported: no missing unit can lift them.
    report = json.loads(CliRunner().invoke(app, ["check", inbox, "-r", register, "-f", "json"]).stdout)
    proven = [
        i["title"]
        for i in report["indicators"]
        if i["mode"] == "sum" and i["coverage"]["missing"] and i["goal"] == "100 %" and i["status"] == "fail"
    ]
    assert len(proven) == 2 and all(said[title] == "Chưa đạt" for title in proven)
    same = CliRunner().invoke(app, ["verify", str(out), inbox, "-r", register, "-f", "json"])
    assert same.exit_code == 0, same.stdout
    # Without the register the data decides each of them: "Chưa đủ số liệu" is then a wrong verdict.
    alone = CliRunner().invoke(app, ["verify", str(out), inbox, "-f", "json"])
    wrong = [e for e in json.loads(alone.stdout)["errors"] if e["code"] == "annex-wrong-verdict"]
    assert alone.exit_code == 1 and {e["params"]["said"] for e in wrong} >= {"Chưa đủ số liệu"}


@pytest.mark.parametrize(
    "variant",
    ["plain", "period", "compare", "register", "two-tier", "no-sign-off"],
)
def test_verify_reads_back_every_annex_qbplan_writes(tmp_path: Path, variant: str) -> None:
    """The round trip: each kind of annex qbplan writes verifies clean against the data it came from."""
    inputs, extra = [str(SAMPLES / "survey.xlsx")], []
    if variant == "period":
        extra = ["--period", "2024-H1"]
    elif variant == "compare":
        db = tmp_path / "h.db"
        saved = CliRunner().invoke(app, ["check", *inputs, "--period", "2024", "--save", "--db", str(db), "-q"])
        assert saved.exit_code == 1
        extra = ["--period", "2025", "--compare", "2024", "--db", str(db)]
    elif variant == "register":
        inputs, extra = [str(SAMPLES / "thieu-don-vi")], ["-r", str(SAMPLES / "danh-muc.xlsx")]
    elif variant == "two-tier":
        inputs, extra = [str(SAMPLES / "hai-cap")], ["--plan", "qd-2972-2017-hai-cap"]
    elif variant == "no-sign-off":
        extra = ["--no-sign-off"]
    out = tmp_path / "phu-luc.xlsx"
    made = CliRunner().invoke(app, ["check", *inputs, *extra, "-f", "annex", "-o", str(out)])
    assert made.exit_code in (0, 1), made.output
    keep = [a for a in extra if a not in ("--no-sign-off",)]
    # verify takes the register, the plan and the period; not --compare, --db or --no-sign-off.
    wanted = ("-r", "--plan", "--period")
    keep = [a for i, a in enumerate(keep) if a in wanted or (i and keep[i - 1] in wanted)]
    result = CliRunner().invoke(app, ["verify", str(out), *inputs, *keep, "-f", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 == doc["summary"]["exit_code"], [e["message"] for e in doc["errors"]]


def test_an_annex_of_a_milestone_year_verifies_with_its_period(tmp_path: Path) -> None:
    """ct07b's 2023 milestone is 50 %: the annex of 2023 says "50 % (mốc 2023)" and "Đạt" at 70,1 %."""
    from tests.helpers import TARGETS_YAML

    targets = tmp_path / "targets.yaml"
    text = TARGETS_YAML.read_text(encoding="utf-8")
    milestone = "    scope: {loai: [ubnd_xa]}\n    target: 80\n"
    assert milestone in text
    targets.write_text(text.replace(milestone, milestone + "    milestones: {2023: 50}\n"), encoding="utf-8")
    survey, out = str(SAMPLES / "survey.xlsx"), tmp_path / "phu-luc.xlsx"
    args = ["check", survey, "-t", str(targets), "--period", "2023", "-f", "annex", "-o", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 1
    ws = openpyxl.load_workbook(out).active
    row = next(r for t, r in _rows(ws).items() if t.startswith("UBND cấp xã"))
    assert ws.cell(row, 4).value == "50 % (mốc 2023)" and ws.cell(row, 7).value == "Vượt"
    same = CliRunner().invoke(app, ["verify", str(out), survey, "-t", str(targets), "--period", "2023"])
    assert same.exit_code == 0, same.output
    # Without the period the final target (80 %) judges it: the annex's target and verdict are then wrong.
    alone = CliRunner().invoke(app, ["verify", str(out), survey, "-t", str(targets), "-f", "json"])
    codes = {e["code"] for e in json.loads(alone.stdout)["errors"]}
    assert alone.exit_code == 1 and {"annex-wrong-goal", "annex-wrong-verdict"} <= codes


def test_reading_the_claims_is_bounded_by_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from qbplan.tools import verify as verify_module

    out = tmp_path / "phu-luc.xlsx"
    assert (
        CliRunner().invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "annex", "-o", str(out)]).exit_code == 1
    )

    def slow(*_args: object) -> list[object]:
        time.sleep(60)  # claims that take forever to parse
        return []

    monkeypatch.setattr(verify_module, "_claims", slow)
    start = time.monotonic()
    args = ["verify", str(out), str(SAMPLES / "survey.xlsx"), "--timeout", "2", "--lang", "en"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "longer than 2 seconds" in result.stderr
    assert time.monotonic() - start < 30
