"""The cell audit: error cells, formulas with no saved value and hidden rows, found with a parse only when needed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from qbplan.read import probe
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
