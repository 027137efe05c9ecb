"""Write the two-tier sample: samples/hai-cap/survey-2025.xlsx, one province's 2025 round after 1-7-2025.

    python samples/generate_hai_cap.py

The form is the bundled two-tier plan's own blank form (``qbplan template
--plan qd-2972-2017-hai-cap``), filled in as units type it: merged
departments (Toàn tỉnh), departments and communes of both former provinces.
Deterministic: the same file every run.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import openpyxl

from qbplan.config.targets import load_targets, plan_path
from qbplan.tools.template import FIRST_DATA_ROW, write_template

HERE = Path(__file__).parent / "hai-cap"
PLAN = "qd-2972-2017-hai-cap"


def _agency(rng: random.Random, code: str, name: str, cap: str, loai: str, tinh_cu: str, xa: str | None) -> dict:
    cbcc = rng.randint(12, 60)
    vc = rng.randint(5, 200) if loai != "ubnd_xa" else rng.randint(0, 10)
    nv = rng.randint(10, 40)
    vb = rng.randint(300, 3000)
    return {
        "ma_don_vi": code,
        "ten_don_vi": name,
        "cap": cap,
        "loai": loai,
        "tinh_cu": tinh_cu,
        "xa": xa,
        "ha_tang_dat_chuan": rng.random() < 0.92,
        "so_cbcc": cbcc,
        "so_cbcc_trang_bi": cbcc - (rng.random() < 0.2),
        "so_vien_chuc": vc,
        "so_vien_chuc_trang_bi": int(vc * rng.uniform(0.6, 1.0)),
        "so_nghiep_vu": nv,
        "so_nghiep_vu_tin_hoc_hoa": int(nv * rng.uniform(0.55, 0.95)),
        "so_van_ban": vb,
        "so_van_ban_ky_so": int(vb * rng.uniform(0.85, 1.0)),
        "co_trang_ttdt": rng.random() < 0.85,
        "co_can_bo_cntt": rng.random() < 0.95,
        "so_nguoi_dao_tao_cntt": int((cbcc + vc) * rng.uniform(0.8, 1.0)),
    }


_DEPARTMENTS = ["Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Nội vụ", "Sở Xây dựng", "Sở Y tế"]
_COMMUNES_QB = ["Phường Đồng Hới", "Phường Đồng Thuận", "Xã Kim Thủy", "Xã Bố Trạch", "Xã Phong Nha", "Xã Quảng Trạch"]
_COMMUNES_QB += ["Phường Ba Đồn", "Xã Lệ Thủy", "Xã Tuyên Hóa", "Xã Minh Hóa"]
_COMMUNES_QT = ["Phường Đông Hà", "Phường Quảng Trị", "Xã Hải Lăng", "Xã Vĩnh Linh", "Đặc khu Cồn Cỏ"]


def build(seed: int = 2025) -> dict[str, list[dict[str, Any]]]:
    """The rows of every sheet."""
    rng = random.Random(seed)
    agencies = [
        # Merged departments serve the whole new province: counted whole, without a former province.
        _agency(rng, f"S{i:02d}", name, "tinh", "so_nganh", "toan_tinh", None)
        for i, name in enumerate(_DEPARTMENTS, start=1)
    ]
    agencies.append(_agency(rng, "D01", "Ban Tuyên giáo và Dân vận", "tinh", "dang", "toan_tinh", None))
    agencies.append(_agency(rng, "T01", "Hội Nông dân (Quảng Bình cũ)", "tinh", "doan_the", "quang_binh", None))
    communes = [(n, "quang_binh") for n in _COMMUNES_QB] + [(n, "quang_tri") for n in _COMMUNES_QT]
    for i, (name, tinh_cu) in enumerate(communes, start=1):
        agencies.append(_agency(rng, f"X{i:02d}", f"UBND {name}", "xa", "ubnd_xa", tinh_cu, name))
    return {
        "co_quan": agencies,
        "csdl": [
            {"ma_csdl": f"DB{i:02d}", "ten_csdl": f"CSDL {f}", "linh_vuc": f, "dat_chuan": rng.random() < 0.85}
            for i, f in enumerate(["Đất đai", "Dân cư", "Y tế", "Giáo dục", "Du lịch", "Giao thông"], start=1)
        ],
        "phan_mem": [
            {"ma_phan_mem": f"PM{i}", "ten_phan_mem": n, "da_nang_cap": rng.random() < 0.9}
            for i, n in enumerate(["Quản lý văn bản", "Báo cáo trực tuyến", "Quản lý CBCCVC", "Số hóa tài liệu"])
        ],
        "doanh_nghiep": [
            {"xa": n, "tinh_cu": t, "so_doanh_nghiep": (d := rng.randint(20, 600)),
             "so_dn_giao_dich_dien_tu": int(d * 0.72)}
            for n, t in communes
        ],
        "ho_gia_dinh": [
            {"ma_xa": f"{19000 + i}", "ten_xa": n, "tinh_cu": t, "so_ho": (h := rng.randint(1500, 9000)),
             "so_ho_biet_cntt": int(h * rng.uniform(0.65, 0.8))}
            for i, (n, t) in enumerate(communes, start=1)
        ],
    }  # fmt: skip


def main(out: Path = HERE) -> Path:
    """Write the sample; return its path."""
    targets = load_targets(plan_path(PLAN))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "survey-2025.xlsx"
    write_template(targets, str(path))
    wb = openpyxl.load_workbook(path)
    for spec in targets.form.sheets:
        ws = wb[spec.label]
        for i, row in enumerate(build().get(spec.key, [])):
            for j, col in enumerate(spec.columns, start=1):
                value = row.get(col.key)
                if col.type == "enum" and value is not None:
                    value = (col.values or {})[str(value)]
                elif col.type == "yesno":
                    value = "Có" if value else "Không"
                ws.cell(FIRST_DATA_ROW + i, j, value)
    # A fixed creation time, so the file is the same every run.
    import datetime as dt

    wb.properties.created = wb.properties.modified = dt.datetime(2025, 12, 1, 8, 0)
    wb.save(path)
    return path


if __name__ == "__main__":
    print(main())
