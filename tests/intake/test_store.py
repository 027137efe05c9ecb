"""The intake store, the same tests on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as _dt
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest

from qbplan.intake.store import IntakeError, IntakeStore, database_url
from qbplan.model.findings import Finding
from tests.conftest import SAMPLES
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
    not_a_db = SAMPLES / "survey.xlsx"
    with pytest.raises(IntakeError) as info:
        IntakeStore(database_url(str(not_a_db), SAMPLES))
    assert info.value.code == "intake-db-unusable"
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
    from sqlalchemy import create_engine, insert

    from qbplan.intake.schema import submissions
    from qbplan.intake.store import CHAIN
    from qbplan.storage import migrate

    engine = create_engine(db_url)
    when = _dt.datetime(2025, 12, 1, 8, 0, tzinfo=_dt.timezone.utc)
    with engine.begin() as con:
        migrate.upgrade(CHAIN, con, "0001")  # the intake as the previous qbplan left it
        row = {"period": "2025", "unit_key": "T002", "sha256": "d" * 64, "size": 1, "filename": "a.xlsx",
               "received_at": when, "exit_code": 0, "errors": 0, "warnings": 0, "findings": "[]",
               "decision": "accepted", "note": "đã duyệt", "decided_at": when}  # fmt: skip
        con.execute(insert(submissions).values(**row))
    engine.dispose()
    store = IntakeStore(db_url)
    try:
        (kept,) = store.decisions(1)
        assert (kept.decision, kept.note, kept.decided_at) == ("accepted", "đã duyệt", when)
    finally:
        store.close()
