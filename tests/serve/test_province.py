"""The province's report on the dashboard: made from each upload's kept reading, never by reading every file again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from qbplan.run import pipeline
from qbplan.serve.app import ServeConfig, create_app
from qbplan.serve.service import province_report
from tests.helpers import agency, write_form
from tests.serve.intake import _link, _upload, signed_in


def _agency_file(config: ServeConfig, tmp_path: Path, key: str, staff: int) -> bytes:
    """The unit's own row, named as the register names it, with ``staff`` civil servants, all but one equipped."""
    register = config.register.sheets["co_quan"]
    unit = next(u for u in register.units if str(u.values[register.key]) == key)
    named = {k: v for k, v in unit.values.items() if k not in register.extra}
    row = agency(**named, so_cbcc=staff, so_cbcc_trang_bi=staff - 1)
    return write_form(tmp_path / f"{key}.xlsx", {"co_quan": [row]}).read_bytes()


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many files each call of the pipeline's reader is given, from now on."""
    counted: list[int] = []
    real = pipeline.load

    def load(paths: Any, *args: Any, **kwargs: Any) -> Any:
        counted.append(len(paths.files) if hasattr(paths, "files") else len(paths))
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(pipeline, "load", load)
    return counted


@pytest.mark.parametrize("accepted", [2, 6])
def test_a_decision_reads_no_file_however_many_are_accepted(
    config: ServeConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, accepted: int
) -> None:
    app = create_app(config)
    client = TestClient(app, follow_redirects=True)
    keys = [str(u.values["ma_don_vi"]) for u in config.register.sheets["co_quan"].units][: accepted + 1]
    for n, key in enumerate(keys, 1):
        assert _upload(client, _link(config, key), _agency_file(config, tmp_path, key, 50 + 10 * n))[0] == 200
    csrf = signed_in(client)
    for number in range(1, accepted + 1):
        client.post(f"/planner/s/{number}/decide", data={"decision": "accepted", "note": "", "csrf": csrf})
    reads = _reads(monkeypatch)
    decided = client.post(f"/planner/s/{accepted + 1}/decide", data={"decision": "accepted", "note": "", "csrf": csrf})
    assert decided.status_code == 200
    assert client.get("/planner").status_code == 200 and client.get("/planner/report.xlsx").status_code == 200
    assert sum(reads) == 0
    # And the report is what the accepted files say, worked out here from the rows written:
    # ct02a is civil servants with a computer over civil servants (each unit: all but one).
    report = province_report(app.state.service)
    assert report is not None
    ct02a = next(i for i in report.indicators if i.id == "ct02a")
    staff = [50 + 10 * n for n in range(1, accepted + 2)]
    assert (ct02a.numerator, ct02a.denominator) == (sum(s - 1 for s in staff), sum(staff))
    assert report.errors == []


def test_a_server_restarted_reads_no_accepted_file_again(
    config: ServeConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(create_app(config), follow_redirects=True)
    for key in ("T002", "T003"):
        _upload(client, _link(config, key), _agency_file(config, tmp_path, key, 60))
    csrf = signed_in(client)
    for number in (1, 2):
        client.post(f"/planner/s/{number}/decide", data={"decision": "accepted", "note": "", "csrf": csrf})
    restarted = TestClient(create_app(config), follow_redirects=True)
    reads = _reads(monkeypatch)
    signed_in(restarted)  # its first page
    for _ in range(3):
        page = restarted.get("/planner").text
    assert reads == []  # each file's reading was kept in the store when it was checked
    assert re.search(r"2/\d+", page)


def test_a_reading_that_is_not_one_is_not_believed_and_the_file_is_read_again(
    config: ServeConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlalchemy

    client = TestClient(create_app(config), follow_redirects=True)
    _upload(client, _link(config, "T002"), _agency_file(config, tmp_path, "T002", 60))
    csrf = signed_in(client)
    client.post("/planner/s/1/decide", data={"decision": "accepted", "note": "", "csrf": csrf})
    before = province_report(client.app.state.service)  # type: ignore[attr-defined]
    engine = sqlalchemy.create_engine(config.db_url)
    with engine.begin() as con:
        con.execute(sqlalchemy.text("UPDATE readings SET content = :junk"), {"junk": b"not a reading"})
    engine.dispose()
    app = create_app(config)  # restarted, its reading in the store damaged
    reads = _reads(monkeypatch)
    after = province_report(app.state.service)
    assert reads == [1] and before is not None and after is not None
    assert [(i.id, i.numerator, i.denominator) for i in after.indicators] == [
        (i.id, i.numerator, i.denominator) for i in before.indicators
    ]
