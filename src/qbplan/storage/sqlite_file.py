"""An SQLite file, looked at before anything opens it: by reading only, so that nothing is written to a refused one.

Both stores use it: the history (``qbplan.db``) and the intake (``intake.db``).
Opening a file with SQLite creates it, and a migration writes tables into
whatever it is given; a path that names a folder, another program's database
or a text file must be refused before that, in one line.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from pathlib import Path
from typing import Literal

MAGIC = b"SQLite format 3\x00"

Problem = Literal["not-file", "unreadable", "foreign"]


class FileProblem(Exception):
    """What makes a path unusable as a database: ``problem`` names it, ``detail`` is the system's reason."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(problem)
        self.problem, self.detail = problem, detail


def holds_database(path: Path) -> bool:
    """Whether ``path`` holds an SQLite database already (False: missing, or an empty file to be made one).

    Raises :class:`FileProblem` for a folder or device, an unreadable file, or one that is not SQLite.
    """
    if not path.exists():
        return False
    if not path.is_file():
        raise FileProblem("not-file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(MAGIC))
    except OSError as exc:
        raise FileProblem("unreadable", exc.strerror or str(exc)) from None
    if not head:
        return False  # an empty file (touch qbplan.db): a new database
    if head != MAGIC:
        raise FileProblem("foreign")
    return True


def read_only_uri(path: Path) -> str:
    """The URI that opens ``path`` for reading without writing anything beside it.

    A database left in WAL mode (by an older qbplan, or another program) needs
    ``-shm`` to be read. When no ``-wal`` file is there, no writer has it open
    and its content is all in the file: it is read as immutable, which creates
    nothing. With a ``-wal`` file, a writer is at work and made both companions.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if is_wal(path) and not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    return uri


def is_wal(path: Path) -> bool:
    """Whether the file's header says WAL mode (read and write versions 2)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(18)
            return fh.read(2) == b"\x02\x02"
    except OSError:
        return False


def backup_beside(path: Path, stem: str) -> Path:
    """A consistent copy of the database beside it (SQLite's backup API), ``stem.bak``, never over an earlier one.

    Raises the driver's ``sqlite3.Error`` when it cannot be made; a half-made copy is removed.
    """
    n = 0
    while True:
        target = path.with_name(f"{stem}{'' if n == 0 else f'.{n}'}.bak")
        if not target.exists():
            break
        n += 1
    try:
        src = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error:
        with suppress(OSError):
            target.unlink()
        raise
    return target


def table_names(path: Path, timeout: float) -> set[str]:
    """The tables of an existing database, read without writing (``sqlite3.Error`` when it cannot be read)."""
    con = sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout)
    try:
        return {str(r[0]) for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()
