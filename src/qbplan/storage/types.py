"""Column types that keep numbers exact and refuse, as they are read, a value qbplan could not have written.

A database is something anyone can edit. Each type here turns a stored value
into Python and checks it on the way, raising ``ValueError`` or ``TypeError``
for what does not fit: a store says that as a damaged database in one line,
never a traceback further on. Integers and fractions are stored as decimal
text, since an exact sum may pass 64 bits.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from sqlalchemy import BigInteger, Integer, Text
from sqlalchemy.types import TypeDecorator

# Counts are rows and people: 30 digits is more than any province holds.
MAX_DIGITS = 30


def exact_int(value: object) -> int:
    """An integer as qbplan writes one: an SQLite integer, or decimal digits as text."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"an integer expected, found {type(value).__name__}")
    text = str(value)
    digits = text.removeprefix("-")
    if not digits.isascii() or not digits.isdigit() or len(digits) > MAX_DIGITS:
        raise ValueError(f"an integer expected, found {text[:40]!r}")
    return int(text)


def text(value: object) -> str:
    """A text value, as stored."""
    if not isinstance(value, str):
        raise TypeError(f"text expected, found {type(value).__name__}")
    return value


class CheckedText(TypeDecorator[str]):
    """Text that must read back as text (SQLite keeps whatever type a hand edit gave a cell)."""

    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else text(value)


class ExactInt(TypeDecorator[int]):
    """An integer of any size, kept as decimal text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(int(value))

    def process_result_value(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else exact_int(value)


class ExactFraction(TypeDecorator[Fraction]):
    """A fraction, kept as ``n/d`` with d above 0."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else f"{value.numerator}/{value.denominator}"

    def process_result_value(self, value: Any, dialect: Any) -> Fraction | None:
        if value is None:
            return None
        numerator, sep, denominator = text(value).partition("/")
        if not sep or exact_int(denominator) <= 0:
            raise ValueError(f"n/d expected, found {str(value)[:40]!r}")
        return Fraction(exact_int(numerator), exact_int(denominator))


class CheckedInteger(TypeDecorator[int]):
    """An INTEGER column that must read back as an integer."""

    impl = Integer
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else exact_int(value)


class CheckedBigInteger(CheckedInteger):
    """A BIGINT column that must read back as an integer."""

    impl = BigInteger
    cache_ok = True


class Choice(TypeDecorator[str]):
    """Text that must be one of ``allowed``."""

    impl = Text
    cache_ok = True

    def __init__(self, *allowed: str) -> None:
        super().__init__()
        self.allowed = allowed

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is not None and value not in self.allowed:
            raise ValueError(f"one of {', '.join(self.allowed)} expected, found {str(value)[:40]!r}")
        return value  # type: ignore[no-any-return]


class YesNoOrCount(TypeDecorator[int | bool]):
    """A unit's figure: a yes/no kept as ``true``/``false``, or a count as decimal text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return ("true" if value else "false") if isinstance(value, bool) else str(int(value))

    def process_result_value(self, value: Any, dialect: Any) -> int | bool | None:
        if value is None or value in ("true", "false"):
            return None if value is None else value == "true"
        return exact_int(value)
