"""Peers with a schema equivalent to qbplan's agency sheet, built from targets.yaml.

    python benchmarks/peers.py frictionless FILE
    python benchmarks/peers.py pandera FILE

Each validates the agency sheet ("Cơ quan, đơn vị") of a benchmark workbook:
every column present and typed (whole numbers ≥ 0, enum and yes/no labels
from their lists, text), required cells filled, the unique code unique, and,
for pandera, the ≤ rules between columns. Exit 0 when valid, 1 when not.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHEET = "Cơ quan, đơn vị"


def _columns() -> list[dict[str, Any]]:
    data = yaml.safe_load((ROOT / "targets.yaml").read_text(encoding="utf-8"))
    return next(s for s in data["form"]["sheets"] if s["key"] == "co_quan")["columns"]


def _allowed(col: dict[str, Any]) -> list[str] | None:
    if col["type"] == "yesno":
        return ["Có", "Không"]
    if col["type"] == "enum":
        return list(col["values"].values())
    return None


def frictionless(path: str) -> bool:
    from frictionless import Resource, Schema, formats

    fields = []
    for col in _columns():
        constraints: dict[str, Any] = {"required": col.get("required", True)}
        if col.get("unique"):
            constraints["unique"] = True
        if col["type"] == "int":
            fields.append({"name": col["label"], "type": "integer", "constraints": {**constraints, "minimum": 0}})
            continue
        allowed = _allowed(col)
        if allowed:
            constraints["enum"] = allowed
        fields.append({"name": col["label"], "type": "string", "constraints": constraints})
    schema = Schema.from_descriptor({"fields": fields})
    # Frictionless only opens paths under its basepath ("safe" paths).
    file = Path(path).resolve()
    resource = Resource(
        path=file.name, basepath=str(file.parent), schema=schema, control=formats.ExcelControl(sheet=SHEET)
    )
    report = resource.validate()
    return bool(report.valid)


def pandera(path: str) -> bool:
    import pandas as pd
    import pandera.pandas as pa

    frame = pd.read_excel(path, sheet_name=SHEET, engine="calamine")
    columns = {}
    by_key = {}
    for col in _columns():
        by_key[col["key"]] = col["label"]
        nullable = not col.get("required", True)
        if col["type"] == "int":
            columns[col["label"]] = pa.Column(int, pa.Check.ge(0), nullable=nullable)
            continue
        allowed = _allowed(col)
        checks = [pa.Check.isin(allowed)] if allowed else []
        columns[col["label"]] = pa.Column(str, checks, nullable=nullable, unique=bool(col.get("unique")))
    rules = []
    for col in _columns():
        refs = col.get("le") or []
        refs = [refs] if isinstance(refs, str) else refs
        if refs:
            label, limit = col["label"], [by_key[r] for r in refs]
            rules.append(pa.Check(lambda df, label=label, limit=limit: df[label] <= df[limit].sum(axis=1)))
    schema = pa.DataFrameSchema(columns, checks=rules)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors:
        return False
    return True


if __name__ == "__main__":
    tool, file = sys.argv[1], sys.argv[2]
    ok = {"frictionless": frictionless, "pandera": pandera}[tool](file)
    sys.exit(0 if ok else 1)
