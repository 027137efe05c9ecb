"""The round's figures fail closed: a unit sends only its own rows, an acceptance stays until another
replaces it, a round closes, files are numbered on arrival and stored files are verified.

Each on SQLite and on PostgreSQL (the ``db_url`` fixture).
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy
from fastapi.testclient import TestClient

from qbplan.serve.app import ServeConfig, create_app
from tests.helpers import SAMPLES, agency, write_form
from tests.serve.intake import (
    _csrf,
    _link,
    _upload,
    _valid_workbook,
    kept_rows,
    links_secret_of,
    serve_config,
    signed_in,
    unit_row,
)


def _unit_values(config: ServeConfig, sheet: str, key: str) -> dict[str, Any]:
    """A register row's identifying values (owner column left out), to send as the register has them."""
    reg = config.register.sheets[sheet]
    unit = next(u for u in reg.units if str(u.values[reg.key]) == key)
    return {k: v for k, v in unit.values.items() if k not in reg.extra}


def _household(config: ServeConfig, ma_xa: str, **figures: Any) -> dict[str, Any]:
    return {**_unit_values(config, "ho_gia_dinh", ma_xa), "so_ho": 1000, "so_ho_biet_cntt": 700, **figures}


def _commune_file(config: ServeConfig, tmp_path: Path, commune: str, households: list[str]) -> bytes:
    own = agency(**_unit_values(config, "co_quan", commune))
    rows = {"co_quan": [own], "ho_gia_dinh": [_household(config, h) for h in households]}
    return write_form(tmp_path / f"{commune}-{len(households)}.xlsx", rows).read_bytes()


# --- a unit sends only its own rows ---------------------------------------------------------------


