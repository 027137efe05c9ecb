"""The history on a PostgreSQL server: refused as a file is refused, writing nothing, in one line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import psycopg
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.history.periods import parse_period
from qbplan.history.record import save_run
from qbplan.history.store import SCHEMA_VERSION, open_store
from tests.helpers import SAMPLES, postgres_url
from tests.history.saver import heavy_report

runner = CliRunner()


@pytest.fixture
def server(history_server: str) -> Iterator[str]:
    yield history_server


def _tables(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the database and its rows, read with psycopg alone."""
    with psycopg.connect(url) as pg:
        names = [r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {n: sorted(map(tuple, pg.execute(f'SELECT * FROM "{n}"').fetchall()), key=repr) for n in sorted(names)}


def _shown(url: str) -> str:
    return re.sub(r":[^:@/]*@", ":***@", url)


def _refused(url: str, expected: str) -> None:
    before = _tables(url)
    save = runner.invoke(
        app, ["check", str(SAMPLES / "survey.xlsx"), "--period", "2024", "--save", "--db", url, "-q", "-f", "json"]
    )
    assert save.exit_code == 2, save.output
    assert save.stdout == ""
    assert save.stderr == f"qbplan: {_shown(url)}: {expected}\n"
    history = runner.invoke(app, ["history", "--db", url])
    assert history.exit_code == 2 and history.stderr == save.stderr
    assert _tables(url) == before


def test_another_programs_tables_of_the_same_names_are_refused_untouched(server: str) -> None:
    with psycopg.connect(server) as pg:
        pg.execute("CREATE TABLE runs (id integer, ten text)")
        pg.execute("INSERT INTO runs VALUES (1, 'kế toán')")
    _refused(server, "không phải cơ sở dữ liệu lịch sử của qbplan; không ghi gì vào tệp này")


def test_a_database_from_a_newer_qbplan_is_refused_untouched(server: str) -> None:
    save_run(heavy_report(1), parse_period("2023"), server, ["qbplan"])
    with psycopg.connect(server) as pg:
        pg.execute("UPDATE qbplan_history_version SET version_num = %s", (f"h{SCHEMA_VERSION + 1:04d}",))
    _refused(
        server,
        f"cơ sở dữ liệu do phiên bản qbplan mới hơn tạo (lược đồ {SCHEMA_VERSION + 1}, "
        f"bản này đọc đến {SCHEMA_VERSION}); hãy nâng cấp qbplan",
    )


def test_a_revision_qbplan_never_wrote_is_refused_untouched(server: str) -> None:
    save_run(heavy_report(1), parse_period("2023"), server, ["qbplan"])
    with psycopg.connect(server) as pg:
        pg.execute("UPDATE qbplan_history_version SET version_num = 'ae1027a6acf'")
    _refused(server, "không phải cơ sở dữ liệu lịch sử của qbplan; không ghi gì vào tệp này")


def test_history_on_a_server_with_no_runs_yet_says_how_to_save_one(server: str) -> None:
    result = runner.invoke(app, ["history", "--db", server])
    assert result.exit_code == 2
    assert result.stderr == (
        f"qbplan: {_shown(server)}: chưa có cơ sở dữ liệu lịch sử; "
        "lưu lần chạy bằng qbplan check … --period KỲ --save\n"
    )
    assert _tables(server) == {}  # looking made nothing


@pytest.mark.parametrize(
    ("change", "reason", "reason_en"),
    [
        (
            lambda url: re.sub(r":\d+/", ":1/", url, count=1),
            "máy chủ từ chối kết nối",
            "Connection refused",
        ),
        (
            lambda url: re.sub(r":([^:@/]*)@", ":sai-mat-khau@", url),
            "sai tên đăng nhập hoặc mật khẩu",
            "password authentication failed",
        ),
    ],
    ids=["no-server", "wrong-password"],
)
def test_a_server_that_cannot_be_reached_is_one_line_without_the_password(
    server: str, change: object, reason: str, reason_en: str
) -> None:
    url = change(server)  # type: ignore[operator]
    for args in (["history", "--db", url], ["check", str(SAMPLES / "survey.xlsx"), "--period", "2024", "--save",
                                                "--db", url, "-q"]):  # fmt: skip
        for lang, said, expected in (("vi", "không mở được cơ sở dữ liệu lịch sử", reason),
                                     ("en", "cannot open the history database", reason_en)):  # fmt: skip
            result = runner.invoke(app, [*args, "--lang", lang])
            assert result.exit_code == 2
            line = result.stderr
            assert line.count("\n") == 1 and said in line and expected in line, line
            assert "sai-mat-khau" not in line and ":qbplan@" not in line


def test_a_read_only_server_refuses_the_save_and_keeps_the_runs(server: str) -> None:
    first = runner.invoke(
        app, ["check", str(SAMPLES / "survey.xlsx"), "--period", "2023", "--save", "--db", server, "-q"]
    )
    assert first.exit_code == 1, first.output
    before = _tables(server)
    # libpq's options: every transaction of this session is read-only, as on a standby.
    read_only = server + ("&" if "?" in server else "?") + "options=-c%20default_transaction_read_only%3Don"
    result = runner.invoke(
        app, ["check", str(SAMPLES / "survey.xlsx"), "--period", "2024", "--save", "--db", read_only, "-q"]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(
        ": không ghi được vào cơ sở dữ liệu lịch sử (chỉ đọc); lần chạy này chưa được lưu\n"
    ), result.stderr
    assert _tables(server) == before
    # Reading still works there.
    history = runner.invoke(app, ["history", "--db", read_only, "-f", "json"])
    assert history.exit_code == 0, history.output
    assert {p["period"] for s in json.loads(history.stdout)["indicators"] for p in s["points"]} == {"2023"}


def test_the_saved_command_keeps_no_password_of_the_server(server: str) -> None:
    import shlex
    import subprocess
    import sys

    args = ["check", str(SAMPLES / "survey.xlsx"), "--period", "2024", "--save", "--db", server, "-q"]
    done = subprocess.run([sys.executable, "-m", "qbplan", *args], capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"qbplan: đã lưu lần chạy #1 (Năm 2024) vào {_shown(server)}\n"
    stored = _tables(server)
    (run,) = stored["runs"]
    assert shlex.join(["qbplan", *args[:-2], _shown(server), "-q"]) in run
    password = re.search(r":([^:@/]*)@", server)
    assert password is not None
    assert f":{password.group(1)}@" not in json.dumps(stored, default=str, ensure_ascii=False)


def test_a_store_on_the_server_reads_what_it_saved_exactly(server: str) -> None:
    # A count past 64 bits survives the round trip: numerators are decimal text on every engine.
    report = heavy_report(3)
    big = 2**70 + 1
    import dataclasses

    first = dataclasses.replace(report.indicators[0], numerator=big, denominator=big + 2)
    report = dataclasses.replace(report, indicators=[first, *report.indicators[1:]])
    run = save_run(report, parse_period("2025-H1"), server, ["qbplan"]).run_id
    store = open_store(server, create=False)
    try:
        saved = {s.indicator: s for s in store.current("plan")}
        assert (saved["ct00"].numerator, saved["ct00"].denominator, saved["ct00"].run_id) == (big, big + 2, run)
        assert saved["ct00"].period.key == "2025-H1"
    finally:
        store.close()


def test_postgres_url_is_what_the_fixture_gives(server: str) -> None:
    assert server == postgres_url()
