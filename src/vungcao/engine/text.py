"""Text every user may read: labels in Vietnamese and English, and folding for search (Vietnamese
names match with or without diacritics and in any case)."""

import unicodedata
from dataclasses import dataclass

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
