"""Generate benchmark submissions: all five form sheets, the agency sheet at N rows.

Every row is valid, so every tool does its full work on every cell. The .xlsx
is written as raw SpreadsheetML through ``zipfile`` (a million rows through
openpyxl would take minutes): shared strings for the repeated text, as Excel
writes them, inline numbers, a correct ``<dimension>``.

    python benchmarks/generate.py 100000 data/agency-100k.xlsx [valid|invalid|admin]
"""

from __future__ import annotations

import random
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from qbplan.model.cells import column_letter

ROOT = Path(__file__).resolve().parent.parent
FIXED = (2025, 1, 1, 0, 0, 0)
DISTRICTS = [
    "Thành phố Đồng Hới",
    "Thị xã Ba Đồn",
    "Huyện Lệ Thủy",
    "Huyện Quảng Ninh",
    "Huyện Bố Trạch",
    "Huyện Quảng Trạch",
    "Huyện Tuyên Hóa",
    "Huyện Minh Hóa",
]
CAPS = {"tinh": ["so_nganh", "dang", "doan_the", "su_nghiep"], "huyen": ["ubnd_huyen"], "xa": ["ubnd_xa"]}


def _form() -> dict[str, list[dict]]:
    data = yaml.safe_load((ROOT / "targets.yaml").read_text(encoding="utf-8"))
    return {s["key"]: s for s in data["form"]["sheets"]}


def agency_rows(n: int, rng: random.Random):
    for i in range(n):
        cap = rng.choice(("tinh", "huyen", "xa", "xa", "xa"))
        cbcc, vc, nv, vb = rng.randint(0, 80), rng.randint(0, 60), rng.randint(0, 50), rng.randint(0, 4000)
        yield {
            "ma_don_vi": f"U{i:07d}",
            "ten_don_vi": f"Đơn vị {i}",
            "cap": cap,
            "loai": rng.choice(CAPS[cap]),
            "huyen": None if cap == "tinh" else rng.choice(DISTRICTS),
            "ha_tang_dat_chuan": rng.random() < 0.9,
            "so_cbcc": cbcc,
            "so_cbcc_trang_bi": rng.randint(0, cbcc),
            "so_vien_chuc": vc,
            "so_vien_chuc_trang_bi": rng.randint(0, vc),
            "so_nghiep_vu": nv,
            "so_nghiep_vu_tin_hoc_hoa": rng.randint(0, nv),
            "so_van_ban": vb,
            "so_van_ban_ky_so": rng.randint(0, vb),
            "co_trang_ttdt": rng.random() < 0.8,
            "co_can_bo_cntt": rng.random() < 0.9,
            "so_nguoi_dao_tao_cntt": rng.randint(0, cbcc + vc),
        }


def small_rows(key: str, rng: random.Random):
    if key == "csdl":
        return [
            {"ma_csdl": f"DB{i}", "ten_csdl": f"CSDL {i}", "linh_vuc": "Chung", "dat_chuan": rng.random() < 0.8}
            for i in range(25)
        ]
    if key == "phan_mem":
        return [
            {"ma_phan_mem": f"PM{i}", "ten_phan_mem": f"Phần mềm {i}", "da_nang_cap": rng.random() < 0.9}
            for i in range(12)
        ]
    if key == "doanh_nghiep":
        out = []
        for d in DISTRICTS:
            total = rng.randint(500, 4000)
            out.append({"huyen": d, "so_doanh_nghiep": total, "so_dn_giao_dich_dien_tu": rng.randint(0, total)})
        return out
    out = []
    for i in range(154):
        ho = rng.randint(500, 4000)
        out.append(
            {
                "ma_xa": f"{19000 + i}",
                "ten_xa": f"Xã {i}",
                "huyen": rng.choice(DISTRICTS),
                "so_ho": ho,
                "so_ho_biet_cntt": rng.randint(0, ho),
            }
        )
    return out


class _Strings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.index)
        return self.index[text]


class Total(int):
    """A total cell: its value, saved with the SUM formula over the ``span`` rows above, as Excel writes it."""

    span: int

    def __new__(cls, value: int, span: int) -> Total:
        total = super().__new__(cls, value)
        total.span = span
        return total


def _cell(ref: str, col: dict, v, sst: _Strings, labels: dict) -> str:
    if isinstance(v, Total):
        letters, row = ref.rstrip("0123456789"), int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        return f'<c r="{ref}"><f>SUM({letters}{row - v.span}:{letters}{row - 1})</f><v>{int(v)}</v></c>'
    if isinstance(v, Error):
        return f'<c r="{ref}" t="e"><v>{v}</v></c>'
    if isinstance(v, Formula):
        return f'<c r="{ref}"><f>{v}</f></c>'
    if col["type"] == "int" and isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<c r="{ref}"><v>{v}</v></c>'
    if col["type"] == "yesno" and isinstance(v, bool):
        v = "Có" if v else "Không"
    elif col["type"] == "enum" and v in labels[col["key"]]:
        v = labels[col["key"]][v]
    return f'<c r="{ref}" t="s"><v>{sst(str(v))}</v></c>'


