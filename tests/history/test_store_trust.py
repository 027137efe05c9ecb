"""A shared history database: readers write nothing, failed saves say why in one line, edits are caught."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.history.periods import parse_period
from qbplan.history.record import save_run
from qbplan.history.store import APPLICATION_ID, HistoryError, open_store
from tests.helpers import SAMPLES
from tests.history.saver import heavy_report

runner = CliRunner()


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of the folder with its size and modification time: what a reader must leave as it was."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _wal_database(path: Path) -> None:
    """A database as an older qbplan left it: in WAL mode, closed cleanly (no -wal, no -shm)."""
    save_run(heavy_report(3), parse_period("2024"), path, ["qbplan"])
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    assert not path.with_name(path.name + "-wal").exists()


@pytest.mark.parametrize("mode", ["delete", "wal"])
def test_history_and_compare_write_nothing_beside_the_database(tmp_path: Path, mode: str) -> None:
    db = tmp_path / "h.db"
    if mode == "wal":
        _wal_database(db)
    else:
        shutil.copy(SAMPLES / "history.db", db)
    before = _listing(tmp_path)
    # The sample database answers (the survey misses targets: 1); the older one holds another plan's
    # run only, and each reader refuses in one line (2). Neither writes a file beside it.
    codes = (0, 0, 1) if mode == "delete" else (2, 2, 2)
    for args, code in zip(
        (
            ["history", "--db", str(db)],
            ["history", "--db", str(db), "--runs", "-f", "json"],
            ["check", str(SAMPLES / "survey.xlsx"), "--compare", "2024", "--db", str(db), "-f", "json"],
        ),
        codes,
        strict=True,
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == code and "Traceback" not in result.output, (args, result.output)
        assert _listing(tmp_path) == before, args


def test_a_save_leaves_a_database_readers_can_share(tmp_path: Path) -> None:
    """After a save the file is in rollback-journal mode, with no companion files left behind."""
    db = tmp_path / "h.db"
    _wal_database(db)
    save_run(heavy_report(1), parse_period("2025"), db, ["qbplan"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.db"]
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def _patched_connect(monkeypatch: pytest.MonkeyPatch, after_open: str) -> None:
    """Open the writable connection as SQLite would on a file it cannot write: a real SQLite refusal."""
    real = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if kwargs.get("uri"):
            return real(database, *args, **kwargs)
        if after_open == "readonly":
            return real(f"{Path(database).resolve().as_uri()}?mode=ro", *args, uri=True, **kwargs)
        con = real(database, *args, **kwargs)
        # No page beyond those there: the next insert is SQLite's "database or disk is full".
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return con

    monkeypatch.setattr(sqlite3, "connect", connect)


def test_a_save_to_a_read_only_database_is_one_line_and_the_saved_runs_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.db"
    shutil.copy(SAMPLES / "history.db", db)
    before = db.read_bytes()
    _patched_connect(monkeypatch, "readonly")
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--period", "2026", "--save", "--db", str(db)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "chỉ đọc" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    monkeypatch.undo()
    assert db.read_bytes() == before


def test_a_full_disk_during_a_save_is_one_line_and_the_saved_runs_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.db"
    save_run(heavy_report(3), parse_period("2024"), db, ["qbplan"])
    before = db.read_bytes()
    _patched_connect(monkeypatch, "full")
    with pytest.raises(HistoryError) as info:
        save_run(heavy_report(3000), parse_period("2025"), db, ["qbplan"])
    monkeypatch.undo()
    assert info.value.code == "history-db-not-written" and "full" in str(info.value.params["detail"])
    assert db.read_bytes() == before
    assert not db.with_name("h.db-journal").exists()


_SERIES = (["history", "-f", "json"], ["history", "--runs"])
_RUNS = (["history", "--runs"],)


@pytest.mark.parametrize(
    ("statement", "detail", "commands"),
    [
        ("UPDATE indicators SET numerator = 'abc'", "integer", _SERIES),
        ("UPDATE indicators SET numerator = '" + "9" * 5000 + "'", "integer", _SERIES),
        ("UPDATE indicators SET target = '1/0'", "n/d", _SERIES),
        ("UPDATE indicators SET target = 'x'", "n/d", _SERIES),
        ("UPDATE indicators SET status = 'great'", "great", _SERIES),
        ("UPDATE indicators SET mode = 'avg'", "avg", _SERIES),
        ("UPDATE runs SET period = '2024-Q9'", "usage-bad-period", _SERIES),
        ("UPDATE runs SET period = 42", "usage-bad-period", _SERIES),
        ("UPDATE runs SET saved_at = x'00'", "text", _RUNS),
        ("UPDATE files SET size = 'big'", "integer", _RUNS),
        ("DROP TABLE files", "no such table", _RUNS),
    ],
)
def test_a_tampered_database_is_one_line_naming_it(
    tmp_path: Path, statement: str, detail: str, commands: tuple[list[str], ...]
) -> None:
    db = tmp_path / "h.db"
    shutil.copy(SAMPLES / "history.db", db)
    con = sqlite3.connect(db)
    con.execute(statement)
    con.commit()
    con.close()
    for args in commands:
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert str(db) in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(HistoryError) as info:
        store = open_store(db, create=False)
        try:
            store.runs("qd-2972-2017-quang-binh")
            store.current("qd-2972-2017-quang-binh")
        finally:
            store.close()
    assert info.value.code == "history-db-corrupt" and detail in str(info.value.params["detail"])


def test_a_backup_that_cannot_be_made_stops_the_migration_and_the_database_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.history.test_store import SCHEMA_1

    db = tmp_path / "cu.db"
    con = sqlite3.connect(db)
    for statement in SCHEMA_1:
        con.execute(statement)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    before = db.read_bytes()
    _patched_connect(monkeypatch, "readonly")  # the copy beside it cannot be written either
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--period", "2026", "--save", "--db", str(db)])
    monkeypatch.undo()
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and f"không tạo được bản sao {db}.v1.bak" in line, line
    assert db.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["cu.db"]
