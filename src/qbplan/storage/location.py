"""What a ``--db`` value names: an SQLite file, or a database server by its URL."""

from __future__ import annotations

from dataclasses import dataclass

# The schemes of a server qbplan can use; anything else with "://" is refused by the caller.
_POSTGRES = ("postgresql://", "postgres://", "postgresql+psycopg://")


@dataclass(frozen=True)
class ServerUrl:
    """A database server: the URL as SQLAlchemy takes it, shown as it was given, without its password."""

    url: str
    given: str = ""

    def __str__(self) -> str:
        return redacted(self.given or self.url)


def is_url(value: str) -> bool:
    """Whether ``value`` is written as a URL (``scheme://…``) rather than a file path."""
    scheme, sep, _ = value.partition("://")
    return bool(sep) and scheme.replace("+", "").isalnum()


def server_url(value: str) -> ServerUrl | None:
    """The PostgreSQL server ``value`` names, with qbplan's driver (psycopg 3); None when it names none.

    Parsed by SQLAlchemy's own ``make_url`` (both stores name servers through here): its user,
    password, host, port, database and query are kept as given; only the driver is set.
    """
    if not value.startswith(_POSTGRES):
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(value)
    except (ArgumentError, ValueError):
        return None
    # SQLAlchemy's default driver would be psycopg2, which qbplan does not install.
    return ServerUrl(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False), value)


def sqlite_file(value: str) -> str | None:
    """The file path of an ``sqlite:///path`` URL, or None when ``value`` is not one."""
    prefix = "sqlite:///"
    return value[len(prefix) :] if value.startswith(prefix) and len(value) > len(prefix) else None


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL at all
        return "<url>"


def first_line(exc: BaseException) -> str:
    """The driver's own reason, first line: SQLAlchemy wraps it with its class and a help link.

    A :class:`~qbplan.i18n.drivers.DriverReason`: a message words it in its own language.
    """
    from qbplan.i18n.drivers import DriverReason

    reason = getattr(exc, "orig", None) or exc
    return DriverReason((str(reason).strip().splitlines() or [type(reason).__name__])[0][:200])
