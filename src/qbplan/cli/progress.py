"""The progress bar of a check, on stderr, drawn only on a terminal."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from qbplan.cli.options import h


class Bar:
    """A Rich progress bar on stderr, or nothing (not a terminal, --quiet)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: object | None = None
        self.task: object | None = None
        self.drawn = 0.0

    def start(self, total: int) -> None:
        # Not worth a bar for one or two files.
        if not self.enabled or total < 3:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # auto_refresh=False: no refresh thread, so workers are forked from a
        # single-threaded process.
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,
        )
        bar.start()
        self.task = bar.add_task(h("Đang đọc", "Reading"), total=total)
        self.bar = bar

    def advance(self, _path: str) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, 1)  # type: ignore[attr-defined]
            # At most ten redraws a second: thousands of small files finish fast.
            now = time.monotonic()
            if now - self.drawn >= 0.1:
                self.bar.refresh()  # type: ignore[attr-defined]
                self.drawn = now

    def merging(self) -> None:
        # The last step can take a while on a big folder: say what it is doing.
        if self.bar is not None:
            self.bar.update(self.task, description=h("Đang tổng hợp…", "Merging…"))  # type: ignore[attr-defined]
            self.bar.refresh()  # type: ignore[attr-defined]

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()  # type: ignore[attr-defined]
            self.bar = None


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Bar]:
    progress = Bar(enabled)
    try:
        yield progress
    finally:
        progress.stop()
