"""Folding for matching headers and values."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from qbplan.textnorm import clean, fold


def test_fold_examples() -> None:
    assert fold("Cơ quan, đơn vị") == fold("CO QUAN,  DON VI") == fold("co quan,\nđơn vị")
    assert fold("Đồng Hới") == "dong hoi"
    assert clean("\u00a01\u202f234 ") == "1 234"


@given(st.text())
def test_fold_is_idempotent_and_form_independent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))
