"""``qbplan annotate``: the agency's own workbook, with its bad cells marked.

A copy of the submission where every cell with an error finding is filled red
and carries a comment with the message, and every cell with a warning (a
totals row that disagrees with its rows) is filled yellow. Planners send it
back to the agency: the corrections are made where they are needed, in the
agency's own layout. The submission itself is never modified.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from qbplan.errors import InputError
from qbplan.model.findings import Finding
from qbplan.model.wording import describe
from qbplan.read.sniff import sniff
from qbplan.render.safe import xml_text

ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"
_AUTHOR = "qbplan"


def annotate(
    path: str, findings: Sequence[Finding], out: IO[bytes] | str, lang: str = "vi", macros: bool = False
) -> int:
    """Write a copy of the .xlsx/.xlsm at ``path`` with ``findings`` marked; return cells marked.

    Only findings of this file with a sheet and a cell are marked; several
    findings on one cell share one comment, and a comment the agency wrote
    there is kept above qbplan's. Pictures are kept (Pillow reads them).
    Macros are kept only with ``macros`` (an .xlsm written as .xlsm). Raises
    :class:`InputError` when the file is not an .xlsx/.xlsm workbook openpyxl
    can open. Comments are in ``lang``.
    """
    if sniff(path) != "xlsx":
        raise InputError("annotate-not-xlsx", file=path)
    try:
        wb = load_workbook(path, keep_vba=macros, rich_text=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for files calamine accepted
        raise InputError("input-corrupt", file=path, detail=str(exc)[:200]) from None
    by_cell = _by_cell(path, findings)
    for (sheet, ref), found in by_cell.items():
        if sheet in wb.sheetnames:
            _mark(wb[sheet][ref], found, lang)
    wb.save(out)
    return len(by_cell)


def _by_cell(path: str, findings: Sequence[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """The findings of ``path`` that name a sheet and a cell, by (sheet, cell)."""
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.file == path and finding.sheet and finding.cell:
            by_cell.setdefault((finding.sheet, finding.cell), []).append(finding)
    return by_cell


def _mark(cell: Any, found: list[Finding], lang: str) -> None:
    """Fill the cell red for an error (amber for warnings only) and add the findings to its comment."""
    color = ERROR_FILL if any(f.severity == "error" for f in found) else WARNING_FILL
    cell.fill = PatternFill("solid", fgColor=color, bgColor=color)
    cell.comment = _comment(cell.comment, [f"[{f.code}] {xml_text(describe(f, lang))}" for f in found])


def has_macros(path: str) -> bool:
    """Whether the package holds a VBA project (an .xlsm in content, whatever its name)."""
    with zipfile.ZipFile(path) as zf:
        return any(name.lower().endswith("vbaproject.bin") for name in zf.namelist())


def _comment(theirs: Any, lines: list[str]) -> Any:
    """qbplan's comment, under the agency's own one when the cell had one."""
    if theirs is not None and theirs.text:
        author = f"{theirs.author}: " if theirs.author else ""
        lines = [f"{author}{theirs.text}", "—", *lines]
    comment = Comment("\n".join(lines), _AUTHOR)
    comment.width, comment.height = 320, min(60 + 40 * len(lines), 400)
    return comment
