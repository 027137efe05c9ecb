"""qbplan: check IT-plan survey submissions against their targets.

The public API is small::

    from qbplan import load_targets, check
    report = check(["survey.xlsx"], load_targets())
    report.exit_code
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "check", "load_targets"]

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import load_targets
    from qbplan.pipeline import check


def __getattr__(name: str) -> Any:
    # Lazy: `qbplan --help` must not pay for pandas and pydantic.
    if name == "check":
        from qbplan.pipeline import check

        return check
    if name == "load_targets":
        from qbplan.config.targets import load_targets

        return load_targets
    raise AttributeError(name)
