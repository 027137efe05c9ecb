"""verify fails closed: every hand-altered annex is found, and none exits 0."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.render.annex import HEADER_ROW
from qbplan.tools.claims import Count, Percent, read_claim
from tests.helpers import SAMPLES

SURVEY = str(SAMPLES / "survey.xlsx")
# Columns of the annex qbplan writes (without --compare).
STT, TITLE, GOAL, DONE, SHARE, VERDICT = 1, 2, 4, 5, 6, 7


@pytest.fixture(scope="module")
def annex(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("annex") / "phu-luc.xlsx"
    made = CliRunner().invoke(app, ["check", SURVEY, "-f", "annex", "-o", str(out)])
    assert made.exit_code == 1, made.output
    return out


def _row(ws: Any, starts: str) -> int:
    return next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if str(ws.cell(r, TITLE).value).startswith(starts))


def _set(starts: str, col: int, value: object) -> Callable[[Any], None]:
    def change(ws: Any) -> None:
        ws.cell(_row(ws, starts), col).value = value

    return change


def _delete(starts: str) -> Callable[[Any], None]:
    def change(ws: Any) -> None:
        ws.delete_rows(_row(ws, starts))

    return change


def _second_sheet(starts: str, value: str) -> Callable[[Any], None]:
    """The same table again on a second sheet, one claim there false."""

    def change(ws: Any) -> None:
        copy = ws.parent.copy_worksheet(ws)
        copy.cell(_row(copy, starts), DONE).value = value

    return change


CT07B, CT02B, CT11, CT05 = "UBND cấp xã", "Viên chức", "Hộ gia đình", "Phần mềm"
# (name, change, the finding code it must give)
ALTERATIONS: list[tuple[str, Callable[[Any], None], str]] = [
    ("wrong count", _set(CT07B, DONE, "120/154 xã (70,1 %)"), "annex-wrong-count"),
    ("wrong rate beside a true count", _set(CT07B, DONE, "108/154 xã (77,9%)"), "annex-wrong-rate"),
    ("wrong count and rate together", _set(CT07B, DONE, "120/154 xã (77,9%)"), "annex-wrong-count"),
    ("wrong rate alone, decimal point", _set(CT02B, DONE, "85.0%"), "annex-wrong-rate"),
    ("wrong rate as a number", _set(CT02B, DONE, 0.9), "annex-wrong-rate"),
    ("wrong denominator", _set(CT11, DONE, "243.936/300.000 (70,0 %)"), "annex-wrong-count"),
    ("a hedged figure", _set(CT07B, DONE, "khoảng 80%"), "annex-unreadable-claim"),
    ("two figures in one cell", _set(CT07B, DONE, "70,1% (năm 2023: 60%)"), "annex-unreadable-claim"),
    ("a blank claim", _set(CT07B, DONE, None), "annex-missing-claim"),
    ("met said of a miss", _set(CT07B, VERDICT, "Đạt"), "annex-wrong-verdict"),
    ("completed said of a miss", _set(CT07B, VERDICT, "Hoàn thành"), "annex-wrong-verdict"),
    ("met the plan said of a miss", _set(CT05, VERDICT, "Đạt kế hoạch"), "annex-wrong-verdict"),
    ("not met said of a pass", _set(CT11, VERDICT, "Không đạt"), "annex-wrong-verdict"),
    ("exceeded said of a bare pass", _set(CT11, VERDICT, "Đạt và vượt"), "annex-wrong-verdict"),
    ("an unknown verdict word", _set(CT07B, VERDICT, "Tốt"), "annex-unknown-verdict"),
    ("a blank verdict", _set(CT07B, VERDICT, None), "annex-missing-claim"),
    ("a wrong target", _set(CT07B, GOAL, "60 %"), "annex-wrong-goal"),
    ("a wrong share of the target", _set(CT07B, SHARE, "97,5 %"), "annex-wrong-share"),
    ("a deleted row", _delete(CT05), "annex-missing-indicator"),
    ("a paraphrased title", _set(CT07B, TITLE, "Xã có cổng thông tin riêng"), "annex-unknown-indicator"),
    ("a false claim on a second sheet", _second_sheet(CT02B, "99,0 %"), "annex-wrong-rate"),
]


@pytest.mark.parametrize(("name", "change", "code"), ALTERATIONS, ids=[a[0] for a in ALTERATIONS])
def test_every_alteration_is_found_and_never_exits_0(
    annex: Path, tmp_path: Path, name: str, change: Callable[[Any], None], code: str
) -> None:
    wb = openpyxl.load_workbook(annex)
    change(wb.worksheets[0])
    altered = tmp_path / "sua.xlsx"
    wb.save(altered)
    result = CliRunner().invoke(app, ["verify", str(altered), SURVEY, "-f", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 == doc["summary"]["exit_code"], name
    codes = [e["code"] for e in doc["errors"]]
    assert code in codes, (name, codes)
    found = next(e for e in doc["errors"] if e["code"] == code)
    # Each names its place: the file, and a sheet and cell except for a row that is not there.
    assert found["file"] == str(altered)
    if code != "annex-missing-indicator":
        assert found["sheet"] and found["cell"], found


def test_the_untouched_annex_verifies_clean(annex: Path) -> None:
    result = CliRunner().invoke(app, ["verify", str(annex), SURVEY, "-f", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 == doc["summary"]["exit_code"], doc["errors"]


def test_headings_and_titles_as_provinces_write_them_are_read(tmp_path: Path) -> None:
    """A hand-made annex: "Mục tiêu đến năm 2025 (%)", "Kết quả thực hiện đến 30/11/2024", titles led by
    "Tỷ lệ" or the target, and an alias; every indicator given, every claim true."""
    from qbplan.config.targets import load_targets
    from qbplan.run.pipeline import CheckOptions, check

    targets = load_targets()
    report = check([SURVEY], targets, CheckOptions())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Biểu tổng hợp"])
    ws.append(["TT", "Nội dung chỉ tiêu", "ĐVT", "Mục tiêu đến năm 2025 (%)", "Kết quả thực hiện đến 30/11/2024",
               "Tự đánh giá"])  # fmt: skip
    for n, ind in enumerate(report.indicators, start=1):
        exact = ind.rate * 100
        shown = f"{ind.numerator}/{ind.denominator} ({int(exact)},{int(exact * 10) % 10}%)"
        lead = f"{int(ind.target * 100)}% " if n % 2 else "Tỷ lệ "
        title = lead + ind.title_vi[0].lower() + ind.title_vi[1:]
        said = {"pass": "Hoàn thành", "fail": "Chưa hoàn thành"}[ind.status]
        ws.append([n, title, "%", f"{int(ind.target * 100)}", shown, "Đạt và vượt" if ind.exceeded else said])
    path = tmp_path / "tinh.xlsx"
    wb.save(path)
    result = CliRunner().invoke(app, ["verify", str(path), SURVEY, "-f", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, [e["message"] for e in doc["errors"]]


@pytest.mark.parametrize(
    ("cell", "count", "rate"),
    [
        ("108/154 xã", Count(108, None, 154), None),
        ("77,9 %", None, Percent(Fraction(779, 10), None, 1)),
        ("77.9%", None, Percent(Fraction(779, 10), None, 1)),
        ("1.234/2.000 hộ (61,7%)", Count(1234, None, 2000), Percent(Fraction(617, 10), None, 1)),
        ("60–78/78 (76,9–100,0 %)", Count(60, 78, 78), Percent(Fraction(769, 10), Fraction(100), 1)),
        (0.779, None, Percent(Fraction(779, 10), None, 1)),
    ],
)
def test_claims_are_read_exactly(cell: object, count: Count | None, rate: Percent | None) -> None:
    claim = read_claim(cell)
    assert claim.readable and claim.count == count and claim.rate == rate


@pytest.mark.parametrize(
    "cell", ["khoảng 80%", "trên 90 %", "80% (2023: 70%)", "108/154 và 20/25", 1e20, 1e-05, "x" * 300]
)
def test_claims_that_cannot_be_held_to_the_data_are_unreadable(cell: object) -> None:
    assert not read_claim(cell).readable


@pytest.mark.parametrize("cell", ["97 % (mốc 2023)", "97 % (2023 milestone)"])
def test_a_milestone_target_is_read_without_its_year_note(cell: str) -> None:
    from qbplan.tools.claims import read_goal

    claim = read_goal(cell)
    assert claim.readable and claim.rate == Percent(Fraction(97), None, 0)
    assert not read_claim(cell).readable  # as a claim of achievement, the year is a second figure


def _with_formulas(annex: Path, out: Path, formulas: dict[tuple[int, int], tuple[str, float]]) -> None:
    """The annex with cells holding formulas and the values Excel cached for them (15 significant digits)."""
    import re
    import zipfile

    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(annex)
    ws = wb.worksheets[0]
    for (row, col), (formula, _) in formulas.items():
        ws.cell(row, col).value = f"={formula}"
        ws.cell(row, col).number_format = "0.0%"
    wb.save(out)
    with zipfile.ZipFile(out) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for (row, col), (formula, cached) in formulas.items():
        ref = f"{get_column_letter(col)}{row}"
        xml, n = re.subn(
            rf'(<c r="{ref}"[^>]*>)<f>{re.escape(formula)}</f><v\s*/>',
            rf"\g<1><f>{formula}</f><v>{cached!r}</v>",
            xml,
        )
        assert n == 1, ref
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_a_true_claim_stored_as_a_formula_verifies_and_a_false_one_does_not(annex: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(annex)
    ws = wb.worksheets[0]
    row = _row(ws, "Cơ quan, tổ chức")
    done = read_claim(ws.cell(row, DONE).value)
    assert done.count is not None
    n, d = done.count.low, done.count.of
    true_file, false_file = tmp_path / "dung.xlsx", tmp_path / "sai.xlsx"
    # The rate typed as =n/d, and the share of a 100 % target the same formula.
    _with_formulas(annex, true_file, {(row, DONE): (f"{n}/{d}", n / d), (row, SHARE): (f"{n}/{d}", n / d)})
    result = CliRunner().invoke(app, ["verify", str(true_file), SURVEY, "-f", "json"])
    assert result.exit_code == 0, json.loads(result.stdout)["errors"]
    _with_formulas(annex, false_file, {(row, DONE): (f"{n + 1}/{d}", (n + 1) / d)})
    result = CliRunner().invoke(app, ["verify", str(false_file), SURVEY, "-f", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and [e["code"] for e in doc["errors"]] == ["annex-wrong-rate"]
