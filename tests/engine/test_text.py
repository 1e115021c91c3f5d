"""Folding names for search; numbers as each language writes them."""

import pytest

from vungcao.engine.text import Label, fold, format_number, roman


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


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (0, "0", "0"),
        (999, "999", "999"),
        (1_500_000, "1.500.000", "1,500,000"),
        (10**15, "1.000.000.000.000.000", "1,000,000,000,000,000"),
        (1e16, "10.000.000.000.000.000", "10,000,000,000,000,000"),
        (2.5, "2,5", "2.5"),
        (-1234.5, "-1.234,5", "-1,234.5"),
    ],
)
def test_numbers_are_written_as_each_language_writes_them(value: float, vi: str, en: str) -> None:
    assert (format_number(value, "vi"), format_number(value, "en")) == (vi, en)


def test_a_label_is_a_template_filled_in_both_languages_with_labels_in_their_own() -> None:
    template = Label("{part}: thiếu {count} xã", "{part}: {count} communes missing")

    filled = template.format(part=Label("Số hộ nghèo", "Poor households"), count=3)

    assert filled == Label("Số hộ nghèo: thiếu 3 xã", "Poor households: 3 communes missing")


def test_sections_are_numbered_in_roman_numerals() -> None:
    assert [roman(number) for number in (1, 2, 4, 9, 14, 21, 40, 73, 1999)] == [
        "I",
        "II",
        "IV",
        "IX",
        "XIV",
        "XXI",
        "XL",
        "LXXIII",
        "MCMXCIX",
    ]
