"""Row validation: what people type, and one finding per failure mode."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from pydantic_core import PydanticCustomError

from qbplan.layout.table import SheetTable
from qbplan.model.cells import CellProblem
from qbplan.model.wording import describe
from qbplan.validate.parsers import parse_int, parse_text, parse_yesno, row_model
from qbplan.validate.sheet import validate_table
from tests.helpers import agency


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("1.234", 1234),
        (" 1.234 ", 1234),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1.234.567", 1234567),
        ("0", 0),
        ("+5", 5),
    ],
)
def test_parse_int_accepts_what_people_type(raw: Any, expected: int) -> None:
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (2.5, "not-whole"),
        ("1,5", "not-a-number"),
        ("1.5", "not-a-number"),
        ("12.34", "not-a-number"),
        ("abc", "not-a-number"),
        (True, "not-a-number"),
        (-1, "negative"),
        (-3.0, "negative"),
        ("-7", "negative"),
        (float("nan"), "not-a-number"),
        ("1.2345", "not-a-number"),
        (CellProblem("excel-error", "#REF!"), "excel-error"),
    ],
)
def test_parse_int_rejects(raw: Any, code: str) -> None:
    with pytest.raises(PydanticCustomError) as info:
        parse_int(raw)
    assert info.value.type == code


@pytest.mark.parametrize(
    "raw", [True, 1, 1.0, "Có", "CÓ", "có", "Co", "x", "X", "TRUE", "true", "1", unicodedata.normalize("NFD", "Có")]
)
def test_yes(raw: Any) -> None:
    assert parse_yesno(raw) is True


@pytest.mark.parametrize("raw", [False, 0, 0.0, "Không", "KHÔNG", "Khong", "khong", "FALSE", "0"])
def test_no(raw: Any) -> None:
    assert parse_yesno(raw) is False


@pytest.mark.parametrize("raw", ["Đang xây dựng", 2, "có lẽ"])
def test_yesno_rejects(raw: Any) -> None:
    with pytest.raises(PydanticCustomError) as info:
        parse_yesno(raw)
    assert info.value.type == "invalid-yesno"


def test_text_keeps_codes_whole() -> None:
    assert parse_text(19012.0) == "19012"
    assert parse_text("  Sở   Y tế \n") == "Sở Y tế"


def _table(targets, rows: list[dict[str, Any]], sheet: str = "co_quan") -> SheetTable:  # type: ignore[no-untyped-def]
    spec = targets.sheet(sheet)
    keys = [c.key for c in spec.columns]
    return SheetTable(
        file="f.xlsx",
        sheet="Cơ quan, đơn vị",
        spec=spec,
        header_row=1,
        keys=keys,
        col_index={k: i for i, k in enumerate(keys)},
        rows=[(i + 2, tuple(r.get(k) for k in keys)) for i, r in enumerate(rows)],
    )


def test_enum_accepts_keys_and_labels_in_any_case(targets) -> None:  # type: ignore[no-untyped-def]
    rows = [
        agency(ma_don_vi="A", cap="Tỉnh", loai="SỞ, BAN, NGÀNH"),
        agency(ma_don_vi="B", cap="huyen", loai="ubnd cap huyen"),
        agency(ma_don_vi="C", cap=unicodedata.normalize("NFD", "Xã"), loai="UBND cấp xã"),
    ]
    result = validate_table(_table(targets, rows))
    assert result.errors == []
    assert [(r["cap"], r["loai"]) for _, r in result.valid.records()] == [
        ("tinh", "so_nganh"),
        ("huyen", "ubnd_huyen"),
        ("xa", "ubnd_xa"),
    ]


@pytest.mark.parametrize(
    ("override", "code", "column", "cell"),
    [
        ({"ten_don_vi": None}, "required", "ten_don_vi", "B2"),
        ({"cap": "Trung ương"}, "invalid-enum", "cap", "C2"),
        ({"so_cbcc": "bốn mươi"}, "not-a-number", "so_cbcc", "G2"),
        ({"so_cbcc": 40.5}, "not-whole", "so_cbcc", "G2"),
        ({"so_vien_chuc": -1, "so_vien_chuc_trang_bi": 0}, "negative", "so_vien_chuc", "I2"),
        ({"co_trang_ttdt": "?"}, "invalid-yesno", "co_trang_ttdt", "O2"),
        ({"so_cbcc_trang_bi": 41}, "exceeds-total", "so_cbcc_trang_bi", "H2"),
        ({"so_nguoi_dao_tao_cntt": 51}, "exceeds-total", "so_nguoi_dao_tao_cntt", "Q2"),
        ({"so_van_ban": CellProblem("excel-error", "#DIV/0!")}, "excel-error", "so_van_ban", "M2"),
        ({"so_van_ban": CellProblem("formula-no-value", "=SUM(A1:A3)")}, "formula-no-value", "so_van_ban", "M2"),
    ],
)
def test_one_finding_per_failure_mode(targets, override, code, column, cell) -> None:  # type: ignore[no-untyped-def]
    result = validate_table(_table(targets, [agency(**override)]))
    assert [(f.code, f.column, f.cell, f.row, f.file, f.sheet) for f in result.errors] == [
        (code, column, cell, 2, "f.xlsx", "Cơ quan, đơn vị")
    ]
    assert result.valid.records() == []
    assert len(result.invalid) == 1


def test_so_nguoi_dao_tao_may_equal_the_sum_of_staff(targets) -> None:  # type: ignore[no-untyped-def]
    result = validate_table(_table(targets, [agency(so_nguoi_dao_tao_cntt=50)]))
    assert result.errors == []


def test_huyen_is_optional(targets) -> None:  # type: ignore[no-untyped-def]
    result = validate_table(_table(targets, [agency(huyen=None)]))
    assert result.errors == [] and result.valid.records()[0][1]["huyen"] is None


def test_duplicate_key_names_the_first_cell_and_keeps_the_first(targets) -> None:  # type: ignore[no-untyped-def]
    rows = [agency(ma_don_vi="T001"), agency(ma_don_vi="t001 "), agency(ma_don_vi="T002")]
    result = validate_table(_table(targets, rows))
    assert [(f.code, f.cell) for f in result.errors] == [("duplicate-key", "A3")]
    assert "A2" in describe(result.errors[0], "en")
    assert [row for row, _ in result.valid.records()] == [2, 4]


def test_vietnamese_messages_by_default(targets) -> None:  # type: ignore[no-untyped-def]
    result = validate_table(_table(targets, [agency(ten_don_vi=None)]))
    assert describe(result.errors[0]) == "Thiếu giá trị bắt buộc ở cột 'Tên cơ quan, đơn vị'"


def test_row_model_is_a_pydantic_contract(targets) -> None:  # type: ignore[no-untyped-def]
    model = row_model(targets.sheet("phan_mem"))
    assert set(model.model_fields) == {"ma_phan_mem", "ten_phan_mem", "da_nang_cap"}
    assert model.model_validate({"ma_phan_mem": 7.0, "ten_phan_mem": "QLVB", "da_nang_cap": "x"}).da_nang_cap is True
    assert row_model(targets.sheet("phan_mem")) is model


def test_a_wrong_level_is_an_error_at_its_cell_with_the_rule(targets) -> None:  # type: ignore[no-untyped-def]
    # A commune People's Committee typed as province level would move from ct04b to ct04a.
    row = agency(ma_don_vi="X1", cap="tinh", loai="ubnd_xa", huyen="Lệ Thủy")
    result = validate_table(_table(targets, [row]))
    assert [(f.code, f.column, f.cell) for f in result.errors] == [("inconsistent", "cap", "C2")]
    text = describe(result.errors[0])
    assert "Loại cơ quan: UBND cấp xã ⇒ Cấp: Xã" in text and result.valid.records() == []


def test_allowed_values_are_listed_by_their_labels(targets) -> None:  # type: ignore[no-untyped-def]
    result = validate_table(_table(targets, [agency(cap="Trung ương")]))
    text = describe(result.errors[0])
    assert "Tỉnh, Huyện, Xã" in text and "tinh, huyen, xa" not in text
