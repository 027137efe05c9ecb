"""What a database driver's error means, by its code, for both stores and both engines.

SQLite gives each error a result code (``sqlite3.Error.sqlite_errorcode``);
PostgreSQL a SQLSTATE (``sqlstate`` on psycopg's errors). A store turns the
kind found here into its own message: a save refused by a read-only file and
one refused by a role without privilege are the same thing to the planner.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

Fault = Literal["busy", "readonly", "full", "damaged", "exists", "other"]

# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE = {5: "busy", 6: "busy", 8: "readonly", 10: "full", 11: "damaged", 13: "full", 26: "damaged"}
# PostgreSQL's SQLSTATE classes and codes (Appendix A of its manual).
_POSTGRES = {
    "55P03": "busy",  # lock_not_available: lock_timeout passed
    "57014": "busy",  # query_canceled: statement_timeout passed
    "40001": "busy",  # serialization_failure
    "40P01": "busy",  # deadlock_detected
    "25006": "readonly",  # read_only_sql_transaction
    "42501": "readonly",  # insufficient_privilege
    "42P01": "damaged",  # undefined_table
    "42703": "damaged",  # undefined_column
    "42P07": "exists",  # duplicate_table
}


def driver_error(exc: BaseException) -> BaseException:
    """The driver's exception behind SQLAlchemy's wrapper (``DBAPIError.orig``), or ``exc`` itself."""
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def fault(exc: BaseException) -> Fault:
    """The kind of ``exc``, by the driver's code."""
    reason = driver_error(exc)
    if isinstance(reason, sqlite3.Error):
        code = getattr(reason, "sqlite_errorcode", None)
        if code is None:
            return "other"
        found = _SQLITE.get(code & 0xFF)
        if found is not None:
            return found  # type: ignore[return-value]
        if code & 0xFF == 1:
            # SQLITE_ERROR is every "SQL error"; the schema's ones carry no code of their own.
            said = str(reason)
            if said.startswith(("no such table", "no such column")):
                return "damaged"
            if "already exists" in said:
                return "exists"
        return "other"
    state = str(getattr(reason, "sqlstate", "") or "")
    if state.startswith("53"):  # insufficient_resources: disk full, out of memory
        return "full"
    return _POSTGRES.get(state, "other")  # type: ignore[return-value]
