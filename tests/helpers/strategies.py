"""Hypothesis strategies shared by the tests: agency rows, typed as people type."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

CAPS = {"tinh": ["so_nganh", "dang", "doan_the", "su_nghiep"], "huyen": ["ubnd_huyen"], "xa": ["ubnd_xa"]}
YES_SPELLINGS = ["Có", "có", "CÓ", "Co", "x", "X", True, 1, "TRUE"]
NO_SPELLINGS = ["Không", "không", "Khong", False, 0, "FALSE"]


@st.composite
def agencies(draw: st.DrawFn, max_rows: int = 25) -> list[dict[str, Any]]:
    n = draw(st.integers(0, max_rows))
    rows = []
    for i in range(n):
        cap = draw(st.sampled_from(sorted(CAPS)))
        cbcc = draw(st.integers(0, 60))
        vc = draw(st.integers(0, 60))
        nv = draw(st.integers(0, 40))
        vb = draw(st.integers(0, 3000))
        rows.append(
            {
                "ma_don_vi": f"U{i:04d}",
                "ten_don_vi": f"Đơn vị {i}",
                "cap": cap,
                "loai": draw(st.sampled_from(CAPS[cap])),
                "huyen": None if cap == "tinh" else draw(st.sampled_from(["Huyện A", "Huyện B"])),
                "ha_tang_dat_chuan": draw(st.booleans()),
                "so_cbcc": cbcc,
                "so_cbcc_trang_bi": draw(st.integers(0, cbcc)),
                "so_vien_chuc": vc,
                "so_vien_chuc_trang_bi": draw(st.integers(0, vc)),
                "so_nghiep_vu": nv,
                "so_nghiep_vu_tin_hoc_hoa": draw(st.integers(0, nv)),
                "so_van_ban": vb,
                "so_van_ban_ky_so": draw(st.integers(0, vb)),
                "co_trang_ttdt": draw(st.booleans()),
                "co_can_bo_cntt": draw(st.booleans()),
                "so_nguoi_dao_tao_cntt": draw(st.integers(0, cbcc + vc)),
            }
        )
    return rows


def typed_like_people(rows: list[dict[str, Any]], draw: st.DrawFn) -> list[dict[str, Any]]:
    """The same rows, typed as people do: Có/x/1 for yes, '1.234' for numbers."""
    out = []
    for row in rows:
        typed = {}
        for key, value in row.items():
            if isinstance(value, bool):
                typed[key] = draw(st.sampled_from(YES_SPELLINGS if value else NO_SPELLINGS))
            elif isinstance(value, int) and value >= 1000 and draw(st.booleans()):
                typed[key] = f"{value:,}".replace(",", ".")
            elif isinstance(value, int) and draw(st.booleans()):
                typed[key] = float(value)
            else:
                typed[key] = value
        out.append(typed)
    return out


@st.composite
def households(draw: st.DrawFn, max_rows: int = 12) -> list[dict[str, Any]]:
    n = draw(st.integers(0, max_rows))
    rows = []
    for i in range(n):
        so_ho = draw(st.integers(0, 5000))
        rows.append(
            {
                "ma_xa": f"X{i:05d}",
                "ten_xa": f"Xã {i}",
                "huyen": draw(st.sampled_from(["Lệ Thủy", "Quảng Ninh", "Bố Trạch"])),
                "so_ho": so_ho,
                "so_ho_biet_cntt": draw(st.integers(0, so_ho)),
            }
        )
    return rows


@st.composite
def enterprises(draw: st.DrawFn) -> list[dict[str, Any]]:
    names = draw(st.lists(st.sampled_from(["Đồng Hới", "Ba Đồn", "Lệ Thủy", "Minh Hóa", "Tuyên Hóa"]), unique=True))
    rows = []
    for name in names:
        total = draw(st.integers(0, 4000))
        rows.append({"huyen": name, "so_doanh_nghiep": total, "so_dn_giao_dich_dien_tu": draw(st.integers(0, total))})
    return rows
