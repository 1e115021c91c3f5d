"""Official codes and identity numbers as a spreadsheet may have changed them: leading zeros restored
where the code's length is known, or the code refused with the reason.

Excel reads ``06970`` typed in a cell not formatted as text as the number 6970, and an identity number
``022080001234`` as 22080001234. Codes of the General Statistics Office have fixed lengths (province 2
digits, district 3, commune 5, ethnic group 2; Decision 124/2004/QĐ-TTg and 121-TCTK/PPCĐ), village and
household codes begin with their commune's code (``06970-001``, ``06970-001-0001``), and a personal
identity number has 12 digits (an old identity card 9): so a number one or more zeros short of such a
length is the code with its zeros dropped. Only digits are padded; a code with letters is left as
written for the importer to look up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter

from vungcao.engine.text import Label

WRONG_LENGTH = Label(
    "{kind} có {lengths} chữ số; ô này có {digits}.", "{kind} has {lengths} digits; this one has {digits}."
)


MASK = "•••••••••"
"""What stands for the hidden digits of a personal number (as ``registry.identity`` masks it)."""


class CodeError(ValueError):
    def __init__(self, text: str, reason: Label) -> None:
        super().__init__(f"{text[:40]!r}: {reason.en}")
        self.text = text
        self.reason = reason

    def message(self, language: str) -> str:
        return self.reason.in_language(language)


@dataclass(frozen=True)
class CodeShape:
    """The digits a kind of code has: its allowed ``lengths`` (a shorter number of digits is padded with
    zeros to the shortest allowed length above it, ``restores`` saying from how short), and whether it
    is the start of a longer code joined by ``-`` (``prefixed``: a village or household code)."""

    kind: Label
    lengths: tuple[int, ...]
    shortest_restored: int = 1
    prefixed: bool = False
    # Personal data (an identity number): a problem shows only its last three digits.
    personal: bool = False

    def shown(self, text: str) -> str:
        """``text`` as a problem about it may show it."""
        return MASK + text.strip()[-3:] if self.personal else text

    def all_whole(self, texts: list[str]) -> bool:
        """Whether every text is empty or this code written in full: a whole column checked by a few
        passes in C (a file of 400,000 members holds 1.6 million codes), so that only a column holding a
        shortened code is restored cell by cell."""
        if self.prefixed:
            length = self.lengths[0]
            heads = "".join(map(itemgetter(slice(0, length)), texts))
            dashes = list(map(itemgetter(slice(length, length + 1)), texts))
            whole = dashes.count("-") + texts.count("") == len(texts)
        else:
            heads = "".join(texts)
            whole = set(map(len, texts)) <= {0, *self.lengths}
        return whole and (not heads or (heads.isdigit() and heads.isascii()))

    def restore(self, text: str) -> str:
        """``text`` with the zeros a spreadsheet dropped put back; :class:`CodeError` when its digits
        cannot be this code. An empty text stays empty."""
        text = text.strip()
        if not text:
            return text
        if self.prefixed:
            head, dash, rest = text.partition("-")
            if dash and head.isascii() and head.isdigit():
                return self._padded(head, text) + dash + rest
            return text
        if not (text.isascii() and text.isdigit()):
            if re.fullmatch(r"[0-9]+\.0+", text):  # a number cell read as text: "6970.0"
                return self._padded(text.partition(".")[0], text)
            return text
        return self._padded(text, text)

    def _padded(self, digits: str, text: str) -> str:
        if len(digits) in self.lengths:
            return digits
        longer = [length for length in self.lengths if length > len(digits)]
        if longer and len(digits) >= self.shortest_restored and len(digits) >= min(longer) - 3:
            return digits.zfill(min(longer))
        raise CodeError(text, self._wrong_length(len(digits)))

    def _wrong_length(self, digits: int) -> Label:
        return Label(
            WRONG_LENGTH.vi.format(
                kind=self.kind.vi, lengths=" hoặc ".join(map(str, self.lengths)), digits=digits
            ),
            WRONG_LENGTH.en.format(
                kind=self.kind.en, lengths=" or ".join(map(str, self.lengths)), digits=digits
            ),
        )


PROVINCE = CodeShape(Label("Mã tỉnh", "A province code"), (2,))
DISTRICT = CodeShape(Label("Mã huyện", "A district code"), (3,))
COMMUNE = CodeShape(Label("Mã xã", "A commune code"), (5,))
UNIT = CodeShape(Label("Mã đơn vị hành chính", "An administrative unit code"), (2, 3, 5), prefixed=False)
"""A unit of any level: 1 digit is a province (``1`` → ``01``), 4 a commune (``6970`` → ``06970``)."""
VILLAGE = CodeShape(Label("Mã thôn", "A village code"), (5,), prefixed=True)
HOUSEHOLD = CodeShape(Label("Mã hộ", "A household code"), (5,), prefixed=True)
ETHNIC_GROUP = CodeShape(Label("Mã dân tộc", "An ethnic group code"), (2,))
IDENTITY_NUMBER = CodeShape(
    Label("Số định danh cá nhân", "An identity number"), (9, 12), shortest_restored=8, personal=True
)
"""An identity number: 11 digits are a 12-digit number (province code 001–096 first) with its zero
dropped, 8 digits an old 9-digit card's; fewer are refused."""
