"""``qbplan remind``: the units that have not sent, or were sent back, get their own link by e-mail.

A real SMTP server (aiosmtpd) on loopback receives the messages; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as _dt
import socket
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.config.targets import load_targets
from qbplan.intake.store import ICT, due_at_end_of
from qbplan.run.pipeline import CheckOptions, read_register
from qbplan.serve.app import ServeConfig, create_app, unit_links
from tests.helpers import agency, write_form, write_register
from tests.serve.intake import PLANNER, _upload, signed_in

BASE = "https://tiepnhan.example"


class _Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def _units() -> list[dict[str, Any]]:
    return [
        agency(ma_don_vi="T001", ten_don_vi="Sở Nội vụ", thu_dien_tu="snv@example.vn"),
        agency(ma_don_vi="T002", ten_don_vi="Sở Tài chính", thu_dien_tu="stc@example.vn"),
        agency(ma_don_vi="T003", ten_don_vi="Sở Y tế", thu_dien_tu="syt@example.vn"),
        agency(ma_don_vi="T004", ten_don_vi="Sở Xây dựng"),  # no e-mail in the register
    ]


@pytest.fixture
def round_config(tmp_path: Path, db_url: str) -> ServeConfig:
    """A round of four agencies: T001 sent, T002 sent and was sent back, T003 and T004 sent nothing; due today."""
    register = write_register(tmp_path / "danh-muc.xlsx", {"co_quan": _units()})
    targets = load_targets()
    read = read_register(targets, CheckOptions(register=(str(register),)))
    assert read is not None
    config = ServeConfig(targets=targets, register=read, folder=tmp_path / "intake", period="2025", db_url=db_url,
                         planner_token=PLANNER, due=due_at_end_of(_dt.datetime.now(ICT).date()))  # fmt: skip
    client = TestClient(create_app(config))
    links = {key: link for key, _, link in unit_links(config, "")}
    for key, name in (("T001", "Sở Nội vụ"), ("T002", "Sở Tài chính")):
        form = write_form(tmp_path / f"{key}.xlsx", {"co_quan": [agency(ma_don_vi=key, ten_don_vi=name)]})
        assert _upload(client, links[key], form.read_bytes())[0] == 200
    csrf = signed_in(client)
    client.post("/planner/s/2/decide", data={"decision": "returned", "note": "Thiếu số CBCC", "csrf": csrf})
    return config


def _remind(config: ServeConfig, port: int, *extra: str) -> Any:
    env = {"QBPLAN_SMTP_HOST": "127.0.0.1", "QBPLAN_SMTP_PORT": str(port), "QBPLAN_SMTP_FROM": "qbplan@example.vn"}
    args = ["remind", "-r", str(config.folder.parent / "danh-muc.xlsx"), "--folder", str(config.folder),
            "--db", config.db_url, "--period", "2025", "--base-url", BASE, *extra]  # fmt: skip
    return CliRunner().invoke(app, args, env=env)


def test_the_units_not_sent_or_sent_back_get_their_own_link(
    round_config: ServeConfig, smtp: tuple[int, _Inbox]
) -> None:
    port, inbox = smtp
    result = _remind(round_config, port)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "T002\tstc@example.vn\tbị trả lại\tđã gửi",
        "T003\tsyt@example.vn\tchưa gửi\tđã gửi",
    ]
    assert "T004" in result.stderr and "không có thư điện tử" in result.stderr
    links = {key: link for key, _, link in unit_links(round_config, BASE)}
    received = {m["To"]: m for m in inbox.messages}
    assert set(received) == {"stc@example.vn", "syt@example.vn"}
    body = received["stc@example.vn"].get_payload(decode=True).decode()
    assert links["T002"] in body and "Thiếu số CBCC" in body and "Cơ quan, đơn vị" in body
    assert links["T001"] not in body
    # Kept in the store: the planner's dashboard says who was reminded.
    client = TestClient(create_app(round_config))
    signed_in(client)
    page = client.get("/planner").text
    assert page.count("đã nhắc") == 2


def test_a_dry_run_sends_and_keeps_nothing(round_config: ServeConfig, smtp: tuple[int, _Inbox]) -> None:
    port, inbox = smtp
    result = _remind(round_config, port, "--dry-run")
    assert result.exit_code == 0 and result.stdout.count("sẽ gửi (chạy thử)") == 2
    assert inbox.messages == []
    client = TestClient(create_app(round_config))
    signed_in(client)
    assert "đã nhắc" not in client.get("/planner").text


def test_outside_the_window_nothing_is_sent(round_config: ServeConfig, smtp: tuple[int, _Inbox]) -> None:
    port, inbox = smtp
    with create_app(round_config).state.service.store as store:
        store.set_due("2025", due_at_end_of(_dt.datetime.now(ICT).date() + _dt.timedelta(days=30)))
    result = _remind(round_config, port)
    assert result.exit_code == 0 and result.stdout == "" and "ngoài thời gian nhắc" in result.stderr
    assert inbox.messages == []


def test_without_a_mail_server_it_says_what_to_set(round_config: ServeConfig) -> None:
    result = CliRunner().invoke(app, ["remind", "--folder", str(round_config.folder), "--base-url", BASE], env={})
    assert result.exit_code == 2 and "QBPLAN_SMTP_HOST" in result.stderr


def test_an_admin_looks_then_sends_the_reminders_from_the_admin_page(
    round_config: ServeConfig, smtp: tuple[int, _Inbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    import re
    from dataclasses import replace

    port, inbox = smtp
    app = create_app(replace(round_config, base_url=BASE))
    client = TestClient(app, follow_redirects=True)
    csrf = signed_in(client)
    looked = client.post("/planner/admin/remind", data={"csrf": csrf, "action": "preview"})
    assert looked.status_code == 200
    assert re.findall(r'data-unit="([^"]+)"', looked.text) == ["T002", "T003"]
    assert "T004 Sở Xây dựng" in looked.text and "sẽ gửi (chạy thử)" in looked.text
    assert inbox.messages == [] and app.state.service.store.last_reminders("2025") == {}
    for name, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("FROM", "qbplan@example.vn")):
        monkeypatch.setenv(f"QBPLAN_SMTP_{name}", value)
    sent = client.post("/planner/admin/remind", data={"csrf": csrf, "action": "send"})
    assert sent.status_code == 200 and sent.text.count("đã gửi") == 2
    assert sorted(m["To"] for m in inbox.messages) == ["stc@example.vn", "syt@example.vn"]
    links = {key: link for key, _, link in unit_links(round_config, BASE)}
    body = next(m for m in inbox.messages if m["To"] == "syt@example.vn").get_payload(decode=True).decode()
    assert links["T003"] in body
    assert client.get("/planner").text.count("đã nhắc") == 2
    trail = app.state.service.store.audit_trail()
    assert [(e.action, e.detail) for e in trail if e.action == "reminded"] == [("reminded", "2/2")]


def test_reminders_without_a_base_url_are_refused(round_config: ServeConfig, smtp: tuple[int, _Inbox]) -> None:
    client = TestClient(create_app(round_config), follow_redirects=True)
    csrf = signed_in(client)
    refused = client.post("/planner/admin/remind", data={"csrf": csrf, "action": "send"})
    assert refused.status_code == 409 and "không có --base-url" in refused.text and smtp[1].messages == []


def test_reminders_before_the_intake_ever_started_say_so(tmp_path: Path) -> None:
    folder = tmp_path / "intake"
    added = CliRunner().invoke(app, ["serve", "users", "add", "hoa", "--role", "admin", "--password-stdin",
                                     "--folder", str(folder)], input="mat-khau-rat-dai-123\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    register = write_register(tmp_path / "danh-muc.xlsx", {"co_quan": _units()})
    result = CliRunner().invoke(app, ["remind", "-r", str(register), "--folder", str(folder), "--period", "2025",
                                      "--base-url", BASE, "--dry-run"])  # fmt: skip
    assert result.exit_code == 2
    assert "chưa chạy lần nào nên chưa có đường dẫn của đơn vị; chạy qbplan serve trước" in result.stderr
