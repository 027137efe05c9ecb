"""Helpers the tests import: workbooks written from rows, an independent reference, the test databases.

The reference reads targets.yaml with plain ``yaml.safe_load`` and computes
each indicator with ``fractions.Fraction`` in pure Python. It shares no code
with qbplan, so the two computations check each other. Kept apart from
``conftest.py`` (which holds the fixtures), as pre-commit keeps its
``testing/`` package: a test imports what it uses from here.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TARGETS_YAML = ROOT / "targets.yaml"
SAMPLES = ROOT / "samples"


def raw_targets() -> dict[str, Any]:
    """targets.yaml as plain data, read without qbplan."""
    return yaml.safe_load(TARGETS_YAML.read_text(encoding="utf-8"))


def sheet_columns(sheet_key: str) -> list[dict[str, Any]]:
    """The form columns of one sheet, as plain data."""
    for sheet in raw_targets()["form"]["sheets"]:
        if sheet["key"] == sheet_key:
            return sheet["columns"]
    raise KeyError(sheet_key)


def write_grid(path: Path, sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = ()) -> Path:
    """Write each sheet's grid (row lists) starting at A1."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, grid in sheets.items():
        ws = wb.create_sheet(name)
        for row in grid:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def grid_for(
    sheet_key: str, rows: list[dict[str, Any]], headers: str = "label", title_rows: int = 0
) -> list[list[Any]]:
    """A grid for a form sheet: optional title rows, a header row, data rows."""
    cols = sheet_columns(sheet_key)
    grid: list[list[Any]] = [["UBND TỈNH QUẢNG BÌNH"] for _ in range(title_rows)]
    grid.append([c[headers] for c in cols])
    for row in rows:
        grid.append([row.get(c["key"]) for c in cols])
    return grid


def write_form(path: Path, data: dict[str, list[dict[str, Any]]], **kwargs: Any) -> Path:
    """Write form sheets (keyed by form sheet key) with label headers."""
    return write_grid(path, {key: grid_for(key, rows, **kwargs) for key, rows in data.items()})


def _yes(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("có", "co", "x", "true", "1"))


def reference(data: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[int, int, str]]:
    """id -> (numerator, denominator, status) for *valid* logical rows."""
    out = {}
    for ind in raw_targets()["indicators"]:
        rows = data.get(ind["sheet"], [])
        scope = ind.get("scope", {})
        in_scope = [r for r in rows if all(r[c] in (v if isinstance(v, list) else [v]) for c, v in scope.items())]
        if ind["mode"] == "count":
            num = sum(1 for r in in_scope if _yes(r[ind["numerator"]]))
            den = len(in_scope)
        else:
            dens = ind["denominator"] if isinstance(ind["denominator"], list) else [ind["denominator"]]
            num = sum(int(r[ind["numerator"]]) for r in in_scope)
            den = sum(int(r[d]) for r in in_scope for d in dens)
        target = ind["target"]
        pass_at = Fraction(str(target["pass"] if isinstance(target, dict) else target)) / 100
        warn_at = Fraction(str(target["warn"])) / 100 if isinstance(target, dict) and "warn" in target else None
        if den == 0:
            status = "no_data"
        elif Fraction(num, den) >= pass_at:
            status = "pass"
        elif warn_at is not None and Fraction(num, den) >= warn_at:
            status = "warn"
        else:
            status = "fail"
        out[ind["id"]] = (num, den, status)
    return out


def agency(**overrides: Any) -> dict[str, Any]:
    """A valid co_quan row; override any column."""
    row: dict[str, Any] = {
        "ma_don_vi": "T001",
        "ten_don_vi": "Sở Thông tin và Truyền thông",
        "cap": "tinh",
        "loai": "so_nganh",
        "huyen": None,
        "ha_tang_dat_chuan": True,
        "so_cbcc": 40,
        "so_cbcc_trang_bi": 40,
        "so_vien_chuc": 10,
        "so_vien_chuc_trang_bi": 8,
        "so_nghiep_vu": 50,
        "so_nghiep_vu_tin_hoc_hoa": 45,
        "so_van_ban": 1000,
        "so_van_ban_ky_so": 950,
        "co_trang_ttdt": True,
        "co_can_bo_cntt": True,
        "so_nguoi_dao_tao_cntt": 50,
    }
    row.update(overrides)
    return row


def indicator_result(**overrides: Any) -> Any:
    """An IndicatorResult for renderer and report tests; override any field."""
    from qbplan.model.report import IndicatorResult

    fields: dict[str, Any] = {
        "id": "x",
        "title_vi": "t",
        "title_en": "t",
        "sheet": "s",
        "mode": "sum",
        "numerator": 1,
        "denominator": 2,
        "target": Fraction(1),
        "warn": None,
        "goal": "100 %",
        "status": "fail",
        "excluded_rows": 0,
        "deadline": 2025,
        "source": "s",
    }
    fields.update(overrides)
    return IndicatorResult(**fields)


def register_columns(sheet_key: str) -> list[dict[str, Any]]:
    """The columns a register gives for one sheet: the text and enum ones, as plain data."""
    return [c for c in sheet_columns(sheet_key) if c.get("type", "text") in ("text", "enum")]


def write_register(path: Path, data: dict[str, list[dict[str, Any]]]) -> Path:
    """A register workbook: per form sheet, a header of its identifying columns' labels, then the units."""
    sheets = {}
    for key, rows in data.items():
        cols = register_columns(key)
        if any("don_vi_bao_cao" in row for row in rows):
            cols.append({"key": "don_vi_bao_cao", "label": "Đơn vị báo cáo"})  # the register's own column
        if any("thu_dien_tu" in row for row in rows):
            cols.append({"key": "thu_dien_tu", "label": "Thư điện tử"})  # where reminders are written to
        sheets[key] = [[c["label"] for c in cols]] + [[row.get(c["key"]) for c in cols] for row in rows]
    return write_grid(path, sheets)


# --- the stores on each engine: SQLite always, PostgreSQL where a server is given.
# .ci/run starts a PostgreSQL server and sets QBPLAN_TEST_POSTGRES_URL and
# QBPLAN_REQUIRE_POSTGRES=1: in CI a missing server fails the tests instead of skipping them.

POSTGRES_ENV = "QBPLAN_TEST_POSTGRES_URL"


def clean_postgres(url: str) -> None:
    """Every table of the test database dropped: each test starts on an empty server."""
    # Imported here: every other test session would pay for SQLAlchemy at its start.
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    with engine.begin() as con:
        for table in inspect(con).get_table_names():
            con.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    engine.dispose()


def postgres_url() -> str:
    """The test server's URL as the user gives it (postgresql://…), or a skip (a failure in CI)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("QBPLAN_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{POSTGRES_ENV} is not set, and CI requires the PostgreSQL tests")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (.ci/run starts one)")
    return url


def driver_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def printed(workbook: Path, tmp_path: Path, layout: bool = True) -> str:
    """The workbook printed to PDF by LibreOffice and read back by pdftotext (pages split by form feeds;
    ``layout`` keeps the columns where they stand, else each cell's text runs on).

    Skipped where either is missing; ``.ci/run`` installs both, so CI runs these tests.
    """
    import shutil
    import subprocess

    office, text = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("pdftotext")
    if office is None or text is None:
        pytest.skip("no LibreOffice or pdftotext here (.ci/run installs both)")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / (workbook.stem + ".pdf")
    args = [text, *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout
