"""What a driver's error means, read by its code: one real error of each engine per kind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qbplan.storage.faults import fault


def _raised(con: sqlite3.Connection, sql: str) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as raised:
        con.execute(sql)
    return raised.value


def test_a_locked_sqlite_file_is_busy(tmp_path: Path) -> None:
    holder = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    holder.execute("CREATE TABLE t (a)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(tmp_path / "x.db", timeout=0, isolation_level=None)
    assert fault(_raised(other, "BEGIN IMMEDIATE")) == "busy"


def test_a_write_to_a_file_opened_read_only_is_readonly(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "x.db").execute("CREATE TABLE t (a)")
    con = sqlite3.connect(f"{(tmp_path / 'x.db').as_uri()}?mode=ro", uri=True)
    assert fault(_raised(con, "INSERT INTO t VALUES (1)")) == "readonly"


def test_a_file_that_is_not_a_database_is_damaged(tmp_path: Path) -> None:
    (tmp_path / "x.db").write_bytes(b"not a database at all, but long enough to have a header" * 20)
    assert fault(_raised(sqlite3.connect(tmp_path / "x.db"), "SELECT * FROM sqlite_master")) == "damaged"


def test_a_missing_table_is_damaged_and_a_table_made_twice_exists() -> None:
    con = sqlite3.connect(":memory:")
    assert fault(_raised(con, "SELECT * FROM runs")) == "damaged"
    con.execute("CREATE TABLE runs (a)")
    assert fault(_raised(con, "CREATE TABLE runs (a)")) == "exists"


def test_a_syntax_error_is_nothing_the_stores_say_otherwise() -> None:
    assert fault(_raised(sqlite3.connect(":memory:"), "SELEC 1")) == "other"


def test_postgresql_states_by_their_sqlstate() -> None:
    class PgError(Exception):
        def __init__(self, sqlstate: str) -> None:
            self.sqlstate = sqlstate

    found = {state: fault(PgError(state)) for state in ("55P03", "25006", "42P01", "53100", "42P07", "23505")}
    assert found == {
        "55P03": "busy",
        "25006": "readonly",
        "42P01": "damaged",
        "53100": "full",
        "42P07": "exists",
        "23505": "other",
    }
