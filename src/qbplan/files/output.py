"""Writing a report file atomically: a temporary file, then a rename.

A CI job or a cron run that is killed half-way must never leave a half-written
report where the previous good one was: readers see the old file or the new
one, nothing in between.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from qbplan.errors import QbplanError


def _target(path: str | os.PathLike[str]) -> Path:
    """Where writing ``path`` really goes: through symlinks, and refused when it cannot be a file."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise QbplanError("usage-output-is-directory", file=os.fspath(path))
    if not target.parent.is_dir():
        raise QbplanError("usage-output-no-folder", file=os.fspath(path))
    return target


def writable_target(path: str | os.PathLike[str]) -> Path | None:
    """Where writing ``path`` goes, refused now when it cannot be a file (a folder, a missing folder).

    None for a device or a FIFO, written into as it is.
    """
    return None if _is_special(Path(path)) else _target(path)


def _is_special(target: Path) -> bool:
    # A device or a FIFO (/dev/null, /dev/stdout, a named pipe) is written
    # into; renaming a file over it would replace it. Links are followed.
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    # A folder is refused by _target, not written into.
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _open(fd_or_path: int | Path, binary: bool) -> IO[Any]:
    if binary:
        return open(fd_or_path, "wb")
    return open(fd_or_path, "w", encoding="utf-8", newline="")


@contextmanager
def atomic_write(path: str | os.PathLike[str], *, binary: bool = False, mode: int | None = None) -> Iterator[IO[Any]]:
    """Write ``path`` so that readers see the old file or the whole new one, never a part.

    A regular file is written as a temporary file beside it, then renamed over
    it, keeping its mode (``mode``, when given, instead: 0o600 for a file of
    secrets); a symlink is followed and its target written the same way; a
    device or FIFO is written into directly. On any exception the temporary
    file is removed and ``path`` is untouched. A missing folder or a folder as
    ``path`` is a :class:`QbplanError` (exit 2).
    """
    if _is_special(Path(path)):
        # Opened by the name given: /dev/stdout resolves to "/proc/…/fd/pipe:[…]"
        # when stdout is a pipe, a name that is no file and cannot be opened.
        with _open(Path(path), binary) as out:
            yield out
        return
    target = _target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with _open(fd, binary) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _mode_for(target) if mode is None else mode)
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _mode_for(target: Path) -> int:
    """The mode of the file being replaced, else what a new file gets (mkstemp makes 0600)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@dataclass(frozen=True, slots=True)
class RunInputs:
    """Every file a run reads or keeps: nothing it writes may land on one of them."""

    submissions: Sequence[str] = ()
    registers: Sequence[str] = ()
    targets: str | None = None
    # The history database, with the files SQLite keeps beside it.
    database: str | os.PathLike[str] | None = None


# SQLite's companions of a database file: writing over one damages the database.
_DB_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _same(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: the same real path, or one file under two names (a hard link)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_writing_over_inputs(reads: RunInputs, output: str | os.PathLike[str] | None, *, saves: bool) -> None:
    """Before any work: neither a report at ``output`` nor, when ``saves``, the database may land on a file read.

    The database is a file the run writes too (``--save``): it may not be one of
    the submissions, registers or the targets file.
    """
    if output is not None:
        refuse_writing_over(output, reads)
    if saves and reads.database is not None:
        refuse_writing_over(reads.database, replace(reads, database=None))


def refuse_writing_over(output: str | os.PathLike[str], reads: RunInputs) -> None:
    """Refuse an output path that is one of the run's inputs: a submission, a register, the targets, the database.

    Each would be destroyed by the write (a report over the history database
    replaces every saved run), so this is a usage error (exit 2) naming what
    the path is. Called for every path a command writes, before any work.
    """
    if any(_same(output, path) for path in reads.submissions):
        raise QbplanError("usage-output-is-input", file=os.fspath(output))
    if any(_same(output, path) for path in reads.registers):
        raise QbplanError("usage-output-is-register", file=os.fspath(output))
    if reads.targets and _same(output, reads.targets):
        raise QbplanError("usage-output-is-targets", file=os.fspath(output))
    if reads.database is not None:
        db = os.fspath(reads.database)
        if any(_same(output, db + suffix) for suffix in _DB_COMPANIONS):
            raise QbplanError("usage-output-is-database", file=os.fspath(output))


def refuse_overwrite(path: str | os.PathLike[str], force: bool) -> None:
    """A usage error when ``path`` exists and ``force`` was not given: nothing that was there is destroyed."""
    if os.path.exists(path) and not force:
        raise QbplanError("usage-output-exists", file=str(path))
