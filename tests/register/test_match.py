"""Submitted rows against the register: unknown units, disagreeing cells, who is missing, and exact bounds."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.register.match import same
from tests.helpers import agency, write_form, write_register

runner = CliRunner()


def _commune(i: int, district: str = "Huyện Minh Hóa", **overrides: Any) -> dict[str, Any]:
    return agency(
        ma_don_vi=f"X{i:03d}", ten_don_vi=f"UBND xã {i}", cap="xa", loai="ubnd_xa", huyen=district, **overrides
    )


def _check(tmp_path: Path, units: list[dict[str, Any]], rows: list[dict[str, Any]], *args: str) -> Any:
    register = write_register(tmp_path / "dm.xlsx", {"co_quan": units})
    submission = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    result = runner.invoke(app, ["check", str(submission), "-r", str(register), "-f", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_a_unit_not_in_the_register_is_an_error_at_its_key_and_left_out(tmp_path: Path) -> None:
    units = [_commune(1), _commune(2)]
    code, doc = _check(tmp_path, units, [*units, _commune(9)])
    assert code == 3
    (error,) = doc["errors"]
    assert (error["code"], error["cell"], error["column"], error["value"]) == (
        "not-in-register",
        "A4",
        "ma_don_vi",
        "X009",
    )
    assert error["message"] == (
        "Mã 'X009' ở cột 'Mã đơn vị' không có trong danh mục đơn vị báo cáo; dòng này không được tính"
    )
    ct07b = next(i for i in doc["indicators"] if i["id"] == "ct07b")
    assert (ct07b["numerator"], ct07b["denominator"], ct07b["excluded_rows"]) == (2, 2, 1)
    (co_quan,) = doc["completeness"]
    assert co_quan["unknown"] == [
        {
            "key": "X009",
            "name": "UBND xã 9",
            "group": "Huyện Minh Hóa",
            "file": str(tmp_path / "nop.xlsx"),
            "sheet": "co_quan",
            "row": 4,
        }
    ]
    assert doc["files"][0]["rows_excluded"] == 1


def test_a_cell_that_disagrees_with_the_register_names_the_registers_value(tmp_path: Path) -> None:
    units = [_commune(1), _commune(2)]
    moved = dict(units[1], huyen="Huyện Tuyên Hóa")
    code, doc = _check(tmp_path, units, [units[0], moved])
    assert code == 3
    (error,) = doc["errors"]
    assert (error["code"], error["cell"], error["value"]) == ("register-mismatch", "E3", "Huyện Tuyên Hóa")
    assert error["message"] == (
        "'Huyện Tuyên Hóa' ở cột 'Huyện, thị xã, thành phố' khác danh mục đơn vị báo cáo: đơn vị mã X002 ghi "
        "'Huyện Minh Hóa' (dòng 3 của danh mục); dòng này không được tính"
    )
    # Its row is left out, so its unit has not reported: ct07b is 1 yes of 2 registered communes.
    ct07b = next(i for i in doc["indicators"] if i["id"] == "ct07b")
    assert ct07b["coverage"] == {"expected": 2, "reported": 1, "missing": 1}
    assert (ct07b["bounds"]["low_exact"], ct07b["bounds"]["high_exact"]) == ("1/2", "2/2")
    # It was submitted, though: it is not in the missing list.
    assert doc["completeness"][0]["missing"] == []


def test_an_enum_that_disagrees_is_shown_by_its_label(tmp_path: Path) -> None:
    units = [agency(ma_don_vi="T001", loai="so_nganh")]
    code, doc = _check(tmp_path, units, [dict(units[0], loai="dang")])
    assert code == 3
    (error,) = doc["errors"]
    assert (error["code"], error["value"], error["params"]["expected"]) == (
        "register-mismatch",
        "Cơ quan Đảng",
        "Sở, ban, ngành",
    )


def test_spellings_of_one_place_and_case_agree() -> None:
    assert same("TP Đồng Hới", "Thành phố Đồng Hới")
    assert same("UBND XÃ HÓA TIẾN", "UBND xã Hóa Tiến")
    assert same(None, None)
    assert not same("Thị xã Ba Đồn", "Phường Ba Đồn")
    assert not same(None, "Huyện Minh Hóa")


def test_the_tone_counts_but_not_where_it_sits() -> None:
    assert same("Phường Hòa", "Phường Hoà") and same("Quảng Thuỷ", "quảng thủy")
    assert not same("Xã Quảng Hòa", "Xã Quảng Hóa")
    assert not same("Huyện Minh Hóa", "TP Minh Hòa")
    # Typed without any diacritics: taken at its letters, it contradicts nothing.
    assert same("Xa Quang Hoa", "Xã Quảng Hòa") and same("TP Dong Hoi", "Thành phố Đồng Hới")


def test_a_name_with_the_wrong_tone_disagrees_with_the_register(tmp_path: Path) -> None:
    units = [_commune(1), _commune(2)]
    retoned = dict(units[1], huyen="Huyện Minh Hòa")  # the register says Minh Hóa
    code, doc = _check(tmp_path, units, [units[0], retoned])
    assert code == 3
    (error,) = doc["errors"]
    assert (error["code"], error["value"], error["params"]["expected"]) == (
        "register-mismatch",
        "Huyện Minh Hòa",
        "Huyện Minh Hóa",
    )


def test_units_that_sent_nothing_are_missing_by_key_name_and_district(tmp_path: Path) -> None:
    units = [agency(ma_don_vi="T001", ten_don_vi="Sở Nội vụ"), _commune(1), _commune(2, "Huyện Lệ Thủy")]
    code, doc = _check(tmp_path, units, [units[1]])
    assert code == 1
    (co_quan,) = doc["completeness"]
    assert (co_quan["expected"], co_quan["submitted"]) == (3, 1)
    assert co_quan["missing"] == [
        {"key": "T001", "name": "Sở Nội vụ", "group": None},
        {"key": "X002", "name": "UBND xã 2", "group": "Huyện Lệ Thủy"},
    ]


def test_a_unit_whose_row_is_invalid_was_submitted_but_has_not_reported(tmp_path: Path) -> None:
    units = [_commune(1), _commune(2)]
    code, doc = _check(tmp_path, units, [units[0], dict(units[1], so_cbcc="nhiều")])
    assert code == 3
    assert doc["completeness"][0]["missing"] == [] and doc["completeness"][0]["submitted"] == 2
    ct04b = next(i for i in doc["indicators"] if i["id"] == "ct04b")
    assert ct04b["coverage"] == {"expected": 2, "reported": 1, "missing": 1}
    assert ct04b["status"] == "incomplete"


def test_a_sheet_no_file_has_counts_all_its_units_missing(tmp_path: Path) -> None:
    register = write_register(
        tmp_path / "dm.xlsx",
        {
            "co_quan": [_commune(1)],
            "phan_mem": [
                {"ma_phan_mem": "PM01", "ten_phan_mem": "Một cửa"},
                {"ma_phan_mem": "PM02", "ten_phan_mem": "Cổng DVC"},
            ],
        },
    )
    submission = write_form(tmp_path / "nop.xlsx", {"co_quan": [_commune(1)]})
    doc = json.loads(runner.invoke(app, ["check", str(submission), "-r", str(register), "-f", "json"]).stdout)
    ct05 = next(i for i in doc["indicators"] if i["id"] == "ct05")
    # Nothing known: anywhere from 0 to 100 %, so neither met nor missed.
    assert ct05["status"] == "incomplete"
    assert ct05["coverage"] == {"expected": 2, "reported": 0, "missing": 2}
    assert (ct05["bounds"]["low_exact"], ct05["bounds"]["high_exact"]) == ("0/2", "2/2")
    assert [w["code"] for w in doc["warnings"] if w["params"].get("indicator") == "ct05"] == []


def test_without_a_register_nothing_changes(tmp_path: Path) -> None:
    submission = write_form(tmp_path / "nop.xlsx", {"co_quan": [_commune(1)]})
    doc = json.loads(runner.invoke(app, ["check", str(submission), "-f", "json"]).stdout)
    assert "completeness" not in doc and "register" not in doc
    assert all("coverage" not in i for i in doc["indicators"])


def test_groups_count_their_own_missing_units(tmp_path: Path) -> None:
    units = [_commune(1), _commune(2), _commune(3, "Huyện Lệ Thủy")]
    code, doc = _check(tmp_path, units, units[:2], "--by", "huyen")
    assert code == 1
    groups = {g["group"]: g for g in next(i for i in doc["indicators"] if i["id"] == "ct07b")["breakdown"]}
    assert groups["Huyện Minh Hóa"]["status"] == "pass" and groups["Huyện Minh Hóa"]["coverage"]["missing"] == 0
    # A district none of whose communes reported is still a group, and not a pass.
    assert groups["Huyện Lệ Thủy"]["status"] == "incomplete"
    assert groups["Huyện Lệ Thủy"]["coverage"] == {"expected": 1, "reported": 0, "missing": 1}


# --- exact bounds, recomputed with Fraction over generated units


def _expected(answers: list[bool | None], target: Fraction) -> tuple[Fraction, Fraction, str]:
    """Bounds and status of a count indicator when None means "did not report"."""
    yes = sum(1 for a in answers if a is True)
    missing = sum(1 for a in answers if a is None)
    low, high = Fraction(yes, len(answers)), Fraction(yes + missing, len(answers))
    if low >= target:
        return low, high, "pass"
    if high < target:
        return low, high, "fail"
    return low, high, "incomplete"


@settings(max_examples=25)
@given(st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=12))
def test_count_bounds_are_exact_and_decide_only_when_they_agree(
    tmp_path_factory: Any, answers: list[bool | None]
) -> None:
    tmp_path = tmp_path_factory.mktemp("bounds")
    units = [_commune(i, co_trang_ttdt=bool(a)) for i, a in enumerate(answers)]
    reported = [u for u, a in zip(units, answers, strict=True) if a is not None]
    code, doc = _check(tmp_path, units, reported)
    ct07b = next(i for i in doc["indicators"] if i["id"] == "ct07b")  # communes' e-pages, target 80 %
    low, high, status = _expected(answers, Fraction(80, 100))
    assert ct07b["status"] == status
    missing = answers.count(None)
    assert ct07b["coverage"] == {"expected": len(answers), "reported": len(answers) - missing, "missing": missing}
    if missing:
        assert Fraction(ct07b["bounds"]["low_exact"]) == low
        assert Fraction(ct07b["bounds"]["high_exact"]) == high
    else:
        assert "bounds" not in ct07b and Fraction(ct07b["rate_exact"]) == low
    assert code == (0 if all(i["status"] == "pass" for i in doc["indicators"]) else 1)


def test_many_unknown_units_are_capped_per_code_and_every_row_still_left_out(tmp_path: Path) -> None:
    units = [_commune(1)]
    strangers = [_commune(100 + i) for i in range(150)]
    code, doc = _check(tmp_path, units, [units[0], *strangers])
    assert code == 3
    codes = [e["code"] for e in doc["errors"]]
    assert codes.count("not-in-register") == 100
    capped = [w for w in doc["warnings"] + doc["errors"] if w["code"] == "findings-capped"]
    assert capped and capped[0]["params"]["extra"] == 50
    assert doc["files"][0]["rows_excluded"] == 150
    assert len(doc["completeness"][0]["unknown"]) == 150
