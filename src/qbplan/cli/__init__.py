"""The ``qbplan`` command line: one module per command, each parsing its options,
calling the library, rendering, and returning the exit code the library decided.

Heavy modules (pandas, pydantic, calamine) are imported inside the commands so
that ``qbplan --help`` stays fast. Exceptions become exit codes in one place,
:func:`qbplan.error_handler.error_handler`; usage errors are said in one line
by :func:`main`.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

import typer

# Each command module adds its command to the app when imported.
from qbplan.cli import annotate, check, explain, history, plans, rank, remind, serve, template, verify  # noqa: F401
from qbplan.cli.app import app
from qbplan.cli.click_vi import install, kinds, usage_message
from qbplan.cli.options import HELP_LANG
from qbplan.error_handler import say
from qbplan.errors import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated

__all__ = ["app", "main"]

install(HELP_LANG)


def _terminate(_signum: int, _frame: object) -> None:
    # systemd and CI cancel with SIGTERM: stop as for Ctrl-C, so workers are
    # stopped and a half-written output file is removed; the exit code is SIGTERM's own (143).
    raise Terminated


def main() -> None:
    """Console-script entry point: runs the app, and says usage errors in one line."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = app(prog_name="qbplan", standalone_mode=False)
    except typer.Abort as exc:
        say("interrupted" if HELP_LANG == "en" else "đã dừng")
        terminated = isinstance(exc.__context__, Terminated)
        sys.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)
    except Terminated:
        say("interrupted" if HELP_LANG == "en" else "đã dừng")
        sys.exit(EXIT_TERMINATED)
    except Exception as exc:
        found = kinds(exc)
        if "UsageError" not in found:
            raise
        # Bare `qbplan`: the help itself, as Click would show it.
        usage: Any = exc
        text = usage.format_message() if "NoArgsIsHelpError" in found else usage_message(usage, HELP_LANG)
        sys.stderr.write(text + "\n")
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)
