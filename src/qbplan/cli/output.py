"""Where a command's result goes: stdout in the chosen format, a file written atomically, stderr for the rest."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from qbplan.error_handler import say
from qbplan.errors import QbplanError

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.model.report import Report
    from qbplan.render import RenderOptions


def refuse_bytes_to_stdout(fmt: str, binary: bool, output: Path | None) -> None:
    """A format that writes bytes (xlsx, annex) goes to a file: --output is required."""
    if binary and output is None:
        raise QbplanError("usage-output-required", format=fmt)


def say_input_errors(report: Report, lang: str) -> bool:
    """Files that could not be used, one line each on stderr; whether there was one."""
    from qbplan.model.wording import describe

    found = [f for f in report.errors if f.code.startswith("input-")]
    for finding in found:
        say(describe(finding, lang))
    return bool(found)


def write_report(report: Report, fmt: str, output: Path | None, options: RenderOptions) -> None:
    """Render ``report`` to stdout, or atomically to ``output``."""
    from dataclasses import replace

    from qbplan.render import get_renderer, is_binary

    render = get_renderer(fmt)
    if output is None:
        render(report, sys.stdout, options)
        sys.stdout.flush()
        return
    from qbplan.files.output import atomic_write

    with atomic_write(output, binary=is_binary(fmt)) as out:
        render(report, out, replace(options, color=False))
    # As template and annotate say what they wrote: on stderr, stdout carries the chosen format only.
    from qbplan.i18n import ui

    say(ui("output.wrote", options.lang, output=str(output)))
