"""The intake store, the same tests on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as _dt
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from qbplan.intake.store import IntakeError, IntakeStore, database_url
from qbplan.model.findings import Finding
from tests.helpers import SAMPLES
from tests.history.saver import heavy_report


def test_a_submission_is_recorded_with_its_findings_and_decided(db_url: str) -> None:
    store = IntakeStore(db_url)
    try:
        report = heavy_report(3)
        first = store.record("2025", "T002", "a" * 64, 1234, "so-noi-vu.xlsx", report)
        assert (first.unit_key, first.size, first.errors, first.state) == ("T002", 1234, 3, "errors")
        assert first.findings[0] == report.errors[0] and isinstance(first.findings[0], Finding)
        assert first.received_at.tzinfo is not None
        second = store.record("2025", "T002", "b" * 64, 99, "lan-2.xlsx", heavy_report(0))
        # The later one is current; the earlier one is kept.
        assert store.current("2025")["T002"].id == second.id
        assert [s.id for s in store.of_unit("2025", "T002")] == [second.id, first.id]
        decided = store.decide(second.id, "accepted", "ổn")
        assert decided is not None and (decided.state, decided.note) == ("accepted", "ổn")
        assert decided.decided_at is not None
        assert store.current("2026") == {} and store.of_unit("2025", "T003") == []
    finally:
        store.close()


def test_a_due_date_is_kept_per_period_with_its_time_zone(db_url: str) -> None:
    store = IntakeStore(db_url)
    try:
        due = _dt.datetime(2025, 12, 15, 23, 59, 59, tzinfo=_dt.timezone(_dt.timedelta(hours=7)))
        store.set_due("2025", due)
        assert store.due("2025") == due and store.due("2026") is None
        store.set_due("2025", None)
        assert store.due("2025") is None
    finally:
        store.close()


def test_opening_again_migrates_nothing_and_keeps_the_records(db_url: str) -> None:
    store = IntakeStore(db_url)
    store.record("2025", "T002", "a" * 64, 1, "x.xlsx", heavy_report(0))
    store.close()
    again = IntakeStore(db_url)
    try:
        assert list(again.current("2025")) == ["T002"]
    finally:
        again.close()


def test_fifty_submissions_at_once_are_all_recorded(db_url: str) -> None:
    store = IntakeStore(db_url)
    try:
        report = heavy_report(2)

        def send(i: int) -> int:
            return store.record("2025", f"X{i:03d}", f"{i:064d}", i, f"{i}.xlsx", report).id

        with ThreadPoolExecutor(max_workers=16) as pool:
            ids = list(pool.map(send, range(50)))
        assert len(set(ids)) == 50 and len(store.current("2025")) == 50
    finally:
        store.close()


def _planner(url: str, tag: str, count: int) -> None:
    """Another planner's machine: its own process and its own connection, saving at the same time."""
    store = IntakeStore(url)
    try:
        for i in range(count):
            store.record("2025", f"{tag}{i:03d}", f"{i:064d}", i, "x.xlsx", heavy_report(1))
    finally:
        store.close()


def test_two_planners_saving_at_once_lose_nothing(db_url: str) -> None:
    IntakeStore(db_url).close()  # migrated once, before both start
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_planner, args=(db_url, tag, 25)) for tag in ("A", "B")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    store = IntakeStore(db_url)
    try:
        assert len(store.current("2025")) == 50
    finally:
        store.close()


def test_a_database_that_cannot_be_used_is_one_line(tmp_path: object) -> None:
    # A workbook given as the database: refused by reading its head, before any migration writes.
    not_a_db = SAMPLES / "survey.xlsx"
    with pytest.raises(IntakeError) as info:
        IntakeStore(database_url(str(not_a_db), SAMPLES))
    assert info.value.code == "intake-db-foreign"
    with pytest.raises(IntakeError) as info:
        IntakeStore("postgresql+psycopg://qbplan:secret@127.0.0.1:1/none")
    assert "secret" not in str(info.value.params)


def test_postgresql_urls_use_psycopg_3() -> None:
    assert database_url("postgresql://u@h/db", SAMPLES) == "postgresql+psycopg://u@h/db"
    assert database_url(None, SAMPLES).endswith("/intake.db")


def test_every_decision_is_kept_in_order_and_the_latest_shows(db_url: str) -> None:
    store = IntakeStore(db_url)
    try:
        sent = store.record("2025", "T002", "c" * 64, 10, "bieu.xlsx", heavy_report(0))
        store.decide(sent.id, "accepted", "ổn")
        latest = store.decide(sent.id, "returned", "Sửa số CBCC")
        assert latest is not None and (latest.state, latest.note) == ("returned", "Sửa số CBCC")
        kept = store.decisions(sent.id)
        assert [(d.decision, d.note) for d in kept] == [("accepted", "ổn"), ("returned", "Sửa số CBCC")]
        assert kept[0].decided_at <= kept[1].decided_at and kept[0].decided_at.tzinfo is not None
        # No submission, no decision.
        assert store.decide(sent.id + 99, "accepted", "x") is None and store.decisions(sent.id + 99) == []
    finally:
        store.close()


def test_a_decision_made_before_decisions_were_kept_is_carried_over(db_url: str) -> None:
    when = _dt.datetime(2025, 12, 1, 8, 0, tzinfo=_dt.timezone.utc)
    _left_by_an_earlier_qbplan(db_url, "0001", [_old_row("d", when, "đã duyệt")])
    store = IntakeStore(db_url)
    try:
        (kept,) = store.decisions(1)
        assert (kept.decision, kept.note, kept.decided_at) == ("accepted", "đã duyệt", when)
    finally:
        store.close()


def test_an_accepted_submission_counts_until_the_planner_accepts_another(db_url: str) -> None:
    store = IntakeStore(db_url)
    try:
        first = store.record("2025", "T002", "a" * 64, 1, "lan-1.xlsx", heavy_report(0))
        store.decide(first.id, "accepted", "ổn")
        # A correction arrives: it is the latest, but what counts is still the accepted one.
        second = store.record("2025", "T002", "b" * 64, 1, "lan-2.xlsx", heavy_report(0))
        assert store.current("2025")["T002"].id == second.id
        assert store.counted("2025")["T002"].id == first.id
        store.decide(second.id, "accepted", "bản sửa")
        assert store.counted("2025")["T002"].id == second.id
        old = store.get(first.id)
        assert old is not None and old.state == "superseded"
        assert [(d.decision, d.note) for d in store.decisions(first.id)] == [
            ("accepted", "ổn"),
            ("superseded", f"#{second.id}"),
        ]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("newer", "decide-superseded"),
        ("twice", "decide-already-accepted"),
        ("checking", "decide-checking"),
    ],
)
def test_an_acceptance_that_would_count_the_wrong_file_is_refused(db_url: str, setup: str, code: str) -> None:
    from qbplan.intake.store import Refused

    store = IntakeStore(db_url)
    try:
        if setup == "checking":
            target = store.arrive("2025", "T002", "a" * 64, 1, "x.xlsx")
        else:
            target = store.record("2025", "T002", "a" * 64, 1, "x.xlsx", heavy_report(0))
        if setup == "newer":
            newer = store.record("2025", "T002", "b" * 64, 1, "y.xlsx", heavy_report(0))
        if setup == "twice":
            store.decide(target.id, "accepted", "")
        before = store.decisions(target.id)
        with pytest.raises(Refused) as info:
            store.decide(target.id, "accepted", "")
        assert info.value.code == code
        assert store.decisions(target.id) == before  # nothing written
        if setup == "newer":
            assert info.value.params == {"newer": newer.id} and store.counted("2025") == {}
    finally:
        store.close()


def test_a_submission_is_numbered_and_stamped_when_it_arrives(db_url: str) -> None:
    store = IntakeStore(db_url)
    try:
        slow = store.arrive("2025", "T002", "a" * 64, 1, "cham.xlsx")
        quick = store.arrive("2025", "T002", "b" * 64, 1, "nhanh.xlsx")
        assert slow.state == "checking" and quick.id > slow.id
        # The quick one's check ends first, the slow one's after: the latest is still the last to arrive.
        store.checked(quick.id, heavy_report(0))
        done = store.checked(slow.id, heavy_report(2))
        assert store.current("2025")["T002"].id == quick.id
        assert done.received_at == slow.received_at and done.checked_at is not None
        assert done.checked_at >= done.received_at and (done.state, done.errors) == ("errors", 2)
    finally:
        store.close()


