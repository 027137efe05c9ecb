"""Folding for matching headers and values."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from qbplan.textnorm import clean, fold, strip_diacritics


def test_fold_examples() -> None:
    assert fold("Cơ quan, đơn vị") == fold("CO QUAN,  DON VI") == fold("co quan,\nđơn vị")
    assert fold("Đồng Hới") == "dong hoi"
    assert clean("\u00a01\u202f234 ") == "1 234"


@given(st.text())
def test_fold_is_idempotent_and_form_independent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


def test_place_names_match_with_or_without_their_unit_word() -> None:
    from qbplan.textnorm import canonical_names, place_key

    same = ["Thành phố Đồng Hới", "TP Đồng Hới", "tp. dong hoi", "Đồng Hới", "THÀNH PHỐ ĐỒNG HỚI"]
    assert {place_key(name) for name in same} == {"dong hoi"}
    assert place_key("H. Lệ Thủy") == place_key("Huyện Lệ Thủy") != place_key("Huyện Quảng Ninh")
    names = canonical_names(["TX Ba Đồn", None, "Thị xã Ba Đồn", "Ba Đồn", "Huyện Minh Hóa"])
    assert names == {
        "TX Ba Đồn": "TX Ba Đồn",
        None: None,
        "Thị xã Ba Đồn": "TX Ba Đồn",
        "Ba Đồn": "TX Ba Đồn",
        "Huyện Minh Hóa": "Huyện Minh Hóa",
    }


def test_different_unit_words_keep_places_apart() -> None:
    from qbplan.textnorm import canonical_names

    # Since 2025 communes reuse the names of old districts: a town and a ward are two places.
    names = canonical_names(["Thị xã Ba Đồn", "Phường Ba Đồn", "TX Ba Đồn", "Ba Đồn", "Xã Hòa Bình", "Phường Hòa Bình"])
    assert names["TX Ba Đồn"] == names["Ba Đồn"] == "Thị xã Ba Đồn"
    assert names["Phường Ba Đồn"] == "Phường Ba Đồn" and names["Phường Hòa Bình"] != names["Xã Hòa Bình"]
    assert canonical_names(["Đặc khu Cồn Cỏ", "Cồn Cỏ"])["Cồn Cỏ"] == "Đặc khu Cồn Cỏ"


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_folds_as_the_full_path_does(text: str) -> None:
    assert fold(text) == strip_diacritics(clean(text)).casefold()


_VOWELS = "aăâeêioôơuưy"
_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"


@given(st.lists(st.tuples(st.text(_VOWELS, min_size=2, max_size=3), st.sampled_from(_TONE_MARKS)), min_size=1))
def test_a_tone_mark_counts_wherever_it_sits_and_whichever_form(words: list[tuple[str, str]]) -> None:
    from qbplan.textnorm import name_key

    def written(on: int) -> str:
        # Each word with its tone on its first or its last vowel: old and new style.
        parts = []
        for vowels, tone in words:
            at = 0 if on == 0 else len(vowels) - 1
            parts.append("h" + vowels[: at + 1] + tone + vowels[at + 1 :])
        return unicodedata.normalize("NFC", " ".join(parts))

    assert name_key(written(0)) == name_key(written(1)) == name_key(unicodedata.normalize("NFD", written(1)))
    # Another tone on the first word is another name.
    other = "\u0300" if words[0][1] == "\u0301" else "\u0301"
    changed = " ".join("h" + v + t for v, t in [(words[0][0], other), *words[1:]])
    assert name_key(written(0)) != name_key(changed)


def test_groups_keep_tones_apart_and_an_undiacritised_spelling_joins_its_one_place() -> None:
    from qbplan.textnorm import canonical_names

    names = canonical_names(["Xã Quảng Hòa", "Xã Quảng Hóa", "Xã Quảng Hoà", "Quang Hoa", "Dong Hoi", "TP Đồng Hới"])
    assert names["Xã Quảng Hòa"] != names["Xã Quảng Hóa"]  # two communes
    assert names["Xã Quảng Hoà"] == names["Xã Quảng Hòa"]  # one, its tone typed on another vowel
    assert names["Quang Hoa"] == "Quang Hoa"  # could be either: kept apart, never guessed
    assert names["Dong Hoi"] == names["TP Đồng Hới"]  # the one place it can be, named as first written
