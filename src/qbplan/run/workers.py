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


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (SIGTERM to the parent alone, a crash)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _child(
    conn: Connection, func: Callable[[Any], Any], batch: list[tuple[int, Any]], max_memory: int | None, parent: int
) -> None:
    _die_with_parent(parent)
    import faulthandler

    faulthandler.disable()  # an abort is reported by the parent, not as a dump
    # A native abort prints its own report (Rust's "memory allocation of N
    # bytes failed" and a backtrace); the parent reports the file in one line.
    # Libraries that print diagnostics (xlrd writes "WARNING *** ..." to
    # stdout) must never mix them into the report a pipe reads: a worker
    # answers only through its pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    if max_memory:
        import resource

        # What the worker may add to what it inherited: a worker forked from a server that has
        # grown past the bound (thread stacks, arenas) would otherwise fail or hang at its first
        # allocation, whatever the file (a thread's stack in Thread.start, seen under qbplan serve).
        limit = _address_space() + max_memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
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


def _address_space() -> int:
    """This process's address space in bytes (Linux /proc/self/statm), 0 when it cannot be read."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


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
    """Consecutive batches, each a quarter of a worker's share of what is left, down to 8 files.

    A fork costs ~10 ms with the reader imported, and its first files more as
    its memory is copied on write: more than reading a small commune
    workbook. Large batches first keep the forks few (37 for 3,321 files on
    two workers, against 52 batches of 64); smaller ones near the end keep
    the workers finishing together.
    """
    indexed = list(enumerate(items))
    out: list[list[tuple[int, T]]] = []
    start = 0
    while start < len(indexed):
        size = max(_MIN_BATCH, -(-(len(indexed) - start) // (max(1, jobs) * 4)))
        out.append(indexed[start : start + size])
        start += size
    return out


_MIN_BATCH = 8


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
    if not can_isolate():
        results: list[R | WorkerFailure] = []
        for i, item in enumerate(items):
            results.append(func(item))
            if on_done:
                on_done(i, item)
        return results
    pool = _Pool(func, items, jobs, timeout, max_memory, on_done)
    try:
        pool.start_workers()
        if on_started is not None:
            on_started()
        while pool.pending or pool.running:
            pool.start_workers()
            pool.collect()
    finally:
        pool.stop()
    return pool.results


class _Pool:
    """Batches waiting, workers running, and the results so far."""

    def __init__(
        self,
        func: Callable[[Any], Any],
        items: Sequence[Any],
        jobs: int,
        timeout: float | None,
        max_memory: int | None,
        on_done: Callable[[int, Any], None] | None,
    ) -> None:
        self.func, self.items, self.jobs = func, items, max(1, jobs)
        self.timeout, self.max_memory, self.on_done = timeout, max_memory, on_done
        self.results: list[Any] = [None] * len(items)
        self.pending = _batches(items, jobs)
        self.pending.reverse()
        self.running: list[_Running] = []
        self.ctx = multiprocessing.get_context("fork")

    def start_workers(self) -> None:
        while self.pending and len(self.running) < self.jobs:
            batch = self.pending.pop()
            receiver, sender = self.ctx.Pipe(duplex=False)
            args = (sender, self.func, batch, self.max_memory, os.getpid())
            process = self.ctx.Process(target=_child, args=args, daemon=True)
            process.start()
            sender.close()
            self.running.append(_Running(list(batch), process, receiver, self._deadline()))

    def _deadline(self) -> float | None:
        return time.monotonic() + self.timeout if self.timeout else None

    def collect(self) -> None:
        """Wait for the next answer or deadline; handle every worker that has one."""
        ready = set(wait([r.conn for r in self.running], timeout=self._until_deadline()))
        now = time.monotonic()
        for run in list(self.running):
            if run.conn in ready:
                self._answer(run)
            elif run.deadline is not None and now >= run.deadline:
                run.process.kill()
                self._fail(run, WorkerFailure("timeout", f"{self.timeout:g}"))

    def _until_deadline(self) -> float | None:
        """Seconds until the first running worker's deadline (None when none has one)."""
        deadlines = [r.deadline for r in self.running if r.deadline is not None]
        return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None

    def _answer(self, run: _Running) -> None:
        try:
            index, status, payload = run.conn.recv()
        except (EOFError, OSError):
            # The pipe closed early: the worker died (abort, OOM kill) on the
            # first item it had not answered.
            run.process.join()
            if run.batch:
                self._fail(run, WorkerFailure("crashed", _describe_exit(run.process.exitcode)))
            else:
                _retire(run, self.running)
            return
        run.batch.pop(0)
        run.deadline = self._deadline()
        self._finish(index, WorkerFailure("crashed", payload) if status == "raised" else payload)
        if not run.batch:
            _retire(run, self.running)

    def _fail(self, run: _Running, failure: WorkerFailure) -> None:
        """The item ``run`` was on fails; the rest of its batch goes to a new worker."""
        index, _item = run.batch.pop(0)
        self._finish(index, failure)
        _retire(run, self.running)
        if run.batch:
            self.pending.append(run.batch)

    def _finish(self, index: int, outcome: Any) -> None:
        self.results[index] = outcome
        if self.on_done:
            self.on_done(index, self.items[index])

    def stop(self) -> None:
        for run in self.running:
            run.process.kill()
            run.process.join()
            run.conn.close()


def _retire(run: _Running, running: list[_Running]) -> None:
    run.conn.close()
    run.process.join()
    running.remove(run)
