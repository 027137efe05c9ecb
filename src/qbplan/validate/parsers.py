"""Cell parsers and the Pydantic row model: the one place a cell is judged valid or not."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model
from pydantic_core import PydanticCustomError

from qbplan.config.targets import Column, Sheet
from qbplan.model.cells import CellProblem
from qbplan.textnorm import NO, YES, clean, fold

_INT_PLAIN = re.compile(r"^\+?\d+$")


# Vietnamese writes thousands with dots (1.234.567); spaces also occur.
_INT_GROUPED = re.compile(r"^\+?\d{1,3}(?:([. ])\d{3})(?:\1\d{3})*$")


_NEGATIVE = re.compile(r"^-\s*\d[\d. ]*$")


def _fail(code: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, ctx)


def _check_problem(value: Any) -> None:
    if isinstance(value, CellProblem):
        raise _fail(value.code, detail=value.detail)


def parse_int(value: Any) -> int:
    """A whole number >= 0 from an Excel cell as typed by people."""
    _check_problem(value)
    number = _integer(value)
    if number < 0:
        raise _fail("negative")
    return number


def _integer(value: Any) -> int:
    """Any whole number a cell holds: an int, a whole finite float, or text with or without grouping."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return _float_integer(value)
    if isinstance(value, str):
        return _text_integer(clean(value))
    raise _fail("not-a-number")


def _float_integer(value: float) -> int:
    if not math.isfinite(value):
        raise _fail("not-a-number")
    if not value.is_integer():
        raise _fail("not-whole")
    return int(value)


def _text_integer(text: str) -> int:
    """Text such as "1234", "1.234" or "1 234"; "-5" is negative, anything else not a number."""
    if _INT_PLAIN.match(text):
        return int(text)
    if _INT_GROUPED.match(text):
        return int(re.sub(r"[. +]", "", text))
    raise _fail("negative" if _NEGATIVE.match(text) else "not-a-number")


def parse_yesno(value: Any) -> bool:
    """Có/Không with or without diacritics, x, TRUE/FALSE, 1/0."""
    _check_problem(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = fold(value)
        if folded in YES:
            return True
        if folded in NO:
            return False
    raise _fail("invalid-yesno")


def parse_text(value: Any) -> str:
    """Text, cleaned; whole numbers typed as codes keep no ``.0``."""
    _check_problem(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return clean(str(value))


def _enum_parser(col: Column) -> Callable[[Any], str]:
    lookup: dict[str, str] = {}
    for key, label in (col.values or {}).items():
        lookup[fold(key)] = key
        lookup[fold(label)] = key
    # People read the labels ("Tỉnh, Huyện, Xã"), never the keys.
    allowed = ", ".join((col.values or {}).values())

    def parse_enum(value: Any) -> str:
        _check_problem(value)
        found = lookup.get(fold(str(value))) if isinstance(value, str) else None
        if found is None:
            raise _fail("invalid-enum", allowed=allowed)
        return found

    return parse_enum


_PARSERS: dict[str, tuple[type, Callable[[Any], Any]]] = {
    "int": (int, parse_int),
    "yesno": (bool, parse_yesno),
    "text": (str, parse_text),
}


def column_parser(col: Column) -> Callable[[Any], Any]:
    """The parser of one column, blank handling included."""
    base = _enum_parser(col) if col.type == "enum" else _PARSERS[col.type][1]

    def parse(value: Any) -> Any:
        if value is None:
            if col.required:
                raise _fail("required")
            return None
        result = base(value)
        if result == "" and col.type == "text":
            if col.required:
                raise _fail("required")
            return None
        return result

    return parse


# id(spec) -> (spec, model); the spec is kept so its id cannot be reused.
_MODELS: dict[int, tuple[Sheet, type[BaseModel]]] = {}


def row_model(spec: Sheet) -> type[BaseModel]:
    """The Pydantic model of one row of ``spec`` (built once per sheet)."""
    cached = _MODELS.get(id(spec))
    if cached is not None:
        return cached[1]
    fields: dict[str, Any] = {}
    for col in spec.columns:
        py_type = str if col.type == "enum" else _PARSERS[col.type][0]
        # A runtime-built type: mypy cannot check a variable used as a type.
        annotation = Annotated[py_type | None, BeforeValidator(column_parser(col))]  # type: ignore[valid-type]
        fields[col.key] = (annotation, None)
    model: type[BaseModel] = create_model(
        f"Row_{spec.key}",
        __config__=ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True),
        **fields,
    )
    _MODELS[id(spec)] = (spec, model)
    return model