def _sheet_xml(cols: list[dict], rows, sst: _Strings, n_rows: int, top: list[str] = ()):
    """A worksheet: ``top`` lines (titles), the header, then ``rows``.

    A row is a dict of values by column key, or a list of cell values in
    column order (layout rows: sections, totals, sign-off).
    """
    letters = [column_letter(j) for j in range(len(cols))]
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[-1]}{n_rows + 1 + len(top)}"/><sheetData>'
    )
    for i, text in enumerate(top, start=1):
        yield f'<row r="{i}"><c r="A{i}" t="s"><v>{sst(text)}</v></c></row>'
    h = len(top) + 1
    header = "".join(f'<c r="{letters[j]}{h}" t="s"><v>{sst(c["label"])}</v></c>' for j, c in enumerate(cols))
    yield f'<row r="{h}">{header}</row>'
    labels = {c["key"]: c.get("values") or {} for c in cols}
    for i, row in enumerate(rows, start=h + 1):
        values = row if isinstance(row, list) else [row.get(c["key"]) for c in cols]
        cells = [
            _cell(f"{letters[j]}{i}", c, v, sst, labels)
            for j, (c, v) in enumerate(zip(cols, values, strict=True))
            if v is not None
        ]
        yield f'<row r="{i}">{"".join(cells)}</row>'
    yield "</sheetData></worksheet>"


class Error(str):
    """An Excel error cell (``t="e"``): #N/A, #VALUE!."""


class Formula(str):
    """A formula saved without its value, as a program that does not calculate writes it."""


# Cells made invalid in the "invalid" variant, cycling: one per failure mode.
_BAD = [("so_cbcc", "nhiều"), ("co_trang_ttdt", "Có lẽ"), ("cap", "Trung ương"), ("so_van_ban", -5)]

# Every kind of cell the row model rejects, as agencies write it: the kind's
# name -> (the finding code it must give, how a row is made so from the row
# and the one before it).
INVALID_KINDS: dict[str, tuple[str, object]] = {
    "blank-key": ("required", lambda row, prev: row | {"ma_don_vi": None}),
    "letters": ("not-a-number", lambda row, prev: row | {"so_cbcc": "12a"}),
    "decimal-comma": ("not-a-number", lambda row, prev: row | {"so_cbcc": "1,5"}),
    "fraction": ("not-whole", lambda row, prev: row | {"so_cbcc": 12.5}),
    "negative": ("negative", lambda row, prev: row | {"so_van_ban": -3}),
    "negative-text": ("negative", lambda row, prev: row | {"so_van_ban": "-3"}),
    "yesno": ("invalid-yesno", lambda row, prev: row | {"co_trang_ttdt": "có lẽ"}),
    "enum": ("invalid-enum", lambda row, prev: row | {"cap": "Trung ương"}),
    "excel-error": ("excel-error", lambda row, prev: row | {"so_cbcc": Error("#N/A")}),
    "formula-no-value": ("formula-no-value", lambda row, prev: row | {"so_cbcc": Formula("SUM(1,2)")}),
    "exceeds-total": ("exceeds-total", lambda row, prev: row | {"so_cbcc_trang_bi": row["so_cbcc"] + 5}),
    "inconsistent": ("inconsistent", lambda row, prev: row | {"cap": "tinh", "loai": "ubnd_xa", "huyen": None}),
    "duplicate-key": ("duplicate-key", lambda row, prev: row | {"ma_don_vi": prev["ma_don_vi"]}),
}


