"""``qbplan plans``: the plans bundled with qbplan."""

from __future__ import annotations

import sys

from qbplan.cli.app import command
from qbplan.cli.options import DEFAULT_LANG, LangOption, h
from qbplan.error_handler import error_handler
from qbplan.errors import EXIT_OK

_PLANS_HELP = h(
    "Liệt kê các kế hoạch kèm theo qbplan: mã (dùng với --plan), tên, nguồn.",
    "List the plans bundled with qbplan: id (for --plan), title, source.",
)


@command("plans", _PLANS_HELP)
def plans_cmd(lang: LangOption = DEFAULT_LANG) -> int:
    with error_handler(lang.value):
        from qbplan.config.targets import DEFAULT_PLAN, bundled_plans, load_targets
        from qbplan.i18n import localized

        for plan_id, path in bundled_plans().items():
            plan = load_targets(path).plan
            mark = h(" (mặc định)", " (default)") if plan_id == DEFAULT_PLAN else ""
            sys.stdout.write(f"{plan_id}{mark}\n  {localized(plan.title_vi, plan.title_en, lang.value)}\n")
            sys.stdout.write(f"  {plan.source}\n")
    return EXIT_OK