def test_a_closed_round_takes_no_file_until_reopened_and_each_act_is_kept(db_url: str) -> None:
    from qbplan.intake.store import Refused

    store = IntakeStore(db_url)
    try:
        assert store.close_round("2025", "hết hạn") and not store.close_round("2025")
        assert store.round_closed("2025") is not None and store.round_closed("2026") is None
        with pytest.raises(Refused) as info:
            store.arrive("2025", "T002", "a" * 64, 1, "x.xlsx")
        assert info.value.code == "round-closed" and store.current("2025") == {}
        store.arrive("2026", "T002", "a" * 64, 1, "x.xlsx")  # another period's round is open
        assert store.reopen_round("2025", "T002 xin nộp muộn") and store.round_closed("2025") is None
        store.arrive("2025", "T002", "a" * 64, 1, "x.xlsx")
        assert [(e.event, e.note) for e in store.events("2025")] == [
            ("closed", "hết hạn"),
            ("reopened", "T002 xin nộp muộn"),
        ]
    finally:
        store.close()


def test_two_accepted_submissions_of_a_unit_from_before_keep_the_latest(db_url: str) -> None:
    when = _dt.datetime(2025, 12, 1, 8, 0, tzinfo=_dt.timezone.utc)
    _left_by_an_earlier_qbplan(db_url, "0002", [_old_row("a", when), _old_row("b", when)])
    store = IntakeStore(db_url)
    try:
        assert store.counted("2025")["T002"].id == 2
        old = store.get(1)
        assert old is not None and old.state == "superseded" and old.checked_at == when
        assert [d.decision for d in store.decisions(1)] == ["superseded"]
    finally:
        store.close()


def _left_by_an_earlier_qbplan(db_url: str, revision: str, rows: list[dict[str, object]]) -> None:
    """The intake database as a qbplan at ``revision`` left it, holding ``rows`` of submissions."""
    from sqlalchemy import create_engine, insert

    from qbplan.intake.schema import submissions
    from qbplan.intake.store import CHAIN
    from qbplan.storage import migrate

    engine = create_engine(db_url)
    with engine.begin() as con:
        migrate.upgrade(CHAIN, con, revision)
        for row in rows:
            con.execute(insert(submissions).values(**row))
    engine.dispose()


def _old_row(sha: str, when: _dt.datetime, note: str = "") -> dict[str, object]:
    return {"period": "2025", "unit_key": "T002", "sha256": sha * 64, "size": 1, "filename": "a.xlsx",
            "received_at": when, "exit_code": 0, "errors": 0, "warnings": 0, "findings": "[]",
            "decision": "accepted", "note": note, "decided_at": when}  # fmt: skip


def _start(db_url: str) -> str:
    """One server's start on the database: open (and migrate) the store, read from it."""
    with IntakeStore(db_url) as store:
        return store.setting("absent") or "ok"


def test_servers_started_together_on_an_empty_database_all_start(db_url: str) -> None:
    """Four servers (processes) opening an empty database at once: one migrates, the others find it current."""
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_start, [db_url] * 4) == ["ok"] * 4


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p: p.write_text("ma_don_vi,ten\n", encoding="utf-8"), "intake-db-foreign"),
        (lambda p: p.mkdir(), "intake-db-not-file"),
    ],
)
def test_a_file_that_is_no_intake_database_is_refused_untouched(tmp_path: Path, make: Any, code: str) -> None:
    target = tmp_path / "intake.db"
    make(target)
    before = target.read_bytes() if target.is_file() else None
    with pytest.raises(IntakeError) as raised:
        IntakeStore(f"sqlite:///{target}")
    assert raised.value.code == code
    assert (target.read_bytes() if target.is_file() else None) == before


def test_the_history_database_given_as_the_intake_one_is_refused_untouched(tmp_path: Path) -> None:
    from qbplan.history.periods import parse_period
    from qbplan.history.record import save_run

    history = tmp_path / "qbplan.db"
    save_run(heavy_report(0), parse_period("2025"), str(history), ["qbplan", "check"])
    before = history.read_bytes()
    with pytest.raises(IntakeError) as raised:
        IntakeStore(f"sqlite:///{history}")
    assert raised.value.code == "intake-db-foreign" and history.read_bytes() == before


def test_the_same_files_reading_kept_twice_records_both_verdicts(db_url: str) -> None:
    with IntakeStore(db_url) as store:
        first = store.arrive("2025", "T002", "c" * 64, 10, "a.xlsx")
        second = store.arrive("2025", "T003", "c" * 64, 10, "a.xlsx")  # the same bytes, from another unit
        reading = ("c" * 64, "r" * 64, b"the reading")
        assert store.checked(first.id, heavy_report(0), reading).checked_at is not None
        # A second reading of the same file and rules is no conflict: the verdict is recorded all the same.
        assert store.checked(second.id, heavy_report(1), (*reading[:2], b"another")).errors == 1
        assert store.reading("c" * 64, "r" * 64) == b"the reading"
