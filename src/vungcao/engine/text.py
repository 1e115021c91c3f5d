"""Text every user may read: labels in Vietnamese and English, numbers written as each language writes
them, and folding for search (Vietnamese names match with or without diacritics and in any case)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """``"Tỉnh Lào Cai"`` → ``"tinh lao cai"``: no diacritics, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    without_marks = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(without_marks.casefold().split())


@dataclass(frozen=True)
class Label:
    """A text every user may read, in Vietnamese and English."""

    vi: str
    en: str

    def in_language(self, language: str) -> str:
        return self.vi if language == "vi" else self.en

    def format(self, **values: object) -> Label:
        """This label as a template, with ``values`` filled in both languages (a value that is itself a
        label in its own language)."""
        return Label(*(self._filled(language, values) for language in ("vi", "en")))

    def _filled(self, language: str, values: dict[str, object]) -> str:
        local = {
            key: value.in_language(language) if isinstance(value, Label) else value
            for key, value in values.items()
        }
        return self.in_language(language).format(**local)


# Thousands separator and decimal mark: officials write 1.500.000 and 1,5; English readers 1,500,000 and 1.5.
SEPARATORS = {"vi": (".", ","), "en": (",", ".")}


def format_number(value: float | Decimal, language: str, places: int | None = None) -> str:
    """``1500000`` → ``"1.500.000"`` (vi) or ``"1,500,000"`` (en); ``2.5`` → ``"2,5"`` / ``"2.5"``: the
    thousands grouped in threes, at most six decimals, without trailing zeros; with ``places``, exactly
    that many decimals (``2`` → ``"2,0"`` with one place), so the figures of a column line up."""
    thousands, decimal_mark = SEPARATORS["en" if language == "en" else "vi"]
    if places is not None:
        text = f"{value:.{places}f}"
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value) if isinstance(value, int) else f"{value:f}"
    whole, _point, fraction = text.partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = [digits[max(0, end - 3) : end] for end in range(len(digits), 0, -3)][::-1]
    return sign + thousands.join(groups) + (decimal_mark + fraction if fraction else "")


def format_percent(value: float | Decimal, language: str, places: int = 1) -> str:
    """A rate already in per cent, with ``places`` decimals: ``12.5`` → ``"12,5%"`` (vi), ``"12.5%"`` (en);
    ``2`` → ``"2,0%"``, so a column of rates lines up."""
    return format_number(value, language, places) + "%"


ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
    (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(number: int) -> str:
    """``number`` (1 or more) in Roman numerals, as reports number their sections: 4 → "IV", 21 → "XXI"."""
    written = []
    for value, numeral in ROMAN:
        count, number = divmod(number, value)
        written.append(numeral * count)
    return "".join(written)
