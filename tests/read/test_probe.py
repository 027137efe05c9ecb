"""The cell audit: error cells, formulas with no saved value and hidden rows, found with a parse only when needed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbplan.read import inflate, probe
from qbplan.read.probe import audit_xlsx_sheet, xlsx_sheet_parts


def _sheet(path: Path, hidden: tuple[int, ...], as_libreoffice: bool) -> Path:
    """30 rows; ``hidden`` ones (1-based) hidden; with LibreOffice's hidden="false" on every other row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 31):
        ws.append([f"Đơn vị {r}", r])
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    wb.save(path)
    if not as_libreoffice:
        return path
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = re.sub(r'<row r="(\d+)"(?![^>]*hidden)', r'<row r="\1" hidden="false" customHeight="false"', xml)
    xml = xml.replace('hidden="1"', 'hidden="true"')
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _audit(path: Path) -> probe.SheetAudit:
    with zipfile.ZipFile(path) as zf:
        return audit_xlsx_sheet(zf, xlsx_sheet_parts(zf)["S"])


@pytest.mark.parametrize("as_libreoffice", [False, True], ids=["excel", "libreoffice"])
def test_hidden_rows_are_found_whether_written_1_or_true(tmp_path: Path, as_libreoffice: bool) -> None:
    path = _sheet(tmp_path / "a.xlsx", hidden=(4, 17), as_libreoffice=as_libreoffice)
    assert _audit(path).hidden_rows == frozenset({3, 16})  # 0-based


def test_libreoffices_hidden_false_on_every_row_does_not_make_the_audit_parse(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = _sheet(tmp_path / "a.xlsx", hidden=(), as_libreoffice=True)
    assert b'hidden="false"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the audit parsed a sheet with nothing to find")

    monkeypatch.setattr(probe.ElementTree, "XMLPullParser", no_parse)
    assert _audit(path) == probe.SheetAudit()


def _written(path: Path, cells: list[tuple[int, int, str]], hidden: set[int], writer: str) -> Path:
    """Cells ("value", "formula", "formula-no-value", "error") at (row, col); ``hidden`` rows and column C hidden."""
    if writer == "openpyxl":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "S"
        for r, c, kind in cells:
            ws.cell(r + 1, c + 1, "=1+1" if kind.startswith("formula") else 7)
        for r in hidden:
            ws.row_dimensions[r + 1].hidden = True
        ws.column_dimensions["C"].hidden = True  # <col hidden="1">: not a row
        wb.save(path)
        return path
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    sheet.set_column(2, 2, None, None, {"hidden": True})
    for r, c, kind in cells:
        if kind == "value":
            sheet.write_string(r, c, "Tổng cộng" if c else "x")
        elif kind == "formula":
            sheet.write_formula(r, c, "=1+1", None, 2)
        elif kind == "formula-no-value":
            sheet.write_formula(r, c, "=1+2", None, "")
        else:
            sheet.write_formula(r, c, "=1/0", None, "#DIV/0!")
    for r in hidden:
        sheet.set_row(r, None, None, {"hidden": True})
    book.close()
    return path


def _whole_parse(path: Path, monkeypatch) -> probe.SheetAudit:  # type: ignore[no-untyped-def]
    def refuse(self: object, stream: object) -> None:
        raise probe._NeedsParse

    with monkeypatch.context() as m:
        m.setattr(probe._Fragments, "audit", refuse)
        return _audit(path)


KINDS = st.sampled_from(["value", "formula", "formula-no-value", "error"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.dictionaries(st.tuples(st.integers(0, 400), st.integers(0, 5)), KINDS, min_size=1, max_size=60),
    hidden=st.sets(st.integers(0, 400), max_size=5),
    writer=st.sampled_from(["openpyxl", "xlsxwriter"]),
    chunk=st.sampled_from([128, 1024, 1 << 19]),
)
def test_the_audit_by_fragments_finds_what_the_whole_parse_finds(
    tmp_path: Path, monkeypatch, cells: dict[tuple[int, int], str], hidden: set[int], writer: str, chunk: int
) -> None:  # type: ignore[no-untyped-def]
    # Small chunks and a small overlap put cells and row tags across every boundary.
    monkeypatch.setattr(inflate, "_RAW_CHUNK", chunk)
    monkeypatch.setattr(probe, "_OVERLAP", 256)
    path = _written(
        tmp_path / f"{writer}-{chunk}.xlsx", [(r, c, k) for (r, c), k in sorted(cells.items())], hidden, writer
    )
    whole = _whole_parse(path, monkeypatch)
    with zipfile.ZipFile(path) as zf:
        # Both writers give every cell and row its reference: the fragments never need the whole parse.
        assert probe._Fragments(None).audit(inflate.Member(zf, "xl/worksheets/sheet1.xml")) == whole
    wanted = {place for place, kind in cells.items() if kind in ("formula-no-value", "error")}
    if writer == "openpyxl":  # openpyxl saves no value for any formula
        wanted = {place for place, kind in cells.items() if kind.startswith("formula")}
    assert set(whole.problems) == wanted and whole.hidden_rows == frozenset(hidden)


def test_a_cell_without_its_reference_is_left_to_the_whole_parse(tmp_path: Path) -> None:
    path = _written(tmp_path / "a.xlsx", [(0, 0, "value"), (3, 1, "error")], set(), "xlsxwriter")
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b'<c r="B4"', b"<c")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with zipfile.ZipFile(path) as zf, pytest.raises(probe._NeedsParse):
        probe._Fragments(None).audit(inflate.Member(zf, "xl/worksheets/sheet1.xml"))
    # Placed by counting, as Excel does: the first cell of row 4 is in column A.
    assert set(_audit(path).problems) == {(3, 0)}
