"""Where a command's result goes: stdout in the chosen format, a file written atomically, stderr for the rest.

Every command that writes a result (check, verify, history, rank) chooses its
format through its family (:mod:`qbplan.render.formats`) with
:func:`chosen_format`, proves the output can be written with
:func:`ready_output` before reading any input, and writes with :func:`emit`.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from qbplan.error_handler import say
from qbplan.errors import QbplanError

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.model.report import Report
    from qbplan.render import RenderOptions
    from qbplan.render.formats import Family, OutputFormat


def chosen_format(family: Family, given: str | None, output: Path | None) -> OutputFormat:
    """The format a run writes: ``--format``, else ``--output``'s suffix, else a table.

    A format that writes bytes (a workbook) is refused on a terminal, where it
    would be noise: it goes to ``--output`` or to a pipe.
    """
    fmt = family.chosen(given, str(output) if output is not None else None)
    if fmt.binary and output is None and stdout_is_terminal():
        raise QbplanError("usage-output-required", format=fmt.name)
    return fmt


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (where a workbook's bytes would be noise)."""
    return sys.stdout.isatty()


def ready_output(output: Path | None, lang: str) -> None:
    """Refuse, before any input is read, an output that cannot be written: a folder, a missing or closed folder."""
    if output is None:
        return
    import os

    from qbplan.files.output import writable_target

    target = writable_target(output)
    if target is not None and not os.access(target.parent, os.W_OK | os.X_OK):
        from qbplan.i18n.oserrors import os_reason

        denied = OSError(errno.EACCES, os.strerror(errno.EACCES))
        raise QbplanError("output-unwritable", output=str(output), detail=os_reason(denied, lang))


def emit(write: Callable[[IO[Any]], None], fmt: OutputFormat, output: Path | None, lang: str) -> None:
    """Write one result: to stdout (bytes to a pipe for a binary format), or atomically to ``output``, said on stderr.

    A disk that fills, or a device that takes nothing (``/dev/full``), is a one-line error
    (exit 2); the file that was there is left as it was.
    """
    try:
        if output is None:
            stream: IO[Any] = sys.stdout.buffer if fmt.binary else sys.stdout
            write(stream)
            stream.flush()
            return
        from qbplan.files.output import atomic_write

        with atomic_write(output, binary=fmt.binary) as out:
            write(out)
    except BrokenPipeError:
        raise
    except OSError as exc:
        from qbplan.i18n.oserrors import os_reason

        where = "-" if output is None else str(output)
        raise QbplanError("output-unwritable", output=where, detail=os_reason(exc, lang)) from None
    from qbplan.i18n import ui

    # As template and annotate say what they wrote: on stderr, stdout carries the chosen format only.
    say(ui("output.wrote", lang, output=str(output)))


def kept_output(output: Path | None, lang: str) -> None:
    """Say that ``output`` was left as it was, because the run could not run (exit 2)."""
    if output is not None:
        from qbplan.i18n import ui

        say(ui("output.kept", lang, output=str(output)))


def say_input_errors(report: Report, lang: str) -> bool:
    """Files that could not be used, one line each on stderr; whether there was one."""
    from qbplan.model.wording import describe

    found = [f for f in report.errors if f.code.startswith("input-")]
    for finding in found:
        say(describe(finding, lang))
    return bool(found)


def write_report(report: Report, fmt: OutputFormat, output: Path | None, options: RenderOptions) -> None:
    """Render ``report`` (a check's) with ``emit``; a file gets no terminal colours."""
    from dataclasses import replace

    from qbplan.render import get_renderer

    render = get_renderer(fmt.name)
    shown = options if output is None else replace(options, color=False)
    emit(lambda out: render(report, out, shown), fmt, output, options.lang)
