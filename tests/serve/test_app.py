"""The intake as units and the planner use it, through the ASGI app (FastAPI's TestClient)."""

from __future__ import annotations

import hashlib
import io
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient

from qbplan.serve.app import ServeConfig, create_app
from tests.helpers import SAMPLES
from tests.serve.intake import CORPUS, PLANNER, _csrf, _link, _upload, _valid_workbook, kept_rows


def test_a_unit_sees_its_page_and_downloads_its_own_form(client: TestClient, config: ServeConfig) -> None:
    link = _link(config, "T002")
    page = client.get(link)
    assert page.status_code == 200 and "Sở Nội vụ" in page.text and "Chưa gửi lần nào" in page.text
    form = client.get(f"{link}/form.xlsx")
    assert form.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(form.content)).worksheets[0]
    assert "T002" in [c.value for row in ws.iter_rows() for c in row]
    assert ">Download your unit&#39;s form</a>" in client.get(f"{link}?lang=en").text


def test_a_clean_upload_gets_its_verdict_and_a_receipt_with_its_hash(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    data = _valid_workbook(tmp_path)
    status, page = _upload(client, _link(config, "T002"), data)
    assert status == 200 and "Biểu số liệu hợp lệ" in page
    assert hashlib.sha256(data).hexdigest() in page and "bieu.xlsx" in page
    # Stored by its hash, never by the name the browser gave.
    assert [p.name for p in (config.folder / "files").iterdir()] == [f"{hashlib.sha256(data).hexdigest()}.xlsx"]


def test_a_bad_upload_lists_each_finding_at_its_cell_and_the_marked_copy_opens(
    client: TestClient, config: ServeConfig
) -> None:
    link = _link(config, "T003")
    status, page = _upload(client, link, (SAMPLES / "survey-invalid.xlsx").read_bytes(), "so-tu-phap.xlsx")
    assert status == 200 and "lỗi: sửa các ô dưới đây" in page
    assert "A68" in page and "bị trùng với ô A67" in page
    number = re.search(r"/s/(\d+)/annotated.xlsx", page)
    assert number is not None
    marked = client.get(f"{link}/s/{number.group(1)}/annotated.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(marked.content))
    cell = wb["Cơ quan, đơn vị"]["A68"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and "duplicate-key" in cell.comment.text


def test_a_unit_sees_only_its_own_submissions(client: TestClient, config: ServeConfig, tmp_path: Path) -> None:
    mine, other = _link(config, "T002"), _link(config, "T003")
    _upload(client, mine, _valid_workbook(tmp_path))
    assert client.get(f"{mine}/s/1").status_code == 200
    assert client.get(f"{other}/s/1").status_code == 404
    assert client.get(f"{other}/s/1/annotated.xlsx").status_code == 404
    assert "Chưa gửi lần nào" in client.get(other).text
    assert client.get("/u/not-a-token").status_code == 404


def test_a_resubmission_replaces_the_previous_which_is_kept(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    link = _link(config, "T002")
    _upload(client, link, (SAMPLES / "survey-invalid.xlsx").read_bytes(), "lan-1.xlsx")
    _upload(client, link, _valid_workbook(tmp_path), "lan-2.xlsx")
    page = client.get(link).text
    assert page.index("lan-2.xlsx") < page.index("lan-1.xlsx")  # newest first, both kept
    client.post("/planner/login", data={"token": PLANNER})
    row = re.search(r'data-unit="T002">(.*?)</tr>', client.get("/planner").text, re.S)
    assert row is not None and "Đã gửi, hợp lệ" in row.group(1)


def test_a_form_without_its_csrf_token_is_refused_and_nothing_recorded(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    link = _link(config, "T002")
    response = client.post(f"{link}/upload", data={"csrf": "x"}, files={"file": ("a.xlsx", _valid_workbook(tmp_path))})
    assert response.status_code == 403 and "hết hạn hoặc không hợp lệ" in response.text
    assert "Chưa gửi lần nào" in client.get(link).text


def test_an_upload_too_large_or_not_a_workbook_is_a_clear_page(client: TestClient, config: ServeConfig) -> None:
    link = _link(config, "T002")
    status, page = _upload(client, link, b"PK" + b"\0" * (3 * 1024 * 1024))
    assert status == 413 and "lớn hơn 2 MB" in page
    status, page = _upload(client, link, b"hello", "ghi-chu.txt")
    assert status == 400 and "Chỉ nhận tệp Excel" in page
    assert "Chưa gửi lần nào" in client.get(link).text


def test_every_hostile_file_gets_a_page_and_the_server_stays_up(client: TestClient, config: ServeConfig) -> None:
    link = _link(config, "T002")
    for path in sorted(CORPUS.iterdir()):
        status, page = _upload(client, link, path.read_bytes(), f"x{path.suffix or '.xlsx'}")
        assert status in (200, 400, 413), (path.name, status)
        assert "Traceback" not in page
        assert client.get(link).status_code == 200, path.name


def test_the_planner_signs_in_accepts_and_sees_the_indicators_change(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    assert "Đăng nhập" in client.get("/planner").text  # sent to sign in
    assert client.post("/planner/login", data={"token": "sai"}).status_code == 403
    client.post("/planner/login", data={"token": PLANNER})
    page = client.get("/planner").text
    assert "0/" in page and "Chưa gửi" in page and 'id="indicators"' not in page
    _upload(client, _link(config, "T002"), _valid_workbook(tmp_path))
    page = client.get("/planner").text
    csrf = _csrf(page)
    assert client.post("/planner/s/1/decide", data={"decision": "accepted", "csrf": "x"}).status_code == 403
    client.post("/planner/s/1/decide", data={"decision": "accepted", "note": "ổn", "csrf": csrf})
    page = client.get("/planner").text
    row = re.search(r'data-unit="T002">(.*?)</tr>', page, re.S)
    assert row is not None and "Đã chấp nhận" in row.group(1)
    # The accepted file now counts: ct07a is one agency of those in its scope, with exact bounds.
    assert 'id="indicators"' in page and "ct07a" in page
    assert "Chưa đủ số liệu".upper() in page or "CHƯA ĐỦ SỐ LIỆU" in page
    archive = client.get("/planner/accepted.zip")
    import zipfile

    # Named by unit and by the name sent, with a listing.
    assert zipfile.ZipFile(io.BytesIO(archive.content)).namelist() == ["T002 - bieu.xlsx", "danh-sach.txt"]
    for kind in ("report", "annex"):
        workbook = client.get(f"/planner/{kind}.xlsx")
        assert openpyxl.load_workbook(io.BytesIO(workbook.content)).worksheets
    # Sent back with a note: the unit sees it on its page.
    client.post("/planner/s/1/decide", data={"decision": "returned", "note": "Sửa số CBCC", "csrf": csrf})
    assert "Sửa số CBCC" in client.get(_link(config, "T002")).text
    # The submission's page keeps both decisions, in order.
    rows = kept_rows(client.get("/planner/s/1").text, "decisions")
    assert rows == [("Đã chấp nhận", "ổn"), ("Trả lại để sửa", "Sửa số CBCC")]


def test_fifty_units_uploading_at_once_are_all_recorded(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    keys = [str(u.values["ma_don_vi"]) for u in next(iter(config.register.sheets.values())).units][:50]
    files = {key: _valid_workbook(tmp_path, key) for key in keys}

    def send(key: str) -> int:
        return _upload(client, _link(config, key), files[key])[0]

    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(send, keys))
    assert statuses == [200] * len(keys)
    client.post("/planner/login", data={"token": PLANNER})
    page = client.get("/planner").text
    assert f"{len(keys)}/" in page


def test_a_link_takes_its_own_units_rows_only(client: TestClient, config: ServeConfig, tmp_path: Path) -> None:
    status, page = _upload(client, _link(config, "T002"), _valid_workbook(tmp_path, "T003"))
    assert status == 200 and "dòng do đơn vị T003 báo cáo, không phải của T002" in page
    assert "chỉ nhận số liệu của T002" in page
    client.post("/planner/login", data={"token": PLANNER})
    row = re.search(r'data-unit="T002">(.*?)</tr>', client.get("/planner").text, re.S)
    assert row is not None and "Đã gửi, có lỗi" in row.group(1)


def test_the_planner_sees_the_history_chart_or_why_there_is_none(config: ServeConfig) -> None:
    from dataclasses import replace

    with_history = TestClient(create_app(replace(config, history_db=SAMPLES / "history.db")))
    with_history.post("/planner/login", data={"token": PLANNER})
    page = with_history.get("/planner/history")
    assert page.status_code == 200 and "<svg" in page.text and "ct07b" in page.text
    without = TestClient(create_app(replace(config, history_db=config.folder / "none.db")))
    without.post("/planner/login", data={"token": PLANNER})
    page = without.get("/planner/history")
    assert page.status_code == 404 and "chưa có cơ sở dữ liệu lịch sử" in page.text.lower()
    assert TestClient(create_app(config)).get("/planner/history").url.path == "/planner/login"


def test_the_planner_saves_the_period_from_the_accepted_files_only(
    config: ServeConfig, tmp_path: Path, db_url: str
) -> None:
    import json
    from dataclasses import replace

    from typer.testing import CliRunner

    from qbplan.cli import app
    from qbplan.history.store import open_store

    # On PostgreSQL the history shares the intake's database, as a department would run it.
    history = str(tmp_path / "lich-su.db") if db_url.startswith("sqlite") else db_url.replace("+psycopg", "")
    client = TestClient(create_app(replace(config, history_db=history)), follow_redirects=True)
    client.post("/planner/login", data={"token": PLANNER})
    csrf = _csrf(client.get("/planner").text)
    nothing = client.post("/planner/save", data={"csrf": csrf})
    assert nothing.status_code == 409 and "Chưa chấp nhận tệp nào" in nothing.text
    _upload(client, _link(config, "T002"), _valid_workbook(tmp_path, "T002"))
    _upload(client, _link(config, "T003"), _valid_workbook(tmp_path, "T003"))
    client.post("/planner/s/1/decide", data={"decision": "accepted", "csrf": csrf})
    assert client.post("/planner/save", data={"csrf": "sai"}).status_code == 403
    saved = client.post("/planner/save", data={"csrf": csrf})
    assert saved.status_code == 200, saved.text
    assert "Đã lưu lần chạy #1 của Năm 2025 (1 tệp đã chấp nhận)" in saved.text
    # What was saved is the check of the accepted file alone (T003's, not accepted, is left out).
    t002 = tmp_path / "T002.xlsx"
    cli = CliRunner().invoke(
        app, ["check", str(t002), "-r", str(SAMPLES / "danh-muc.xlsx"), "-f", "json", "-q", "--period", "2025"]
    )
    expected = {i["id"]: (i["numerator"], i["denominator"]) for i in json.loads(cli.stdout)["indicators"]}
    store = open_store(history, create=False)
    try:
        (run,) = store.runs(config.targets.plan.id)
        assert (run.period.key, run.command) == ("2025", "qbplan serve --period 2025")
        assert {s.indicator: (s.numerator, s.denominator) for s in store.current(config.targets.plan.id)} == expected
    finally:
        store.close()
    page = client.get("/planner/history")
    assert page.status_code == 200 and "Năm 2025" in page.text
