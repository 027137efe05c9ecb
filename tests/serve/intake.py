"""Helpers for the intake's tests: the service on the sample register, a unit's link, an upload, a workbook."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
from fastapi.testclient import TestClient

from qbplan.config.targets import load_targets
from qbplan.run.pipeline import CheckOptions, read_register
from qbplan.serve.app import ServeConfig, unit_links
from tests.helpers import SAMPLES, agency, write_form

PLANNER = "mat-khau-cua-can-bo"
CORPUS = Path(__file__).parents[1] / "corpus" / "files"


def serve_config(tmp_path: Path, db_url: str, period: str = "2025") -> ServeConfig:
    """The service on the sample register, its records on the given engine."""
    targets = load_targets()
    register = read_register(targets, CheckOptions(register=(str(SAMPLES / "danh-muc.xlsx"),)))
    assert register is not None
    return ServeConfig(
        targets=targets,
        register=register,
        folder=tmp_path / "intake",
        period=period,
        db_url=db_url,
        planner_token=PLANNER,
        max_upload=2 * 1024 * 1024,
    )


def _link(config: ServeConfig, key: str) -> str:
    return next(link for k, _, link in unit_links(config, "") if k == key)


def links_secret_of(config: ServeConfig) -> bytes:
    """The secret the round's links are made from: the folder's file on SQLite, the database's on a server."""
    from qbplan.intake.store import IntakeStore
    from qbplan.serve.security import known_links_secret

    with IntakeStore(config.db_url) as store:
        return known_links_secret(config.folder, store)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def _upload(client: TestClient, link: str, data: bytes, name: str = "bieu.xlsx") -> tuple[int, str]:
    csrf = _csrf(client.get(link).text)
    response = client.post(f"{link}/upload", data={"csrf": csrf}, files={"file": (name, data)})
    return response.status_code, response.text


def _valid_workbook(tmp_path: Path, key: str = "T002") -> bytes:
    path = write_form(tmp_path / f"{key}.xlsx", {"co_quan": [agency(ma_don_vi=key, ten_don_vi="Sở Nội vụ")]})
    return path.read_bytes()


def signed_in(client: TestClient) -> str:
    """Sign the planner in; the dashboard's CSRF token."""
    client.post("/planner/login", data={"token": PLANNER})
    return _csrf(client.get("/planner").text)


def unit_row(client: TestClient, key: str) -> str:
    """The dashboard's line of one unit, as HTML."""
    found = re.search(rf'data-unit="{key}">(.*?)</tr>', client.get("/planner").text, re.S)
    assert found is not None
    return found.group(1)


def fill_form(content: bytes, targets: Any) -> bytes:
    """A unit's downloaded form filled as a unit fills it: every figure of its prefilled rows typed in.

    Counts are 10 (so every "no larger than" rule holds), yes/no answers "Có";
    what the form wrote in (codes, names, levels) is left as it is.
    """
    wb = openpyxl.load_workbook(io.BytesIO(content))
    for spec in targets.form.sheets:
        if spec.label[:31] not in wb.sheetnames:
            continue
        ws = wb[spec.label[:31]]
        labels = {c.label: c for c in spec.columns}
        header = next(
            row for row in ws.iter_rows(min_row=1, max_row=15) if sum(1 for c in row if c.value in labels) >= 2
        )
        columns = {cell.column: labels[cell.value] for cell in header if cell.value in labels}
        key = next(j for j, c in columns.items() if c.unique)
        for row in ws.iter_rows(min_row=header[0].row + 1):
            if row[key - 1].value in (None, "") or str(row[key - 1].value).startswith("("):
                continue
            for j, col in columns.items():
                cell = row[j - 1]
                if cell.value in (None, "") and col.type in ("int", "yesno"):
                    cell.value = 10 if col.type == "int" else "Có"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def kept_rows(page: str, table_id: str) -> list[tuple[str, str]]:
    """What and why of each row of the table ``table_id`` (its second and fourth cells: after when, beside who)."""
    return [(what, why) for what, _, why in _kept(page, table_id)]


def kept_by(page: str, table_id: str) -> list[str]:
    """Who did each act of the table ``table_id`` (its third cell)."""
    return [who for _, who, _ in _kept(page, table_id)]


def _kept(page: str, table_id: str) -> list[tuple[str, str, str]]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.S)
    assert table is not None, table_id
    return re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table.group(1))
