"""The house runs one way: every import in ``src/qbplan`` goes down a floor, never up, never round.

Read statically, so that nothing hides: imports at the top of a module,
inside functions (kept lazy for start-up time) and under ``TYPE_CHECKING``
all count. A new folder or top-level module must be given its floor here
(and in CONTRIBUTING.md's map).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "qbplan"

# Bottom first. A unit (a folder of src/qbplan, or a module beside them) may
# import its own modules and those of the floors below it, nothing else.
FLOORS: list[set[str]] = [
    {"textnorm", "defaults", "i18n"},  # words, rules and defaults: import nothing of qbplan
    {"errors"},  # the refusals that stop a run, worded by i18n
    {"config"},  # the targets file
    {"model"},  # the floor of types: findings, the report, sheet/file/batch results
    {"files"},  # which files a run reads; writing outputs safely
    {"storage"},  # what --db names, and the migrations every store runs
    {"layout"},  # a grid of cells to a table: header, data, totals and sign-off rows
    {"read"},  # a file to tables, refusing hostile files (lays each sheet out)
    {"validate"},  # the row model and the rules of a sheet and across files
    {"register"},  # the register of reporting units, and the rows set against it
    {"indicators"},  # exact rates
    {"history", "intake"},  # periods and saved runs; a round's submissions and decisions
    {"run"},  # the only code that knows the order of the stages
    {"render"},  # one module per format
    {"tools"},  # template, explain, annotate, verify
    {"error_handler"},
    {"serve"},  # the web intake, on the library API
    {"cli"},
    {"__init__", "__main__"},
]
FLOOR = {unit: level for level, units in enumerate(FLOORS) for unit in units}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in SRC.rglob("*.py")}


def _unit(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _imported(module: str, path: Path) -> Iterator[str]:
    """Every qbplan module ``module`` imports, wherever the import statement is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([base] if base else [])])
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("qbplan") and name != module:
                yield name


EDGES = {m: set(_imported(m, p)) for m, p in MODULES.items()}


def _circles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in EDGES[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                out.append(sorted([v, *group]))

    for v in sorted(MODULES):
        if v not in index:
            visit(v)
    return out


def test_every_unit_has_a_floor() -> None:
    assert {_unit(m) for m in MODULES} <= set(FLOOR), "give the new folder or module its floor in FLOORS"


def test_imports_only_go_down() -> None:
    upward = sorted(
        f"{a} -> {b}"
        for a, targets in EDGES.items()
        for b in targets
        if _unit(a) != _unit(b) and FLOOR[_unit(b)] >= FLOOR[_unit(a)]
    )
    assert not upward, "imports that run up or sideways:\n" + "\n".join(upward)


def test_no_module_imports_itself_round_a_circle() -> None:
    assert _circles() == []


def test_the_reader_is_checked_too() -> None:
    # The check sees lazy and TYPE_CHECKING imports: the runner's lazy import of the screen is an edge.
    assert "qbplan.validate.screen" in EDGES["qbplan.run.pipeline"]
    assert "qbplan.model.report" in EDGES["qbplan.render.options"]  # under TYPE_CHECKING
    assert "qbplan.render.table" in EDGES["qbplan.render"]  # inside get_renderer
