"""Several intake servers on one PostgreSQL database, each with its own folder, as two machines run them.

Each server is a whole application of its own (its service, its caches, its folder); only the
database is shared: two apps in this process, and two ``qbplan serve`` processes. A unit's
whole flow crosses them: sent through A, read, accepted and reported on B, and the same link works
on both.
"""

from __future__ import annotations

import csv
import io
import re
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from qbplan.serve.app import ServeConfig, create_app, unit_links
from qbplan.serve.service import province_report
from tests.helpers import SAMPLES, clean_postgres, driver_url, postgres_url
from tests.serve.intake import _link, _upload, _valid_workbook, serve_config, signed_in


@pytest.fixture
def shared_db() -> Iterator[str]:
    url = driver_url(postgres_url())
    clean_postgres(url)
    yield url
    clean_postgres(url)


def _servers(tmp_path: Path, db: str) -> tuple[ServeConfig, ServeConfig]:
    a = serve_config(tmp_path / "a", db)
    return a, replace(a, folder=tmp_path / "b" / "intake")


def test_a_units_flow_crosses_two_servers_without_a_shared_folder(tmp_path: Path, shared_db: str) -> None:
    config_a, config_b = _servers(tmp_path, shared_db)
    app_a, app_b = create_app(config_a), create_app(config_b)
    # One secret for the round, kept by the database: every unit's link is the same on both.
    assert unit_links(config_a, "") == unit_links(config_b, "")
    a, b = TestClient(app_a, follow_redirects=True), TestClient(app_b, follow_redirects=True)
    link = _link(config_a, "T002")
    workbook = _valid_workbook(tmp_path)
    assert _upload(a, link, workbook)[0] == 200
    assert b.get(f"{link}/s/1").status_code == 200  # the unit's verdict, through the other server
    csrf = signed_in(b)
    decided = b.post("/planner/s/1/decide", data={"decision": "accepted", "note": "", "csrf": csrf})
    assert decided.status_code == 200
    # B never received the file: it reads the database's copy, byte for byte.
    archive = zipfile.ZipFile(io.BytesIO(b.get("/planner/accepted.zip").content))
    sent = [n for n in archive.namelist() if n != "danh-sach.txt"]
    assert len(sent) == 1 and archive.read(sent[0]) == workbook
    # Both servers' province reports read the same accepted file: the same figures, no file missing.
    report_a, report_b = province_report(app_a.state.service), province_report(app_b.state.service)
    assert report_a is not None and report_b is not None
    figures = [[(i.id, i.numerator, i.denominator) for i in r.indicators] for r in (report_a, report_b)]
    assert figures[0] == figures[1]
    assert not [f for f in report_b.errors + report_b.warnings if f.code.startswith("input-")]
    assert b.get("/planner/report.xlsx").status_code == 200


def test_a_round_begun_with_a_folders_secret_keeps_its_links_when_it_moves_to_the_database(
    tmp_path: Path, shared_db: str
) -> None:
    import sqlalchemy

    from qbplan.errors import QbplanError
    from qbplan.serve import security

    config_a, config_b = _servers(tmp_path, shared_db)
    create_app(config_a)
    # As a round begun before the database kept the secret: server A's folder has it, the
    # database only its fingerprint, and the links sent to the units were made from it.
    secret = security.create_secret(config_a.folder)
    engine = sqlalchemy.create_engine(shared_db)
    with engine.begin() as con:
        con.exec_driver_sql("DELETE FROM settings WHERE key = %s", (security.SHARED,))
        con.exec_driver_sql(
            "UPDATE settings SET value = %s WHERE key = %s", (security.fingerprint(secret), security.FINGERPRINT)
        )
    engine.dispose()
    sent = {key: f"/u/{security.unit_token(secret, key)}" for key in ("T002", "X19001")}
    # B first, with no such file: it cannot know the links, and says so rather than make new ones.
    with pytest.raises(QbplanError) as refused:
        create_app(config_b)
    assert refused.value.code == "serve-secret-missing"
    create_app(config_a)  # A offers its folder's secret to the database
    create_app(config_b)  # B takes it from there
    for config in (config_a, config_b):
        links = {key: link for key, _, link in unit_links(config, "")}
        assert {key: links[key] for key in sent} == sent


def test_links_rotated_on_one_server_stop_on_the_other(
    tmp_path: Path, shared_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qbplan.serve import service

    config_a, config_b = _servers(tmp_path, shared_db)
    create_app(config_a)
    b = TestClient(create_app(config_b), follow_redirects=True)
    old = _link(config_b, "T002")
    assert b.get(old).status_code == 200
    create_app(config_a, rotate_links=True)  # server A makes new links
    monkeypatch.setattr(service, "SECRET_RECHECK_SECONDS", 0.0)  # B's next look at the database is now
    new = _link(config_a, "T002")
    assert new != old and b.get(old).status_code == 404 and b.get(new).status_code == 200


def _serving(folder: Path, db: str, port: int) -> subprocess.Popen[bytes]:
    """``qbplan serve`` as a machine runs it: its own process, folder and port; the shared database."""
    cmd = [sys.executable, "-m", "qbplan", "serve", "-r", str(SAMPLES / "danh-muc.xlsx"), "--folder", str(folder),
           "--db", db, "--port", str(port), "--links", str(folder.parent.parent / f"links-{port}.csv"),
           "--planner-token", "token-of-the-planner-here"]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _up(port: int) -> None:
    for _ in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"no server on {port}")


def test_two_server_processes_with_their_own_folders_share_the_round(tmp_path: Path, shared_db: str) -> None:
    ports = []
    for _ in range(2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(int(s.getsockname()[1]))
    servers = [_serving(tmp_path / f"may-{n}" / "intake", postgres_url(), port) for n, port in enumerate(ports)]
    try:
        for port in ports:
            _up(port)
        links = []
        for port in ports:
            with open(tmp_path / f"links-{port}.csv", encoding="utf-8-sig") as fh:
                links.append({r["ma_don_vi"]: r["duong_dan"].split(f":{port}", 1)[1] for r in csv.DictReader(fh)})
        assert links[0] == links[1]  # the same secret, from the database
        a, b = (httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60, follow_redirects=True) for port in ports)
        link = links[0]["T002"]
        workbook = _valid_workbook(tmp_path)
        csrf = re.search(r'name="csrf" value="([^"]+)"', a.get(link).text)
        assert csrf is not None
        assert (
            a.post(f"{link}/upload", data={"csrf": csrf.group(1)}, files={"file": ("bieu.xlsx", workbook)}).status_code
            == 200
        )
        b.post("/planner/login", data={"token": "token-of-the-planner-here"})
        token = re.search(r'name="csrf" value="([^"]+)"', b.get("/planner").text)
        assert token is not None
        decided = b.post("/planner/s/1/decide", data={"decision": "accepted", "note": "", "csrf": token.group(1)})
        assert decided.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(b.get("/planner/accepted.zip").content))
        assert [archive.read(n) for n in archive.namelist() if n != "danh-sach.txt"] == [workbook]
    finally:
        for server in servers:
            server.terminate()
            server.wait(30)
