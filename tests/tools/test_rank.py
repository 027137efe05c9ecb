"""qbplan rank: every score and rank recomputed here with Fractions, from the plan's YAML read as plain data."""

from __future__ import annotations

import csv
import io
import json
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.model.scores import competition_ranks, points_for
from tests.helpers import SAMPLES, TARGETS_YAML, agency, write_form, write_register

runner = CliRunner()
PLAN = SAMPLES / "cham-diem" / "targets.yaml"


def _raw() -> dict[str, Any]:
    return yaml.safe_load(PLAN.read_text(encoding="utf-8"))


def _pct(value: Any) -> Fraction:
    return Fraction(str(value)) / 100


def _criteria(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in raw["indicators"] if "scoring" in i] + list(raw["scoring"].get("criteria", []))


def _target(ind: dict[str, Any]) -> Fraction:
    target = ind["target"]
    return _pct(target["pass"] if isinstance(target, dict) else target)


def _points(ind: dict[str, Any], rate: Fraction, best: Fraction) -> Fraction:
    rule = ind["scoring"]
    most = Fraction(str(rule["max"]))
    method = rule["method"]
    if method == "linear":
        return rate * most
    if method == "capped":
        return min(rate / _target(ind), Fraction(1)) * most
    if method == "bands":
        reached = [Fraction(str(b["points"])) for b in rule["bands"] if rate >= _pct(b["min"])]
        return max(reached, default=Fraction(0))
    return rate / best * most if best else Fraction(0)


def _yes(value: Any) -> bool:
    return value is True


def reference(rows: list[dict[str, Any]], missing: list[dict[str, Any]], raw: dict[str, Any]) -> dict[str, Any]:
    """Each unit's (total, most, index, rank, grade) from the rows, the way the plan's YAML says."""
    criteria = _criteria(raw)
    spec = raw["scoring"]

    def in_scope(row: dict[str, Any], ind: dict[str, Any]) -> bool:
        return all(
            row.get(col) in (vals if isinstance(vals, list) else [vals]) for col, vals in ind.get("scope", {}).items()
        )

    def counts(row: dict[str, Any], ind: dict[str, Any]) -> tuple[int, int]:
        if ind["mode"] == "count":
            return int(_yes(row[ind["numerator"]])), 1
        den = ind["denominator"] if isinstance(ind["denominator"], list) else [ind["denominator"]]
        return row[ind["numerator"]], sum(row[c] for c in den)

    best: dict[str, Fraction] = {}
    for ind in criteria:
        rates = [Fraction(*counts(r, ind)) for r in rows if in_scope(r, ind) and counts(r, ind)[1]]
        best[ind["id"]] = max(rates, default=Fraction(0))
    units: dict[str, tuple[Fraction, Fraction]] = {}
    for row in rows:
        total = most = Fraction(0)
        for ind in criteria:
            if not in_scope(row, ind):
                continue
            num, den = counts(row, ind)
            if den == 0 and spec.get("no_data", "zero") == "skip":
                continue
            most += Fraction(str(ind["scoring"]["max"]))
            if den:
                total += _points(ind, Fraction(num, den), best[ind["id"]])
        units[row["ma_don_vi"]] = (total, most)
    if spec.get("missing", "zero") == "zero":
        for unit in missing:
            most = sum((Fraction(str(i["scoring"]["max"])) for i in criteria if in_scope(unit, i)), Fraction(0))
            units[unit["ma_don_vi"]] = (Fraction(0), most)
    index = {key: (t / m if m else Fraction(0)) for key, (t, m) in units.items()}
    out = {}
    for key, value in index.items():
        better = sum(1 for other in index.values() if other > value)
        grade = next(g["label_vi"] for g in spec["grades"] if value >= Fraction(str(g["min"])))
        out[key] = {"total": units[key][0], "most": units[key][1], "index": value, "rank": better + 1, "grade": grade}
    return out