def with_invalid(rows, n: int, count: int, kind: str | None = None):
    """``rows`` with ``count`` cells made invalid, spread evenly through the sheet.

    Without ``kind``, four kinds in turn (the historical mixed variant); with
    one, every bad row is of that kind.
    """
    at = {i * n // count + n // (2 * count): k for k, i in enumerate(range(count))}
    prev = None
    for i, row in enumerate(rows):
        if i in at:
            if kind is None:
                key, value = _BAD[at[i] % len(_BAD)]
                bad = row | {key: value}
            else:
                bad = INVALID_KINDS[kind][1](row, prev)  # type: ignore[operator]
            prev = row
            yield bad
            continue
        prev = row
        yield row


def administrative(rows, cols: list[dict], group: int = 500):
    """``rows`` in the report layout: a section per ``group`` rows, its subtotal, the grand total, the sign-off."""
    numeric = [c["key"] for c in cols if c["type"] == "int"]
    grand = dict.fromkeys(numeric, 0)
    sub = dict.fromkeys(numeric, 0)
    blank = [None] * len(cols)
    count = 0  # data rows so far
    for row in rows:
        if count % group == 0:
            if count:
                yield _total_row(cols, "Cộng", sub, group)
                sub = dict.fromkeys(numeric, 0)
            # As agencies write it: the heading in the name column, the code column blank.
            yield [None, DISTRICTS[(count // group) % len(DISTRICTS)].upper(), *blank[2:]]
        for key in numeric:
            sub[key] += row[key]
            grand[key] += row[key]
        count += 1
        yield row
    yield _total_row(cols, "Cộng", sub, (count - 1) % group + 1)
    yield _total_row(cols, "Tổng cộng", grand, count)
    yield blank
    yield [None, "Người lập biểu", *blank[2:]]
    yield [None, "Thủ trưởng đơn vị", *blank[2:]]


def _total_row(cols: list[dict], label: str, sums: dict, span: int) -> list:
    return [None, label, *(Total(sums[c["key"]], span) if c["key"] in sums else None for c in cols[2:])]


ADMIN_TOP = ["UBND TỈNH QUẢNG BÌNH", "BIỂU TỔNG HỢP HIỆN TRẠNG ỨNG DỤNG CÔNG NGHỆ THÔNG TIN", ""]


def write(path: Path, n_agencies: int, seed: int = 2972, variant: str = "valid") -> Path:
    """Write the benchmark workbook; the agency sheet has ``n_agencies`` rows.

    ``variant``: "valid"; "invalid" (20 bad cells spread through the agency
    sheet); "invalid-KIND" (20 cells of one kind of :data:`INVALID_KINDS`);
    "admin" (the agency sheet in the administrative report layout,
    its subtotals and total SUM formulas with their saved values).
    """
    rng = random.Random(seed)
    agencies = agency_rows(n_agencies, rng)
    top: list[str] = []
    if variant == "invalid":
        agencies = with_invalid(agencies, n_agencies, 20)
    elif variant.startswith("invalid-"):
        agencies = with_invalid(agencies, n_agencies, 20, variant.removeprefix("invalid-"))
    elif variant == "admin":
        agencies = administrative(agencies, _form()["co_quan"]["columns"])
        top = ADMIN_TOP
    content = {key: (agencies, n_agencies) if key == "co_quan" else None for key in _form()}
    for key in content:
        if content[key] is None:
            rows = small_rows(key, rng)
            content[key] = (iter(rows), len(rows))
    return write_sheets(path, content, {"co_quan": top})  # type: ignore[arg-type]


def write_commune(path: Path, i: int) -> Path:
    """One commune's own submission: its People's Committee and its households."""
    rng = random.Random(i)
    cbcc = rng.randint(5, 25)
    agency = next(agency_rows(1, rng)) | {
        "ma_don_vi": f"X{i:05d}",
        "ten_don_vi": f"UBND xã {i}",
        "cap": "xa",
        "loai": "ubnd_xa",
        "huyen": DISTRICTS[i % len(DISTRICTS)],
        "so_cbcc": cbcc,
        "so_cbcc_trang_bi": rng.randint(0, cbcc),
        "so_nguoi_dao_tao_cntt": rng.randint(0, cbcc),
    }
    so_ho = rng.randint(300, 4000)
    ho = {
        "ma_xa": f"{10000 + i}",
        "ten_xa": f"Xã {i}",
        "huyen": agency["huyen"],
        "so_ho": so_ho,
        "so_ho_biet_cntt": rng.randint(0, so_ho),
    }
    return write_sheets(path, {"co_quan": (iter([agency]), 1), "ho_gia_dinh": (iter([ho]), 1)})


def write_sheets(path: Path, content: dict, tops: dict | None = None) -> Path:
    """Write form sheets: key -> (row iterator, row count); ``tops``: key -> title lines above the header."""
    form = _form()
    sst = _Strings()
    path.parent.mkdir(parents=True, exist_ok=True)
    sheets = [form[key] for key in content]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for k, spec in enumerate(sheets, start=1):
            rows, n = content[spec["key"]]
            info = zipfile.ZipInfo(f"xl/worksheets/sheet{k}.xml", FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as out:
                buf = []
                for part in _sheet_xml(spec["columns"], rows, sst, n, (tops or {}).get(spec["key"], [])):
                    buf.append(part)
                    if len(buf) >= 2000:
                        out.write("".join(buf).encode())
                        buf.clear()
                out.write("".join(buf).encode())
        strings = "".join(f"<si><t>{escape(s)}</t></si>" for s in sst.index)
        parts = {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                + "".join(
                    f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                    for k in range(1, len(sheets) + 1)
                )
                + '<Override PartName="/xl/sharedStrings.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                + "".join(
                    f'<sheet name="{escape(s["label"])}" sheetId="{k}" r:id="rId{k}"/>'
                    for k, s in enumerate(sheets, start=1)
                )
                + "</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(
                    f'<Relationship Id="rId{k}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/worksheet" Target="worksheets/sheet{k}.xml"/>'
                    for k in range(1, len(sheets) + 1)
                )
                + f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"
            ),
            "xl/sharedStrings.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{len(sst.index)}" uniqueCount="{len(sst.index)}">{strings}</sst>'
            ),
        }
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
    return path


if __name__ == "__main__":
    write(Path(sys.argv[2]), int(sys.argv[1]), variant=sys.argv[3] if len(sys.argv) > 3 else "valid")
