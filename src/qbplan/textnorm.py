"""Text folding used to match sheet names, headers and typed-in values.

Submissions are typed by hand on many machines: the same header can arrive in
NFC or NFD, with or without diacritics, with line breaks from Alt+Enter, or in
capitals. ``fold`` maps all of those spellings to one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE_RE = re.compile(r"\s+")
# Characters Excel users type as spaces: NBSP, narrow NBSP, thin space, BOM.
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\ufeff": ""})


def clean(text: str) -> str:
    """NFC-normalise, turn odd spaces into spaces, collapse runs, strip."""
    text = unicodedata.normalize("NFC", text.translate(_ODD_SPACES))
    return _SPACE_RE.sub(" ", text).strip()


# What XML 1.0 (an .xlsx cell) cannot hold: C0 controls but tab and newlines, two non-characters, lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def not_xml(text: str) -> bool:
    """Whether ``text`` holds a character no XML 1.0 document (an .xlsx cell) can store."""
    return _NOT_XML.search(text) is not None


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics: "Cơ quan, đơn vị" -> "Co quan, don vi"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


# Folded spellings of yes and no in a yes/no cell: Có/Không with or without
# diacritics, x, TRUE/FALSE, 1/0, Đạt/Chưa. One list for the validator and for
# the layout reader, which must tell a data row from a caption the same way.
YES = frozenset({"co", "x", "true", "1", "yes", "y", "dat"})
NO = frozenset({"khong", "false", "0", "no", "n", "chua"})


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-, space- and diacritic-insensitive key for matching.

    Cached: a sheet repeats the same few values (Có, Không, enum labels)
    thousands of times, and folding is the hottest per-cell step.
    """
    if text.isascii():
        # No diacritics, no odd spaces, nothing to normalise: the same key, several times faster
        # (unit codes are ASCII and mostly distinct, so the cache does not help them).
        return " ".join(text.split()).lower()
    return strip_diacritics(clean(text)).casefold()


# The five Vietnamese tone marks (huyền, sắc, hỏi, ngã, nặng) as combining characters.
_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")


@lru_cache(maxsize=1 << 14)
def name_key(text: str) -> str:
    """Key of a name where tone marks count but not where they sit: "Hòa" = "Hoà" ≠ "Hóa" ≠ "Hoa".

    Case, spaces and Unicode forms are folded as in :func:`fold`. Each word's
    tone mark is taken off the vowel it was typed on (old style "hoà", new
    style "hòa") and written after the word; the vowel marks (â, ă, ơ, ư, đ)
    stay. A name typed without diacritics is a different spelling: the register
    check says so rather than take "Hoa" for "Hòa" or "Hóa".
    """
    words = []
    for word in clean(text).casefold().split(" "):
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(sorted(ch for ch in decomposed if ch in _TONES))
        bare = "".join(ch for ch in decomposed if ch not in _TONES)
        words.append(unicodedata.normalize("NFC", bare) + tones)
    return " ".join(words)


def place_name_key(text: str) -> str:
    """:func:`name_key` of a place name without the unit word in front ("TP. Đồng Hới" -> "đồng hới")."""
    cleaned = clean(text)
    match = _UNIT_PREFIX.match(fold(cleaned))
    if match:
        # fold keeps the words: the prefix is as many words of the name as it has.
        cleaned = " ".join(cleaned.split(" ")[len(match.group(0).split()) :])
    return name_key(cleaned)


# Administrative unit words written before a place name, in full or short:
# "Thành phố Đồng Hới", "TP. Đồng Hới", "TP Đồng Hới" and "Đồng Hới" are one district.
_UNITS = {
    "thanh pho": "thanh pho",
    "tp": "thanh pho",
    "thi xa": "thi xa",
    "tx": "thi xa",
    "thi tran": "thi tran",
    "tt": "thi tran",
    "huyen": "huyen",
    "h": "huyen",
    "quan": "quan",
    "q": "quan",
    "phuong": "phuong",
    "p": "phuong",
    "xa": "xa",
    "x": "xa",
    "dac khu": "dac khu",
}
_UNIT_PREFIX = re.compile(r"^(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\.?\s+")


def place_key(text: str) -> str:
    """Matching key of a place name: folded, without the unit word in front."""
    return _UNIT_PREFIX.sub("", fold(text), count=1).strip()


def place_unit(text: str) -> str | None:
    """The unit word a place name is written with ("thi xa" for "TX Ba Đồn"), or None."""
    match = _UNIT_PREFIX.match(fold(text))
    return _UNITS[match.group(1)] if match else None


def canonical_names(values: list[object]) -> dict[object, object]:
    """Each text value -> the first spelling seen of the same place (see place_key).

    "TP Đồng Hới", "Thành phố Đồng Hới" and "Đồng Hới" are one place; "Thị xã
    Ba Đồn" and "Phường Ba Đồn" are two, since 2025 communes reuse the names of
    old districts: different unit words keep places apart. Tones count: "Xã
    Quảng Hòa" and "Xã Quảng Hóa" are two communes; a spelling without any
    diacritics ("Quang Hoa") joins the one place it can be, and stays apart
    when it could be either. A bare name joins the first place of that name.
    Non-text values (None for a blank) map to themselves.
    """
    keys = _place_keys(values)
    places: dict[str, list[list[object]]] = {}  # place key -> [[unit, first spelling], ...]
    out: dict[object, object] = {}
    for value in values:
        if value in out:
            continue
        if not isinstance(value, str):
            out[value] = value
            continue
        entries = places.setdefault(keys[value], [])
        out[value] = _place(entries, place_unit(value), value)
    return out


def _place_keys(values: list[object]) -> dict[str, str]:
    """Each text value's place key: tone-aware, an undiacritised spelling on the one place it can be."""
    toned: dict[str, set[str]] = {}  # folded key -> the tone-aware keys of the spellings that fold to it
    for value in values:
        if isinstance(value, str) and not value.isascii():
            toned.setdefault(place_key(value) or fold(value), set()).add(place_name_key(value) or name_key(value))
    keys: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str) or value in keys:
            continue
        if not value.isascii():
            keys[value] = place_name_key(value) or name_key(value)
            continue
        folded = place_key(value) or fold(value)
        candidates = toned.get(folded, set())
        keys[value] = next(iter(candidates)) if len(candidates) == 1 else folded
    return keys


def kept_apart(values: list[object]) -> list[list[str]]:
    """Places that share a name but not a unit word ("Thị xã Ba Đồn", "Phường Ba Đồn"): kept as separate groups."""
    names = canonical_names(values)
    keys = _place_keys(values)
    by_key: dict[str, set[str]] = {}
    for value, name in names.items():
        if isinstance(value, str) and isinstance(name, str):
            by_key.setdefault(keys[value], set()).add(name)
    return [sorted(group) for group in by_key.values() if len(group) > 1]


def _place(entries: list[list[object]], unit: str | None, value: str) -> object:
    for entry in entries:
        if unit is None or entry[0] == unit:
            return entry[1]
    for entry in entries:
        if entry[0] is None:  # a bare name seen first: this spelling gives it its unit
            entry[0] = unit
            return entry[1]
    entries.append([unit, value])
    return value