def _units(seed: int, count: int) -> list[dict[str, Any]]:
    """Agencies of every kind with random figures; some copy another's exactly, to make ties."""
    rng = random.Random(seed)
    kinds = [("tinh", "so_nganh"), ("huyen", "ubnd_huyen"), ("xa", "ubnd_xa"), ("tinh", "dang"),
             ("tinh", "doan_the"), ("tinh", "su_nghiep")]  # fmt: skip
    rows: list[dict[str, Any]] = []
    for i in range(count):
        cap, loai = rng.choice(kinds)
        if rows and rng.random() < 0.25:
            twin = dict(rng.choice(rows))
            twin.update(ma_don_vi=f"U{i:03d}", ten_don_vi=f"Đơn vị {i}")
            if (twin["cap"], twin["loai"]) == (cap, loai):
                rows.append(twin)
                continue
        cbcc, vc, nv, vb = (rng.randint(0, 60) for _ in range(4))
        rows.append(
            agency(
                ma_don_vi=f"U{i:03d}",
                ten_don_vi=f"Đơn vị {i}",
                cap=cap,
                loai=loai,
                huyen=None if cap == "tinh" else rng.choice(["Đồng Hới", "Bố Trạch"]),
                ha_tang_dat_chuan=rng.random() < 0.7,
                so_cbcc=cbcc,
                so_cbcc_trang_bi=rng.randint(0, cbcc),
                so_vien_chuc=vc,
                so_vien_chuc_trang_bi=rng.randint(0, vc),
                so_nghiep_vu=nv,
                so_nghiep_vu_tin_hoc_hoa=rng.randint(0, nv),
                so_van_ban=vb,
                so_van_ban_ky_so=rng.randint(0, vb),
                co_trang_ttdt=rng.random() < 0.6,
                co_can_bo_cntt=rng.random() < 0.6,
                so_nguoi_dao_tao_cntt=rng.randint(0, cbcc + vc),
            )
        )
    return rows


