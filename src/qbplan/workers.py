"""Run one function per input file in worker processes, a crash costing one file.

Why a process per file, and not threads or a pool:
- **Crashes.** Native readers can abort the whole process: calamine asks for
  549 GB when one stray cell sits at XFD1048576, and Rust aborts on a failed
  allocation. No ``except`` catches an abort; a separate process contains it,
  and the file is reported instead of the run dying.
- **Limits.** Each worker gets a wall-clock deadline and, optionally, an
  address-space limit, so one hostile file cannot hang or swamp a batch.
- **Cores.** Parsing and validation are CPU-bound Python; processes use every core.

A ``concurrent.futures`` pool is not used because one dead worker breaks the
whole pool (``BrokenProcessPool``) and fails every pending file with it. Here
files go to workers in batches, answered one by one: when a worker dies, the
file it was on is reported and the rest of its batch goes to a new worker.

Workers are forked (Linux), so nothing is re-imported and start-up costs a few
milliseconds. Where fork is not available, files are processed in-process,
one by one, without the crash guard.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class WorkerFailure:
    """A worker ended without a result: it crashed, or ran past its deadline."""

    reason: str  # "crashed" | "timeout"
    detail: str


def can_isolate() -> bool:
    """Whether workers can be forked here (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    """Worker processes to run at once: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _child(conn: Connection, func: Callable[[Any], Any], batch: list[tuple[int, Any]], max_memory: int | None) -> None:
    import faulthandler

    faulthandler.disable()  # an abort is reported by the parent, not as a dump
    # A native abort prints its own report (Rust's "memory allocation of N
    # bytes failed" and a backtrace); the parent reports the file in one line.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    if max_memory:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    try:
        for index, item in batch:
            try:
                result: Any = (index, "ok", func(item))
            except BaseException as exc:  # noqa: BLE001 - everything must reach the parent as data
                result = (index, "raised", f"{type(exc).__name__}: {exc}")
            conn.send(result)
    finally:
        conn.close()
        # Skip atexit handlers and buffered-stream flushes inherited from the parent.
        os._exit(0)


@dataclass
class _Running:
    batch: list[tuple[int, Any]]  # (index, item) not yet answered, in the order the worker takes them
    process: Any
    conn: Connection
    deadline: float | None


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _batches(items: Sequence[T], jobs: int) -> list[list[tuple[int, T]]]:
    """Consecutive batches, about four per worker, at most 64 files each.

    One fork per file costs more than reading a small commune workbook; a
    batch per fork keeps the cores on the files. Small batches near the end
    keep the workers finishing together.
    """
    size = max(1, min(64, len(items) // (max(1, jobs) * 4)))
    indexed = list(enumerate(items))
    return [indexed[i : i + size] for i in range(0, len(indexed), size)]


def run_each(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int = 1,
    timeout: float | None = None,
    max_memory: int | None = None,
    on_done: Callable[[int, T], None] | None = None,
    on_started: Callable[[], None] | None = None,
) -> list[R | WorkerFailure]:
    """``[func(item) for item in items]``, in worker processes.

    Results keep the order of ``items``. Items go to workers in batches; a
    worker answers item by item, so when it crashes, raises or passes
    ``timeout`` seconds on one item, that item gets a :class:`WorkerFailure`
    and the rest of its batch goes to a new worker. ``on_done(index, item)``
    is called in the parent as each item finishes, and ``on_started()`` once
    the first workers are running: work the parent can do meanwhile.
    """
    results: list[R | WorkerFailure | None] = [None] * len(items)
    if not can_isolate():
        for i, item in enumerate(items):
            results[i] = func(item)
            if on_done:
                on_done(i, item)
        return results  # type: ignore[return-value]

    ctx = multiprocessing.get_context("fork")
    pending = _batches(items, jobs)
    pending.reverse()
    running: list[_Running] = []

    def finish(index: int, outcome: R | WorkerFailure) -> None:
        results[index] = outcome
        if on_done:
            on_done(index, items[index])

    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                batch = pending.pop()
                receiver, sender = ctx.Pipe(duplex=False)
                process = ctx.Process(target=_child, args=(sender, func, batch, max_memory), daemon=True)
                process.start()
                sender.close()
                deadline = time.monotonic() + timeout if timeout else None
                running.append(_Running(list(batch), process, receiver, deadline))
            if on_started is not None:
                on_started()
                on_started = None
            deadlines = [r.deadline for r in running if r.deadline is not None]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = set(wait([r.conn for r in running], timeout=wait_for))
            now = time.monotonic()
            for run in list(running):
                failure: WorkerFailure | None = None
                if run.conn in ready:
                    try:
                        index, status, payload = run.conn.recv()
                    except (EOFError, OSError):
                        # The pipe closed early: the worker died (abort, OOM kill)
                        # on the first item it had not answered.
                        run.process.join()
                        if not run.batch:
                            _retire(run, running)
                            continue
                        failure = WorkerFailure("crashed", _describe_exit(run.process.exitcode))
                    else:
                        run.batch.pop(0)
                        if timeout:
                            run.deadline = time.monotonic() + timeout
                        finish(index, WorkerFailure("crashed", payload) if status == "raised" else payload)
                        if not run.batch:
                            _retire(run, running)
                        continue
                elif run.deadline is not None and now >= run.deadline:
                    run.process.kill()
                    failure = WorkerFailure("timeout", f"{timeout:g}")
                else:
                    continue
                index, _item = run.batch.pop(0)
                finish(index, failure)
                _retire(run, running)
                if run.batch:
                    pending.append(run.batch)  # the rest, in a new worker
    finally:
        for run in running:
            run.process.kill()
            run.process.join()
            run.conn.close()
    return results  # type: ignore[return-value]


def _retire(run: _Running, running: list[_Running]) -> None:
    run.conn.close()
    run.process.join()
    running.remove(run)
