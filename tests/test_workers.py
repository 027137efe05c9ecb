"""Worker processes: results in order, crashes and hangs contained."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbplan.run.workers import WorkerFailure, _batches, can_isolate, run_each

pytestmark = pytest.mark.skipif(not can_isolate(), reason="workers need fork (Linux)")


def _work(item: str) -> str:
    if item == "abort":
        os.abort()  # what a native reader does on a failed allocation
    if item == "hang":
        time.sleep(60)
    if item == "raise":
        raise ValueError("boom")
    if item == "big":
        return "x" * (8 * 1024 * 1024)  # larger than a pipe buffer
    return item.upper()


def test_results_keep_input_order_across_workers() -> None:
    items = [f"f{i}" for i in range(12)]
    done: list[str] = []
    results = run_each(_work, items, jobs=3, on_done=lambda _i, item: done.append(item))
    assert results == [i.upper() for i in items]
    assert sorted(done) == sorted(items)


def test_an_abort_is_one_failure_and_the_others_finish() -> None:
    results = run_each(_work, ["a", "abort", "b"], jobs=2)
    assert results[0] == "A" and results[2] == "B"
    failure = results[1]
    assert isinstance(failure, WorkerFailure) and failure.reason == "crashed" and failure.detail == "SIGABRT"


@pytest.mark.slow
def test_a_hang_is_stopped_at_the_deadline() -> None:
    start = time.monotonic()
    results = run_each(_work, ["hang", "a"], jobs=2, timeout=1.5)
    assert time.monotonic() - start < 30
    assert results[1] == "A"
    assert results[0] == WorkerFailure("timeout", "1.5")


def test_an_exception_in_a_worker_becomes_a_failure() -> None:
    (failure,) = run_each(_work, ["raise"])
    assert isinstance(failure, WorkerFailure) and "ValueError: boom" in failure.detail


def test_large_results_come_back_whole() -> None:
    assert run_each(_work, ["big", "a"], jobs=2) == ["x" * (8 * 1024 * 1024), "A"]


def test_a_memory_limit_stops_a_greedy_worker() -> None:
    def greedy(_item: str) -> int:
        return len(bytearray(2 * 1024 * 1024 * 1024))

    (failure,) = run_each(greedy, ["x"], max_memory=512 * 1024 * 1024)
    assert isinstance(failure, WorkerFailure) and "MemoryError" in failure.detail


def test_a_memory_limit_counts_from_what_the_worker_inherits() -> None:
    """A server grown past the bound still checks files: its worker may add the bound, not reach it.

    Before, the worker's limit was the bound itself: forked from a process
    holding more address space, its first allocation (a thread's stack) failed.
    """
    import mmap

    held = mmap.mmap(-1, 768 * 1024 * 1024)  # address space only: nothing is written
    try:

        def threaded(_item: str) -> int:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=2) as pool:
                return pool.submit(len, "four").result()

        assert run_each(threaded, ["x"], timeout=30, max_memory=512 * 1024 * 1024) == [4]
    finally:
        held.close()


def test_a_crash_inside_a_batch_costs_only_that_item() -> None:
    items = [f"f{i}" for i in range(16)]
    items[5], items[9] = "abort", "raise"
    results = run_each(_work, items, jobs=1)  # batches of 4
    for i, item in enumerate(items):
        if i == 5:
            assert results[i] == WorkerFailure("crashed", "SIGABRT")
        elif i == 9:
            assert isinstance(results[i], WorkerFailure) and "boom" in results[i].detail  # type: ignore[union-attr]
        else:
            assert results[i] == item.upper()


@pytest.mark.slow
def test_a_hang_inside_a_batch_times_out_alone() -> None:
    items = [f"f{i}" for i in range(8)]
    items[2] = "hang"
    results = run_each(_work, items, jobs=1, timeout=1.5)  # batches of 2
    assert results[2] == WorkerFailure("timeout", "1.5")
    assert [r for i, r in enumerate(results) if i != 2] == [x.upper() for i, x in enumerate(items) if i != 2]


@pytest.mark.skipif(not can_isolate(), reason="workers are forked on Linux only")
def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    # SIGTERM or SIGKILL to the parent alone (systemd, CI cancellation) must not
    # leave a worker running on, holding the output pipe.
    import signal
    import subprocess
    import sys

    pids = tmp_path / "worker.pid"
    script = (
        "import os, time\n"
        "from qbplan.run.workers import run_each\n"
        "def work(path):\n"
        "    open(path, 'w').write(str(os.getpid()))\n"
        "    time.sleep(600)\n"
        f"run_each(work, [{str(pids)!r}])\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    worker = int(pids.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    while time.monotonic() < deadline:
        if not _alive(worker):
            return
        time.sleep(0.05)
    pytest.fail(f"worker {worker} outlived its parent")


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for a reaper (containers may have none)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not can_isolate(), reason="workers are forked on Linux only")
def test_sigterm_stops_a_check_like_ctrl_c_and_leaves_nothing_behind(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    fifo = tmp_path / "treo.xlsx"
    os.mkfifo(fifo)  # named on the command line, it is opened, and the read waits
    out = tmp_path / "ket-qua.json"
    cmd = [sys.executable, "-m", "qbplan", "check", str(fifo), "-f", "json", "-o", str(out)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)  # what systemd and a cancelled CI job send
    _out, err = proc.communicate(timeout=30)
    # 143 = 128 + SIGTERM, as shells report it (130 is Ctrl-C's).
    assert proc.returncode == 143 and "đã dừng" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["treo.xlsx"]  # no report, no temporary file


@given(count=st.integers(0, 5000), jobs=st.integers(1, 8))
def test_batches_take_every_item_once_in_order_largest_first(count: int, jobs: int) -> None:
    batches = _batches(list(range(count)), jobs)
    assert [i for batch in batches for i, _ in batch] == list(range(count))
    sizes = [len(b) for b in batches]
    assert sizes == sorted(sizes, reverse=True)
    assert all(size >= 8 for size in sizes[:-1])  # no fork for a handful of files, but the last
    # A quarter of a worker's share at a time: the forks grow with the log of the files, not with them.
    assert len(batches) <= 4 * jobs * (1 + max(count, 1).bit_length())


def test_a_commune_folder_takes_a_few_dozen_forks() -> None:
    sizes = [len(b) for b in _batches(list(range(3321)), 2)]
    assert sizes[0] == 416 and len(sizes) < 40  # ceil(3321 / 8); was 52 batches of 64