def _plan(tmp_path: Path, **scoring: Any) -> Path:
    """The example plan with its scoring block changed, and no register of its own."""
    raw = _raw()
    raw.pop("register", None)
    raw["scoring"].update(scoring)
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _rank_json(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, ["rank", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_score_and_rank_is_the_plans_rule_applied_exactly(tmp_path: Path, seed: int) -> None:
    rows = _units(seed, 40)
    lost = _units(seed + 100, 5)
    for i, unit in enumerate(lost):
        unit.update(ma_don_vi=f"M{i:02d}", ten_don_vi=f"Chưa gửi {i}")
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    register = write_register(tmp_path / "dm.xlsx", {"co_quan": rows + lost})
    plan = _plan(tmp_path)
    doc = _rank_json([str(form), "-t", str(plan), "-r", str(register)])
    expected = reference(rows, lost, yaml.safe_load(plan.read_text(encoding="utf-8")))
    got = {u["key"]: u for u in doc["units"]}
    assert set(got) == set(expected)
    for key, want in expected.items():
        unit = got[key]
        assert Fraction(unit["total_exact"]) == want["total"], key
        assert Fraction(unit["most_exact"]) == want["most"], key
        assert Fraction(unit["index_exact"]) == want["index"], key
        assert (unit["rank"], unit["grade"]) == (want["rank"], want["grade"]), key
        # The 4-decimal index is the exact one rounded half up.
        assert Fraction(str(unit["index"])) == Fraction(int(want["index"] * 10**4 + Fraction(1, 2)), 10**4)
    # Best first, ties by code; the missing units are last, at 0.
    assert [u["key"] for u in doc["units"]] == sorted(expected, key=lambda k: (-expected[k]["index"], k))
    assert all(got[u["ma_don_vi"]]["missing"] and got[u["ma_don_vi"]]["index"] == 0 for u in lost)


def test_two_units_with_the_same_data_share_a_rank_and_the_next_skips(tmp_path: Path) -> None:
    low = agency(ma_don_vi="T003", ten_don_vi="C", ha_tang_dat_chuan=False)
    rows = [agency(ma_don_vi="T001", ten_don_vi="A"), agency(ma_don_vi="T002", ten_don_vi="B"), low]
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    doc = _rank_json([str(form), "-t", str(_plan(tmp_path))])
    assert [(u["key"], u["rank"]) for u in doc["units"]] == [("T001", 1), ("T002", 1), ("T003", 3)]


def test_units_that_sent_nothing_are_left_out_with_a_note_when_the_plan_says_omit(tmp_path: Path) -> None:
    rows = [agency(ma_don_vi="T001", ten_don_vi="A")]
    lost = agency(ma_don_vi="T009", ten_don_vi="Sở chưa gửi")
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    register = write_register(tmp_path / "dm.xlsx", {"co_quan": [*rows, lost]})
    plan = _plan(tmp_path, missing="omit")
    doc = _rank_json([str(form), "-t", str(plan), "-r", str(register)])
    assert [u["key"] for u in doc["units"]] == ["T001"]
    assert [u["key"] for u in doc["omitted"]] == ["T009"] and doc["omitted"][0]["rank"] is None
    table = runner.invoke(app, ["rank", str(form), "-t", str(plan), "-r", str(register)])
    said = " ".join(table.stdout.split())  # wrapped at the terminal's width
    assert "Không xếp hạng (chưa gửi số liệu, theo quy định của bộ tiêu chí): T009 Sở chưa gửi" in said
    zero = _rank_json([str(form), "-t", str(_plan(tmp_path, missing="zero")), "-r", str(register)])
    assert [(u["key"], u["rank"], u["index"]) for u in zero["units"]] == [("T001", 1, 1.0), ("T009", 2, 0.0)]


def test_by_district_sums_the_rows_of_each_group_per_criterion(tmp_path: Path) -> None:
    rows = [
        agency(ma_don_vi="X1", ten_don_vi="Xã 1", cap="xa", loai="ubnd_xa", huyen="Đồng Hới", so_nghiep_vu=10,
               so_nghiep_vu_tin_hoc_hoa=2),
        agency(ma_don_vi="X2", ten_don_vi="Xã 2", cap="xa", loai="ubnd_xa", huyen="Đồng Hới", so_nghiep_vu=10,
               so_nghiep_vu_tin_hoc_hoa=10),
        agency(ma_don_vi="X3", ten_don_vi="Xã 3", cap="xa", loai="ubnd_xa", huyen="Bố Trạch", so_nghiep_vu=10,
               so_nghiep_vu_tin_hoc_hoa=3),
    ]  # fmt: skip
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    doc = _rank_json([str(form), "-t", str(_plan(tmp_path)), "--by", "huyen"])
    ct04b = {u["key"]: next(c for c in u["criteria"] if c["id"] == "ct04b") for u in doc["units"]}
    # Đồng Hới: 12/20 = 60 % reaches the top band (15 points); Bố Trạch 3/10 = 30 % reaches none.
    assert (ct04b["Đồng Hới"]["rate_exact"], ct04b["Đồng Hới"]["points_exact"]) == ("3/5", "15/1")
    assert (ct04b["Bố Trạch"]["rate_exact"], ct04b["Bố Trạch"]["points_exact"]) == ("3/10", "0/1")


def test_the_formats_give_the_same_numbers(tmp_path: Path) -> None:
    rows = _units(7, 12)
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    plan = _plan(tmp_path)
    doc = _rank_json([str(form), "-t", str(plan)])
    out = runner.invoke(app, ["rank", str(form), "-t", str(plan), "-f", "csv"])
    table = list(csv.reader(io.StringIO(out.stdout)))
    assert table[0][:3] == ["Hạng", "Mã", "Tên đơn vị"] and len(table) == 1 + len(rows)
    for line, unit in zip(table[1:], doc["units"], strict=True):
        assert (line[0], line[1]) == (str(unit["rank"]), unit["key"])
        assert line[-3] == f"{unit['index']:.4f}".replace(".", ",")
    xlsx = tmp_path / "xep-hang.xlsx"
    assert runner.invoke(app, ["rank", str(form), "-t", str(plan), "-f", "xlsx", "-o", str(xlsx)]).exit_code == 0
    ws = openpyxl.load_workbook(xlsx).worksheets[0]
    values = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert [(r[0], r[1]) for r in values] == [(u["rank"], u["key"]) for u in doc["units"]]
    assert [r[-3] for r in values] == [u["index"] for u in doc["units"]]
    # Points always show their 2 decimals (30,00 beside 29,52): pillars, total and most.
    first = 4
    points = [ws.cell(row=first, column=j).number_format for j in range(4, 4 + len(doc["pillars"]) + 2)]
    assert set(points) == {"0.00"}


def test_each_scorecard_is_one_unit_on_one_a4_page(tmp_path: Path) -> None:
    rows = _units(9, 6)
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    cards = tmp_path / "phieu-diem.xlsx"
    result = runner.invoke(app, ["rank", str(form), "-t", str(_plan(tmp_path)), "-f", "cards", "-o", str(cards)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(cards)
    assert sorted(wb.sheetnames) == sorted(r["ma_don_vi"] for r in rows)
    for ws in wb.worksheets:
        setup = ws.page_setup
        # paperSize 9 is A4.
        assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "portrait", 1, 1)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert any(t.startswith("Phiếu điểm:") and ws.title in t for t in texts)
        # Every criterion of the plan is on the card, with its rule.
        assert sum(1 for t in texts if t.startswith(("ct", "tc_"))) == len(_criteria(_raw()))


def test_the_sample_plan_is_the_bundled_plan_with_a_scoring_block() -> None:
    raw, bundled = _raw(), yaml.safe_load(TARGETS_YAML.read_text(encoding="utf-8"))
    assert raw["form"] == bundled["form"] and raw["groups"] == bundled["groups"]
    stripped = [{k: v for k, v in i.items() if k not in ("pillar", "scoring")} for i in raw["indicators"]]
    assert stripped == bundled["indicators"]
    result = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx"), "-t", str(PLAN), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["units"]) == 192  # every unit of the sample register


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda raw: raw["indicators"][0].update(pillar="khong_co"), "không có trụ cột 'khong_co'"),
        (lambda raw: raw["indicators"][0]["scoring"].update(method="bands"), "'bands' đi cùng method: bands"),
        (lambda raw: raw["scoring"]["grades"].pop(), "mức xếp loại thấp nhất phải bắt đầu từ 0"),
        (lambda raw: raw["scoring"]["grades"].reverse(), "các mức xếp loại phải đi từ 'min' cao xuống thấp"),
        (lambda raw: raw["indicators"][0]["scoring"].update(max=0), "'max' của tiêu chí phải lớn hơn 0"),
        # A power of ten with a billion digits, were it read as written.
        (lambda raw: raw["scoring"]["grades"][-1].update(min="1e-999999999"), "chỉ số phải là số từ 0 đến 1"),
        (lambda raw: raw["indicators"][0]["scoring"].update(max=1001), "điểm phải là số từ 0 đến 1000"),
        (lambda raw: raw.pop("scoring"), "có 'scoring' hoặc 'pillar' nhưng tệp không có khối 'scoring'"),
        (
            lambda raw: raw["scoring"]["criteria"][0].update(
                sheet="csdl", numerator="dat_chuan", mode="count", denominator=[]
            ),
            "phải tính trên biểu 'co_quan'",
        ),
    ],
    ids=[
        "pillar",
        "bands",
        "grades-zero",
        "grades-order",
        "max-zero",
        "index-exponent",
        "points-range",
        "no-block",
        "sheet",
    ],
)
def test_a_bad_scoring_block_is_one_line_at_its_yaml_line(tmp_path: Path, change: Any, expected: str) -> None:
    raw = _raw()
    raw.pop("register")
    change(raw)
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx"), "-t", str(path)])
    assert result.exit_code == 2
    line = result.stderr.splitlines()[0]
    assert line.startswith(f"qbplan: {path}:") and expected in line, result.stderr
    assert int(line.split(":")[2]) > 1  # at the line of the block, not the file's top


