"""Folders of submissions: one evaluation over ~50 files, equal to an independent computation."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from qbplan.model.wording import describe
from qbplan.run.pipeline import CheckOptions, check
from tests.helpers import SAMPLES, agency, reference, write_form
from tests.helpers.layouts import Layout, write_admin

DISTRICTS = [
    "Đồng Hới",
    "Ba Đồn",
    "Lệ Thủy",
    "Quảng Ninh",
    "Bố Trạch",
    "Quảng Trạch",
    "Tuyên Hóa",
    "Minh Hóa",
    "Quảng Trạch 2",
    "Bắc Trạch",
]


def _submissions(root: Path, seed: int = 2972) -> dict[str, list[dict[str, Any]]]:
    """10 district files and 40 commune files; returns all logical rows by sheet."""
    rng = random.Random(seed)
    everything: dict[str, list[dict[str, Any]]] = {"co_quan": [], "ho_gia_dinh": [], "doanh_nghiep": []}
    for d, district in enumerate(DISTRICTS):
        cbcc = rng.randint(20, 80)
        vc = rng.randint(0, 40)
        ubnd = agency(
            ma_don_vi=f"H{d:02d}",
            ten_don_vi=f"UBND {district}",
            cap="huyen",
            loai="ubnd_huyen",
            huyen=district,
            ha_tang_dat_chuan=rng.random() < 0.8,
            so_cbcc=cbcc,
            so_cbcc_trang_bi=rng.randint(0, cbcc),
            so_vien_chuc=vc,
            so_vien_chuc_trang_bi=rng.randint(0, vc),
            so_nguoi_dao_tao_cntt=rng.randint(0, cbcc + vc),
            co_trang_ttdt=rng.random() < 0.9,
        )
        firms = rng.randint(100, 3000)
        dn = [{"huyen": district, "so_doanh_nghiep": firms, "so_dn_giao_dich_dien_tu": rng.randint(0, firms)}]
        data = {"co_quan": [ubnd], "doanh_nghiep": dn}
        writer = write_admin if d % 2 else write_form
        writer(root / f"huyen-{d:02d}.xlsx", data)
        for key, rows in data.items():
            everything[key] += rows
        for c in range(4):
            so_ho = rng.randint(300, 3000)
            ho = [
                {
                    "ma_xa": f"X{d:02d}{c}",
                    "ten_xa": f"Xã {d}-{c}",
                    "huyen": district,
                    "so_ho": so_ho,
                    "so_ho_biet_cntt": rng.randint(0, so_ho),
                }
            ]
            cbcc = rng.randint(5, 25)
            xa = agency(
                ma_don_vi=f"X{d:02d}{c}",
                ten_don_vi=f"UBND xã {d}-{c}",
                cap="xa",
                loai="ubnd_xa",
                huyen=district,
                so_cbcc=cbcc,
                so_cbcc_trang_bi=rng.randint(0, cbcc),
                so_vien_chuc=0,
                so_vien_chuc_trang_bi=0,
                so_nguoi_dao_tao_cntt=rng.randint(0, cbcc),
                so_nghiep_vu=20,
                so_nghiep_vu_tin_hoc_hoa=rng.randint(0, 20),
                co_trang_ttdt=rng.random() < 0.7,
            )
            folder = root / "xa" / f"huyen-{d:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (write_admin if c % 2 else write_form)(
                folder / f"xa-{c}.xlsx",
                {"co_quan": [xa], "ho_gia_dinh": ho},
                *(() if not c % 2 else (Layout(sections=False),)),
            )
            everything["co_quan"].append(xa)
            everything["ho_gia_dinh"] += ho
    return everything


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[dict[str, Any]]]]:
    root = tmp_path_factory.mktemp("nop")
    return root, _submissions(root)


def _numbers(report: Any) -> dict[str, tuple[int, int, str]]:
    return {r.id: (r.numerator, r.denominator, r.status) for r in report.indicators}


@pytest.mark.slow
def test_fifty_files_give_the_independent_rates(folder, targets) -> None:  # type: ignore[no-untyped-def]
    root, logical = folder
    report = check([root], targets, CheckOptions(jobs=2))
    assert len(report.files) == 50 and report.unreadable_files == 0
    assert report.errors == []
    expected = reference(logical)
    assert {k: v for k, v in _numbers(report).items() if k in expected} == expected
    assert report.rows_read == sum(len(rows) for rows in logical.values())
    # Deterministic: the same run gives the same report, whatever the worker timing.
    again = check([root], targets, CheckOptions(jobs=1))
    assert [f.file for f in again.files] == [f.file for f in report.files]
    assert _numbers(again) == _numbers(report)


def test_a_broken_file_is_reported_and_the_rest_still_count(folder, targets, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, logical = folder
    batch = tmp_path / "batch"
    shutil.copytree(root, batch)
    (batch / "xa" / "huyen-03" / "hong.xlsx").write_bytes(b"PK\x03\x04 truncated")
    report = check([batch], targets, CheckOptions(jobs=2))
    assert report.exit_code == 2
    (error,) = report.errors
    assert error.code == "input-corrupt" and error.file.endswith("hong.xlsx")
    expected = reference(logical)
    assert {k: v for k, v in _numbers(report).items() if k in expected} == expected


def test_a_resubmission_is_reported_with_both_places_and_counted_once(folder, targets, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, logical = folder
    batch = tmp_path / "batch"
    shutil.copytree(root, batch)
    original = batch / "xa" / "huyen-02" / "xa-0.xlsx"
    # "xa-0-nop-lai.xlsx" sorts before "xa-0.xlsx" ('-' < '.'): it is read
    # first, so it counts and the original is the duplicate.
    first = batch / "xa" / "huyen-02" / "xa-0-nop-lai.xlsx"
    shutil.copy(original, first)
    report = check([batch], targets)
    assert report.exit_code == 3
    codes = sorted((f.code, f.column) for f in report.errors)
    assert codes == [("duplicate-across-files", "ma_don_vi"), ("duplicate-across-files", "ma_xa")]
    for f in report.errors:
        assert f.file == str(original) and f"{first}, '{f.sheet}'!A2" in describe(f)
    expected = reference(logical)
    assert {k: v for k, v in _numbers(report).items() if k in expected} == expected


def test_junit_report_parses_and_carries_the_numbers(folder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = folder
    out = tmp_path / "results.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "qbplan", "check", str(root), "--format", "junit", "--output", str(out), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout == "" and proc.returncode in (0, 1)
    doc = ET.parse(out).getroot()
    assert doc.tag == "testsuites"
    indicators, files = doc.findall("testsuite")
    cases = indicators.findall("testcase")
    assert len(cases) == 14
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(indicators.get("failures", "-1")) == len(failed) == int(doc.get("failures", "-1"))
    assert (proc.returncode == 1) == bool(failed)
    for case in failed:
        assert "(" in case.find("failure").get("message", "") and "/" in case.find("failure").get("message", "")
    assert len(files.findall("testcase")) == 50 and files.get("errors") == "0"


def test_json_to_stdout_is_the_only_stdout(folder) -> None:  # type: ignore[no-untyped-def]
    root, _ = folder
    proc = subprocess.run(
        [sys.executable, "-m", "qbplan", "check", str(root), "-f", "json"], capture_output=True, text=True, check=False
    )
    doc = json.loads(proc.stdout)
    assert len(doc["files"]) == 50 and all("layout_rows" in f for f in doc["files"])
    assert proc.stderr == ""  # not a terminal: no progress bar


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    folder = tmp_path / "nop"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), b"\xff\xfe.xlsx")  # as zips from Windows leave them
    with open(name, "wb") as fh:
        fh.write((SAMPLES / "survey.xlsx").read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "qbplan", "check", str(folder), "-f", "json"], capture_output=True, check=False
    )
    doc = json.loads(proc.stdout.decode("utf-8"))  # valid UTF-8, whatever the name
    assert proc.returncode == 1 and doc["errors"] == []  # read, not "corrupt"
    assert doc["files"][0]["file"].endswith("\\xff\\xfe.xlsx") and doc["summary"]["rows_read"] == 391
    out = tmp_path / "r.md"
    assert (
        subprocess.run(
            [sys.executable, "-m", "qbplan", "check", str(folder), "-f", "markdown", "-o", str(out)]
        ).returncode
        == 1
    )
    assert "\\\\xff\\\\xfe.xlsx" in out.read_text(encoding="utf-8")
