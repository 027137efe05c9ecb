"""Numbers as people read them: 85,3 % and 1.234.567 in Vietnamese, 85.3% and 1,234,567 in English."""

from __future__ import annotations

from fractions import Fraction

# A cell value or parameter as it can appear in JSON (qbplan.model.findings.Scalar).
Scalar = str | int | float | bool | None


def format_percent(rate: Fraction | None, lang: str = "vi", digits: int = 1) -> str:
    """85,3 % in Vietnamese, 85.3% in English; rounded *down* so a rate just
    below a target never displays as the target itself."""
    if rate is None:
        return "—"
    scale = 10**digits
    tenths = (rate.numerator * 100 * scale) // rate.denominator
    whole, frac = divmod(tenths, scale)
    text = f"{whole}" if digits == 0 else f"{whole}{',' if lang == 'vi' else '.'}{frac:0{digits}d}"
    return text + _percent_sign(lang)


def _percent_sign(lang: str) -> str:
    return " %" if lang == "vi" else "%"


def format_percent_range(low: Fraction, high: Fraction, lang: str = "vi", digits: int = 1) -> str:
    """Two rates as one range, the sign once: "92,8–100,0 %", "92.8–100.0%"."""
    first = format_percent(low, lang, digits=digits).removesuffix(_percent_sign(lang))
    return f"{first}–{format_percent(high, lang, digits=digits)}"


def format_int(value: int, lang: str = "vi") -> str:
    """1.234.567 in Vietnamese, 1,234,567 in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def display_value(value: Scalar, lang: str = "vi") -> str:
    """A cell value as people read it: 14 not 14.0; 1.250,5 in Vietnamese, 1,250.5 in English."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows a logical cell
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return format_int(value, lang)
    if isinstance(value, float):
        return _decimal(value, lang)
    return "" if value is None else str(value)


def _decimal(value: float, lang: str) -> str:
    whole, _, decimals = repr(abs(value)).partition(".")
    if "e" in repr(value) or not whole.isdigit():
        return repr(value)  # 1e-07, inf: as Python writes it
    sign = "-" if value < 0 else ""
    point = "," if lang == "vi" else "."
    return f"{sign}{format_int(int(whole), lang)}{point}{decimals}"


def format_decimal(value: Fraction, lang: str = "vi", digits: int = 2) -> str:
    """An exact value shown to ``digits`` decimals, half away from zero: 7,25 in Vietnamese, 7.25 in English.

    Points and indices are exact fractions; this is the only place they are rounded.
    """
    scaled = rounded(value, digits)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**digits)
    if digits == 0:
        return f"{sign}{format_int(whole, lang)}"
    return f"{sign}{format_int(whole, lang)}{',' if lang == 'vi' else '.'}{frac:0{digits}d}"


def rounded(value: Fraction, digits: int) -> int:
    """``value × 10**digits`` rounded half away from zero, as an int (the decimal digits of the display)."""
    # Integers only: floor((2·|n|·10^digits + d) / 2d) is |n/d|·10^digits rounded half up.
    n: int = abs(value.numerator) * 10**digits
    d: int = value.denominator
    whole = (2 * n + d) // (2 * d)
    return whole if value >= 0 else -whole


def exact_text(value: Fraction | None) -> str | None:
    """An exact value as machine formats give it, ``"n/d"`` in lowest terms; None stays None."""
    return None if value is None else f"{value.numerator}/{value.denominator}"


def rounded_number(value: Fraction, digits: int) -> float:
    """``value`` rounded half away from zero to ``digits`` decimals, as a number cell or JSON number holds it."""
    return float(rounded(value, digits) / 10**digits)
