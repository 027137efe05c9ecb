"""A round's backup on SQLite: the database (SQLite's online backup), every stored file and the links' secret.

The copy is consistent while the server runs: SQLite's backup API copies one
snapshot of the database, and the files it names are stored by their hash and
never rewritten, so each one copied is checked against its hash. A backup is
written whole beside its name, then renamed: a failed one leaves nothing, and
nothing existing is ever written over. A restore checks every file against
the manifest before anything takes the folder's name.

On PostgreSQL the files and the secret are in the database (revision 0009):
``pg_dump`` makes the whole backup, ``pg_restore`` brings it back.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qbplan.files.digest import sha256_hex
from qbplan.intake.store import IntakeError
from qbplan.storage import sqlite_file

MANIFEST = "qbplan-backup.json"
DATABASE = "intake.db"
FILES = "files"
SECRET = "secret.key"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")


@dataclass(frozen=True)
class Backup:
    """What a backup holds: its submissions and files, and the stored files that were missing or damaged."""

    folder: Path
    submissions: int
    files: int
    missing: tuple[str, ...] = ()


def back_up(folder: Path, target: Path, database: Path | None = None) -> Backup:
    """Copy the round kept in ``folder`` (its files and secret; its database, unless ``database`` names
    another file) to the new folder ``target``. A restore brings the database back as ``intake.db``.

    Raises :class:`IntakeError` (exit 2) when ``folder`` holds no intake, ``target`` exists, or
    the copy cannot be made; nothing is left behind then. A stored file missing or damaged is
    not copied and is named in :attr:`Backup.missing` (and in the manifest).
    """
    database = database or folder / DATABASE
    if not sqlite_file.holds_database(database):
        raise IntakeError("intake-backup-none", db=str(database), detail="")
    if target.exists() or target.is_symlink():
        raise IntakeError("intake-backup-exists", db=str(target), detail="")
    with _made_whole(target) as work:
        _copy_database(database, work / DATABASE)
        wanted = _stored_files(work / DATABASE)
        kept, missing = _copy_files(folder / FILES, work / FILES, wanted)
        _copy_secret(folder, work)
        manifest = {
            "qbplan_backup": 1,
            "made_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "submissions": _count_submissions(work / DATABASE),
            "files": kept,
            "missing": missing,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Backup(target, _count_submissions(target / DATABASE), len(kept), tuple(missing))


def restore(backup: Path, folder: Path) -> Backup:
    """Bring the backup ``backup`` back as the intake folder ``folder`` (missing, or empty).

    Every file is checked against the manifest first; a backup with one missing or changed is
    refused whole (exit 2), and ``folder`` is not made.
    """
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
        files: dict[str, str] = dict(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IntakeError("intake-restore-not-backup", db=str(backup), detail=_reason(exc)) from None
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise IntakeError("intake-restore-not-empty", db=str(folder), detail="")
    for name, sha in sorted(files.items()):
        if sha256_hex(backup / FILES / name) != sha:
            raise IntakeError("intake-restore-damaged", db=str(backup / FILES / name), detail="")
    if not sqlite_file.holds_database(backup / DATABASE):
        raise IntakeError("intake-restore-not-backup", db=str(backup), detail=DATABASE)
    with _made_whole(folder) as work:
        _copy_database(backup / DATABASE, work / DATABASE)
        (work / FILES).mkdir(mode=0o700)
        for name in files:
            shutil.copy2(backup / FILES / name, work / FILES / name)
        _copy_secret(backup, work)
    return Backup(folder, int(manifest.get("submissions", 0)), len(files), tuple(manifest.get("missing", ())))


@contextlib.contextmanager
def _made_whole(target: Path) -> Iterator[Path]:
    """A new owner-only folder beside ``target``, renamed to it once the block is done; removed, and the
    failure said in one line, when it is not."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        yield work
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()  # an empty folder (a restore's target, as checked): the whole one takes its place
        os.rename(work, target)
    except BaseException as exc:
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise IntakeError("intake-backup-failed", db=str(target), detail=_reason(exc)) from None
        raise


def _copy_secret(source: Path, target: Path) -> None:
    """The links' secret, when there is one, owner-only."""
    if (source / SECRET).exists():
        shutil.copy2(source / SECRET, target / SECRET)
        os.chmod(target / SECRET, 0o600)


def _copy_database(source: Path, target: Path) -> None:
    """One consistent snapshot of ``source`` (a server may be writing to it) as the new file ``target``."""
    src = sqlite3.connect(sqlite_file.read_only_uri(source), uri=True, timeout=60)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # One file, whatever the server's mode (WAL): a backup read later makes no -wal or -shm.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(target, 0o600)


def _stored_files(database: Path) -> dict[str, str]:
    """The stored files the round's submissions name: file name -> its SHA-256."""
    con = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT DISTINCT sha256, filename FROM submissions").fetchall()
    finally:
        con.close()
    out = {}
    for sha, filename in rows:
        suffix = Path(str(filename)).suffix.lower()
        out[f"{sha}{suffix if suffix in WORKBOOK_SUFFIXES else ''}"] = str(sha)
    return out


def _copy_files(source: Path, target: Path, wanted: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Each wanted file copied when its content still has its hash; the others named."""
    target.mkdir(mode=0o700)
    kept: dict[str, str] = {}
    missing: list[str] = []
    for name, sha in sorted(wanted.items()):
        if sha256_hex(source / name) != sha:
            missing.append(name)
            continue
        shutil.copy2(source / name, target / name)
        if sha256_hex(target / name) != sha:  # read back: a copy is only kept when it is sound
            raise OSError(f"{name}: the copy differs from the stored file")
        kept[name] = sha
    return kept, missing


def _count_submissions(database: Path) -> int:
    con = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM submissions").fetchone()[0])
    finally:
        con.close()


def _reason(exc: BaseException) -> str:
    return (getattr(exc, "strerror", None) or str(exc))[:200]
