"""No block of the code beyond radon's rank C.

Measured as ``radon cc src`` measures it (functions, methods and classes,
each a block), so that a failure here reads the same as radon's own report.
There is no bar on the average: it is met by splitting code into one-line
helpers, which makes it harder to read, not easier.
"""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_rank, cc_visit

SRC = Path(__file__).resolve().parents[1] / "src" / "qbplan"


def _blocks() -> list[tuple[int, str]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            out.append((block.complexity, f"{path.relative_to(SRC)}:{block.lineno} {block.fullname}"))
    return out


def test_no_block_is_above_rank_c() -> None:
    above = [f"{c} {name}" for c, name in _blocks() if cc_rank(c) not in "ABC"]
    assert not above, "split these (rank D or worse):\n" + "\n".join(above)
