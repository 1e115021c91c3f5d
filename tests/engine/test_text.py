"""Folding names for search."""

import pytest

from vungcao.engine.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Tỉnh Lào Cai", "tinh lao cai"),
        ("LÀO  CAI", "lao cai"),
        ("Đắk Lắk", "dak lak"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Xã Mường Phăng", "xa muong phang"),
    ],
)
def test_fold_removes_diacritics_case_and_extra_spaces(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_precomposed_and_decomposed_forms_fold_alike() -> None:
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Quảng Ninh")) == fold(
        unicodedata.normalize("NFC", "Quảng Ninh")
    )
