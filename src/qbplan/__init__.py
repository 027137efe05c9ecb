"""qbplan: check IT-plan survey submissions against their targets.

The public API is small::

    from qbplan import CheckOptions, check, load_targets
    report = check(["nop/"], load_targets(), CheckOptions(by="huyen"))
    report.exit_code

A :class:`~qbplan.model.report.Report` holds numbers, statuses and findings
as data; :mod:`qbplan.render` turns it into text in a chosen language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qbplan.model.version import __version__

__all__ = ["CheckOptions", "__version__", "check", "load_targets"]

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import load_targets
    from qbplan.run.pipeline import CheckOptions, check

# Lazy: `qbplan --help` must not pay for pandas and pydantic.
_LAZY = {"check": "qbplan.run.pipeline", "CheckOptions": "qbplan.run.pipeline", "load_targets": "qbplan.config.targets"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