def test_a_commune_may_send_its_households_row_and_no_other(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    link = _link(config, "X19001")
    status, page = _upload(client, link, _commune_file(config, tmp_path, "X19001", ["19001"]))
    assert status == 200 and "Biểu số liệu hợp lệ" in page, page
    # Another commune's households row: an error at its code cell, naming who reports it.
    status, page = _upload(client, link, _commune_file(config, tmp_path, "X19001", ["19001", "19004"]))
    page = html.unescape(page)
    assert "có 1 lỗi" in page.lower()
    assert "'19004' ở cột 'Mã xã' là dòng do đơn vị X19004 báo cáo, không phải của X19001" in page
    assert "ho_gia_dinh › A3" in page


def test_a_department_cannot_send_the_province_level_sheets_it_does_not_report(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    own = agency(**_unit_values(config, "co_quan", "T002"))
    databases = [{**_unit_values(config, "csdl", f"CSDL{i:02d}"), "dat_chuan": True} for i in (1, 2)]
    path = write_form(tmp_path / "t002.xlsx", {"co_quan": [own], "csdl": databases})
    _, page = _upload(client, _link(config, "T002"), path.read_bytes())
    assert html.unescape(page).count("là dòng do đơn vị T011 báo cáo, không phải của T002") == 2
    # The survey's department reports them: the same rows from its link are its own.
    own = agency(**_unit_values(config, "co_quan", "T011"))
    path = write_form(tmp_path / "t011.xlsx", {"co_quan": [own], "csdl": databases})
    _, page = _upload(client, _link(config, "T011"), path.read_bytes())
    assert "Biểu số liệu hợp lệ" in page


def test_each_units_form_holds_every_sheet_it_reports_with_its_rows(client: TestClient, config: ServeConfig) -> None:
    def sheets(key: str) -> dict[str, list[Any]]:
        wb = openpyxl.load_workbook(io.BytesIO(client.get(f"{_link(config, key)}/form.xlsx").content))
        return {ws.title: [row[0] for row in ws.iter_rows(min_row=10, values_only=True) if row[0]] for ws in wb}

    commune = sheets("X19001")
    assert commune["Cơ quan, đơn vị"] == ["X19001"] and commune["Hộ gia đình"] == ["19001"]
    department = sheets("T011")
    assert len(department["CSDL chuyên ngành"]) == len(config.register.sheets["csdl"].units)
    assert {"Phần mềm dùng chung", "Doanh nghiệp"} <= set(department)
    assert "Hộ gia đình" not in sheets("T002") and "CSDL chuyên ngành" not in sheets("T002")
    page = client.get(_link(config, "X19001")).text
    assert "Đơn vị báo cáo các trang: Cơ quan, đơn vị, Hộ gia đình" in page
    # Its heading names the unit, where a blank form leaves a line to fill in.
    form = openpyxl.load_workbook(io.BytesIO(client.get(f"{_link(config, 'X19001')}/form.xlsx").content))
    assert form["Hộ gia đình"]["A1"].value == "CƠ QUAN, ĐƠN VỊ BÁO CÁO: UBND PHƯỜNG ĐỒNG XUÂN"


def test_a_register_naming_an_owner_that_is_no_unit_is_refused_at_start(tmp_path: Path, db_url: str) -> None:
    from qbplan.register.load import RegisterError
    from qbplan.run.pipeline import CheckOptions, read_register
    from tests.helpers import write_register

    register_file = write_register(
        tmp_path / "dm.xlsx",
        {
            "co_quan": [{"ma_don_vi": "T001", "ten_don_vi": "Sở A", "cap": "tinh", "loai": "so_nganh"}],
            "csdl": [{"ma_csdl": "C1", "ten_csdl": "CSDL 1", "linh_vuc": "X", "don_vi_bao_cao": "T999"}],
        },
    )
    config = serve_config(tmp_path, db_url)
    register = read_register(config.targets, CheckOptions(register=(str(register_file),)))
    assert register is not None
    with pytest.raises(RegisterError) as info:
        create_app(replace(config, register=register))
    assert "đơn vị báo cáo 'T999'" in info.value.message("vi")


# --- an acceptance stays until the planner replaces it --------------------------------------------


def test_an_accepted_file_still_counts_when_the_unit_sends_again(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    link = _link(config, "X19001")
    _upload(client, link, _commune_file(config, tmp_path, "X19001", ["19001"]), "lan-1.xlsx")
    csrf = signed_in(client)
    client.post("/planner/s/1/decide", data={"decision": "accepted", "csrf": csrf})
    before = client.get("/planner").text
    # The identical file again, then a correction: neither takes the accepted file's place.
    _upload(client, link, _commune_file(config, tmp_path, "X19001", ["19001"]), "lan-1.xlsx")
    row = unit_row(client, "X19001")
    assert "Đã chấp nhận" in row and "Bản sửa #2" in row and "đang chờ duyệt" in row
    # The unit's own list says it too.
    assert "bài #1 đã chấp nhận vẫn được tính đến khi đó" in client.get(link).text
    page = client.get("/planner").text
    table = r'id="indicators".*?</table>'
    assert re.findall(table, page, re.S) == re.findall(table, before, re.S)
    names = zipfile.ZipFile(io.BytesIO(client.get("/planner/accepted.zip").content)).namelist()
    assert names == ["X19001 - lan-1.xlsx", "danh-sach.txt"]
    # Accepting it again changes nothing, and says so.
    again = client.post("/planner/s/1/decide", data={"decision": "accepted", "csrf": csrf})
    assert again.status_code == 409 and "đã được chấp nhận: không có gì thay đổi" in again.text


def test_a_pending_correction_shows_what_it_changes_and_replaces_the_accepted_once_accepted(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    link = _link(config, "X19001")
    _upload(client, link, _commune_file(config, tmp_path, "X19001", ["19001"]))
    csrf = signed_in(client)
    client.post("/planner/s/1/decide", data={"decision": "accepted", "csrf": csrf})
    own = agency(**{**_unit_values(config, "co_quan", "X19001"), "so_cbcc": 41})
    rows = {"co_quan": [own], "ho_gia_dinh": [_household(config, "19001", so_ho=1200)]}
    _upload(client, link, write_form(tmp_path / "sua.xlsx", rows).read_bytes(), "sua.xlsx")
    page = client.get("/planner/s/2").text
    changes = re.search(r'<ul id="changes">(.*?)</ul>', page, re.S)
    assert changes is not None
    assert re.findall(r"<li>(.*?)</li>", changes.group(1)) == [
        "Cơ quan, đơn vị, X19001: Số cán bộ, công chức: 40 → 41",
        "Hộ gia đình, 19001: Số hộ gia đình: 1000 → 1200",
    ]
    client.post("/planner/s/2/decide", data={"decision": "accepted", "csrf": csrf})
    old = client.get("/planner/s/1").text
    assert "Đã thay bằng bài khác" in old
    assert "X19001 - sua.xlsx" in zipfile.ZipFile(io.BytesIO(client.get("/planner/accepted.zip").content)).namelist()


def test_accepting_a_file_a_newer_one_followed_is_refused_and_says_which(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    link = _link(config, "X19001")
    _upload(client, link, _commune_file(config, tmp_path, "X19001", ["19001"]), "cu.xlsx")
    _upload(client, link, _commune_file(config, tmp_path, "X19001", ["19001"]), "moi.xlsx")
    csrf = signed_in(client)
    assert 'href="/planner/s/2"' in client.get("/planner/s/1").text  # the older page points at the newer
    refused = client.post("/planner/s/1/decide", data={"decision": "accepted", "csrf": csrf})
    assert refused.status_code == 409 and "đơn vị đã gửi bài mới hơn (#2)" in html.unescape(refused.text)
    assert "Đã chấp nhận" not in unit_row(client, "X19001")
    english = client.post("/planner/s/1/decide?lang=en", data={"decision": "accepted", "csrf": csrf})
    assert "the unit has sent a newer submission (#2)" in html.unescape(english.text)


# --- a round that closes --------------------------------------------------------------------------


def test_a_closed_round_takes_no_upload_and_reopening_is_recorded(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    from qbplan.serve import security

    link = _link(config, "X19001")
    data = _commune_file(config, tmp_path, "X19001", ["19001"])
    csrf = signed_in(client)
    client.post("/planner/round", data={"action": "close", "note": "hết hạn", "csrf": csrf})
    page = client.get(link).text
    assert "Đợt báo cáo đã khóa lúc" in page and 'type="file"' not in page
    # A form opened before the round closed (its token still good): refused with a page, nothing recorded.
    good = security.csrf_token(links_secret_of(config), link.rsplit("/", 1)[1])
    late = client.post(f"{link}/upload", data={"csrf": good}, files={"file": ("a.xlsx", data)})
    assert late.status_code == 409 and "Đợt báo cáo đã khóa lúc" in late.text
    assert "Chưa gửi lần nào" in client.get(link).text
    client.post("/planner/round", data={"action": "reopen", "note": "gia hạn cho xã", "csrf": csrf})
    assert _upload(client, link, data)[0] == 200
    assert kept_rows(client.get("/planner").text, "events") == [
        ("Khóa đợt", "hết hạn"),
        ("Mở lại đợt", "gia hạn cho xã"),
    ]


# --- one check: the unit hears what the planner's check says of its rows ---------------------------


def test_a_units_verdict_is_the_planners_check_of_its_rows_and_only_that(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    # The register names X19001 "UBND Phường Đồng Xuân": the planner's check leaves this row out.
    own = agency(**{**_unit_values(config, "co_quan", "X19001"), "ten_don_vi": "UBND Phường Đồng Xuân Mới"})
    path = write_form(tmp_path / "x.xlsx", {"co_quan": [own]})
    _, page = _upload(client, _link(config, "X19001"), path.read_bytes())
    page = html.unescape(page)
    assert "khác danh mục đơn vị báo cáo" in page
    # Nothing of the province's: no missing units, no indicator warnings, no CLI hint.
    for words in ("Dùng danh mục", "mẫu số bằng 0", "chưa có số liệu hợp lệ", "Không có trang"):
        assert words not in page, words


def test_a_period_before_2025_is_judged_by_its_milestones(tmp_path: Path, db_url: str) -> None:
    from typer.testing import CliRunner

    from qbplan.cli import app

    config = serve_config(tmp_path, db_url, period="2024")
    client = TestClient(create_app(config), follow_redirects=True)
    data = _commune_file(config, tmp_path, "X19001", ["19001"])
    _upload(client, _link(config, "X19001"), data)
    csrf = signed_in(client)
    client.post("/planner/s/1/decide", data={"decision": "accepted", "csrf": csrf})
    report = openpyxl.load_workbook(io.BytesIO(client.get("/planner/report.xlsx").content))
    served = {row[0]: row for ws in report for row in ws.iter_rows(values_only=True) if row and row[0]}
    path = tmp_path / "x.xlsx"
    path.write_bytes(data)
    cli = CliRunner().invoke(
        app, ["check", str(path), "-r", str(SAMPLES / "danh-muc.xlsx"), "-f", "json", "-q", "--period", "2024"]
    )
    expected = {i["id"]: i for i in json.loads(cli.stdout)["indicators"]}
    assert expected["ct02b"]["target"] != "9/10"  # the 2024 milestone, not the 2025 target
    annex = openpyxl.load_workbook(io.BytesIO(client.get("/planner/annex.xlsx").content)).worksheets[0]
    text = " ".join(str(v) for row in annex.iter_rows(values_only=True) for v in row if v)
    assert "UBND TỈNH QUẢNG BÌNH" in text and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text and "2024" in text
    assert served  # the report opened


# --- stored files are verified ----------------------------------------------------------------------


def test_a_damaged_stored_copy_is_replaced_when_the_sound_file_comes_again(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    link = _link(config, "X19001")
    data = _commune_file(config, tmp_path, "X19001", ["19001"])
    _upload(client, link, data)
    (stored,) = (config.folder / "files").iterdir()
    stored.write_bytes(data[:100])  # a disk that lost the end of it
    status, page = _upload(client, link, data)
    assert status == 200 and "Biểu số liệu hợp lệ" in page
    assert stored.read_bytes() == data


def test_a_missing_stored_file_is_a_line_of_the_listing_and_named_on_the_dashboard(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    for key, household in (("X19001", "19001"), ("X19004", "19004")):
        _upload(client, _link(config, key), _commune_file(config, tmp_path, key, [household]), f"{key}.xlsx")
    csrf = signed_in(client)
    for number in (1, 2):
        client.post(f"/planner/s/{number}/decide", data={"decision": "accepted", "csrf": csrf})
    first = sorted((config.folder / "files").iterdir(), key=lambda p: p.stat().st_mtime_ns)[0]
    first.unlink()
    if not config.db_url.startswith("sqlite"):
        # A server store keeps a copy of every file too: the folder's, lost alone, comes back from it.
        assert len(zipfile.ZipFile(io.BytesIO(client.get("/planner/accepted.zip").content)).namelist()) == 3
        first.unlink()
        engine = sqlalchemy.create_engine(config.db_url)
        with engine.begin() as con:
            con.exec_driver_sql("DELETE FROM blobs WHERE sha256 = %s", (first.name.split(".")[0],))
        engine.dispose()
    archive = client.get("/planner/accepted.zip")
    assert archive.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(archive.content))
    assert zf.namelist() == ["X19004 - X19004.xlsx", "danh-sach.txt"]
    listing = zf.read("danh-sach.txt").decode()
    assert "X19001\t#1\tX19001.xlsx\tTHIẾU" in listing
    assert "Tệp lưu của bài #1 (X19001, X19001.xlsx) bị thiếu hoặc hỏng" in client.get("/planner").text


def test_a_write_that_fails_leaves_no_temporary_file_and_records_nothing(
    client: TestClient, config: ServeConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    link = _link(config, "X19001")
    status, page = _upload(client, link, _commune_file(config, tmp_path, "X19001", ["19001"]))
    assert status == 507 and "chưa ghi nhận gì" in page
    assert list((config.folder / "files").iterdir()) == []
    monkeypatch.undo()
    assert "Chưa gửi lần nào" in client.get(link).text


def test_a_partial_file_a_crash_left_is_removed_at_start(config: ServeConfig) -> None:
    folder = config.folder / "files"
    folder.mkdir(parents=True)
    (folder / ".upload-abc.tmp").write_bytes(b"\0" * 1000)
    create_app(config)
    assert list(folder.iterdir()) == []


def test_an_unreadable_file_is_offered_no_marked_copy(client: TestClient, config: ServeConfig, tmp_path: Path) -> None:
    link = _link(config, "X19001")
    _, page = _upload(client, link, b"PK\x03\x04 not a workbook at all", "hong.xlsx")
    assert "annotated.xlsx" not in page
    marked = client.get(f"{link}/s/1/annotated.xlsx")
    assert marked.status_code == 409 and "không có bản đánh dấu" in marked.text.lower()


# --- a whole round through the intake alone --------------------------------------------------------


@pytest.mark.slow
def test_a_round_where_every_unit_fills_its_own_form_yields_every_indicator(
    client: TestClient, config: ServeConfig
) -> None:
    from tests.serve.intake import fill_form

    units = [str(u.values["ma_don_vi"]) for u in config.register.sheets["co_quan"].units]
    for key in units:
        link = _link(config, key)
        form = client.get(f"{link}/form.xlsx").content
        status, page = _upload(client, link, fill_form(form, config.targets), f"{key}.xlsx")
        assert status == 200 and "Biểu số liệu hợp lệ" in page, (key, html.unescape(page)[-2000:])
    csrf = signed_in(client)
    for number in range(1, len(units) + 1):
        # Not following the redirect: the dashboard's province check once at the end, not once per decision.
        decided = client.post(
            f"/planner/s/{number}/decide", data={"decision": "accepted", "csrf": csrf}, follow_redirects=False
        )
        assert decided.status_code == 303
    report = openpyxl.load_workbook(io.BytesIO(client.get("/planner/report.xlsx").content))
    table = client.get("/planner").text
    statuses = re.findall(r"<tr><td>(ct\w+)</td>(?:<td>[^<]*</td>){4}<td>([^<]*)</td></tr>", table)
    assert len(statuses) == 14, statuses
    assert [s for s in statuses if s[1] in ("CHƯA ĐỦ SỐ LIỆU", "KHÔNG CÓ SỐ LIỆU")] == []
    assert report.worksheets


def test_a_unit_hears_which_of_its_rows_its_file_lacks(client: TestClient, config: ServeConfig, tmp_path: Path) -> None:
    own = agency(**_unit_values(config, "co_quan", "X19001"))
    path = write_form(tmp_path / "x.xlsx", {"co_quan": [own]})
    status, page = _upload(client, _link(config, "X19001"), path.read_bytes())
    page = html.unescape(page)
    assert status == 200 and "Biểu số liệu hợp lệ" in page
    assert "Chưa có dòng '19001' (Mã xã) ở trang 'Hộ gia đình': dòng này do X19001 báo cáo" in page
    assert "annotated.xlsx" not in page  # nothing to mark at a cell


def test_the_planners_report_is_dated_in_vietnams_time(client: TestClient, config: ServeConfig) -> None:
    import datetime as _dt

    from qbplan.intake.store import ICT

    signed_in(client)
    before = _dt.datetime.now(ICT).replace(tzinfo=None, second=0, microsecond=0)
    report = openpyxl.load_workbook(io.BytesIO(client.get("/planner/report.xlsx").content))
    after = _dt.datetime.now(ICT).replace(tzinfo=None, second=0, microsecond=0)
    text = " ".join(str(v) for ws in report for row in ws.iter_rows(values_only=True) for v in row if v)
    stamp = re.search(r"Lập lúc (\d\d/\d\d/\d{4} \d\d:\d\d)", text)
    assert stamp is not None
    assert before <= _dt.datetime.strptime(stamp.group(1), "%d/%m/%Y %H:%M") <= after


def test_the_dashboard_says_nothing_is_accepted_yet_not_that_nothing_was_sent(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    _upload(client, _link(config, "T002"), _valid_workbook(tmp_path))
    signed_in(client)
    page = client.get("/planner").text
    assert "Chưa chấp nhận bài nào" in page and "Chưa gửi lần nào" not in page


def test_a_unit_explains_a_warning_and_the_planner_reads_it_beside_the_finding(
    client: TestClient, config: ServeConfig, tmp_path: Path
) -> None:
    link = _link(config, "X19001")
    # The commune's own row without its households row: valid, with a warning that its part is not whole.
    status, page = _upload(client, link, _commune_file(config, tmp_path, "X19001", []))
    assert status == 200
    form = re.search(
        r'action="(/u/[^"]+/explain)".*?name="csrf" value="([^"]+)".*?name="key" value="([^"]+)"', page, re.S
    )
    assert form is not None, page
    url, csrf, key = form.groups()
    assert key.startswith("submission-row-missing|")
    said = "Xã đã sáp nhập, hộ gia đình báo cáo ở xã mới"
    assert client.post(url, data={"csrf": csrf, "key": key, "text": said}).status_code == 200
    verdict = url.rsplit("/explain", 1)[0]
    assert f"Đơn vị giải trình: {said}" in html.unescape(client.get(verdict).text)
    signed_in(client)
    planner_page = html.unescape(client.get("/planner/s/1").text)
    assert f"Đơn vị giải trình: {said}" in planner_page
    # Only a warning of this submission can be explained; anything else is no page, and nothing is kept.
    assert client.post(url, data={"csrf": csrf, "key": "required|x|1|y", "text": "?"}).status_code == 404
    # A closed round takes no more explanations, as it takes no more files.
    csrf_planner = _csrf(client.get("/planner").text)
    client.post("/planner/round", data={"action": "close", "note": "", "csrf": csrf_planner})
    late = client.post(url, data={"csrf": csrf, "key": key, "text": "muộn"})
    assert late.status_code == 409 and "muộn" not in html.unescape(client.get(verdict).text)


def test_the_dashboard_filters_searches_and_pages(client: TestClient, config: ServeConfig, tmp_path: Path) -> None:
    _upload(client, _link(config, "T002"), _valid_workbook(tmp_path))
    signed_in(client)

    def shown(query: str) -> list[str]:
        return re.findall(r'data-unit="([^"]+)"', client.get(f"/planner{query}").text)

    units = create_app(config).state.service.units
    every = list(units)
    assert shown("") == every[:100] and shown("?page=2") == every[100:200]
    assert shown("?page=abc") == every[:100]  # not a page number: the first page, never an error
    assert shown("?state=clean") == ["T002"]
    assert shown("?q=x19001") == ["X19001"]  # the code, without case
    name = units["X19001"].name
    assert "X19001" in shown("?q=" + name.lower().replace("đ", "d"))  # the name, without accents or case
    group = units["X19001"].group
    assert shown("?group=" + group) == [k for k, u in units.items() if u.group == group]
    page = client.get("/planner?state=missing").text
    assert f"Đang hiện {len(every) - 1}/{len(every)} đơn vị." in page
