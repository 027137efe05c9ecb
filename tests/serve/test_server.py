"""Serving under uvicorn: a request head that never ends is cut, and pages answer while it waits.

Also the store's wait: a locked database makes a page say so (503), on each engine,
while the home page answers.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy
import uvicorn
from fastapi.testclient import TestClient

from qbplan.serve.app import ServeConfig, create_app
from qbplan.serve.server import HeadTimeoutProtocol
from tests.serve.intake import _link, _upload, _valid_workbook, signed_in


@pytest.fixture
def server(config: ServeConfig, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    """The app under uvicorn on a free loopback port, with a head deadline of half a second."""
    monkeypatch.setattr(HeadTimeoutProtocol, "head_timeout", 0.5)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    settings = uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="error",
                              http=HeadTimeoutProtocol, limit_concurrency=2048)  # fmt: skip
    running = uvicorn.Server(settings)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.02)
    yield "127.0.0.1", port
    running.should_exit = True
    thread.join(10)


def _get(address: tuple[str, int], path: str = "/") -> bytes:
    with socket.create_connection(address, timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _closed_by_server(s: socket.socket, within: float) -> bool:
    s.settimeout(within)
    try:
        return s.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_a_request_head_that_never_ends_is_cut_and_others_are_answered(server: tuple[str, int]) -> None:
    idle = []
    for _ in range(300):
        s = socket.create_connection(server, timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # no blank line: the head never ends
        idle.append(s)
    try:
        assert _get(server).startswith(b"HTTP/1.1 200")
        assert all(_closed_by_server(s, 10) for s in idle)
    finally:
        for s in idle:
            s.close()


def test_a_head_sent_byte_by_byte_does_not_keep_the_connection(server: tuple[str, int]) -> None:
    with socket.create_connection(server, timeout=5) as s:
        closed = False
        for byte in b"GET / HTTP/1.1\r\nHost: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n":
            try:
                s.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.05)
        assert closed or _closed_by_server(s, 5)


def _hold_lock(config: ServeConfig) -> tuple[Any, Any]:
    """Another client holding the intake's tables, as a second server or a psql session would."""
    engine = sqlalchemy.create_engine(config.db_url)
    con = engine.connect()
    if config.db_url.startswith("sqlite"):
        con.exec_driver_sql("BEGIN EXCLUSIVE")
    else:
        con.exec_driver_sql("BEGIN")
        con.exec_driver_sql("LOCK TABLE submissions, sessions IN ACCESS EXCLUSIVE MODE")
    return engine, con


def test_a_locked_database_makes_a_page_say_so_while_the_home_page_answers(config: ServeConfig, tmp_path: Any) -> None:
    config = replace(config, db_wait=0.5)
    client = TestClient(create_app(config))
    link = _link(config, "T002")
    assert _upload(client, link, _valid_workbook(tmp_path))[0] == 200
    csrf = signed_in(client)
    engine, con = _hold_lock(config)
    try:
        assert client.get("/").status_code == 200
        # A write (SQLite) or any call on a locked table (PostgreSQL) waits half a second, then says so.
        decided = client.post("/planner/s/1/decide", data={"decision": "accepted", "note": "", "csrf": csrf})
        assert decided.status_code == 503 and "Cơ sở dữ liệu tiếp nhận đang bận" in decided.text
    finally:
        con.rollback()
        con.close()
        engine.dispose()
    # Nothing was lost: once the lock is gone the same decision goes through.
    decided = client.post("/planner/s/1/decide", data={"decision": "accepted", "note": "", "csrf": csrf})
    assert decided.status_code == 200 and client.get("/planner/s/1").text.count("Đã chấp nhận") >= 1
