"""Click in Vietnamese: its help words, and its usage errors said in one line.

Typer ships Click under different module names across versions; what is
patched here is patched with care, and English is the fallback.
"""

from __future__ import annotations

import re
from typing import Any

# Click's own words in the help, said in Vietnamese.
_CLICK_VI = {
    "Usage: ": "Cách dùng: ",
    "Arguments": "Tham số",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "Show this message and exit.": "In trợ giúp này rồi thoát.",
}


def _vietnamese_help() -> None:
    """Best effort: typer's internals move between versions, and English is the fallback."""
    try:
        import typer.core
        from typer._click import core as click_core
        from typer._click import formatting

        core: Any = typer.core
        english = core._
        core._ = lambda text: _CLICK_VI.get(text, english(text))
        write_usage = formatting.HelpFormatter.write_usage

        def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, _CLICK_VI["Usage: "] if prefix is None else prefix)

        formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
        get_help_option = click_core.Command.get_help_option

        def help_option(self: Any, ctx: Any) -> Any:
            option = get_help_option(self, ctx)
            if option is not None:
                option.help = _CLICK_VI["Show this message and exit."]
            return option

        click_core.Command.get_help_option = help_option  # type: ignore[method-assign]
    except (ImportError, AttributeError):
        pass


def _plain_argument_help() -> None:
    """Arguments shown by their names (``TỆP...``), without typer's ``{…}`` and ``<list[Path]>``."""
    try:
        from typer.core import TyperArgument

        def usage_name(self: Any) -> str:
            return str(self.display_name_raw) + ("..." if self.nargs != 1 else "")

        def no_type(self: Any, ctx: Any) -> None:
            return None

        TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]
        TyperArgument.display_type_rich = no_type  # type: ignore[method-assign]
    except (ImportError, AttributeError):
        pass


def install(lang: str) -> None:
    """Arguments named plainly, and in Vietnamese help Click's own words said in Vietnamese."""
    _plain_argument_help()
    if lang == "vi":
        _vietnamese_help()


def kinds(exc: BaseException) -> set[str]:
    # Typer ships click under different module names across versions; the
    # exception classes keep their names, so they are recognised by name.
    return {cls.__name__ for cls in type(exc).__mro__}


def usage_message(exc: Any, lang: str) -> str:
    """One line for a usage error, in Vietnamese unless --lang en / QBPLAN_LANG=en.

    Click's own messages are English; the common ones are said again here.
    """
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "qbplan"
    if isinstance(getattr(exc, "message", None), str):
        # Typer words a refused choice as Pydantic's "Value error, …": the reason is what follows,
        # in either language.
        exc.message = exc.message.removeprefix("Value error, ")
    if lang == "en":
        return f"qbplan: {exc.format_message()} (see: {command} --help)"
    return f"qbplan: {_vietnamese(exc)} (xem: {command} --help)"


def _param_hint(exc: Any) -> str:
    param: Any = getattr(exc, "param", None)
    if getattr(param, "param_type_name", "") == "argument":
        # An argument by its metavar (TỆP, PHỤ_LỤC) as --help shows it, never its Python name.
        return f"'{param.metavar}'" if getattr(param, "metavar", None) else f"'{param.name.upper()}'"
    opts = getattr(param, "opts", None) or []
    return getattr(exc, "param_hint", None) or (" / ".join(opts) if opts else getattr(param, "name", "") or "")


_RANGE_VI = (
    (re.compile(r"less than or equal to (\S+)"), "phải ≤ {}"),
    (re.compile(r"greater than or equal to (\S+)"), "phải ≥ {}"),
    (re.compile(r"valid (?:number|integer)"), "phải là một số"),
    # Typer checks an Enum option's choices itself: the option's type has no choices to list.
    (re.compile(r"('.*') is not one of (.+?)\.?$"), "{} không có trong các lựa chọn: {}"),
)


def _detail_vi(detail: str) -> str:
    """Click's and typer's detail of a bad value, in Vietnamese where it is a common one."""
    for pattern, text in _RANGE_VI:
        match = pattern.search(detail)
        if match:
            return text.format(*match.groups())
    return detail


def _vietnamese(exc: Any) -> str:
    found = kinds(exc)
    hint = _param_hint(exc)
    if "MissingParameter" in found:
        return f"thiếu tham số {hint}"
    if "NoSuchOption" in found:
        maybe = " (có phải " + ", ".join(sorted(exc.possibilities)) + "?)" if exc.possibilities else ""
        return f"không có tùy chọn {exc.option_name}{maybe}"
    if "BadParameter" in found:
        return _bad_parameter_vi(exc, hint)
    if "BadOptionUsage" in found and "requires an argument" in exc.format_message():
        return f"tùy chọn {exc.option_name} cần một giá trị"
    return _no_command_vi(exc.format_message())


def _bad_parameter_vi(exc: Any, hint: str) -> str:
    """A value refused: the choices when the option has them, else click's reason in Vietnamese."""
    choices = getattr(getattr(getattr(exc, "param", None), "type", None), "choices", None)
    if choices:
        return f"giá trị không hợp lệ cho {hint}; chọn một trong: {', '.join(str(c) for c in choices)}"
    return f"giá trị không hợp lệ cho {hint}: {_detail_vi(str(exc.message))}"


def _no_command_vi(text: str) -> str:
    """click's "No such command" in Vietnamese; any other message as it is."""
    match = re.match(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?", text)
    if not match:
        return str(text)
    maybe = f" (có phải '{match.group(2)}'?)" if match.group(2) else ""
    return f"không có lệnh '{match.group(1)}'{maybe}"
