"""Build the corpus of small broken and hostile files under tests/corpus/files.

Run from the repository root: ``python tests/corpus/build.py``. The files are
committed; ``expected.json`` maps each file to the finding code and exit code
qbplan must give. Every file is built from scratch here, deterministically
(fixed zip timestamps, a fixed random seed), so a rebuild changes nothing,
except encrypted.xlsx, whose salt is random by design.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "files"
FIXED = (2025, 1, 1, 0, 0, 0)
PASSWORD = "qbplan-2025"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
PHAN_MEM_HEADER = ["Mã phần mềm", "Tên phần mềm", "Đã đầu tư nâng cấp"]


def _cell(ref: str, value: object) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _rows(grid: list[list[object]]) -> str:
    out = []
    for i, row in enumerate(grid, start=1):
        cells = "".join(_cell(f"{chr(65 + j)}{i}", v) for j, v in enumerate(row) if v is not None)
        out.append(f'<row r="{i}">{cells}</row>')
    return "".join(out)


def xlsx(sheet_xml: str, name: str = "phan_mem", prolog: str = "") -> bytes:
    """A minimal, valid .xlsx around one sheet's XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK.format(name=name)),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", prolog + sheet_xml),
        ):
            info = zipfile.ZipInfo(member, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
    return buf.getvalue()


def sheet(grid: list[list[object]], dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{dim}<sheetData>{_rows(grid)}</sheetData></worksheet>"


GOOD = [PHAN_MEM_HEADER, ["PM1", "Quản lý văn bản", "Có"], ["PM2", "Một cửa điện tử", "Không"]]


def build(out: Path = OUT) -> dict[str, dict[str, object]]:
    """Write the corpus into ``out``; return file name -> expected code and exit."""
    out.mkdir(exist_ok=True)
    rng = random.Random(2972)
    expected: dict[str, dict[str, object]] = {}

    def put(name: str, data: bytes, code: str, exit_code: int = 2) -> None:
        (out / name).write_bytes(data)
        expected[name] = {"code": code, "exit": exit_code}

    good = xlsx(sheet(GOOD))
    put("empty.xlsx", b"", "input-empty")
    put("random-bytes.xlsx", bytes(rng.randrange(256) for _ in range(4096)), "input-not-workbook")
    put("truncated.xlsx", good[: len(good) // 2], "input-corrupt")
    put("renamed-csv.xlsx", "Mã phần mềm,Tên phần mềm\nPM1,QLVB\n".encode(), "input-not-workbook")
    put("renamed-html.xlsx", b"<html><body><table><tr><td>PM1</td></tr></table></body></html>", "input-not-workbook")
    put("~$lock.xlsx", b"\x0bqbplan" + b"\x00" * 153, "input-lock-file")
    put(
        "ole-garbage.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(2048)),
        "input-corrupt",
    )
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
        + "]>"
    )
    put(
        "billion-laughs.xlsx",
        xlsx(sheet(GOOD).replace(SHEET_HEAD, SHEET_HEAD.split("?>", 1)[1]), prolog=laughs),
        "input-xml-dtd",
    )
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    put(
        "external-entity.xlsx",
        xlsx(sheet(GOOD).replace(SHEET_HEAD, SHEET_HEAD.split("?>", 1)[1]), prolog=xxe),
        "input-xml-dtd",
    )
    put("broken-sheet-xml.xlsx", xlsx(SHEET_HEAD + "<sheetData><row r='1'><c r='A1'"), "input-corrupt")
    put("no-form-sheet.xlsx", xlsx(sheet([["Nội dung"], ["abc"]]), name="Báo cáo"), "input-no-form-sheet")
    put(
        "missing-columns.xlsx",
        xlsx(sheet([["Mã phần mềm", "Tên phần mềm"], ["PM1", "QLVB"]])),
        "input-missing-columns",
    )
    put("no-header.xlsx", xlsx(sheet([["a", "b"], [1, 2]])), "input-no-header")
    stray = sheet(GOOD).replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    put("stray-cell-xfd1048576.xlsx", xlsx(stray), "input-crashed")
    # Odd but fine: the declared dimension lies; all rows must still be read.
    put("dimension-lie.xlsx", xlsx(sheet(GOOD, dimension="A1:XFD1048576")), "ok", 1)
    put("dimension-too-small.xlsx", xlsx(sheet(GOOD, dimension="A1:A1")), "ok", 1)
    # The plain content is the compliant sample: with --password it checks clean (exit 0).
    put(
        "encrypted.xlsx",
        _encrypted((HERE.parent.parent / "samples" / "survey-compliant.xlsx").read_bytes()),
        "input-encrypted",
    )
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return expected


def _encrypted(plain: bytes) -> bytes:
    """``plain`` encrypted with :data:`PASSWORD` (ECMA-376 agile, as Excel does)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(PASSWORD, out)
    return out.getvalue()


if __name__ == "__main__":
    for name, want in build().items():
        print(f"{name}: {want['code']} (exit {want['exit']})")