def test_a_plan_without_scoring_is_refused_and_a_workbook_goes_to_a_pipe(tmp_path: Path) -> None:
    plain = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx")])
    assert plain.exit_code == 2 and "không có khối 'scoring'" in plain.stderr
    assert "samples/cham-diem/targets.yaml" in plain.stderr
    # To a pipe (not a terminal: tests/test_emit.py holds that refusal) the workbook's bytes, whole.
    binary = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx"), "-t", str(PLAN), "-f", "xlsx"])
    assert binary.exit_code == 0 and openpyxl.load_workbook(io.BytesIO(binary.stdout_bytes)).worksheets
    over = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx"), "-t", str(PLAN), "-f", "xlsx",
                               "-o", str(SAMPLES / "survey.xlsx")])  # fmt: skip
    assert over.exit_code == 2 and (SAMPLES / "survey.xlsx").read_bytes()[:2] == b"PK"


def test_rows_left_out_for_errors_exit_3_and_are_not_scored(tmp_path: Path) -> None:
    rows = [agency(ma_don_vi="T001"), agency(ma_don_vi="T002", so_cbcc="nhiều")]
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    result = runner.invoke(app, ["rank", str(form), "-t", str(_plan(tmp_path)), "-f", "json"])
    assert result.exit_code == 3
    assert [u["key"] for u in json.loads(result.stdout)["units"]] == ["T001"]


