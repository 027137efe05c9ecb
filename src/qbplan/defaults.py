"""The library's defaults, in one light module the CLI can import without pandas or pydantic."""

from __future__ import annotations

from typing import Literal

# Seconds one file may take to read and validate before its worker is stopped.
DEFAULT_TIMEOUT = 600.0
# The ranges the CLI accepts: a week of seconds is already no limit, and
# values past these overflow the system calls that apply them (inf, 1e20).
MAX_TIMEOUT = 7 * 24 * 3600.0
# Below this a worker cannot even import its reader; above, no machine has it.
MIN_MEMORY_MB = 256
MAX_MEMORY_MB = 1024 * 1024
# Bytes an .xlsx/.ods may unpack to; more is refused as a zip bomb.
DEFAULT_MAX_UNZIPPED = 1024 * 1024 * 1024
# Findings of each kind the table and Markdown list.
DEFAULT_MAX_FINDINGS = 20

FailOn = Literal["warn", "fail", "never"]
FAIL_ON: tuple[FailOn, ...] = ("warn", "fail", "never")
DEFAULT_FAIL_ON: FailOn = "fail"

LANGS = ("vi", "en")

# The reminders' window by default: from this many days before the due date to this many after
# (``qbplan remind --days-before/--days-after``; the admin page's button uses these).
REMIND_DAYS_BEFORE = 3
REMIND_DAYS_AFTER = 7
