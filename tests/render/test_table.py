"""The Rich table renderer prints what the report holds, nothing more."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest

from qbplan.model.findings import Finding
from qbplan.model.report import FileSummary, GroupResult, Report
from qbplan.render import RenderOptions, get_renderer
from tests.helpers import SAMPLES, indicator_result


def _report(errors: int = 0) -> Report:
    ind = indicator_result(
        id="ct02b",
        title_vi="Viên chức được trang bị",
        numerator=5439,
        denominator=7770,
        target=Fraction(7, 10),
        goal="70 %",
        status="pass",
        excluded_rows=2,
        breakdown=(GroupResult("Huyện A", 1, 2, "fail"), GroupResult(None, 0, 0, "no_data")),
    )
    errs = [
        Finding(
            code="required",
            severity="error",
            params={"label": f"m{i}"},
            file="f.xlsx",
            sheet="S",
            row=i + 2,
            column="a",
            cell=f"A{i + 2}",
        )
        for i in range(errors)
    ]
    return Report(
        plan_id="p",
        plan_title_vi="QH",
        plan_title_en="QH",
        targets_file="t.yaml",
        indicators=[ind],
        errors=errs,
        warnings=[],
        files=[FileSummary(file="f.xlsx", readable=True, rows_read=3)],
        by="huyen",
    )


def _render(report: Report, **kw: object) -> str:
    out = io.StringIO()
    options = {"color": False, "width": 160, **kw}
    get_renderer("table")(report, out, RenderOptions(**options))  # type: ignore[arg-type]
    return out.getvalue()


def test_vietnamese_numbers_and_status() -> None:
    text = _render(_report())
    assert "70,0 %" in text and "5.439/7.770" in text and "ĐẠT" in text
    assert "Huyện A" in text and "(không ghi)" in text


def test_english() -> None:
    text = _render(_report(), lang="en")
    assert "70.0%" in text and "5,439/7,770" in text and "PASS" in text


def test_findings_are_capped_with_the_total() -> None:
    text = _render(_report(errors=30), max_findings=5)
    assert "'m4'" in text and "'m5'" not in text
    assert "25 mục khác" in text and "(30)" in text
    assert "f.xlsx › S › A2" in text


def test_no_colour_codes_when_colour_is_off() -> None:
    assert "\x1b[" not in _render(_report())


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_result_word_is_never_cut_at_any_width(width: int) -> None:
    from qbplan.config.targets import load_targets
    from qbplan.run.pipeline import CheckOptions, check
    from tests.helpers import SAMPLES, TARGETS_YAML

    report = check([SAMPLES / "survey.xlsx"], load_targets(TARGETS_YAML), CheckOptions(by="huyen"))
    text = _render(report, width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for ind in report.indicators:
        line = next(line for line in lines if line.strip().lstrip("│┃ ").startswith(ind.id + " "))
        words = {"pass": "ĐẠT", "warn": "CẦN CỐ GẮNG", "fail": "CHƯA ĐẠT", "no_data": "KHÔNG CÓ SỐ LIỆU"}
        word = "VƯỢT" if ind.exceeded else words[ind.status]
        assert line.rstrip(" │┃").endswith(word), (width, line)


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_file_names_are_never_cut_mid_word_and_the_table_fits(columns: int) -> None:
    from typer.testing import CliRunner

    from qbplan.cli import app

    files = [str(SAMPLES / "survey.xlsx"), str(SAMPLES / "thieu-don-vi" / "huyen-01.xlsx")]
    result = CliRunner().invoke(app, ["check", *files], env={"COLUMNS": str(columns)})
    lines = result.stdout.splitlines()
    table = lines[next(i for i, ln in enumerate(lines) if ln.startswith("Tệp đã đọc")) :]
    table = table[: next(i for i, ln in enumerate(table) if ln.startswith("└")) + 1]
    assert max(len(ln) for ln in table) <= columns
    cells = [ln.split("│")[1].strip() for ln in table if ln.startswith("│")]
    for name in ("survey.xlsx", "huyen-01.xlsx"):
        assert any(cell.endswith(name) for cell in cells), (name, cells)