# --- the arithmetic alone


@given(st.lists(st.fractions(min_value=0, max_value=1, max_denominator=12), max_size=30))
def test_competition_ranks_are_one_plus_those_strictly_above(values: list[Fraction]) -> None:
    assert competition_ranks(values) == [1 + sum(1 for o in values if o > v) for v in values]


@given(
    st.fractions(min_value=0, max_value=1, max_denominator=50),
    st.fractions(min_value=Fraction(1, 20), max_value=1, max_denominator=20),
    st.integers(min_value=1, max_value=40),
)
def test_points_stay_within_zero_and_max_and_capped_reaches_max_at_target(
    rate: Fraction, target: Fraction, most: int
) -> None:
    top = Fraction(most)
    for method in ("linear", "capped", "bands", "best"):
        bands = ((Fraction(1, 2), top / 2), (Fraction(9, 10), top))
        earned = points_for(method, rate, top, target=target, bands=bands, best=Fraction(1))  # type: ignore[arg-type]
        assert 0 <= earned <= top
    assert points_for("capped", target, top, target=target) == top
    assert points_for("capped", rate, top, target=target) == min(rate / target, 1) * top
    assert points_for("best", rate, top, target=target, best=Fraction(0)) == 0


@pytest.mark.slow
def test_libreoffice_prints_each_scorecard_on_one_page(tmp_path: Path) -> None:
    import re
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("no LibreOffice here: the page setup is checked by test_each_scorecard_is_one_unit_on_one_a4_page")
    rows = _units(11, 3)
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    cards = tmp_path / "phieu.xlsx"
    assert (
        runner.invoke(app, ["rank", str(form), "-t", str(_plan(tmp_path)), "-f", "cards", "-o", str(cards)]).exit_code
        == 0
    )
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(cards)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "phieu.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == len(rows)
    # A4 portrait, 595 × 842 points, on every page.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all((round(float(w)), round(float(h))) == (595, 842) for w, h in boxes)


def _with_unit_targets(tmp_path: Path) -> Path:
    raw = _raw()
    raw.pop("register", None)
    raw["scoring"]["unit_targets"] = [{"key": "muc_tieu_ct02b", "label": "Mục tiêu ct02b (%)", "criterion": "ct02b"}]
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _register_with_targets(path: Path, rows: list[dict[str, Any]], targets: list[Any]) -> Path:
    from tests.helpers import register_columns, write_grid

    cols = register_columns("co_quan")
    grid = [[c["label"] for c in cols] + ["Mục tiêu ct02b (%)"]]
    grid += [[row.get(c["key"]) for c in cols] + [t] for row, t in zip(rows, targets, strict=True)]
    return write_grid(path, {"co_quan": grid})


