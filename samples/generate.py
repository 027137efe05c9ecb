"""Write the sample submissions in this folder, deterministically.

    python samples/generate.py            # writes survey.xlsx and its siblings

* ``survey.xlsx``: a whole-province submission for Quảng Bình; some 2025
  targets are met and some are missed (exit code 1). ct11 sits exactly at 70%.
* ``survey-compliant.xlsx``: the same province with every target met (exit 0).
* ``survey-invalid.xlsx``: ``survey.xlsx`` with invalid rows typed in (exit 3).
* ``danh-muc.xlsx``: the register of reporting units (danh mục đơn vị báo cáo):
  every agency, database, software system, district and commune of the
  province, with only the identifying columns.
* ``thieu-don-vi/``: the same province sent as one file for the province and
  one per district, as a provincial inbox receives it; Huyện Lệ Thủy's file
  never came, nor did Sở Du lịch's rows and one database (exit 1: incomplete
  against ``danh-muc.xlsx``).

The layout is the one agencies use: authority and motto rows, a title, then
the header row; numbers typed partly as text ("1.234"), yes/no as Có/Không.
"""

from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

DISTRICTS = [
    "Thành phố Đồng Hới",
    "Thị xã Ba Đồn",
    "Huyện Minh Hóa",
    "Huyện Tuyên Hóa",
    "Huyện Quảng Trạch",
    "Huyện Bố Trạch",
    "Huyện Quảng Ninh",
    "Huyện Lệ Thủy",
]
COMMUNES_PER_DISTRICT = [16, 16, 15, 20, 18, 28, 15, 26]  # 154 in all

DEPARTMENTS = [
    "Văn phòng UBND tỉnh",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Ban Dân tộc",
    "Ban Quản lý Khu kinh tế",
]
PARTY = ["Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy"]
MASS = [
    "Ủy ban MTTQ Việt Nam tỉnh",
    "Tỉnh đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Hội Nông dân tỉnh",
    "Liên đoàn Lao động tỉnh",
]
SERVICE = [
    "Trung tâm Công nghệ thông tin và Truyền thông",
    "Đài Phát thanh và Truyền hình",
    "Trung tâm Phục vụ hành chính công",
]

COMMUNE_WORDS = [
    "An",
    "Bảo",
    "Bắc",
    "Cảnh",
    "Dương",
    "Đồng",
    "Đức",
    "Hải",
    "Hòa",
    "Hưng",
    "Kim",
    "Lâm",
    "Liên",
    "Lộc",
    "Mai",
    "Minh",
    "Nam",
    "Nghĩa",
    "Ninh",
    "Phong",
    "Phú",
    "Phúc",
    "Quảng",
    "Sơn",
    "Tân",
    "Thanh",
    "Thạch",
    "Thuận",
    "Tiến",
    "Trung",
    "Trường",
    "Vạn",
    "Văn",
    "Vĩnh",
    "Xuân",
    "Hóa",
    "Thủy",
    "Trạch",
    "Lý",
    "Hợp",
]

CSDL = [
    ("Thông tin kinh tế - xã hội", "Kinh tế"),
    ("Dân cư", "Dân cư"),
    ("Đất đai", "Tài nguyên"),
    ("Tài nguyên nước", "Tài nguyên"),
    ("Du lịch", "Du lịch"),
    ("Di sản văn hóa", "Văn hóa"),
    ("Giáo dục", "Giáo dục"),
    ("Y tế", "Y tế"),
    ("Quy hoạch", "Quy hoạch"),
    ("Giao thông", "Giao thông"),
    ("Đô thị", "Đô thị"),
    ("Doanh nghiệp", "Kinh tế"),
    ("Cán bộ, công chức, viên chức", "Nội vụ"),
    ("Hộ tịch", "Tư pháp"),
    ("Lý lịch tư pháp", "Tư pháp"),
    ("Người có công", "Lao động"),
    ("Bảo trợ xã hội", "Lao động"),
    ("Nông nghiệp", "Nông nghiệp"),
    ("Thủy sản", "Nông nghiệp"),
    ("Lâm nghiệp", "Nông nghiệp"),
    ("Khoa học công nghệ", "Khoa học"),
    ("Môi trường", "Tài nguyên"),
    ("Xây dựng", "Xây dựng"),
    ("Văn bản quy phạm pháp luật", "Tư pháp"),
    ("Thủ tục hành chính", "Hành chính"),
]
SOFTWARE = [
    "Quản lý văn bản và điều hành",
    "Báo cáo trực tuyến",
    "Quản lý cán bộ, công chức, viên chức",
    "Số hóa tài liệu lưu trữ",
    "Một cửa điện tử",
    "Cổng dịch vụ công",
    "Thư điện tử công vụ",
    "Hội nghị truyền hình",
    "Quản lý tài sản công",
    "Chữ ký số",
    "Kho dữ liệu dùng chung",
    "Phản ánh kiến nghị",
]

