"""A round backed up and restored, on each engine: nothing lost, and nothing written over on the way.

SQLite: ``qbplan serve backup`` and ``restore``. PostgreSQL: ``pg_dump`` and ``pg_restore``, as
docs/deploy.md gives them (the files and the secret are in the database).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from qbplan.cli import app as cli
from qbplan.serve.app import ServeConfig, create_app, unit_links
from tests.helpers import clean_postgres, driver_url, postgres_url
from tests.serve.intake import _link, _upload, _valid_workbook, serve_config, signed_in

runner = CliRunner()


def _round(config: ServeConfig, tmp_path: Path) -> tuple[bytes, list[tuple[str, str, str]]]:
    """A round with two files sent, one accepted: the accepted bytes and every unit's link."""
    client = TestClient(create_app(config), follow_redirects=True)
    accepted = _valid_workbook(tmp_path, "T002")
    _upload(client, _link(config, "T002"), accepted)
    _upload(client, _link(config, "T003"), _valid_workbook(tmp_path, "T003"))
    csrf = signed_in(client)
    client.post("/planner/s/1/decide", data={"decision": "accepted", "note": "đủ", "csrf": csrf})
    return accepted, unit_links(config, "")


def _as_it_was(config: ServeConfig, accepted: bytes, links: list[tuple[str, str, str]]) -> None:
    """The round after a restore: the same links, both submissions, the decision and the accepted file."""
    assert unit_links(config, "") == links
    client = TestClient(create_app(config), follow_redirects=True)
    signed_in(client)
    assert "đủ" in client.get("/planner/s/1").text and client.get("/planner/s/2").status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(client.get("/planner/accepted.zip").content))
    assert [archive.read(n) for n in archive.namelist() if n != "danh-sach.txt"] == [accepted]
    assert client.get(_link(config, "T002")).status_code == 200


def test_a_round_on_sqlite_is_backed_up_and_restored_whole(tmp_path: Path) -> None:
    config = serve_config(tmp_path, f"sqlite:///{tmp_path / 'intake' / 'intake.db'}")
    accepted, links = _round(config, tmp_path)
    backup = tmp_path / "sao-luu"
    made = runner.invoke(cli, ["serve", "backup", str(backup), "--folder", str(config.folder)])
    assert made.exit_code == 0, made.output
    assert "đã sao lưu 2 bài gửi, 2 tệp" in made.stderr
    # One database file (no -wal or -shm beside it, whatever the server's mode), the files, the secret.
    assert sorted(p.name for p in backup.iterdir()) == ["files", "intake.db", "qbplan-backup.json", "secret.key"]
    shutil.rmtree(config.folder)  # the machine is lost
    back = runner.invoke(cli, ["serve", "restore", str(backup), "--folder", str(config.folder)])
    assert back.exit_code == 0, back.output
    _as_it_was(config, accepted, links)


def test_a_backup_never_writes_over_and_a_changed_one_is_not_restored(tmp_path: Path) -> None:
    config = serve_config(tmp_path, f"sqlite:///{tmp_path / 'intake' / 'intake.db'}")
    _round(config, tmp_path)
    there = tmp_path / "da-co"
    there.mkdir()
    (there / "x").write_text("giữ nguyên", encoding="utf-8")
    refused = runner.invoke(cli, ["serve", "backup", str(there), "--folder", str(config.folder)])
    assert refused.exit_code == 2 and (there / "x").read_text(encoding="utf-8") == "giữ nguyên"
    assert "đã có; bản sao lưu không ghi đè lên gì" in refused.stderr
    backup = tmp_path / "sao-luu"
    assert runner.invoke(cli, ["serve", "backup", str(backup), "--folder", str(config.folder)]).exit_code == 0
    stored = next((backup / "files").iterdir())
    stored.write_bytes(stored.read_bytes() + b"\0")
    target = tmp_path / "khoi-phuc"
    damaged = runner.invoke(cli, ["serve", "restore", str(backup), "--folder", str(target)])
    assert damaged.exit_code == 2 and "bị thiếu hoặc đã thay đổi; không khôi phục gì" in damaged.stderr
    assert not target.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".khoi-phuc")] == []


def test_a_missing_stored_file_is_said_and_the_backup_exits_1(tmp_path: Path) -> None:
    config = serve_config(tmp_path, f"sqlite:///{tmp_path / 'intake' / 'intake.db'}")
    _round(config, tmp_path)
    lost = sorted((config.folder / "files").iterdir())[0]
    lost.unlink()
    made = runner.invoke(cli, ["serve", "backup", str(tmp_path / "sao-luu"), "--folder", str(config.folder)])
    assert made.exit_code == 1 and f"1 tệp lưu bị thiếu hoặc hỏng, không có trong bản sao: {lost.name}" in made.stderr


def test_a_round_on_postgresql_is_backed_up_by_pg_dump_and_restored(tmp_path: Path) -> None:
    url = driver_url(postgres_url())
    clean_postgres(url)
    config = serve_config(tmp_path, url)
    accepted, links = _round(config, tmp_path)
    libpq = postgres_url().replace("postgresql+psycopg://", "postgresql://")
    dump = tmp_path / "dot.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), libpq], check=True, timeout=120)
    clean_postgres(url)  # the database is lost
    shutil.rmtree(config.folder)  # and the server's folder, its cache
    subprocess.run(["pg_restore", "--no-owner", "-d", libpq, str(dump)], check=True, timeout=120)
    _as_it_was(config, accepted, links)
    clean_postgres(url)


def test_backup_points_a_postgresql_round_to_pg_dump(tmp_path: Path) -> None:
    refused = runner.invoke(cli, ["serve", "backup", str(tmp_path / "b"), "--db", "postgresql://u:secret@h/db"])
    assert refused.exit_code == 2 and "pg_dump -Fc" in refused.stderr and "secret" not in refused.stderr
    assert not (tmp_path / "b").exists()


@pytest.fixture(autouse=True)
def _no_stray_parts(tmp_path: Path) -> None:
    """No half-made backup or restore (``.NAME.*.part``) is ever left beside its target."""
    yield
    assert [p.name for p in tmp_path.glob(".*.part")] == []
