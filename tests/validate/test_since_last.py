"""Rules against last year's figures: each unit's figure read against its own of the last saved period.

On SQLite and PostgreSQL (``history_db``): 2024 is saved with ``check --save``, then 2025 is checked
with ``--compare 2024``. Every expectation is worked out here from the rows written, not taken from qbplan.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.config.targets import SinceLast
from qbplan.validate.since_last import _broken
from tests.helpers import agency, write_form

runner = CliRunner()


def _year(tmp_path: Path, year: int, rows: list[dict[str, Any]]) -> str:
    path = tmp_path / f"nop-{year}.xlsx"
    write_form(path, {"co_quan": rows})
    return str(path)


def _units_2024() -> list[dict[str, Any]]:
    return [
        agency(ma_don_vi="T001", so_cbcc=45, so_cbcc_trang_bi=45, so_nghiep_vu_tin_hoc_hoa=30),
        agency(ma_don_vi="T002", ten_don_vi="Sở Nội vụ", so_cbcc=100, so_cbcc_trang_bi=90),
        agency(ma_don_vi="T003", ten_don_vi="Sở Tài chính"),
    ]


def _units_2025() -> list[dict[str, Any]]:
    return [
        # 45 civil servants typed as 450: more than 3 times last year's.
        agency(ma_don_vi="T001", so_cbcc=450, so_cbcc_trang_bi=45, so_nghiep_vu_tin_hoc_hoa=30),
        # 45 operations computerised fell to 3; the e-portal went back to "no".
        agency(
            ma_don_vi="T002",
            ten_don_vi="Sở Nội vụ",
            so_cbcc=100,
            so_cbcc_trang_bi=90,
            so_nghiep_vu_tin_hoc_hoa=3,
            co_trang_ttdt=False,
        ),
        agency(ma_don_vi="T003", ten_don_vi="Sở Tài chính"),
        agency(ma_don_vi="T004", ten_don_vi="Sở Y tế"),  # no 2024 figures: said once, not flagged
    ]


def _compared(tmp_path: Path, history_db: str, lang: str = "vi") -> dict[str, Any]:
    saved = runner.invoke(app, ["check", _year(tmp_path, 2024, _units_2024()), "--period", "2024", "--save",
                                "--db", history_db, "-q"])  # fmt: skip
    assert saved.exit_code == 1, saved.output  # three agencies meet no province-wide target: saved all the same
    result = runner.invoke(app, ["check", _year(tmp_path, 2025, _units_2025()), "--period", "2025", "--compare",
                                 "2024", "--db", history_db, "-f", "json", "--lang", lang])  # fmt: skip
    return json.loads(result.stdout)


def _cell(column: str, row: int) -> str:
    from qbplan.config.targets import load_targets

    keys = [c.key for c in load_targets().sheet("co_quan").columns]  # type: ignore[union-attr]
    return f"{chr(ord('A') + keys.index(column))}{row}"


def test_each_kind_of_rule_is_a_warning_at_its_cell_with_last_years_value(tmp_path: Path, history_db: str) -> None:
    doc = _compared(tmp_path, history_db)
    found = [(w["code"], w["cell"], w["value"]) for w in doc["warnings"] if w["code"].startswith("since-last")]
    # Rows of the form start under its header; T001 is the first data row, T002 the second.
    first = min(w["row"] for w in doc["warnings"] if w["code"] == "since-last-ratio")
    assert found == [
        ("since-last-ratio", _cell("so_cbcc", first), 450),
        ("since-last-fell", _cell("so_nghiep_vu_tin_hoc_hoa", first + 1), 3),
        ("since-last-returned", _cell("co_trang_ttdt", first + 1), False),
        ("since-last-new-units", None, None),
    ]
    messages = {w["code"]: w["message"] for w in doc["warnings"]}
    assert messages["since-last-ratio"] == (
        "450 ở cột 'Số cán bộ, công chức' khác quá 3 lần so với kỳ 2024 (45); kiểm tra lại số liệu"
    )
    assert "kỳ 2024 (45)" in messages["since-last-fell"]  # last year's 45, the agency() default
    assert messages["since-last-new-units"].startswith("1 đơn vị ở trang 'Cơ quan, đơn vị' chưa có số liệu kỳ 2024")


def test_the_same_in_english(tmp_path: Path, history_db: str) -> None:
    doc = _compared(tmp_path, history_db, "en")
    ratio = next(w for w in doc["warnings"] if w["code"] == "since-last-ratio")
    assert (
        ratio["message"]
        == "450 in column 'Số cán bộ, công chức' differs more than 3 times from 2024 (45); check the figure"
    )


def test_a_unit_within_its_rules_is_not_flagged(tmp_path: Path, history_db: str) -> None:
    doc = _compared(tmp_path, history_db)
    flagged_rows = {w["row"] for w in doc["warnings"] if w["code"].startswith("since-last") and w["row"]}
    t003 = max(flagged_rows) + 1  # T003 comes after T002 and sent the same as last year
    assert t003 not in flagged_rows and len(flagged_rows) == 2


@given(
    last=st.integers(min_value=0, max_value=10**6),
    value=st.integers(min_value=0, max_value=10**6),
    ratio=st.fractions(min_value=Fraction(11, 10), max_value=Fraction(20), max_denominator=10),
)
def test_the_ratio_is_judged_exactly(last: int, value: int, ratio: Fraction) -> None:
    broken = _broken(SinceLast(max_ratio=ratio), value, last)
    beyond = last > 0 and (Fraction(value, last) > ratio or Fraction(value, last) < 1 / ratio)
    assert (broken is not None) == beyond


@pytest.mark.parametrize(
    ("rule", "column"),
    [({"no_return": True}, "so_cbcc"), ({"max_ratio": 3}, "co_trang_ttdt"), ({}, "so_cbcc")],
)
def test_a_rule_on_the_wrong_kind_of_column_is_refused_at_its_line(rule: dict[str, Any], column: str) -> None:
    import yaml

    from qbplan.config.targets import parse_targets
    from qbplan.errors import ConfigError
    from tests.helpers import raw_targets

    data = raw_targets()
    sheet = next(s for s in data["form"]["sheets"] if s["key"] == "co_quan")
    next(c for c in sheet["columns"] if c["key"] == column)["since_last"] = rule
    with pytest.raises(ConfigError) as raised:
        parse_targets(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "t.yaml")
    assert raised.value.code == "config-since-last"


def test_the_two_year_sample_trips_each_kind_of_rule_once(tmp_path: Path) -> None:
    from tests.helpers import SAMPLES

    db = str(tmp_path / "qua-cac-nam.db")
    years = SAMPLES / "qua-cac-nam"
    saved = runner.invoke(app, ["check", str(years / "2024.xlsx"), "--period", "2024", "--save", "--db", db, "-q"])
    assert saved.exit_code == 1  # the sample province misses targets
    args = ["check", str(years / "2025.xlsx"), "--period", "2025", "--compare", "2024", "--db", db, "-f", "json"]
    doc = json.loads(runner.invoke(app, args).stdout)
    codes = sorted(w["code"] for w in doc["warnings"] if w["code"].startswith("since-last"))
    assert codes == [
        "since-last-fell",
        "since-last-new-units",
        "since-last-ratio",
        "since-last-returned",
        "since-last-share",
    ]


# --- through the reorganisation's map of units


def _merged_plan(tmp_path: Path, unit_map: dict[str, str], follows: str | None = "qd-2972-2017-quang-binh") -> str:
    """The bundled targets as a new plan that follows the bundled one, with ``unit_map``."""
    import yaml

    from tests.helpers import raw_targets

    data = raw_targets()
    data["plan"].update(id="sau-sap-xep", unit_map=unit_map)
    if follows is None:
        data["plan"].pop("follows", None)
    else:
        data["plan"]["follows"] = follows
    path = tmp_path / "sau-sap-xep.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def test_a_merged_unit_is_read_against_the_sum_of_its_former_units(tmp_path: Path, history_db: str) -> None:
    before = [
        agency(ma_don_vi="T001", so_cbcc=45, so_cbcc_trang_bi=45, so_nghiep_vu_tin_hoc_hoa=30),
        agency(ma_don_vi="T002", ten_don_vi="Sở Nội vụ", so_cbcc=100, so_cbcc_trang_bi=90),
        agency(ma_don_vi="T003", ten_don_vi="Sở Tài chính"),
    ]
    saved = runner.invoke(app, ["check", _year(tmp_path, 2024, before), "--period", "2024", "--save",
                                "--db", history_db, "-q"])  # fmt: skip
    assert saved.exit_code == 1, saved.output
    # T001 and T002 became M01; M02 was formed from T003 and T005, and T005 sent nothing in 2024.
    plan = _merged_plan(tmp_path, {"T001": "M01", "T002": "M01", "T003": "M02", "T005": "M02"})
    after = [
        # 80 operations computerised: not fewer than T001's 30 and T002's 45 together.
        agency(ma_don_vi="M01", so_cbcc=1000, so_cbcc_trang_bi=45, so_nghiep_vu=100, so_nghiep_vu_tin_hoc_hoa=80),
        agency(ma_don_vi="M02", ten_don_vi="Sở Tài chính mới", so_cbcc=400),
    ]
    result = runner.invoke(app, ["check", _year(tmp_path, 2025, after), "-t", plan, "--period", "2025",
                                 "--compare", "2024", "--db", history_db, "-f", "json"])  # fmt: skip
    doc = json.loads(result.stdout)
    found = {w["code"]: w for w in doc["warnings"] if w["code"].startswith("since-last")}
    assert sorted(found) == ["since-last-merged-incomplete", "since-last-ratio"]
    last = 45 + 100  # T001's and T002's civil servants of 2024; 1000 is more than 3 times that
    assert found["since-last-ratio"]["message"] == (
        f"1.000 ở cột 'Số cán bộ, công chức' khác quá 3 lần so với kỳ 2024: T001 + T002 ({last}); kiểm tra lại số liệu"
    )
    assert found["since-last-ratio"]["cell"] == _cell("so_cbcc", found["since-last-ratio"]["row"])
    assert found["since-last-merged-incomplete"]["message"] == (
        "1 đơn vị ở trang 'Cơ quan, đơn vị' được hợp thành từ đơn vị cũ mà kỳ 2024 thiếu số liệu của T005: "
        "chưa so được với kỳ trước"
    )


def test_a_merged_yes_is_yes_only_where_every_former_unit_said_yes() -> None:
    from qbplan.validate.since_last import through_map

    prior = {
        ("co_quan", "t001", "co_trang_ttdt"): True,
        ("co_quan", "t002", "co_trang_ttdt"): False,
        ("co_quan", "t003", "co_trang_ttdt"): True,
        ("co_quan", "t004", "co_trang_ttdt"): True,
    }
    mapped = through_map(prior, {"T001": "M01", "T002": "M01", "T003": "M02", "T004": "M02"})
    assert mapped.figures == {("co_quan", "m01", "co_trang_ttdt"): False, ("co_quan", "m02", "co_trang_ttdt"): True}


@given(st.dictionaries(st.sampled_from(["t1", "t2", "t3", "t4", "t5"]), st.integers(0, 10**9), min_size=1))
def test_merged_counts_are_the_exact_sums_of_the_former_units(last: dict[str, int]) -> None:
    from qbplan.validate.since_last import through_map

    unit_map = {"t1": "a", "t2": "a", "t3": "b"}  # t4 and t5 go on as themselves
    mapped = through_map({("s", u, "c"): v for u, v in last.items()}, unit_map)
    expected: dict[tuple[str, str, str], int] = {}
    for new in ("a", "b"):
        formers = [u for u, n in unit_map.items() if n == new]
        if all(u in last for u in formers):
            expected[("s", new, "c")] = sum(last[u] for u in formers)
    expected.update({("s", u, "c"): v for u, v in last.items() if u not in unit_map})
    assert mapped.figures == expected


@pytest.mark.parametrize(
    ("unit_map", "follows", "code"),
    [
        ({"T001": "M01"}, None, "config-unit-map-no-follows"),
        ({"T001": "T002", "T002": "M01"}, "qd-2972-2017-quang-binh", "config-unit-map-chain"),
    ],
)
def test_a_unit_map_that_cannot_be_read_is_refused(
    tmp_path: Path, unit_map: dict[str, str], follows: str | None, code: str
) -> None:
    from qbplan.config.targets import load_targets
    from qbplan.errors import ConfigError

    with pytest.raises(ConfigError) as raised:
        load_targets(_merged_plan(tmp_path, unit_map, follows))
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("lang", "ratio", "share"),
    [("vi", "khác quá 2,5 lần", "thay đổi +100 % so với kỳ 2024 (10), quá mức ±50 %"),
     ("en", "differs more than 2.5 times", "changed +100% from 2024 (10), more than ±50%")],
)  # fmt: skip
def test_ratios_and_shares_are_written_as_each_language_writes_numbers(lang: str, ratio: str, share: str) -> None:
    from qbplan.model.wording import sentence

    def said(rule: SinceLast, value: int) -> str:
        found = _broken(rule, value, 10)
        assert found is not None
        code, params = found
        return sentence(code, {"label": "x", "period": "2024", "last": 10, **params}, lang, value=value)

    assert ratio in said(SinceLast(max_ratio=Fraction(5, 2)), 30)  # 30 is more than 2.5 times 10
    assert share in said(SinceLast(max_share=Fraction(1, 2)), 20)  # +100 %: more than half of 10