def test_a_units_own_target_comes_from_its_register_column(tmp_path: Path) -> None:
    rows = [agency(ma_don_vi=k, ten_don_vi=k, so_vien_chuc=10, so_vien_chuc_trang_bi=4) for k in ("T001", "T002")]
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    plan = _with_unit_targets(tmp_path)
    register = _register_with_targets(tmp_path / "dm.xlsx", rows, ["50", None])
    doc = _rank_json([str(form), "-t", str(plan), "-r", str(register)])
    ct02b = {u["key"]: next(c for c in u["criteria"] if c["id"] == "ct02b") for u in doc["units"]}
    # 4/10 against T001's own 50 %: 8 of 10; T002 has none, so the plan's 70 %: 40/7.
    assert Fraction(ct02b["T001"]["points_exact"]) == Fraction(4, 10) / Fraction(1, 2) * 10
    assert Fraction(ct02b["T002"]["points_exact"]) == Fraction(4, 10) / Fraction(7, 10) * 10
    assert (ct02b["T001"]["target_exact"], ct02b["T002"]["target_exact"]) == ("1/2", "7/10")
    bad = _register_with_targets(tmp_path / "dm-sai.xlsx", rows, ["năm mươi", None])
    refused = runner.invoke(app, ["rank", str(form), "-t", str(plan), "-r", str(bad)])
    assert refused.exit_code == 2
    assert "đơn vị T001, cột 'Mục tiêu ct02b (%)': 'năm mươi' không phải tỷ lệ phần trăm" in refused.stderr


def test_a_unit_target_for_a_criterion_that_is_not_capped_is_refused_at_its_line(tmp_path: Path) -> None:
    raw = _raw()
    raw.pop("register", None)
    raw["scoring"]["unit_targets"] = [{"key": "muc_tieu_ct01", "label": "Mục tiêu ct01", "criterion": "ct01"}]
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx"), "-t", str(path)])
    assert result.exit_code == 2 and "'ct01' không phải tiêu chí chấm điểm kiểu capped" in result.stderr


def test_a_file_that_cannot_be_read_gives_no_ranking(tmp_path: Path) -> None:
    # Its units would rank as having sent nothing, at 0 points: nothing is shown, nothing saved.
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": [agency(ma_don_vi="T001")]})
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    db = tmp_path / "h.db"
    args = ["rank", str(form), str(broken), "-t", str(_plan(tmp_path)), "--period", "2025", "--save", "--db", str(db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stdout == ""
    assert str(broken) in result.stderr and result.stderr.count("\n") == 1
    assert not db.exists()


def test_by_district_with_a_register_counts_each_groups_missing_units_once(tmp_path: Path) -> None:
    sent = [
        agency(ma_don_vi="T001", ten_don_vi="Sở A"),
        agency(ma_don_vi="T002", ten_don_vi="Sở B"),
        agency(ma_don_vi="X1", ten_don_vi="Xã 1", cap="xa", loai="ubnd_xa", huyen="Đồng Hới"),
    ]
    lost = [
        agency(ma_don_vi="T003", ten_don_vi="Sở C"),
        agency(ma_don_vi="X9", ten_don_vi="Xã 9", cap="xa", loai="ubnd_xa", huyen="Lệ Thủy"),
    ]
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": sent})
    register = write_register(tmp_path / "dm.xlsx", {"co_quan": sent + lost})
    args = [str(form), "-t", str(_plan(tmp_path)), "-r", str(register), "--by", "huyen"]
    doc = _rank_json(args)
    groups = {u["key"]: (u["missing"], u["missing_units"]) for u in doc["units"]}
    # The province's blank district is one group, rows and register alike; Lệ Thủy sent nothing at all.
    assert groups == {"": (False, 1), "Đồng Hới": (False, 0), "Lệ Thủy": (True, 1)}
    assert next(u for u in doc["units"] if u["key"] == "Lệ Thủy")["index"] == 0
    table = runner.invoke(app, ["rank", *args], env={"COLUMNS": "160"}).stdout
    assert "Cấp tỉnh" in table and "1 đơn vị chưa gửi số liệu" in table
    levels = " ".join(runner.invoke(app, ["rank", str(form), "-t", str(_plan(tmp_path)), "--by", "cap"]).stdout.split())
    assert "│ Tỉnh │" in levels and "│ Xã │" in levels  # an enum's groups by their labels


@pytest.mark.parametrize("columns", [60, 200])
def test_piped_ranking_follows_columns_and_never_says_to_widen_a_window(columns: int) -> None:
    result = runner.invoke(app, ["rank", str(SAMPLES / "survey.xlsx"), "-t", str(PLAN)], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns and "mở rộng cửa sổ" not in result.stdout
