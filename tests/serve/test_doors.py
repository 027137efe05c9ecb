"""The intake's doors: the links' secret has a lifecycle, every response carries its headers, and a
request that names no page, or too much, gets a page rather than a 500 or a JSON body.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from qbplan.errors import QbplanError
from qbplan.serve import security
from qbplan.serve.app import ServeConfig, create_app
from tests.serve.intake import _link, _upload, _valid_workbook, signed_in

# --- the links' secret ------------------------------------------------------------------------------


def test_the_secret_is_made_whole_and_owner_only_and_links_hold_across_starts(config: ServeConfig) -> None:
    create_app(config)
    path = config.folder / security.SECRET_FILE
    if config.db_url.startswith("sqlite"):
        assert len(path.read_bytes()) == security.SECRET_BYTES and stat.S_IMODE(path.stat().st_mode) == 0o600
    else:
        assert not path.exists()  # a server store keeps it, for every server on the database
    assert stat.S_IMODE(config.folder.stat().st_mode) == 0o700
    link = _link(config, "T002")
    create_app(config)
    assert _link(config, "T002") == link


def _sqlite(config: ServeConfig, tmp_path: Path) -> ServeConfig:
    """The round on an SQLite file: the secret is the folder's file, whatever engine the fixture gave."""
    return replace(config, db_url=f"sqlite:///{tmp_path / 'own.db'}")


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        ("delete", "serve-secret-missing"),
        ("empty", "serve-secret-damaged"),
        ("short", "serve-secret-damaged"),
        ("open", "serve-secret-open"),
        ("other", "serve-secret-other"),
    ],
)
def test_a_secret_that_went_missing_or_wrong_stops_the_start(
    config: ServeConfig, tmp_path: Path, damage: str, code: str
) -> None:
    config = _sqlite(config, tmp_path)
    create_app(config)
    path = config.folder / security.SECRET_FILE
    link = _link(config, "T002")
    if damage == "delete":
        path.unlink()
    elif damage in ("empty", "short"):
        path.write_bytes(b"" if damage == "empty" else b"x" * 5)
    elif damage == "open":
        os.chmod(path, 0o644)
    else:
        path.unlink()
        security.create_secret(config.folder)  # a secret, but not the one the links were made from
    with pytest.raises(QbplanError) as info:
        create_app(config)
    assert info.value.code == code
    # What the message tells to do: restore it, or make new links knowingly.
    if code != "serve-secret-open":
        assert "--rotate-links" in info.value.message("vi")
    else:
        assert "chmod 600" in info.value.message("vi")
    if damage == "open":
        os.chmod(path, 0o600)
        create_app(config)
        assert _link(config, "T002") == link


def test_a_damaged_secret_in_a_server_store_stops_the_start(tmp_path: Path) -> None:
    import sqlalchemy

    from tests.helpers import clean_postgres, driver_url, postgres_url
    from tests.serve.intake import serve_config

    url = driver_url(postgres_url())
    clean_postgres(url)
    config = serve_config(tmp_path, url)
    create_app(config)
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as con:
        con.exec_driver_sql("UPDATE settings SET value = 'abcd' WHERE key = %s", (security.SHARED,))
    engine.dispose()
    with pytest.raises(QbplanError) as info:
        create_app(config)
    assert info.value.code == "serve-secret-damaged" and "abcd" not in info.value.message("vi")
    clean_postgres(url)


def test_rotating_the_links_is_an_explicit_act_and_old_links_stop(config: ServeConfig) -> None:
    client = TestClient(create_app(config), follow_redirects=True)
    old = _link(config, "T002")
    assert client.get(old).status_code == 200
    client = TestClient(create_app(config, rotate_links=True), follow_redirects=True)
    new = _link(config, "T002")
    assert new != old and client.get(old).status_code == 404 and client.get(new).status_code == 200
    create_app(config)  # the new secret is the store's now: a plain start takes it


def test_a_first_start_on_a_full_disk_leaves_no_secret_behind(
    config: ServeConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _sqlite(config, tmp_path)

    def full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "link", full)
    with pytest.raises(QbplanError) as info:
        create_app(config)
    assert info.value.code == "serve-secret-unwritable"
    assert [p.name for p in config.folder.iterdir() if "secret" in p.name] == []
    monkeypatch.undo()
    create_app(config)


def test_a_folder_that_cannot_be_written_is_refused_at_start(
    config: ServeConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    real = tempfile.mkstemp

    def read_only(*args: object, **kwargs: object) -> object:
        if kwargs.get("prefix") == ".probe-":
            raise OSError(30, "Read-only file system")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(QbplanError) as info:
        create_app(config)
    assert info.value.code == "serve-folder-unwritable" and "Read-only" in info.value.message("en")


def test_the_links_file_is_owner_only_and_holds_no_formula(tmp_path: Path) -> None:
    from qbplan.cli.serve import _write_links

    path = tmp_path / "lien-ket.csv"
    _write_links(path, [("T001", '=HYPERLINK("http://x","bấm")', "http://127.0.0.1:8000/u/abc")])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")


# --- headers and pages at every door ----------------------------------------------------------------


def test_every_response_carries_the_security_headers(client: TestClient, config: ServeConfig) -> None:
    signed_in(client)
    for url in ("/", "/planner", "/planner/history", "/planner/report.xlsx", "/nowhere", _link(config, "T002")):
        response = client.get(url)
        assert response.headers["x-content-type-options"] == "nosniff", url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], url
        assert response.headers["referrer-policy"] == "no-referrer", url
        assert response.headers["cache-control"] == "no-store", url


