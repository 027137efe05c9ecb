"""The one place where exceptions become a one-line message and an exit code.

Problems in a submission are findings, never exceptions. What arrives here
means qbplan cannot do what was asked: a bad targets file, a usage mistake,
an interrupt, or a bug. Each maps to the codes in :mod:`qbplan.errors`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from qbplan.errors import EXIT_CANNOT_RUN, EXIT_INTERRUPTED, EXIT_TERMINATED, QbplanError, Terminated


def say(text: str) -> None:
    """One line on stderr, prefixed with the program's name; nothing in it acts on the terminal.

    A file name with a newline must not forge a second line, nor a BEL or an
    escape sequence retitle or clear the terminal.
    """
    from qbplan.render.safe import visible

    sys.stderr.write(f"qbplan: {visible(text)}\n")


def _text(key: str, lang: str) -> str:
    from qbplan.i18n import ui  # the catalogue only on the way out: `qbplan --help` stays fast

    return ui(key, lang)


def _quiet_closed_stdout() -> None:
    # A reader that closed the pipe (`| head`) wants no more: say nothing, as
    # Unix tools do, and keep Python from complaining when it flushes at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


@contextmanager
def error_handler(lang: str) -> Iterator[None]:
    """Run a command; map what it raises to a message on stderr and an exit code."""
    try:
        yield
    except QbplanError as exc:
        for line in exc.lines(lang):
            say(line)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt as exc:
        say(_text("error.interrupted", lang))
        raise typer.Exit(EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        _quiet_closed_stdout()
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    except MemoryError:
        say(_text("error.memory", lang))
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:
        if os.environ.get("QBPLAN_DEBUG"):
            raise
        say(f"{_text('error.internal', lang)}: {type(exc).__name__}: {exc} (QBPLAN_DEBUG=1)")
        raise typer.Exit(EXIT_CANNOT_RUN) from None
