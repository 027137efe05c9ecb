"""Alembic, run on a connection qbplan holds: each store keeps its own chain and version table.

Why Alembic: one set of migrations that runs the same way on a planner's
SQLite file and on the department's PostgreSQL server, each in the caller's
transaction, so a half-migrated database is never left behind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Connection

_ENV = Path(__file__).parent / "migrations"
# Alembic runs its env.py through module-level proxies (alembic.context, alembic.op): two threads
# of one process migrating at once would share them. One at a time per process.
_ALEMBIC = threading.Lock()


@dataclass(frozen=True)
class Chain:
    """One store's migrations: the folder of its versions, its tables, and the table that records its revision."""

    versions: Path
    metadata: MetaData
    version_table: str


def _config(chain: Chain, con: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_ENV))
    # The OS separator: a version folder under a path with spaces stays one folder.
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(chain.versions))
    config.attributes.update(connection=con, metadata=chain.metadata, version_table=chain.version_table)
    return config


def upgrade(chain: Chain, con: Connection, revision: str = "head") -> None:
    """Bring the database on ``con`` to ``revision``, inside the transaction ``con`` is in."""
    from alembic import command

    with _ALEMBIC:
        command.upgrade(_config(chain, con), revision)


def stamp(chain: Chain, con: Connection, revision: str) -> None:
    """Record that the database is at ``revision`` already (it was made before Alembic kept it)."""
    from alembic import command

    with _ALEMBIC:
        command.stamp(_config(chain, con), revision)


def current(chain: Chain, con: Connection) -> str | None:
    """The revision recorded in the database, or None when it records none."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(con, opts={"version_table": chain.version_table}).get_current_revision()


def head(chain: Chain) -> str:
    """The newest revision of the chain."""
    from alembic.script import ScriptDirectory

    found = ScriptDirectory(str(_ENV), version_locations=[str(chain.versions)]).get_current_head()
    assert found is not None
    return found
