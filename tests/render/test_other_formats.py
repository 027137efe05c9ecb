"""The csv, markdown, junit, html and xlsx renderers, on one hostile report."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import openpyxl

from qbplan.model.report import Report
from qbplan.render import FORMATS, RenderOptions, get_renderer, is_binary


def _text(fmt: str, report: Report, bom: bool = True) -> str:
    out = io.StringIO()
    get_renderer(fmt)(report, out, RenderOptions(max_findings=50, bom=bom))
    return out.getvalue()


def test_every_format_has_a_renderer_that_writes_the_report(report: Report) -> None:
    from qbplan.render import is_binary

    for fmt in FORMATS:
        out: io.BytesIO | io.StringIO = io.BytesIO() if is_binary(fmt) else io.StringIO()
        get_renderer(fmt)(report, out, RenderOptions(max_findings=50))  # type: ignore[arg-type]
        written = out.getvalue()
        # A workbook is a zip; every text format names the report's first indicator.
        ok = written[:2] == b"PK" if is_binary(fmt) else report.indicators[0].id in str(written)
        assert ok, fmt


def test_csv_is_formula_safe_and_has_indicator_and_file_rows(report: Report) -> None:
    text = _text("csv", report)
    # Excel on Windows needs the byte order mark to read UTF-8.
    assert text.startswith("\ufeffkind,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    # First which targets file and plan gave the results.
    assert (rows[0]["kind"], rows[0]["id"], rows[0]["file"]) == ("plan", "p", "targets.yaml")
    rows = rows[1:]
    # The breakdown (--by) follows its indicator.
    kinds = ["indicator", "group", "group", "indicator", "indicator", "file", "file", "error", "error", "warning"]
    assert [r["kind"] for r in rows] == kinds
    # Every finding at its place, the cell as written (formula-safe) and its sentence.
    error = rows[7]
    assert (error["file"], error["sheet"], error["row"], error["cell"], error["column"], error["code"]) == (
        "a|b.xlsx",
        "co_quan",
        "12",
        "G12",
        "so_cbcc",
        "not-a-number",
    )
    assert error["value"] == "'=1+2" and "không phải số" in error["message"]
    assert (rows[9]["cell"], rows[9]["value"], rows[9]["code"]) == ("G20", "66", "totals-mismatch")
    # A blank district is named by what it means for the column.
    assert [r["group"] for r in rows[1:3]] == ["Lệ Thủy", "Cấp tỉnh"] and rows[1]["rate_exact"] == "3/4"
    assert rows[3]["title"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["rate_exact"] == "7/10" and rows[0]["status"] == "pass" and rows[4]["rate"] == ""
    assert rows[5]["layout_rows"] == "5" and rows[6]["readable"] == "false"
    assert not _text("csv", report, bom=False).startswith("\ufeff")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_markdown_escapes_pipes_and_lists_files_and_findings(report: Report) -> None:
    text = _text("markdown", report)
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    # Every table line has the same number of unescaped pipes as its header
    # (indicators and files 8, breakdown 5, findings 4).
    for line in table_lines:
        assert line.replace("\\|", "").count("|") in (8, 5, 4, 9)
    assert "Lệ Thủy" in text  # the breakdown is in the comment too
    assert "Hạ tầng \\| mạng" in text and "a\\|b.xlsx" in text
    assert "❌ CHƯA ĐẠT" in text and "G12" in text and "totals-mismatch" in text


def test_junit_has_a_case_per_indicator_and_per_file(report: Report) -> None:
    root = ET.fromstring(_text("junit", report))
    indicators, files = root.findall("testsuite")
    cases = {c.get("name", "").split()[0]: c for c in indicators.findall("testcase")}
    assert cases["ct02"].find("failure") is not None and "33,3 %" in cases["ct02"].find("failure").get("message", "")
    assert cases["ct01"].find("failure") is None and cases["ct03"].find("skipped") is not None
    file_cases = {c.get("name"): c for c in files.findall("testcase")}
    assert file_cases["hong.xlsx"].find("error").get("type") == "input-corrupt"
    assert "[not-a-number] a|b.xlsx › co_quan › G12" in file_cases["a|b.xlsx"].find("error").text
    assert root.get("failures") == "1" and root.get("errors") == "2"


def test_junit_fail_on_warn_and_never(report: Report) -> None:
    report.fail_on = "warn"
    root = ET.fromstring(_text("junit", report))
    assert root.get("failures") == "2"  # the fail and the no_data
    report.fail_on = "never"
    assert ET.fromstring(_text("junit", report)).get("failures") == "0"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts = 0
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.scripts += tag == "script"
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.external.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_with_a_chart_breakdown_and_findings(report: Report) -> None:
    page = _text("html", report)
    parser = _Collector()
    parser.feed(page)
    assert parser.scripts == 0 and parser.external == []
    assert parser.tags.count("svg") == 1 and parser.tags.count("rect") == 3 and parser.tags.count("table") >= 4
    text = "".join(parser.text)
    assert "<b>Số</b>" in text  # escaped markup shows as text, never as markup
    assert "Lệ Thủy" in text and "G12" in text and "=1+2" in text and "Quy hoạch <CNTT> | 2025" in text
    assert parser.tags.count("b") == 0


def test_xlsx_reopens_with_no_formula_cells(report: Report) -> None:
    assert is_binary("xlsx")
    out = io.BytesIO()
    get_renderer("xlsx")(report, out, RenderOptions())
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames[3] == "Chi tiết theo Huyện"  # the breakdown, headed by the column's label
    assert [c.value for c in wb["Chi tiết theo Huyện"][3]] == ["ct01", "Cấp tỉnh", "0,0 %", "0/1", "CHƯA ĐẠT"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    results = wb.worksheets[0]
    # A title, the plan, when and with which targets; then the table under its header (row 5).
    assert results["A1"].value == "Kết quả thực hiện chỉ tiêu" and results["A2"].value == "Quy hoạch <CNTT> | 2025"
    assert "targets.yaml" in results["A3"].value and results["A5"].value == "Mã"
    assert results["A6"].value == "ct01" and results["C6"].value == 0.7 and results["B7"].value.startswith("=")
    assert results.conditional_formatting  # status colours
    # One A4 landscape page, the header repeated.
    assert results.page_setup.orientation == "landscape" and results.sheet_properties.pageSetUpPr.fitToPage
    assert results.print_title_rows == "$5:$5"
    findings = wb.worksheets[1]
    assert [c.value for c in findings[2]][1:7] == ["a|b.xlsx", "co_quan", 12, "G12", "so_cbcc", "=1+2"]


def test_xlsx_rates_are_rounded_down_as_everywhere(report: Report) -> None:
    from dataclasses import replace

    # 69.996 % next to a 70 % target that is not met must never read 70.0 %.
    near = replace(report.indicators[0], numerator=69996, denominator=100000, status="fail")
    out = io.BytesIO()
    get_renderer("xlsx")(replace(report, indicators=[near]), out, RenderOptions())
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert ws["C6"].value == 0.699 and ws["C6"].number_format == "0.0%"


def test_html_prints_on_a4_landscape_with_headers_repeated_and_rows_whole(report: Report) -> None:
    page = _text("html", report)
    style = page[page.index("<style>") : page.index("</style>")]
    assert "@page{size:A4 landscape" in style
    printing = style[style.index("@media print") :]
    assert "thead{display:table-header-group}" in printing and "tr,figure,svg{break-inside:avoid}" in printing
    assert page.count("<thead>") == page.count("<table>")  # every table has a header to repeat