HEADER_ROWS = 6  # authority, motto, title rows above the header


def _communes(rng: random.Random) -> list[tuple[str, str, str]]:
    """(ma_xa, ten_xa, huyen) for every commune."""
    out = []
    used: set[str] = set()
    code = 19000
    for district, count in zip(DISTRICTS, COMMUNES_PER_DISTRICT, strict=True):
        for i in range(count):
            while True:
                name = f"{rng.choice(COMMUNE_WORDS)} {rng.choice(COMMUNE_WORDS)}"
                if name not in used and name.split()[0] != name.split()[1]:
                    used.add(name)
                    break
            kind = (
                "Phường" if district.startswith(("Thành phố", "Thị xã")) and i < 8 else ("Thị trấn" if i == 0 else "Xã")
            )
            code += rng.randint(1, 4)
            out.append((f"{code:05d}", f"{kind} {name}", district))
    return out


def _staff(rng: random.Random, lo: int, hi: int) -> int:
    return rng.randint(lo, hi)


def build(compliant: bool, seed: int = 2972) -> dict[str, list[dict[str, Any]]]:
    """The rows of every form sheet for the whole province."""
    rng = random.Random(seed)
    communes = _communes(rng)
    agencies: list[dict[str, Any]] = []

    def agency(code: str, name: str, cap: str, loai: str, huyen: str | None, good: float) -> None:
        cbcc = _staff(rng, 8, 60) if cap != "xa" else _staff(rng, 10, 22)
        vc = _staff(rng, 0, 40) if loai in ("so_nganh", "su_nghiep", "doan_the") else _staff(rng, 0, 12)
        nv = _staff(rng, 20, 90) if cap != "xa" else _staff(rng, 15, 40)
        vb = _staff(rng, 300, 4000) if cap != "xa" else _staff(rng, 150, 900)
        ok = compliant or rng.random() < good
        agencies.append(
            {
                "ma_don_vi": code,
                "ten_don_vi": name,
                "cap": cap,
                "loai": loai,
                "huyen": huyen,
                "ha_tang_dat_chuan": ok,
                "so_cbcc": cbcc,
                "so_cbcc_trang_bi": cbcc if ok else cbcc - rng.randint(1, 3),
                "so_vien_chuc": vc,
                "so_vien_chuc_trang_bi": vc
                - (vc * rng.randint(5, 20) // 100 if compliant else vc * rng.randint(10, 40) // 100),
                "so_nghiep_vu": nv,
                "so_nghiep_vu_tin_hoc_hoa": nv
                - (nv * rng.randint(0, 8) // 100 if compliant else nv * rng.randint(5, 25) // 100),
                "so_van_ban": vb,
                "so_van_ban_ky_so": vb
                - (vb * rng.randint(0, 8) // 100 if compliant else vb * rng.randint(2, 16) // 100),
                "co_trang_ttdt": compliant or loai != "ubnd_xa" or rng.random() < 0.72,
                "co_can_bo_cntt": compliant or rng.random() < 0.97 or loai in ("so_nganh", "ubnd_huyen"),
                "so_nguoi_dao_tao_cntt": cbcc + vc - (0 if compliant or rng.random() < 0.6 else rng.randint(1, 4)),
            }
        )

    for i, name in enumerate(DEPARTMENTS, 1):
        agency(f"T{i:03d}", name, "tinh", "so_nganh", None, 0.9)
    for i, name in enumerate(PARTY, 1):
        agency(f"D{i:03d}", name, "tinh", "dang", None, 0.9)
    for i, name in enumerate(MASS, 1):
        agency(f"M{i:03d}", name, "tinh", "doan_the", None, 0.8)
    for i, name in enumerate(SERVICE, 1):
        agency(f"S{i:03d}", name, "tinh", "su_nghiep", None, 0.8)
    for i, district in enumerate(DISTRICTS, 1):
        agency(
            f"H{i:03d}",
            f"UBND {district.split(' ', 1)[1] if district.startswith('Huyện') else district}",
            "huyen",
            "ubnd_huyen",
            district,
            0.9,
        )
    for ma_xa, ten_xa, district in communes:
        agency(f"X{ma_xa}", f"UBND {ten_xa}", "xa", "ubnd_xa", district, 0.85)

    csdl = [
        {"ma_csdl": f"CSDL{i:02d}", "ten_csdl": f"CSDL {name}", "linh_vuc": field, "dat_chuan": compliant or i % 5 != 0}
        for i, (name, field) in enumerate(CSDL, 1)
    ]
    phan_mem = [
        {"ma_phan_mem": f"PM{i:02d}", "ten_phan_mem": name, "da_nang_cap": compliant or i not in (4, 9)}
        for i, name in enumerate(SOFTWARE, 1)
    ]
    doanh_nghiep = []
    for district in DISTRICTS:
        total = rng.randint(180, 2600)
        share = rng.randint(72, 90) if compliant else rng.randint(50, 75)
        doanh_nghiep.append(
            {"huyen": district, "so_doanh_nghiep": total, "so_dn_giao_dich_dien_tu": total * share // 100}
        )
    ho = []
    for ma_xa, ten_xa, district in communes:
        so_ho = rng.randint(600, 4200)
        ho.append(
            {
                "ma_xa": ma_xa,
                "ten_xa": ten_xa,
                "huyen": district,
                "so_ho": so_ho,
                "so_ho_biet_cntt": so_ho * rng.randint(55, 85) // 100,
            }
        )
    # Households: make the province exactly 70% (or 80% when compliant), to
    # show that a rate exactly at its target passes.
    share = (80, 100) if compliant else (70, 100)
    total_ho = sum(r["so_ho"] for r in ho)
    need = total_ho * share[0] // share[1]
    if not compliant:
        while total_ho * 70 % 100:
            ho[-1]["so_ho"] += 1
            total_ho += 1
        need = total_ho * 70 // 100
    have = sum(r["so_ho_biet_cntt"] for r in ho)
    i = 0
    while have != need:
        row = ho[i % len(ho)]
        step = 1 if have < need else -1
        if 0 <= row["so_ho_biet_cntt"] + step <= row["so_ho"]:
            row["so_ho_biet_cntt"] += step
            have += step
        i += 1
    return {"co_quan": agencies, "csdl": csdl, "phan_mem": phan_mem, "doanh_nghiep": doanh_nghiep, "ho_gia_dinh": ho}


SHEETS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "co_quan",
        "Cơ quan, đơn vị",
        [
            ("ma_don_vi", "Mã đơn vị"),
            ("ten_don_vi", "Tên cơ quan, đơn vị"),
            ("cap", "Cấp"),
            ("loai", "Loại cơ quan"),
            ("huyen", "Huyện, thị xã, thành phố"),
            ("ha_tang_dat_chuan", "Hạ tầng CNTT hiện đại,\nkết nối mạng diện rộng"),
            ("so_cbcc", "Số cán bộ, công chức"),
            ("so_cbcc_trang_bi", "Số CBCC được trang bị máy tính, Internet, thư công vụ"),
            ("so_vien_chuc", "Số viên chức"),
            ("so_vien_chuc_trang_bi", "Số viên chức được trang bị máy tính, Internet, thư công vụ"),
            ("so_nghiep_vu", "Số nghiệp vụ chuyên môn"),
            ("so_nghiep_vu_tin_hoc_hoa", "Số nghiệp vụ được tin học hóa"),
            ("so_van_ban", "Số văn bản phát hành (trừ văn bản mật)"),
            ("so_van_ban_ky_so", "Số văn bản trao đổi trên môi trường mạng có chữ ký số"),
            ("co_trang_ttdt", "Có trang TTĐT tích hợp Cổng TTĐT tỉnh"),
            ("co_can_bo_cntt", "Có cán bộ phụ trách CNTT"),
            ("so_nguoi_dao_tao_cntt", "Số người được đào tạo,\ncập nhật kiến thức CNTT"),
        ],
    ),
    (
        "csdl",
        "CSDL chuyên ngành",
        [
            ("ma_csdl", "Mã CSDL"),
            ("ten_csdl", "Tên cơ sở dữ liệu"),
            ("linh_vuc", "Lĩnh vực"),
            ("dat_chuan", "Đã nâng cấp, xây dựng đồng bộ"),
        ],
    ),
    (
        "phan_mem",
        "Phần mềm dùng chung",
        [
            ("ma_phan_mem", "Mã phần mềm"),
            ("ten_phan_mem", "Tên phần mềm"),
            ("da_nang_cap", "Đã đầu tư nâng cấp"),
        ],
    ),
    (
        "doanh_nghiep",
        "Doanh nghiệp",
        [
            ("huyen", "Huyện, thị xã, thành phố"),
            ("so_doanh_nghiep", "Số doanh nghiệp"),
            ("so_dn_giao_dich_dien_tu", "Số doanh nghiệp tham gia giao dịch điện tử"),
        ],
    ),
    (
        "ho_gia_dinh",
        "Hộ gia đình",
        [
            ("ma_xa", "Mã xã"),
            ("ten_xa", "Tên xã, phường, thị trấn"),
            ("huyen", "Huyện, thị xã, thành phố"),
            ("so_ho", "Số hộ gia đình"),
            ("so_ho_biet_cntt", "Số hộ có người biết sử dụng CNTT, dịch vụ công, Internet"),
        ],
    ),
]

CAP_LABELS = {"tinh": "Tỉnh", "huyen": "Huyện", "xa": "Xã"}
LOAI_LABELS = {
    "so_nganh": "Sở, ban, ngành",
    "ubnd_huyen": "UBND cấp huyện",
    "ubnd_xa": "UBND cấp xã",
    "dang": "Cơ quan Đảng",
    "doan_the": "Đoàn thể",
    "su_nghiep": "Đơn vị sự nghiệp",
}


def _typed(key: str, value: Any, rng: random.Random) -> Any:
    """The value as an agency would type it."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if key == "cap":
        return CAP_LABELS.get(value, value)
    if key == "loai":
        return LOAI_LABELS.get(value, value)
    if isinstance(value, int) and value >= 1000 and rng.random() < 0.15:
        return f"{value:,}".replace(",", ".")  # "1.234", typed as text
    return value


# The columns a register gives: those that identify a unit (text and enum).
REGISTER_COLUMNS = {"ma_don_vi", "ten_don_vi", "cap", "loai", "huyen", "ma_csdl", "ten_csdl", "linh_vuc"}
REGISTER_COLUMNS |= {"ma_phan_mem", "ten_phan_mem", "ma_xa", "ten_xa"}
# The register's column naming the unit that reports each row (the intake's ownership).
OWNER = "don_vi_bao_cao"
# The department that runs the survey reports the province-level sheets.
SURVEY_UNIT = "Sở Thông tin và Truyền thông"


def register_owners(data: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Who reports each row of the register's sheets: a commune its households, the survey's department the rest."""
    department = next(r["ma_don_vi"] for r in data["co_quan"] if r["ten_don_vi"] == SURVEY_UNIT)
    return {
        "csdl": lambda row: department,
        "phan_mem": lambda row: department,
        "doanh_nghiep": lambda row: department,
        "ho_gia_dinh": lambda row: f"X{row['ma_xa']}",
    }


def write(
    path: Path,
    data: dict[str, list[dict[str, Any]]],
    seed: int = 1,
    title: str = "BIỂU TỔNG HỢP SỐ LIỆU PHÁT TRIỂN CNTT NĂM 2025",
    only: set[str] | None = None,
    owners: dict[str, Any] | None = None,
) -> None:
    """Write ``data`` as a workbook in the administrative layout (``only``: these columns).

    ``owners`` (a register's): sheet key -> a function giving each row's
    reporting unit, written in a last column "Đơn vị báo cáo".
    """
    rng = random.Random(seed)
    wb = Workbook()
    wb.remove(wb.active)
    for key, label, all_columns in SHEETS:
        if key not in data:
            continue
        columns = [c for c in all_columns if only is None or c[0] in only]
        owner_of = (owners or {}).get(key)
        if owner_of is not None:
            columns.append((OWNER, "Đơn vị báo cáo"))
        ws = wb.create_sheet(label)
        ws["A1"] = "UBND TỈNH QUẢNG BÌNH"
        ws["A2"] = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
        ws["F1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        ws["F2"] = "Độc lập - Tự do - Hạnh phúc"
        ws["A4"] = f"{title} - {label.upper()}"
        ws["A4"].font = Font(bold=True)
        for j, (_, header) in enumerate(columns, 1):
            cell = ws.cell(row=HEADER_ROWS, column=j, value=header)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for i, row in enumerate(data[key], HEADER_ROWS + 1):
            for j, (col, _) in enumerate(columns, 1):
                value = owner_of(row) if col == OWNER and owner_of is not None else row.get(col)
                if value is not None:
                    ws.cell(row=i, column=j, value=_typed(col, value, rng))
        ws.freeze_panes = ws.cell(row=HEADER_ROWS + 1, column=1)
    # Fixed document properties keep the file byte-stable across runs.
    import datetime

    stamp = datetime.datetime(2025, 12, 31, 8, 0, 0)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "qbplan samples/generate.py"
    buffer = io.BytesIO()
    wb.save(buffer)
    # Rewrite the zip with fixed member times so the file is byte-stable.
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 12, 31, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time here, whatever was set.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-12-31T08:00:00Z", data)
            dst.writestr(fixed, data)


def invalid_variant(data: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """``data`` with typical typing mistakes in a few rows."""
    bad = {k: [dict(r) for r in rows] for k, rows in data.items()}
    agencies = bad["co_quan"]
    agencies[3]["so_cbcc_trang_bi"] = agencies[3]["so_cbcc"] + 5  # more equipped than staff
    agencies[7]["cap"] = "Trung ương"  # not a level of the form
    agencies[12]["so_vien_chuc"] = -4  # negative
    agencies[40]["so_van_ban"] = "khoảng 500"  # not a number
    agencies[41]["co_trang_ttdt"] = "Đang xây dựng"  # not yes/no
    agencies[60]["ten_don_vi"] = None  # required
    agencies[61]["ma_don_vi"] = agencies[60]["ma_don_vi"]  # duplicate code
    bad["ho_gia_dinh"][5]["so_ho"] = 1250.5  # not whole
    return bad


# Who never reported in thieu-don-vi/: a whole district, a department and a database.
MISSING_DISTRICT = "Huyện Lệ Thủy"
MISSING_AGENCY = "Sở Du lịch"
MISSING_CSDL = "CSDL25"


def by_sender(data: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``data`` as an inbox receives it: the province's file and one per district, with the gaps above."""
    province: dict[str, list[dict[str, Any]]] = {
        "co_quan": [r for r in data["co_quan"] if r["cap"] == "tinh" and r["ten_don_vi"] != MISSING_AGENCY],
        "csdl": [r for r in data["csdl"] if r["ma_csdl"] != MISSING_CSDL],
        "phan_mem": data["phan_mem"],
        "doanh_nghiep": data["doanh_nghiep"],
    }
    files = {"tinh.xlsx": province}
    for i, district in enumerate(DISTRICTS, 1):
        if district == MISSING_DISTRICT:
            continue
        files[f"huyen-{i:02d}.xlsx"] = {
            "co_quan": [r for r in data["co_quan"] if r["cap"] != "tinh" and r["huyen"] == district],
            "ho_gia_dinh": [r for r in data["ho_gia_dinh"] if r["huyen"] == district],
        }
    return files


def two_years(data: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """2024 as the survey, and 2025 with one figure tripping each kind of since_last rule of the plan.

    The first agency's civil servants typed ten times over (max_ratio 3); the second's
    operations computerised fallen to a tenth (no_fall); the first with an e-portal in 2024
    without one in 2025 (no_return); the first commune's households doubled (max_share 0.5);
    and one agency new in 2025 (said once, not flagged).
    """
    import copy

    before = copy.deepcopy({k: data[k] for k in ("co_quan", "ho_gia_dinh")})
    after = copy.deepcopy(before)
    agencies, communes = after["co_quan"], after["ho_gia_dinh"]
    agencies[0]["so_cbcc"] = agencies[0]["so_cbcc"] * 10
    agencies[1]["so_nghiep_vu_tin_hoc_hoa"] = max(1, agencies[1]["so_nghiep_vu_tin_hoc_hoa"] // 10)
    portal = next(a for a in agencies[2:] if a.get("co_trang_ttdt") is True)
    portal["co_trang_ttdt"] = False
    communes[0]["so_ho"] = communes[0]["so_ho"] * 2
    agencies.append({**agencies[-1], "ma_don_vi": "T999", "ten_don_vi": "Ban Quản lý dự án mới"})
    return before, after


def main(out: Path = HERE) -> None:
    """Write the samples into ``out``."""
    survey = build(compliant=False)
    write(out / "survey.xlsx", survey)
    write(out / "survey-compliant.xlsx", build(compliant=True))
    write(out / "survey-invalid.xlsx", invalid_variant(survey))
    write(
        out / "danh-muc.xlsx",
        survey,
        title="DANH MỤC ĐƠN VỊ BÁO CÁO",
        only=REGISTER_COLUMNS,
        owners=register_owners(survey),
    )
    inbox = out / "thieu-don-vi"
    inbox.mkdir(exist_ok=True)
    for name, part in by_sender(survey).items():
        write(inbox / name, part)
    years = out / "qua-cac-nam"
    years.mkdir(exist_ok=True)
    before, after = two_years(survey)
    write(years / "2024.xlsx", before, title="BIỂU TỔNG HỢP SỐ LIỆU PHÁT TRIỂN CNTT NĂM 2024")
    write(years / "2025.xlsx", after)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
