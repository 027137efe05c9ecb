"""Which history database a command uses: ``--db``, else ``QBPLAN_DB``, else ``qbplan.db`` here.

Kept apart from the store so that naming the database (every ``check`` does,
to keep its outputs off it) costs no database library at start.
"""

from __future__ import annotations

import os
from pathlib import Path

from qbplan.errors import QbplanError
from qbplan.storage.location import ServerUrl, is_url, server_url, sqlite_file

DEFAULT_DB = "qbplan.db"
DB_ENV = "QBPLAN_DB"

# A history database: an SQLite file, or a PostgreSQL server.
Location = Path | ServerUrl
# What the library's functions take as a history database: a Location, or a path or URL as text.
Database = str | os.PathLike[str] | ServerUrl


class HistoryError(QbplanError):
    """The history database cannot be used: missing, foreign, damaged, newer, or locked too long (exit 2)."""


def db_location(explicit: str | os.PathLike[str] | None = None) -> Location:
    """``--db`` if given, else ``QBPLAN_DB``, else ``qbplan.db`` in the current folder.

    ``postgresql://user:password@host/db`` names a server; ``sqlite:///path``
    and a plain path name a file. Another scheme is refused.
    """
    chosen = os.fspath(explicit) if explicit is not None else (os.environ.get(DB_ENV) or DEFAULT_DB)
    if chosen == ":memory:":
        # sqlite3 takes this name as a database in memory: "saved", and nothing kept.
        raise HistoryError("history-db-memory", file=chosen)
    if is_url(chosen):
        server = server_url(chosen)
        if server is not None:
            return server
        path = sqlite_file(chosen)
        if path is None:
            raise HistoryError("history-db-scheme", file=chosen.split("://", 1)[0] + "://…")
        return Path(path)
    return Path(chosen)
