"""The library's defaults, in one light module the CLI can import without pandas or pydantic."""

from __future__ import annotations

from typing import Literal

# Seconds one file may take to read and validate before its worker is stopped.
DEFAULT_TIMEOUT = 600.0
# Bytes an .xlsx/.ods may unpack to; more is refused as a zip bomb.
DEFAULT_MAX_UNZIPPED = 1024 * 1024 * 1024
# Findings of each kind the table and Markdown list.
DEFAULT_MAX_FINDINGS = 20

FailOn = Literal["warn", "fail", "never"]
FAIL_ON: tuple[FailOn, ...] = ("warn", "fail", "never")
DEFAULT_FAIL_ON: FailOn = "fail"

LANGS = ("vi", "en")