@pytest.mark.parametrize("number", ["abc", "-1", "99999999999999999999", "1.5"])
def test_a_submission_number_that_cannot_be_one_is_a_404_page(
    client: TestClient, config: ServeConfig, number: str
) -> None:
    signed_in(client)
    for url in (f"{_link(config, 'T002')}/s/{number}", f"/planner/s/{number}"):
        response = client.get(url)
        assert response.status_code == 404 and "Không có trang này" in response.text, url


def test_a_path_with_a_trailing_slash_is_not_redirected_to_the_host_a_request_names(
    client: TestClient, config: ServeConfig
) -> None:
    response = client.get(f"{_link(config, 'T002')}/", headers={"host": "ke-xau.example"}, follow_redirects=False)
    assert response.status_code == 404 and "location" not in response.headers


def test_a_chunked_upload_too_large_gets_the_413_page_with_a_way_back(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    import re

    link = _link(config, "T002")
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get(link).text)
    assert csrf is not None
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf.group(1)}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
    ).encode()

    def chunks():  # type: ignore[no-untyped-def]
        yield head
        for _ in range(40):
            yield b"\0" * (64 * 1024)  # 2.5 MB, past the 2 MB limit, without a Content-Length
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        f"{link}/upload", content=chunks(), headers={"content-type": f"multipart/form-data; boundary={boundary}"}
    )
    assert response.status_code == 413 and "lớn hơn 2 MB" in response.text
    assert f'href="{link}"' in response.text
    assert "Chưa gửi lần nào" in client.get(link).text
    assert _upload(client, link, _valid_workbook(tmp_path))[0] == 200


def test_two_starts_on_one_folder_with_another_database_keep_the_same_links(
    config: ServeConfig, tmp_path: Path
) -> None:
    config = _sqlite(config, tmp_path)  # the folder's secret file: what an SQLite round keeps
    create_app(config)
    link = _link(config, "T002")
    other = replace(config, db_url=f"sqlite:///{config.folder / 'other.db'}")
    create_app(other)  # a store that knows no secret yet takes the folder's, unchanged
    assert _link(other, "T002") == link


def test_a_unit_that_sends_too_many_files_in_an_hour_gets_a_page(config: ServeConfig, tmp_path: Path) -> None:
    client = TestClient(create_app(replace(config, uploads_per_hour=2)), follow_redirects=True)
    link = _link(config, "T002")
    assert [_upload(client, link, _valid_workbook(tmp_path))[0] for _ in range(2)] == [200, 200]
    status, page = _upload(client, link, _valid_workbook(tmp_path))
    assert status == 429 and "Đơn vị đã gửi 2 tệp trong một giờ qua, tối đa là 2" in page
    # Another unit is not held back by it.
    assert _upload(client, _link(config, "T003"), _valid_workbook(tmp_path, "T003"))[0] == 200


# --- the planner's sessions -----------------------------------------------------------------------


def test_a_session_is_a_random_id_that_signing_out_ends(client: TestClient, config: ServeConfig) -> None:
    from tests.serve.intake import PLANNER

    csrf = signed_in(client)
    first = client.cookies.get("qbplan_planner")
    assert first and PLANNER not in first
    client.post("/planner/logout", data={"csrf": csrf})
    assert client.get("/planner").url.path == "/planner/login"
    # The old cookie, kept by someone, opens nothing any more.
    again = TestClient(create_app(config), follow_redirects=False)
    again.cookies.set("qbplan_planner", first)
    assert again.get("/planner").status_code == 303
    # Two sign-ins are two sessions.
    signed_in(client)
    assert client.cookies.get("qbplan_planner") != first


def test_a_session_ends_after_its_hours(config: ServeConfig) -> None:
    import datetime as _dt

    from qbplan.intake.store import IntakeStore

    client = TestClient(create_app(replace(config, session_hours=1)), follow_redirects=False)
    signed_in(client)
    assert client.get("/planner").status_code == 200
    store = IntakeStore(config.db_url)
    try:
        from sqlalchemy import update

        from qbplan.intake.schema import sessions

        with store.engine.begin() as con:  # an hour and a minute later
            past = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(minutes=1)
            con.execute(update(sessions).values(expires_at=past))
    finally:
        store.close()
    assert client.get("/planner").status_code == 303


def test_guessing_the_token_is_throttled(client: TestClient) -> None:
    statuses = [client.post("/planner/login", data={"token": f"sai-{i}"}).status_code for i in range(7)]
    assert statuses == [403] * 5 + [429] * 2
    assert "quá nhiều lần đăng nhập sai" in client.post("/planner/login", data={"token": "x"}).text


def test_a_short_planner_token_is_refused_at_start(config: ServeConfig) -> None:
    with pytest.raises(QbplanError) as info:
        create_app(replace(config, planner_token="123"))
    assert info.value.code == "serve-weak-token"


def test_the_cookie_is_secure_behind_https(config: ServeConfig) -> None:
    from tests.serve.intake import PLANNER

    client = TestClient(create_app(replace(config, secure_cookies=True)), follow_redirects=False)
    response = client.post("/planner/login", data={"token": PLANNER})
    assert "secure" in response.headers["set-cookie"].lower()


def test_a_database_that_takes_no_write_is_refused_at_start(config: ServeConfig) -> None:
    create_app(config)  # made and migrated
    if config.db_url.startswith("sqlite"):
        read_only = config.db_url.replace("sqlite:///", "sqlite:///file:") + "?mode=ro&uri=true"
    else:
        read_only = config.db_url + "?options=-c%20default_transaction_read_only%3Don"
    with pytest.raises(QbplanError) as raised:
        create_app(replace(config, db_url=read_only))
    assert raised.value.code == "intake-db-unusable"
    assert "read" in raised.value.params["detail"].lower()
