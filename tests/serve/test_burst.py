"""Bursts on the due date: checks on threads of their own, a bounded queue, pages that never wait behind checks."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from qbplan.serve.app import ServeConfig, create_app
from tests.serve.intake import _csrf, _link, _upload, _valid_workbook, signed_in


def test_the_dashboard_answers_while_every_check_slot_is_taken(config: ServeConfig, tmp_path: Path) -> None:
    app = create_app(config)
    service = app.state.service
    client = TestClient(app, follow_redirects=True)
    signed_in(client)
    release = threading.Event()
    slots = service.check_pool._max_workers
    held = [service.check_pool.submit(release.wait, 60) for _ in range(slots)]
    sent: list[int] = []
    upload = threading.Thread(
        target=lambda: sent.append(_upload(client, _link(config, "T002"), _valid_workbook(tmp_path))[0])
    )
    upload.start()
    try:
        for _ in range(100):  # the upload is in, waiting for a slot
            if service.waiting == 1:
                break
            threading.Event().wait(0.05)
        assert service.waiting == 1 and sent == []
        # Every check slot is taken and an upload waits: the planner's page is answered all the same.
        assert client.get("/planner").status_code == 200 and sent == []
    finally:
        release.set()
        upload.join(60)
    assert sent == [200] and all(h.done() for h in held)


def test_a_full_queue_refuses_an_upload_and_keeps_nothing(config: ServeConfig, tmp_path: Path) -> None:
    client = TestClient(create_app(replace(config, max_queue=0)), follow_redirects=True)
    link = _link(config, "T002")
    csrf = _csrf(client.get(link).text)
    refused = client.post(
        f"{link}/upload", data={"csrf": csrf}, files={"file": ("bieu.xlsx", _valid_workbook(tmp_path))}
    )
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "30"
    assert "chưa nhận tệp này (chưa lưu gì)" in refused.text
    assert list((config.folder / "files").glob("*")) == [] if (config.folder / "files").exists() else True
    signed_in(client)
    assert "Chưa gửi lần nào" in client.get(link).text or client.get("/planner/s/1").status_code == 404
