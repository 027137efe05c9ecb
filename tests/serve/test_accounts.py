"""Named planner accounts: roles held route by route, a group of units, the audit trail, the start-up token.

Each case runs on SQLite and on PostgreSQL (the ``config`` fixture's engines).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import replace

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from qbplan.intake.store import IntakeStore, Refused
from qbplan.serve.app import ServeConfig, create_app
from qbplan.serve.service import SIGN_IN_FAILURES_PER_ADDRESS, sign_in_allowed
from tests.serve.intake import PLANNER, _csrf, _link, _upload, _valid_workbook, kept_by

PASSWORD = "mot-mat-khau-du-dai"

# Every route of the app and what it needs: None for anyone (a unit's link is its own check).
ROUTES: dict[tuple[str, str], str | None] = {
    ("GET", "/"): None,
    ("GET", "/u/{token}"): None,
    ("GET", "/u/{token}/form.xlsx"): None,
    ("POST", "/u/{token}/upload"): None,
    ("GET", "/u/{token}/s/{number}"): None,
    ("GET", "/u/{token}/s/{number}/annotated.xlsx"): None,
    ("POST", "/u/{token}/s/{number}/explain"): None,
    ("GET", "/planner/login"): None,
    ("POST", "/planner/login"): None,
    ("POST", "/planner/logout"): None,
    ("GET", "/planner"): "viewer",
    ("GET", "/planner/s/{number}"): "viewer",
    ("GET", "/planner/history"): "viewer",
    ("GET", "/planner/accepted.zip"): "viewer",
    ("GET", "/planner/{kind}.xlsx"): "viewer",
    ("POST", "/planner/s/{number}/decide"): "reviewer",
    ("POST", "/planner/round"): "admin",
    ("POST", "/planner/due"): "admin",
    ("POST", "/planner/save"): "admin",
    ("GET", "/planner/admin"): "admin",
    ("POST", "/planner/admin/accounts"): "admin",
    ("POST", "/planner/admin/remind"): "admin",
    ("POST", "/planner/admin/accounts/{name}"): "admin",
    ("GET", "/planner/audit.csv"): "admin",
}


def _store(config: ServeConfig) -> IntakeStore:
    return create_app(config).state.service.store  # type: ignore[no-any-return]


def _add(config: ServeConfig, name: str, role: str, group: str = "") -> None:
    _store(config).add_account(name, PASSWORD, role, group, actor="test")


def _client(config: ServeConfig, name: str | None = None) -> TestClient:
    """A client of the app, signed in as ``name`` (None: nobody)."""
    client = TestClient(create_app(config), follow_redirects=False)
    if name is not None:
        response = client.post("/planner/login", data={"name": name, "password": PASSWORD})
        assert response.status_code == 303, response.text
    return client


def _form_csrf(client: TestClient) -> str:
    return _csrf(client.get("/planner", follow_redirects=True).text)


def test_every_route_declares_the_role_it_needs(config: ServeConfig) -> None:
    app = create_app(config)
    found = {}
    # Routers are included whole (FastAPI keeps each as one entry): their own routes are read.
    every: list[object] = []
    for entry in app.routes:
        every.extend(entry.original_router.routes if hasattr(entry, "original_router") else [entry])
    for route in every:
        if not isinstance(route, APIRoute):
            continue
        roles = [getattr(d.call, "role", None) for d in route.dependant.dependencies]
        for method in route.methods:
            found[(method, route.path)] = next((r for r in roles if r), None)
    assert found == ROUTES


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (None, set()),
        ("viewer", {"look"}),
        ("reviewer", {"look", "decide"}),
        ("admin", {"look", "decide", "close", "accounts"}),
    ],
)
def test_each_role_does_what_it_may_and_is_refused_the_rest(
    config: ServeConfig, tmp_path: object, role: str | None, allowed: set[str]
) -> None:
    _add(config, "boss", "admin")
    if role is not None and role != "admin":
        _add(config, "someone", role)
    unit = TestClient(create_app(config))
    assert _upload(unit, _link(config, "T002"), _valid_workbook(config.folder.parent))[0] == 200
    client = _client(config, None if role is None else "boss" if role == "admin" else "someone")
    csrf = _form_csrf(client) if role is not None else "x"
    acts = {
        "look": client.get("/planner"),
        "decide": client.post("/planner/s/1/decide", data={"decision": "accepted", "note": "", "csrf": csrf}),
        "close": client.post("/planner/round", data={"action": "close", "note": "", "csrf": csrf}),
        "accounts": client.get("/planner/admin"),
    }
    for act, response in acts.items():
        if act in allowed:
            assert response.status_code in (200, 303) and response.headers.get("location") != "/planner/login", act
        elif role is None:
            assert (response.status_code, response.headers["location"]) == (303, "/planner/login"), act
        else:
            assert response.status_code == 403, act


def test_the_start_up_token_makes_the_first_admin_and_then_signs_nobody_in(config: ServeConfig) -> None:
    client = TestClient(create_app(config), follow_redirects=False)
    assert client.post("/planner/login", data={"password": PLANNER}).status_code == 303
    csrf = _form_csrf(client)
    made = client.post(
        "/planner/admin/accounts", data={"name": "hoa", "password": PASSWORD, "role": "admin", "csrf": csrf}
    )
    assert made.status_code == 303
    # The token's session, and any new sign-in by it, end with the first admin account.
    assert client.get("/planner").headers["location"] == "/planner/login"
    again = TestClient(create_app(config), follow_redirects=False)
    refused = again.post("/planner/login", data={"password": PLANNER})
    assert refused.status_code == 403 and "Đã có tài khoản quản trị" in refused.text
    assert _client(config, "hoa").get("/planner").status_code == 200


def test_a_wrong_password_or_an_unknown_name_signs_nobody_in_and_is_kept(config: ServeConfig) -> None:
    _add(config, "hoa", "admin")
    client = TestClient(create_app(config), follow_redirects=False)
    assert client.post("/planner/login", data={"name": "hoa", "password": "sai-mat-khau-roi"}).status_code == 403
    assert client.post("/planner/login", data={"name": "ai-do", "password": PASSWORD}).status_code == 403
    trail = _store(config).audit_trail()
    assert [(e.action, e.subject) for e in trail[:2]] == [("sign-in-failed", "ai-do"), ("sign-in-failed", "hoa")]


def test_sign_in_is_throttled_per_account_whatever_the_address_and_the_server(config: ServeConfig) -> None:
    from dataclasses import replace

    _add(config, "hoa", "admin")
    _add(config, "lan", "viewer")
    # Another server on the same database, with its own folder: the failures are the store's.
    other = replace(config, folder=config.folder.parent / "may-hai")
    first = create_app(config).state.service
    if (config.folder / "secret.key").exists():  # SQLite: a second folder on the same file shares its secret
        other.folder.mkdir()
        shutil.copy(config.folder / "secret.key", other.folder / "secret.key")
    second = create_app(other).state.service
    for n in range(SIGN_IN_FAILURES_PER_ADDRESS):
        assert first.store.sign_in("hoa", "sai-mat-khau-roi", f"10.0.0.{n}") is None
    assert not sign_in_allowed(second.store, "10.0.0.99", "hoa")
    assert sign_in_allowed(second.store, "10.0.0.99", "lan")
    client = TestClient(create_app(other), follow_redirects=False)
    refused = client.post("/planner/login", data={"name": "hoa", "password": PASSWORD})
    assert refused.status_code == 429 and "thử lại sau 15 phút" in refused.text


@pytest.mark.parametrize(
    ("name", "password", "role", "code"),
    [
        ("hoa", "ngan", "admin", "account-weak-password"),
        ("hoa", "hoa-hoa-hoa-hoa-1", "admin", "account-weak-password"),
        ("hoa", "aaaaaaaaaaaaaaaa", "admin", "account-weak-password"),
        ("Hoa Nguyen", PASSWORD, "admin", "account-bad-name"),
        ("hoa", PASSWORD, "boss", "account-bad-role"),
    ],
)
def test_a_weak_password_a_bad_name_or_a_bad_role_is_refused(
    config: ServeConfig, name: str, password: str, role: str, code: str
) -> None:
    with pytest.raises(Refused) as raised:
        _store(config).add_account(name, password, role, actor="test")
    assert raised.value.code == code
    assert _store(config).accounts() == []


def test_the_last_admin_cannot_be_disabled_or_demoted(config: ServeConfig) -> None:
    _add(config, "hoa", "admin")
    store = _store(config)
    for change in ({"role": "viewer"}, {"active": False}):
        with pytest.raises(Refused) as raised:
            store.change_account("hoa", actor="test", **change)  # type: ignore[arg-type]
        assert raised.value.code == "account-last-admin"


def test_disabling_an_account_signs_it_out_at_once(config: ServeConfig) -> None:
    _add(config, "hoa", "admin")
    _add(config, "lan", "reviewer")
    client = _client(config, "lan")
    assert client.get("/planner").status_code == 200
    _store(config).change_account("lan", actor="hoa", active=False)
    assert client.get("/planner").headers["location"] == "/planner/login"
    assert client.post("/planner/login", data={"name": "lan", "password": PASSWORD}).status_code == 403


def test_who_decided_is_kept_with_the_decision_and_in_the_trail(config: ServeConfig) -> None:
    _add(config, "hoa", "admin")
    _add(config, "lan", "reviewer")
    unit = TestClient(create_app(config))
    _upload(unit, _link(config, "T002"), _valid_workbook(config.folder.parent))
    lan = _client(config, "lan")
    lan.post("/planner/s/1/decide", data={"decision": "returned", "note": "=1+1", "csrf": _form_csrf(lan)})
    assert kept_by(lan.get("/planner/s/1").text, "decisions") == ["lan"]
    hoa = _client(config, "hoa")
    hoa.post("/planner/round", data={"action": "close", "note": "hết hạn", "csrf": _form_csrf(hoa)})
    assert kept_by(hoa.get("/planner").text, "events") == ["hoa"]
    page = hoa.get("/planner/admin").text
    assert re.search(r"<td>lan</td><td>Trả lại bài</td><td>#1</td>", page)
    exported = hoa.get("/planner/audit.csv")
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    returned = next(r for r in rows if r[2] == "Trả lại bài")
    # The note a reviewer typed is text in Excel, never a formula.
    assert (returned[1], returned[3], returned[4]) == ("lan", "#1", "T002 =1+1")
    assert [r[2] for r in rows[1:3]] == ["Khóa đợt", "Đăng nhập"]


def test_a_formula_in_the_trail_is_text_in_the_csv(config: ServeConfig) -> None:
    _add(config, "hoa", "admin")
    store = _store(config)
    store.audit("hoa", "saved", "=HYPERLINK(1)", "+SUM(A1)")
    rows = list(csv.reader(io.StringIO(_client(config, "hoa").get("/planner/audit.csv").content.decode("utf-8-sig"))))
    saved = next(r for r in rows if r[2] == "Lưu vào lịch sử")
    assert saved[3:5] == ["'=HYPERLINK(1)", "'+SUM(A1)"]


def test_an_account_limited_to_a_group_sees_only_its_units(config: ServeConfig) -> None:
    _add(config, "hoa", "admin")
    _add(config, "dh", "reviewer", "Thành phố Đồng Hới")
    unit = TestClient(create_app(config))
    _upload(unit, _link(config, "T002"), _valid_workbook(config.folder.parent))  # a province agency's file
    client = _client(config, "dh")
    page = client.get("/planner").text
    shown = set(re.findall(r'data-unit="([^"]+)"', page))
    units = create_app(config).state.service.units
    assert shown == {key for key, unit in units.items() if unit.group == "Thành phố Đồng Hới"}
    assert client.get("/planner/s/1").status_code == 404
    decided = client.post("/planner/s/1/decide", data={"decision": "accepted", "note": "", "csrf": _csrf(page)})
    assert decided.status_code == 404
    assert client.get("/planner/report.xlsx").status_code == 403


def test_a_group_that_is_not_in_the_register_is_refused(config: ServeConfig) -> None:
    _add(config, "hoa", "admin")
    client = _client(config, "hoa")
    form = {
        "name": "x",
        "password": PASSWORD,
        "role": "viewer",
        "unit_group": "Huyện Không Có",
        "csrf": _form_csrf(client),
    }
    assert client.post("/planner/admin/accounts", data=form).status_code == 400
    assert [a.name for a in _store(config).accounts()] == ["hoa"]


def test_a_changed_password_signs_the_old_sessions_out(config: ServeConfig) -> None:
    _add(config, "hoa", "admin")
    _add(config, "lan", "viewer")
    lan = _client(config, "lan")
    hoa = _client(config, "hoa")
    form = {"role": "viewer", "unit_group": "", "password": "mat-khau-moi-that-dai", "active": "yes"}
    assert hoa.post("/planner/admin/accounts/lan", data={**form, "csrf": _form_csrf(hoa)}).status_code == 303
    assert lan.get("/planner").headers["location"] == "/planner/login"
    changed = [e.action for e in _store(config).audit_trail() if e.subject == "lan"]
    assert changed[0] == "account-password"


def test_an_intake_with_no_token_needs_an_account(config: ServeConfig) -> None:
    bare = replace(config, planner_token="")
    client = TestClient(create_app(bare), follow_redirects=False)
    assert client.post("/planner/login", data={"password": ""}).status_code == 403
