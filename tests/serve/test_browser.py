"""The intake in a real browser: headless Chromium (Debian's) driven by Playwright, against ``qbplan serve``.

The server is the real command under uvicorn, started here on a free port.
Screenshots go to ``QBPLAN_SCREENSHOTS`` (default: the test's temporary
folder) to be looked at. Without Chromium the tests skip, except in CI, where
``.ci/run`` installs it and sets ``QBPLAN_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.helpers import SAMPLES, agency, write_form

pytestmark = pytest.mark.slow
PLANNER = "ma-truy-cap-thu-nghiem"
# As the machine's notes say Chromium must start here: no sandbox as root, no network of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = os.environ.get("QBPLAN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("QBPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required in CI (.ci/run installs Debian's chromium)")
        pytest.skip("no Chromium: install Debian's chromium")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """``qbplan serve`` on the sample register, listening on loopback; its links and its address."""
    port = _free_port()
    links = tmp_path / "links.csv"
    cmd = [sys.executable, "-m", "qbplan", "serve", "-r", str(SAMPLES / "danh-muc.xlsx"), "--port", str(port)]
    cmd += ["--folder", str(tmp_path / "intake"), "--links", str(links), "--planner-token", PLANNER]
    cmd += ["--period", "2025", "--history-db", str(tmp_path / "lich-su.db")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                time.sleep(0.2)
        with open(links, encoding="utf-8-sig") as fh:
            by_key = {row["ma_don_vi"]: row["duong_dan"] for row in csv.DictReader(fh)}
        yield {"base": base, "links": by_key, "proc": proc}
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
        yield context.new_page()
        browser.close()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("QBPLAN_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_unit_uploads_a_bad_file_then_a_good_one_and_the_planner_accepts_it(
    server: dict[str, Any], page: Any, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    link = server["links"]["T002"]
    page.goto(link)
    assert page.locator("h1").inner_text() == "Sở Nội vụ"
    page.screenshot(path=str(shots / "1-unit.png"), full_page=True)

    # A bad file: the verdict lists the findings at their cells, and the marked copy downloads.
    page.set_input_files("input[type=file]", str(SAMPLES / "survey-invalid.xlsx"))
    page.click("button[type=submit]")
    page.wait_for_selector("text=sửa các ô dưới đây")
    assert "A68" in page.content()
    page.screenshot(path=str(shots / "2-verdict-errors.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=Tải bản có đánh dấu các ô lỗi")
    marked = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert marked["Cơ quan, đơn vị"]["A68"].fill.fgColor.rgb.endswith("FFC7CE")

    # The corrected file: valid.
    good = write_form(tmp_path / "so-noi-vu.xlsx", {"co_quan": [agency(ma_don_vi="T002", ten_don_vi="Sở Nội vụ")]})
    page.goto(link)
    page.set_input_files("input[type=file]", str(good))
    page.click("button[type=submit]")
    page.wait_for_selector("text=Biểu số liệu hợp lệ")
    page.screenshot(path=str(shots / "3-verdict-clean.png"), full_page=True)

    # The planner signs in, accepts it, and the province's indicators appear.
    page.goto(f"{server['base']}/planner")
    page.fill("input[name=password]", PLANNER)
    page.click("button[type=submit]")
    page.wait_for_selector("#units")
    assert "1/192" in page.inner_text("#summary")
    assert page.locator("#indicators").count() == 0
    row = page.locator('tr[data-unit="T002"]')
    assert "Đã gửi, hợp lệ" in row.inner_text()
    row.locator("input[name=note]").fill("Đã kiểm tra")
    row.locator("button[value=accepted]").click()
    page.wait_for_selector("#indicators")
    assert "Đã chấp nhận" in page.locator('tr[data-unit="T002"]').inner_text()
    assert "ct07a" in page.inner_text("#indicators")
    page.screenshot(path=str(shots / "4-planner.png"), full_page=True)

    # The accepted file is saved as the period's run, and the history chart shows the year.
    page.click("#save-period")
    page.wait_for_selector("[role=status]")
    assert "Đã lưu lần chạy #1 của Năm 2025 (1 tệp đã chấp nhận)" in page.inner_text("[role=status]")
    page.screenshot(path=str(shots / "5-saved.png"), full_page=True)
    page.click("text=Lịch sử các kỳ (biểu đồ)")
    page.wait_for_selector("svg")
    assert "Năm 2025" in page.content()
    page.screenshot(path=str(shots / "6-history.png"), full_page=True)
    page.goto(f"{server['base']}/planner")

    # English by the switch.
    page.click("text=English")
    page.wait_for_selector("text=The reporting round")
    assert server["proc"].poll() is None


COMMUNE = {"ma_don_vi": "X19001", "ten_don_vi": "UBND Phường Đồng Xuân", "cap": "xa", "loai": "ubnd_xa",
           "huyen": "Thành phố Đồng Hới"}  # fmt: skip
HOUSEHOLDS = {
    "19001": {"ma_xa": "19001", "ten_xa": "Phường Đồng Xuân", "huyen": "Thành phố Đồng Hới"},
    "19004": {"ma_xa": "19004", "ten_xa": "Phường Thạch Trạch", "huyen": "Thành phố Đồng Hới"},
}


def _commune(path: Path, households: list[str], so_ho: int = 1000) -> Path:
    rows = [{**HOUSEHOLDS[h], "so_ho": so_ho, "so_ho_biet_cntt": 700} for h in households]
    return write_form(path, {"co_quan": [agency(**COMMUNE)], "ho_gia_dinh": rows})


def _send(page: Any, link: str, path: Path, lang: str = "vi") -> None:
    page.goto(f"{link}?lang={lang}")
    page.set_input_files("input[type=file]", str(path))
    page.click("button[type=submit]")
    page.wait_for_selector("text=SHA-256")


def test_a_foreign_row_a_pending_correction_and_a_closed_round_read_right_in_both_languages(
    server: dict[str, Any], page: Any, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    link = server["links"]["X19001"]
    # Another commune's households row: refused at its cell, in Vietnamese and in English.
    _send(page, link, _commune(tmp_path / "hai-xa.xlsx", ["19001", "19004"]))
    assert "là dòng do đơn vị X19004 báo cáo, không phải của X19001" in page.inner_text("body")
    page.screenshot(path=str(shots / "7-foreign-row-vi.png"), full_page=True)
    _send(page, link, _commune(tmp_path / "hai-xa.xlsx", ["19001", "19004"]), "en")
    assert "is a row reported by X19004, not by X19001" in page.inner_text("body")
    assert "Errors found: 1." in page.inner_text("body")
    page.screenshot(path=str(shots / "8-foreign-row-en.png"), full_page=True)
    # Its own rows: valid; the planner accepts it; a correction then waits beside it.
    _send(page, link, _commune(tmp_path / "dung.xlsx", ["19001"]))
    assert "Biểu số liệu hợp lệ" in page.inner_text("body")
    page.goto(f"{server['base']}/planner?lang=vi")
    page.fill("input[name=password]", PLANNER)
    page.click("button[type=submit]")
    page.wait_for_selector("#units")
    page.locator('tr[data-unit="X19001"] button[value=accepted]').click()
    page.wait_for_selector("#indicators")
    _send(page, link, _commune(tmp_path / "sua.xlsx", ["19001"], so_ho=1200))
    page.goto(f"{server['base']}/planner?lang=vi")
    row = page.locator('tr[data-unit="X19001"]')
    assert "Đã chấp nhận" in row.inner_text() and "đang chờ duyệt" in row.inner_text()
    row.locator("a.pending").click()
    page.wait_for_selector("#changes")
    assert "Hộ gia đình, 19001: Số hộ gia đình: 1000 → 1200" in page.inner_text("#changes")
    page.screenshot(path=str(shots / "9-pending-vi.png"), full_page=True)
    page.goto(page.url.split("?")[0] + "?lang=en")
    assert "A correction awaiting review" in page.inner_text("body")
    page.screenshot(path=str(shots / "10-pending-en.png"), full_page=True)
    # The planner closes the round: the unit's page says so, and takes no file.
    page.goto(f"{server['base']}/planner?lang=vi")
    page.fill("#round input[name=note]", "Hết hạn nộp")
    page.click("#round button[value=close]")
    page.wait_for_selector("#events")
    page.screenshot(path=str(shots / "11-planner-closed-vi.png"), full_page=True)
    page.goto(f"{link}?lang=vi")
    assert "Đợt báo cáo đã khóa lúc" in page.inner_text("#closed")
    assert page.locator("input[type=file]").count() == 0
    page.screenshot(path=str(shots / "12-unit-closed-vi.png"), full_page=True)
    page.goto(f"{link}?lang=en")
    assert "The round was closed at" in page.inner_text("#closed")
    page.screenshot(path=str(shots / "13-unit-closed-en.png"), full_page=True)
    assert server["proc"].poll() is None


def test_the_first_admin_adds_a_reviewer_who_decides_and_the_trail_names_them(
    server: dict[str, Any], page: Any, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    good = write_form(tmp_path / "so-noi-vu.xlsx", {"co_quan": [agency(ma_don_vi="T002", ten_don_vi="Sở Nội vụ")]})
    page.goto(server["links"]["T002"])
    page.set_input_files("input[type=file]", str(good))
    page.click("button[type=submit]")
    page.wait_for_selector("text=Biểu số liệu hợp lệ")

    # The start-up token signs in the first admin, who adds accounts on the admin page.
    page.goto(f"{server['base']}/planner?lang=vi")
    page.fill("input[name=password]", PLANNER)
    page.click("button[type=submit]")
    page.click("#admin-link")

    def add(name: str, role: str) -> None:
        form = page.locator("#add-account")
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=password]").fill("mot-mat-khau-du-dai")
        form.locator("select[name=role]").select_option(role)
        form.locator("button[type=submit]").click()

    def sign_in(name: str) -> None:
        page.goto(f"{server['base']}/planner/login")
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", "mot-mat-khau-du-dai")
        page.click("button[type=submit]")

    # The first admin account retires the token: its own session ends, and the admin signs in by name.
    add("hoa", "admin")
    page.wait_for_selector("input[name=name]")
    sign_in("hoa")
    page.click("#admin-link")
    add("lan", "reviewer")
    page.wait_for_selector('tr[data-account="lan"]')
    page.screenshot(path=str(shots / "12-admin-vi.png"), full_page=True)

    # From the first admin account on, everyone signs in by name; the reviewer decides and sees no round form.
    sign_in("lan")
    page.wait_for_selector("#units")
    assert "lan (duyệt)" in page.inner_text("#who") and page.locator("form#round").count() == 0
    page.locator('tr[data-unit="T002"] button[value=accepted]').click()
    page.wait_for_selector("#indicators")

    sign_in("hoa")
    page.goto(f"{server['base']}/planner/admin")
    trail = page.inner_text("#audit")
    assert "lan\tChấp nhận bài\t#1" in trail
    page.screenshot(path=str(shots / "13-audit-vi.png"), full_page=True)
