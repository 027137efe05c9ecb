"""``qbplan template``: the blank survey form, prefilled from a register when given."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from qbplan.cli.app import command
from qbplan.cli.options import (
    DEFAULT_LANG,
    ForceOption,
    LangOption,
    MaxMemoryOption,
    PlanOption,
    RegisterOption,
    TargetsOption,
    TimeoutOption,
    as_bytes,
    h,
    register_paths,
    targets_from,
)
from qbplan.defaults import DEFAULT_TIMEOUT
from qbplan.error_handler import error_handler, say
from qbplan.errors import EXIT_OK, QbplanError

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import Targets
    from qbplan.register.load import Register
    from qbplan.run.pipeline import CheckOptions

_TEMPLATE_HELP = h(
    "Tạo biểu mẫu trống (.xlsx) từ tệp chỉ tiêu: mỗi biểu một trang, có danh sách chọn, "
    "kiểm tra số nguyên, trang Hướng dẫn và phiên bản biểu mẫu. Với --register: điền sẵn và khóa mã, tên, cấp, "
    "loại, huyện của từng đơn vị trong danh mục; thêm --per-unit để tạo mỗi cơ quan, đơn vị một tệp.",
    "Write the blank survey form (.xlsx) from the targets file: one sheet per form sheet, "
    "dropdowns, whole-number checks, a 'Hướng dẫn' (guide) sheet and the form version. With --register: each "
    "registered unit's code, name, level, type and district written in and locked; add --per-unit for one file "
    "per agency.",
)


@command("template", _TEMPLATE_HELP)
def template_cmd(
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help=h(
                "Tệp biểu mẫu sẽ tạo (mặc định bieu-mau.xlsx); với --per-unit là thư mục (mặc định bieu-mau/).",
                "The form file to write (default bieu-mau.xlsx); with --per-unit a folder (default bieu-mau/).",
            ),
            show_default=False,
        ),
    ] = None,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    per_unit: Annotated[
        bool,
        typer.Option(
            "--per-unit",
            help=h(
                "Mỗi cơ quan, đơn vị trong danh mục một tệp, chỉ có dòng của đơn vị đó (cần --register).",
                "One file per registered agency, holding its own row only (needs --register).",
            ),
        ),
    ] = False,
    force: ForceOption = False,
    lang: LangOption = DEFAULT_LANG,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> int:
    with error_handler(lang.value):
        from qbplan.files.output import RunInputs, refuse_overwrite, refuse_writing_over
        from qbplan.run.pipeline import CheckOptions, read_register
        from qbplan.tools.template import write_unit_forms

        plan_targets = targets_from(targets, plan)
        if per_unit and not register:
            raise QbplanError("usage-per-unit-needs-register")
        # Only the register named here: a blank form stays blank whatever the targets file names.
        registers = register_paths(register) or ()
        reads = RunInputs(registers=registers, targets=plan_targets.path or None)
        bounds = CheckOptions(register=registers, timeout=timeout, max_memory=as_bytes(max_memory_mb))
        if per_unit:
            folder = output or Path("bieu-mau")
            read = read_register(plan_targets, bounds)
            assert read is not None  # --register was given
            written = write_unit_forms(plan_targets, read, folder, force=force, reads=reads)
            say(f"{h('đã tạo', 'wrote')} {len(written)} {h('tệp trong', 'files in')} {folder}")
        else:
            target = output or Path("bieu-mau.xlsx")
            # Refused before the register is read: never a form over the register it is made from.
            refuse_writing_over(target, reads)
            refuse_overwrite(target, force)
            read = read_register(plan_targets, bounds)
            _write_form(plan_targets, read, target, bounds)
    return EXIT_OK


def _write_form(plan_targets: Targets, read: Register | None, output: Path, bounds: CheckOptions) -> None:
    """The one form, prefilled with the register's units when there is one, made in a bounded worker.

    A register of 200k units makes a form of millions of cells: it is built
    under --timeout and --max-memory like any read, and written atomically.
    """
    import io

    from qbplan.files.output import atomic_write
    from qbplan.run.pipeline import run_bounded
    from qbplan.tools.template import register_units, write_template

    def made(_: str) -> bytes:
        buffer = io.BytesIO()
        write_template(plan_targets, buffer, register_units(read) if read else None)
        return buffer.getvalue()

    form = run_bounded(made, str(output), bounds)
    with atomic_write(output, binary=True) as out:
        out.write(form)
    say(f"{h('đã tạo', 'wrote')} {output}")
