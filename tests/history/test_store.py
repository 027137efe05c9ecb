"""The history database: runs kept, saves that survive kills and each other, refusals that write nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.history.periods import parse_period
from qbplan.history.record import redacted, save_run
from qbplan.history.store import APPLICATION_ID, SCHEMA_VERSION, HistoryError, open_store
from tests.helpers import ROOT, SAMPLES
from tests.history.saver import INDICATORS, heavy_report

runner = CliRunner()


_PER_RUN = (
    "SELECT r.id, (SELECT count(*) FROM indicators i WHERE i.run_id = r.id), "
    "(SELECT count(*) FROM findings f WHERE f.run_id = r.id) FROM runs r ORDER BY r.id"
)


def _counts(db: str | Path) -> tuple[int, list[tuple[int, int, int]]]:
    """Per run (id, indicators, findings), read with the engine's own driver; an SQLite file's integrity too."""
    if "://" in str(db):
        import psycopg

        with psycopg.connect(str(db)) as pg:
            runs = [tuple(r) for r in pg.execute(_PER_RUN).fetchall()]
        return len(runs), runs  # type: ignore[return-value]
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = con.execute(_PER_RUN).fetchall()
        return len(runs), runs
    finally:
        con.close()


def test_a_later_run_of_a_period_becomes_current_and_the_earlier_one_stays(history_db: str) -> None:
    db = history_db
    first = save_run(heavy_report(3), parse_period("2024"), db, ["qbplan", "check"]).run_id
    second = save_run(heavy_report(5), parse_period("2024"), db, ["qbplan", "check"]).run_id
    store = open_store(db, create=False)
    try:
        runs = store.runs("plan")
        assert [(r.id, r.current) for r in runs] == [(first, False), (second, True)]
        assert {s.run_id for s in store.current("plan")} == {second}
    finally:
        store.close()
    assert _counts(db) == (2, [(first, INDICATORS, 3), (second, INDICATORS, 5)])


def test_the_command_line_is_saved_without_the_password() -> None:
    assert redacted(["qbplan", "check", "a b.xlsx", "--password", "bí mật", "--password=x"]) == (
        "qbplan check 'a b.xlsx' --password '***' '--password=***'"
    )
    # A server's password, in --db URL and --db=URL, one with an @ in it too.
    assert redacted(["qbplan", "--db", "postgresql://kh:b@t@may/qb", "--db=postgres://u:p@h/d"]) == (
        "qbplan --db 'postgresql://kh:***@may/qb' '--db=postgres://u:***@h/d'"
    )


def _saver(db: str | Path, findings: int, tag: str = "") -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.history.saver", str(db), str(findings), tag],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "Ctrl-C"])
def test_a_save_killed_at_any_point_leaves_the_database_as_it_was_or_with_the_whole_run(
    tmp_path: Path, sig: signal.Signals, history_db: str
) -> None:
    db = history_db
    save_run(heavy_report(10), parse_period("2023"), db, ["qbplan"])
    # How long one save takes here, to spread the kills over it.
    timing = _saver(db, 20000, "timing")
    start = time.monotonic()
    assert timing.stdin is not None
    timing.communicate("go\n")
    took = time.monotonic() - start
    rng = random.Random(2972)
    for attempt in range(12):
        before, runs_before = _counts(db)
        proc = _saver(db, 20000, f"k{attempt}")
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        time.sleep(rng.uniform(0, took * 1.2))
        proc.send_signal(sig)
        proc.communicate()
        after, runs_after = _counts(db)  # integrity_check is ok, or this fails
        if after == before:
            assert runs_after == runs_before
        else:
            assert after == before + 1
            assert runs_after[:-1] == runs_before
            assert runs_after[-1][1:] == (INDICATORS, 20000)  # the whole run, never part of one
    # The database is still usable after every kill.
    save_run(heavy_report(1), parse_period("2025"), db, ["qbplan"])
    assert _counts(db)[0] >= 2
    # Each kill above left the database unchanged or with the whole run: which, depends on timing.


@pytest.mark.slow
def test_several_saves_at_once_all_land(history_db: str) -> None:
    # Several planners, each in a process of their own, saving the same period to one store.
    db = history_db
    procs = [_saver(db, 20000, tag) for tag in ("a", "b", "c", "d")]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outs = [proc.communicate()[0] for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), outs
    count, runs = _counts(db)
    assert count == 4 and all(r[1:] == (INDICATORS, 20000) for r in runs)
    # Each said the id it got, and those are the runs in the store.
    assert sorted(int(out.split()[-1]) for out in outs) == [r[0] for r in runs]


# --- refusals: exit 2, one line, and the file's bytes unchanged


def _refused(tmp_path: Path, db: Path, expected: str) -> None:
    before = db.read_bytes()
    siblings = sorted(p.name for p in tmp_path.iterdir())
    save = runner.invoke(
        app, ["check", str(SAMPLES / "survey.xlsx"), "--period", "2024", "--save", "--db", str(db), "-q", "-f", "json"]
    )
    assert save.exit_code == 2, save.output
    assert save.stdout == ""
    assert save.stderr.count("\n") == 1 and expected in save.stderr
    history = runner.invoke(app, ["history", "--db", str(db)])
    assert history.exit_code == 2 and expected in history.stderr
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings  # no -wal, -shm or backup left beside it


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes("Biên bản họp, không phải cơ sở dữ liệu\n".encode() * 100)
    _refused(tmp_path, db, "không phải cơ sở dữ liệu lịch sử của qbplan; không ghi gì vào tệp này")


def test_another_programs_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE ke_toan (id INTEGER, so_tien INTEGER)")
    con.execute("INSERT INTO ke_toan VALUES (1, 500000)")
    con.commit()
    con.close()
    _refused(tmp_path, db, "không phải cơ sở dữ liệu lịch sử của qbplan")


def test_a_damaged_database_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    save_run(heavy_report(2000), parse_period("2024"), db, ["qbplan"])
    _checkpoint(db)
    data = bytearray(db.read_bytes())
    # Overwrite pages past the header: the schema survives, the tables do not.
    for i in range(4096, min(len(data), 4096 * 6)):
        data[i] = 0x5A
    db.write_bytes(bytes(data))
    _refused(tmp_path, db, "bị hỏng")


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the file and leave no -wal or -shm beside it."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()


def test_a_database_from_a_newer_qbplan_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    save_run(heavy_report(1), parse_period("2024"), db, ["qbplan"])
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    _checkpoint(db)
    _refused(tmp_path, db, f"lược đồ {SCHEMA_VERSION + 1}, bản này đọc đến {SCHEMA_VERSION}")


# Schema 1 as qbplan 0.x wrote it, by hand, before Alembic kept the revision: a file
# like this has only its user_version to say what it is.
SCHEMA_1 = (
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, period TEXT NOT NULL, saved_at TEXT NOT NULL, "
    "qbplan_version TEXT NOT NULL, plan_id TEXT NOT NULL, targets_file TEXT NOT NULL, "
    "targets_sha256 TEXT NOT NULL, command TEXT NOT NULL, exit_code INTEGER NOT NULL)",
    "CREATE TABLE files (run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, sha256 TEXT, "
    "size INTEGER, readable INTEGER NOT NULL, rows_read INTEGER NOT NULL, rows_excluded INTEGER NOT NULL, "
    "errors INTEGER NOT NULL, warnings INTEGER NOT NULL)",
    "CREATE TABLE indicators (run_id INTEGER NOT NULL REFERENCES runs(id), indicator TEXT NOT NULL, "
    "title_vi TEXT NOT NULL, title_en TEXT NOT NULL, mode TEXT NOT NULL, numerator TEXT NOT NULL, "
    "denominator TEXT NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL, exceeded INTEGER NOT NULL, "
    "excluded_rows INTEGER NOT NULL, deadline INTEGER NOT NULL)",
    "CREATE TABLE findings (run_id INTEGER NOT NULL REFERENCES runs(id), code TEXT NOT NULL, "
    "severity TEXT NOT NULL, file TEXT, sheet TEXT, row INTEGER, col TEXT, cell TEXT, value TEXT, "
    "params TEXT NOT NULL)",
    "CREATE INDEX runs_period ON runs(period, id)",
)


def test_an_older_database_is_copied_aside_then_migrated_forward(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    con = sqlite3.connect(db)
    for statement in SCHEMA_1:
        con.execute(statement)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.execute(
        "INSERT INTO runs VALUES (1, '2023', '2023-12-20T09:00:00+00:00', '0.0.9', 'plan', "
        "'targets.yaml', 'abc', 'qbplan check cu/', 1)"
    )
    con.execute("INSERT INTO indicators VALUES (1, 'ct00', 't', 't', 'count', '3', '4', '1/2', 'pass', 0, 0, 2025)")
    con.commit()
    con.close()
    old = sqlite3.connect(db).iterdump()
    dump = list(old)
    saved = save_run(heavy_report(1), parse_period("2024"), db, ["qbplan"])
    assert saved.backup == tmp_path / "h.db.v1.bak"
    backup = sqlite3.connect(saved.backup)
    # The old database as it was: the same schema version and the same rows.
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert list(backup.iterdump()) == dump
    backup.close()
    store = open_store(db, create=False)
    try:
        assert [(r.id, r.period.key) for r in store.runs("plan")] == [(1, "2023"), (saved.run_id, "2024")]
        old_point = next(s for s in store.current("plan") if s.run_id == 1)
        assert (old_point.numerator, old_point.denominator, old_point.coverage_expected) == (3, 4, None)
    finally:
        store.close()
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_missing_database_is_an_error_for_history_and_created_by_a_save(tmp_path: Path) -> None:
    db = tmp_path / "moi.db"
    result = runner.invoke(app, ["history", "--db", str(db)])
    assert result.exit_code == 2 and "chưa có cơ sở dữ liệu lịch sử" in result.stderr
    assert not db.exists()
    with pytest.raises(HistoryError):
        open_store(tmp_path / "khong-co" / "h.db", create=True)


def test_the_default_database_is_qbplan_db_or_qbplan_db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qbplan.history.location import db_location as db_path

    monkeypatch.delenv("QBPLAN_DB", raising=False)
    assert db_path(None) == Path("qbplan.db")
    monkeypatch.setenv("QBPLAN_DB", str(tmp_path / "x.db"))
    assert db_path(None) == tmp_path / "x.db"
    assert db_path(tmp_path / "y.db") == tmp_path / "y.db"
    assert os.fspath(db_path("z.db")) == "z.db"


def test_a_folder_or_a_fifo_as_the_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    fifo = tmp_path / "ong"
    os.mkfifo(fifo)
    for db in (folder, fifo):
        result = runner.invoke(
            app, ["check", str(SAMPLES / "survey.xlsx"), "--period", "2024", "--save", "--db", str(db)]
        )
        assert result.exit_code == 2
        assert result.stderr == f"qbplan: {db}: không phải tệp thường; cơ sở dữ liệu lịch sử là một tệp SQLite\n"
    assert list(folder.iterdir()) == []


# What schema 2 added, as qbplan wrote it before rankings were kept (schema 3).
SCHEMA_2 = (
    "ALTER TABLE indicators ADD COLUMN coverage_expected INTEGER",
    "ALTER TABLE indicators ADD COLUMN coverage_reported INTEGER",
    "ALTER TABLE runs ADD COLUMN register_files TEXT NOT NULL DEFAULT '[]'",
    "CREATE TABLE completeness (run_id INTEGER NOT NULL REFERENCES runs(id), sheet TEXT NOT NULL, "
    "register TEXT NOT NULL, expected INTEGER NOT NULL, submitted INTEGER NOT NULL, missing TEXT NOT NULL, "
    "unknown TEXT NOT NULL)",
)


def test_a_schema_2_database_is_read_as_it_is_and_written_nothing(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    con = sqlite3.connect(db)
    for statement in (*SCHEMA_1, *SCHEMA_2):
        con.execute(statement)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 2")
    con.execute(
        "INSERT INTO runs VALUES (1, '2024', '2024-12-20T09:00:00+00:00', '0.1.0', 'qd-2972-2017-quang-binh', "
        "'targets.yaml', 'abc', 'qbplan check', 1, '[]')"
    )
    con.execute("INSERT INTO indicators VALUES (1, 'ct01', 't', 't', 'count', '3', '4', '1/1', 'fail', 0, 0, 2025, "
                "NULL, NULL)")  # fmt: skip
    con.commit()
    con.close()
    before = db.read_bytes()
    shown = runner.invoke(app, ["history", "--db", str(db), "-f", "json"])
    assert shown.exit_code == 0, shown.output
    (ct01,) = json.loads(shown.stdout)["indicators"]
    assert ct01["points"][0]["rate_exact"] == "3/4"
    ranks = runner.invoke(app, ["history", "--db", str(db), "--ranks"])
    assert ranks.exit_code == 2 and "chưa lưu lần xếp hạng nào" in ranks.stderr
    assert db.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["h.db"]


def test_the_schema_version_is_the_migration_chains_head() -> None:
    from qbplan.history.store import CHAIN, SCHEMA_VERSION
    from qbplan.storage import migrate

    assert migrate.head(CHAIN) == f"h{SCHEMA_VERSION:04d}"


def test_a_store_is_a_context_manager_that_closes(tmp_path: Path) -> None:
    from qbplan.history.store import open_store

    with open_store(tmp_path / "h.db", create=True) as store:
        assert store.plans() == []
    assert store.con.closed
