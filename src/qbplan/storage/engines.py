"""The SQLAlchemy engine on a PostgreSQL server, opened the same way by both stores."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine


def server_engine(url: str, lock_wait: float, statement_wait: float | None = None) -> Engine:
    """An engine on the server ``url`` names (psycopg 3), whose calls wait ``lock_wait`` seconds for a lock.

    A lock held elsewhere (another server, a psql session) fails the call after the wait, with
    SQLSTATE 55P03, which :func:`qbplan.storage.faults.fault` reads as busy. ``statement_wait``
    bounds a whole statement as well, when given. The URL's own ``?options=…`` are kept, before
    these. Connecting waits at most 20 seconds. Raises what SQLAlchemy raises for a URL it cannot take.
    """
    from sqlalchemy import create_engine, make_url

    options = f"-c lock_timeout={max(1, int(lock_wait * 1000))}"
    if statement_wait is not None:
        options += f" -c statement_timeout={max(1, int(statement_wait * 1000))}"
    given = make_url(url).query.get("options")
    if given:
        options = f"{given if isinstance(given, str) else ' '.join(given)} {options}"
    connect = {"connect_timeout": max(1, min(20, int(lock_wait))), "options": options}
    return create_engine(url, pool_pre_ping=True, connect_args=connect)
