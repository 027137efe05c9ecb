"""A blank form filled in as an agency would, shared by the template and two-tier tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from qbplan.config.targets import Targets
from qbplan.tools.template import FIRST_DATA_ROW, write_template


def filled_template(targets: Targets, path: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
    """``targets``' blank form at ``path`` with ``rows`` typed in: enum labels, Có/Không, as an agency types them."""
    write_template(targets, str(path))
    wb = openpyxl.load_workbook(path)
    for spec in targets.form.sheets:
        ws = wb[spec.label]
        for i, row in enumerate(rows.get(spec.key, [])):
            for j, col in enumerate(spec.columns, start=1):
                value = row.get(col.key)
                if col.type == "enum" and value is not None:
                    value = (col.values or {})[str(value)]
                elif col.type == "yesno":
                    value = "Có" if value else "Không"
                ws.cell(FIRST_DATA_ROW + i, j, value)
    wb.save(path)
    return path
