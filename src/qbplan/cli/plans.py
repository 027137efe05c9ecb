"""``qbplan plans``: the plans bundled with qbplan."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from qbplan.cli.app import command
from qbplan.cli.options import DEFAULT_LANG, ExplainFormat, LangOption, h
from qbplan.error_handler import error_handler
from qbplan.errors import EXIT_OK

_PLANS_HELP = h(
    "Liệt kê các kế hoạch kèm theo qbplan: mã (dùng với --plan), tên, nguồn, kế hoạch nối tiếp.",
    "List the plans bundled with qbplan: id (for --plan), title, source, the plan each follows.",
)


@command("plans", _PLANS_HELP)
def plans_cmd(
    fmt: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", case_sensitive=False, help=h("Định dạng kết quả.", "Output format.")),
    ] = ExplainFormat.table,
    lang: LangOption = DEFAULT_LANG,
) -> int:
    with error_handler(lang.value):
        from qbplan.config.targets import DEFAULT_PLAN, bundled_plans, load_targets
        from qbplan.i18n import localized

        rows = []
        for plan_id, path in bundled_plans().items():
            plan = load_targets(path).plan
            rows.append({
                "id": plan_id,
                "default": plan_id == DEFAULT_PLAN,
                "title": localized(plan.title_vi, plan.title_en, lang.value),
                "source": plan.source,
                "follows": plan.follows,
                "file": str(path),
            })  # fmt: skip
        if fmt is ExplainFormat.json:
            json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return EXIT_OK
        default = " (default)" if lang.value == "en" else " (mặc định)"
        follows = "follows" if lang.value == "en" else "nối tiếp"
        for row in rows:
            sys.stdout.write(f"{row['id']}{default if row['default'] else ''}\n  {row['title']}\n  {row['source']}\n")
            if row["follows"]:
                sys.stdout.write(f"  {follows}: {row['follows']}\n")
    return EXIT_OK
