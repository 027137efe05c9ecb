"""Who reported, in every format: the sample inbox against the sample register."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest

from qbplan.config.targets import Targets
from qbplan.model.report import Report
from qbplan.render import RenderOptions, get_renderer, is_binary
from qbplan.run.pipeline import CheckOptions, check
from tests.helpers import SAMPLES


@pytest.fixture(scope="module")
def report(targets: Targets) -> Report:
    options = CheckOptions(register=(str(SAMPLES / "danh-muc.xlsx"),), jobs=1)
    return check([str(SAMPLES / "thieu-don-vi")], targets, options)


def _text(report: Report, fmt: str, lang: str = "vi", **kwargs: object) -> str:
    out = io.StringIO()
    get_renderer(fmt)(report, out, RenderOptions(lang=lang, color=False, width=120, **kwargs))  # type: ignore[arg-type]
    return out.getvalue()


def _workbook(report: Report, fmt: str, tmp_path: Path) -> openpyxl.Workbook:
    assert is_binary(fmt)
    path = tmp_path / f"{fmt}.xlsx"
    with open(path, "wb") as fh:
        get_renderer(fmt)(report, fh, RenderOptions())
    return openpyxl.load_workbook(path)


def test_the_sample_misses_a_department_a_district_and_a_database(report: Report) -> None:
    by_sheet = {c.sheet: c for c in report.completeness}
    assert [u.name for u in by_sheet["co_quan"].missing][:2] == ["Sở Du lịch", "UBND Lệ Thủy"]
    assert {u.group for u in by_sheet["co_quan"].missing[1:]} == {"Huyện Lệ Thủy"}
    assert [u.key for u in by_sheet["csdl"].missing] == ["CSDL25"]
    assert by_sheet["phan_mem"].missing == ()


def test_table(report: Report) -> None:
    text = _text(report, "table", max_findings=5)
    assert "Cơ quan, đơn vị: 164/192 đơn vị trong danh mục đã nộp; thiếu 28; 0 đơn vị không có trong danh mục" in text
    assert "Sở Du lịch" in text and "Cấp tỉnh" in text  # a province-level unit's blank district
    assert "… và 23 mục khác" in text  # 28 missing, 5 shown
    assert "ct07b: 90–116/154; thiếu 26/154 đơn vị trong danh mục chưa có số liệu hợp lệ" in text
    # 9 indicators lack units; ct02a and ct10 (sum, 100 %) are missed whatever those units send.
    assert "CHƯA ĐỦ SỐ LIỆU" in text and "7 chưa đủ số liệu" in text
    assert "Danh mục đơn vị báo cáo: " in text


def test_table_in_english(report: Report) -> None:
    text = _text(report, "table", lang="en")
    assert "Co quan" not in text and "Reporting units" in text and "INCOMPLETE" in text
    assert "ct07b: 90–116/154; 26 of 154 registered units have no valid row" in text


def test_json_completeness_list(report: Report) -> None:
    doc = json.loads(_text(report, "json"))
    assert doc["register"] == [str(SAMPLES / "danh-muc.xlsx")]
    first = doc["completeness"][0]
    assert set(first) == {"sheet", "register", "expected", "submitted", "missing", "unknown"}
    assert first["missing"][0] == {"key": "T014", "name": "Sở Du lịch", "group": None}
    ct07b = next(i for i in doc["indicators"] if i["id"] == "ct07b")
    assert ct07b["coverage"] == {"expected": 154, "reported": 128, "missing": 26}
    assert (ct07b["bounds"]["low_exact"], ct07b["bounds"]["high_exact"]) == ("90/154", "116/154")
    assert doc["summary"]["exit_code"] == 1


def test_markdown(report: Report) -> None:
    text = _text(report, "markdown")
    assert "### Đơn vị báo cáo" in text and "| Cấp tỉnh | T014 | Sở Du lịch |" in text
    assert "| Đã báo cáo |" in text and "| 128/154 |" in text


def test_html(report: Report) -> None:
    text = _text(report, "html")
    assert "<h2>Đơn vị báo cáo</h2>" in text and "<td>Sở Du lịch</td>" in text
    assert "<td>CSDL25</td>" in text and "#8250df" in text  # the incomplete badge


def test_the_html_chart_shows_the_range_the_missing_units_leave(report: Report) -> None:
    page = _text(report, "html")
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])
    ns = "{http://www.w3.org/2000/svg}"
    rects = [r for r in svg.iter(f"{ns}rect") if r.get("class") == "bar"]
    texts = [t.text or "" for t in svg.iter(f"{ns}text")]
    label_w, bar_w = 70, 760
    for ind in report.indicators:
        mine = [r for r in rects if (r.findtext(f"{ns}title") or "").startswith(ind.title_vi + ":")]
        widths = [float(r.get("width", "")) for r in mine]
        if ind.mode == "count" and ind.missing:
            # Solid as if every missing unit answered no, paler on as if every one answered yes.
            low, high = (
                ind.numerator / (ind.denominator + ind.missing),
                (ind.numerator + ind.missing) / (ind.denominator + ind.missing),
            )
            assert widths == pytest.approx([bar_w * low, bar_w * (min(high, 1) - low)], abs=0.06), ind.id
            assert float(mine[1].get("x", "")) == pytest.approx(label_w + bar_w * low, abs=0.06)
        else:
            assert widths == pytest.approx([bar_w * min(ind.numerator / ind.denominator, 1)], abs=0.06), ind.id
    # The longest rate ("92,8–100,0 %") fits right of the bars, ~7 px a character.
    longest = max((t for t in texts if t.endswith("%") and "–" in t), key=len)
    assert float(svg.get("viewBox", "").split()[2]) - (label_w + bar_w + 6) >= 7 * len(longest)


def test_csv(report: Report) -> None:
    import csv

    rows = list(csv.DictReader(io.StringIO(_text(report, "csv", bom=False))))
    registers = [r for r in rows if r["kind"] == "register"]
    assert [(r["sheet"], r["expected"], r["submitted"]) for r in registers][:2] == [
        ("co_quan", "192", "164"),
        ("csdl", "25", "24"),
    ]
    missing = [r for r in rows if r["kind"] == "missing"]
    assert len(missing) == 28 + 1 + 26 and missing[0]["id"] == "T014" and missing[0]["title"] == "Sở Du lịch"
    ct07b = next(r for r in rows if r["kind"] == "indicator" and r["id"] == "ct07b")
    assert (ct07b["expected"], ct07b["reported"], ct07b["status"]) == ("154", "128", "fail")


def test_junit(report: Report) -> None:
    root = ET.fromstring(_text(report, "junit"))
    suite = root.find("testsuite[@name='qbplan.completeness']")
    assert suite is not None and suite.get("failures") == "3"  # co_quan, csdl, ho_gia_dinh
    failure = suite.find("testcase[@name='CSDL chuyên ngành']/failure")
    assert failure is not None and "CSDL25" in (failure.text or "")
    incomplete = root.find("testsuite/testcase[@name]/failure[@type='incomplete']")
    assert incomplete is not None


def test_xlsx(report: Report, tmp_path: Path) -> None:
    wb = _workbook(report, "xlsx", tmp_path)
    units = wb["Đơn vị báo cáo"]
    rows = list(units.iter_rows(values_only=True))
    assert rows[0] == ("Trang", "Kết quả", "Nhóm", "Mã", "Tên", "Vị trí")
    assert rows[1][:5] == ("Cơ quan, đơn vị", "Chưa báo cáo", "Cấp tỉnh", "T014", "Sở Du lịch")
    results = wb.worksheets[0]
    header = [c.value for c in results[5]]
    assert header[-2:] == ["Đã báo cáo", "Khoảng tỷ lệ khi còn thiếu đơn vị"]
    # Each column holds one kind of value: the rate a number in every row, the bounds text beside it.
    rate = header.index("Tỷ lệ") + 1
    rows = [r for r in range(6, results.max_row + 1) if str(results.cell(r, 1).value or "").startswith("ct")]
    assert rows and all(isinstance(results.cell(r, rate).value, (int, float, type(None))) for r in rows)
    ct01 = next(r for r in rows if results.cell(r, 1).value == "ct01")
    assert results.cell(ct01, len(header)).value == "75,5–90,1 %"  # 145/192 to 173/192, rounded down
    # Every result word is coloured, VƯỢT too.
    formulas = {f for rng in results.conditional_formatting for rule in rng.rules for f in rule.formula}
    assert {'"VƯỢT"', '"ĐẠT"', '"CHƯA ĐẠT"', '"CHƯA ĐỦ SỐ LIỆU"'} <= formulas
    # The findings and files sheets print like the results: A4 landscape, header repeated.
    for ws in wb.worksheets[1:3]:
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


def test_annex_notes_the_missing_units(report: Report, tmp_path: Path) -> None:
    ws = _workbook(report, "annex", tmp_path).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "Chưa đủ số liệu" in texts
    # In the row's own "Ghi chú" cell.
    assert any(t.startswith("ct01: 145–173/192; thiếu 28/192") for t in texts)


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_the_table_with_bounds_fits_and_never_cuts_a_result_word(report: Report, width: int) -> None:
    out = io.StringIO()
    get_renderer("table")(report, out, RenderOptions(color=False, width=width))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    rows = [line for line in lines if line.lstrip(" │").startswith("ct")]
    for ind in report.indicators:
        (row,) = [r for r in rows if r.lstrip(" │").startswith(ind.id + " ")]
        word = {"fail": "CHƯA ĐẠT", "incomplete": "CHƯA ĐỦ SỐ LIỆU", "pass": "ĐẠT"}[ind.status]
        assert word in row, (width, row)
