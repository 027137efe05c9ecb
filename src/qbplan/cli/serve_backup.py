"""``qbplan serve backup`` and ``qbplan serve restore``: a round's database, files and secret, kept and brought back.

For a round on SQLite (the folder holds everything). A PostgreSQL round is one
database that also holds the files and the secret: ``pg_dump``/``pg_restore``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qbplan.cli.options import (
    DEFAULT_INTAKE_FOLDER,
    DEFAULT_LANG,
    IntakeDbOption,
    IntakeFolderOption,
    LangOption,
    h,
)
from qbplan.error_handler import error_handler, say
from qbplan.errors import EXIT_OK, EXIT_TARGET_MISSED, QbplanError

BackupArgument = Annotated[
    Path,
    typer.Argument(
        metavar=h("BẢN_SAO_LƯU", "BACKUP"),
        help=h("Thư mục của bản sao lưu (chưa có).", "The backup's folder (not there yet)."),
    ),
]
FromArgument = Annotated[
    Path,
    typer.Argument(
        metavar=h("BẢN_SAO_LƯU", "BACKUP"),
        help=h("Thư mục do qbplan serve backup tạo.", "A folder made by qbplan serve backup."),
    ),
]


def backup_cmd(
    target: BackupArgument,
    folder: IntakeFolderOption = DEFAULT_INTAKE_FOLDER,
    db: IntakeDbOption = None,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    from qbplan.intake.backup import DATABASE, back_up
    from qbplan.storage.location import redacted, server_url, sqlite_file

    with error_handler(lang.value):
        if db is not None and server_url(db) is not None:
            raise QbplanError("intake-backup-server", db=redacted(db), detail="")
        # --db as serve takes it: a path, or sqlite:///path (a server's URL was refused above).
        given = (sqlite_file(db) or db) if db is not None else None
        made = back_up(folder, target, Path(given) if given else folder / DATABASE)
        say(h(f"đã sao lưu {made.submissions} bài gửi, {made.files} tệp vào {made.folder}",
              f"backed up {made.submissions} submissions, {made.files} files to {made.folder}"))  # fmt: skip
        if made.missing:
            say(h(f"{len(made.missing)} tệp lưu bị thiếu hoặc hỏng, không có trong bản sao: {', '.join(made.missing)}",
                  f"{len(made.missing)} stored files missing or damaged, not in the backup: "
                  f"{', '.join(made.missing)}"))  # fmt: skip
            raise typer.Exit(EXIT_TARGET_MISSED)
    raise typer.Exit(EXIT_OK)


def restore_cmd(
    backup: FromArgument,
    folder: IntakeFolderOption = DEFAULT_INTAKE_FOLDER,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    from qbplan.intake.backup import restore

    with error_handler(lang.value):
        made = restore(backup, folder)
        say(h(f"đã khôi phục {made.submissions} bài gửi, {made.files} tệp vào {made.folder}; chạy qbplan serve "
              f"--folder {made.folder}",
              f"restored {made.submissions} submissions, {made.files} files to {made.folder}; run qbplan serve "
              f"--folder {made.folder}"))  # fmt: skip
    raise typer.Exit(EXIT_OK)
