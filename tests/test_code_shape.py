"""The shape issue 10 set for the code: small functions on average, none beyond radon's rank C.

Measured as ``radon cc -a src`` measures it (functions, methods and classes,
each a block), so that a failure here reads the same as radon's own report.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

SRC = Path(__file__).resolve().parents[1] / "src" / "qbplan"
MAX_AVERAGE = Fraction(7, 2)


def _blocks() -> list[tuple[int, str]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            out.append((block.complexity, f"{path.relative_to(SRC)}:{block.lineno} {block.fullname}"))
    return out


def test_average_complexity_is_at_most_3_5() -> None:
    blocks = _blocks()
    average = Fraction(sum(c for c, _ in blocks), len(blocks))
    worst = "\n".join(f"  {c:3} {name}" for c, name in sorted(blocks, reverse=True)[:10])
    assert average <= MAX_AVERAGE, f"average {float(average):.3f} over {len(blocks)} blocks; the most complex:\n{worst}"


def test_no_block_is_above_rank_c() -> None:
    above = [f"{c} {name}" for c, name in _blocks() if cc_rank(c) not in "ABC"]
    assert not above, "split these (rank D or worse):\n" + "\n".join(above)
