"""Exceptions for the cases where qbplan cannot run, and their exit codes.

Problems *in* a submission are findings (see :mod:`qbplan.model.findings`), not
exceptions. An exception here means the tool cannot do its job: a bad targets
file, or an input file it cannot read at all. Every such exception maps to
exit code 2 in one place, :mod:`qbplan.error_handler`.
"""

from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_TARGET_MISSED = 1
EXIT_CANNOT_RUN = 2
EXIT_INVALID_ROWS = 3
# As shells report a process ended by SIGINT (128 + 2) and by SIGTERM (128 + 15).
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd, a cancelled CI job): stopped as Ctrl-C stops a run, with the exit code of SIGTERM."""


class QbplanError(Exception):
    """Base class: qbplan cannot run. ``code`` is a stable kebab-case id."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        # Further faults found with this one (a targets file's other errors), each said on its own line.
        self.others: tuple[QbplanError, ...] = ()

    def message(self, lang: str = "vi") -> str:
        """The one-line, user-facing message in ``lang``."""
        from qbplan.i18n import message

        return message(self.code, lang, **self.params)

    def lines(self, lang: str = "vi") -> list[str]:
        """This fault's line, then one line for each fault found with it."""
        return [self.message(lang), *(other.message(lang) for other in self.others)]

    def __str__(self) -> str:
        return self.message("en")


class ConfigError(QbplanError):
    """The targets file is missing, malformed or inconsistent."""


class InputError(QbplanError):
    """An input file cannot be read or used as a submission.

    ``file`` is kept so that a batch can report the file as a finding and go on.
    """

    def __init__(self, code: str, file: str, **params: Any) -> None:
        super().__init__(code, file=file, **params)
        self.file = file
