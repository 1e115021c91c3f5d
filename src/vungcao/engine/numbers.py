"""Numbers as Vietnamese officials write them, read exactly or refused with how to write them: the one
parser every import, form and answer check uses (``engine.text.format_number`` writes them back, and
`format_unambiguous_number` so that they read back the same).

Rules, for a reader of language ``"vi"`` (the default; ``"en"`` swaps the roles of dot and comma in rule 3):

1. Digits are the ASCII digits 0–9; a leading ``-`` (or ``−``) is a minus sign, refused unless the field
   allows negative numbers. No exponent (``1e308``), no ``NaN`` or ``inf``, no formula.
2. Spaces (also the non-breaking ones a spreadsheet writes) separate groups of three digits:
   ``"1 200 000"``.
3. A dot separates thousands and a comma is the decimal mark: ``"1.500.000"``, ``"1,5"``, ``"1.500,75"``.
   Where a number holds both marks the last one is the decimal mark, whatever the language
   (``"1,500.5"`` is one thousand five hundred and a half). A mark written more than once can only
   separate thousands (``"1,500,000"``). A single mark followed by other than three digits can only be a
   decimal mark (``"1.5"``, as a spreadsheet writes a number cell, is one and a half).
   Only a single mark followed by exactly three digits is read both ways by the two conventions:
   ``"1.500"`` is 1500 (the Vietnamese way), and ``"1,500"`` is refused as ambiguous (1,5 in Vietnamese,
   1500 in English) with a message saying to write ``1.500`` or ``1,5``.
4. Amounts (``amount=True``) may end with a currency word (``đ``, ``đồng``, ``VND``) and be written with
   units from the largest down, each once: ``"1,5 tỷ"``, ``"250 triệu"``, ``"2tr"``, ``"500 nghìn"``,
   ``"500k"``, ``"1 tỷ 250 triệu"``, ``"2 tỷ 500"`` (a trailing bare number is in dong).
5. A whole number (``whole=True``: counts, years, dong) refuses decimals (``"1,5"``) but reads a
   spreadsheet's ``"1500000.0"``; other numbers keep at most ``decimals`` decimal digits.
6. At most :data:`MOST_DIGITS` digits are read (a 10,000-digit text is refused before conversion), and
   the value is at most ``maximum``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext

from vungcao.engine.text import SEPARATORS, Label, fold, format_number

MOST_DIGITS = 40
"""Digits read at most: far more than any real number (10¹⁵ dong has 16), with room for written zeros."""
MOST_CHARACTERS = 120
DEFAULT_MAXIMUM = 10**15
"""The largest number read unless a field says otherwise (the bound of one amount of money)."""

EMPTY = Label("Ô này trống.", "The value is empty.")
NOT_A_NUMBER = Label(
    "Không phải là số; ghi bằng chữ số, ví dụ 1500000, 1.500.000 hoặc 1,5.",
    "Not a number; write it in digits, for example 1500000, 1.500.000 or 1,5.",
)
NOT_AN_AMOUNT = Label(
    "Không phải là số tiền; ghi 1500000, 1.500.000, 1,5 triệu, 2tr hoặc 500 nghìn.",
    "Not an amount; write 1500000, 1.500.000, 1,5 triệu, 2tr or 500 nghìn.",
)
AMBIGUOUS = Label(
    "Không rõ nghĩa: dấu phẩy là dấu thập phân và dấu chấm phân cách hàng nghìn; "
    "ghi 1.500 cho một nghìn năm trăm, hoặc 1,5 cho một phẩy năm.",
    "Ambiguous: in Vietnamese a comma is the decimal mark and a dot separates thousands; "
    "write 1.500 for one thousand five hundred, or 1,5 for one and a half.",
)
AMBIGUOUS_EN = Label(
    "Không rõ nghĩa: ghi 1,500 cho một nghìn năm trăm, hoặc 1.5 cho một phẩy năm.",
    "Ambiguous: write 1,500 for one thousand five hundred, or 1.5 for one and a half.",
)
BAD_GROUPS = Label(
    "Các nhóm chữ số không đúng: mỗi nhóm sau dấu phân cách hàng nghìn có ba chữ số, ví dụ 1.500.000.",
    "The digit groups are wrong: each group after a thousands separator has three digits, e.g. 1,500,000.",
)
NOT_WHOLE = Label("Phải là số nguyên (không có phần thập phân).", "Must be a whole number (no decimals).")
NOT_WHOLE_DONG = Label("Số tiền phải là số đồng nguyên.", "The amount must be a whole number of dong.")
TOO_MANY_DECIMALS = Label("Nhiều hơn {decimals} chữ số thập phân.", "More than {decimals} decimal digits.")
NEGATIVE = Label("Không được là số âm.", "Cannot be negative.")
TOO_LARGE = Label("Lớn hơn mức tối đa {maximum}.", "More than the maximum of {maximum}.")
TOO_LONG = Label(
    "Quá dài: một số có nhiều nhất {digits} chữ số.", "Too long: a number has at most {digits} digits."
)
UNITS_OUT_OF_ORDER = Label(
    "Ghi các đơn vị từ lớn đến nhỏ, mỗi đơn vị một lần: 1 tỷ 250 triệu.",
    "Write the units from the largest down, each once: 1 tỷ 250 triệu.",
)


class NumberError(ValueError):
    """A number refused: ``code`` names the rule (``"empty"``, ``"not_a_number"``, ``"ambiguous"``,
    ``"groups"``, ``"not_whole"``, ``"decimals"``, ``"negative"``, ``"too_large"``, ``"units"``) and
    ``reason`` says it in both languages."""

    def __init__(self, text: str, code: str, reason: Label) -> None:
        super().__init__(f"{text[:MOST_CHARACTERS]!r}: {reason.en}")
        self.text = text
        self.code = code
        self.reason = reason

    def message(self, language: str) -> str:
        return self.reason.in_language(language)


UNIT_WORDS = {
    "ty": 10**9,
    "ti": 10**9,
    "trieu": 10**6,
    "tr": 10**6,
    "nghin": 10**3,
    "ngan": 10**3,
    "k": 10**3,
}
"""Units of amounts, folded (``tỷ``, ``tỉ``, ``triệu``, ``nghìn``, ``ngàn`` without diacritics)."""
CURRENCY_WORDS = ("dong", "vnd", "d")
"""Currency words an amount may end with, folded (``đồng``, ``VNĐ``, ``đ``)."""

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_PLAIN = re.compile(r"[0-9]+")
_WRITTEN = re.compile(r"[0-9][0-9., ]*")
_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:(?P<mark>[., ])[0-9]{3})(?:(?P=mark)[0-9]{3})*")
_UNIT_PART = re.compile(
    r"([0-9][0-9., ]*?) ?(" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + r")(?![a-z])"
)


@dataclass(frozen=True)
class _Reading:
    original: str
    language: str
    amount: bool

    def refuse(self, code: str, reason: Label) -> NumberError:
        return NumberError(self.original, code, reason)

    def not_a_number(self) -> NumberError:
        return self.refuse("not_a_number", NOT_AN_AMOUNT if self.amount else NOT_A_NUMBER)


def parse_number(
    value: object,
    *,
    whole: bool = False,
    amount: bool = False,
    negative: bool = False,
    decimals: int = 6,
    maximum: int | Decimal | None = DEFAULT_MAXIMUM,
    language: str = "vi",
) -> Decimal:
    """The number ``value`` stands for, exactly, by the rules of the module; :class:`NumberError` with
    the reason otherwise. ``value`` is a cell's or a field's text, or a number a typed cell holds."""
    reading = _Reading(_as_text(value), language, amount)
    with localcontext() as context:
        context.prec = 2 * MOST_DIGITS  # exact for every number read: no rounding at 28 digits
        number = _read(value, reading)
    if number < 0 and not negative:
        raise reading.refuse("negative", NEGATIVE)
    if maximum is not None and abs(number) > maximum:
        shown = format_number(int(maximum), language)
        raise reading.refuse(
            "too_large", Label(TOO_LARGE.vi.format(maximum=shown), TOO_LARGE.en.format(maximum=shown))
        )
    if number != number.to_integral_value():
        if whole:
            raise reading.refuse("not_whole", NOT_WHOLE_DONG if amount else NOT_WHOLE)
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimals:
            reason = Label(
                TOO_MANY_DECIMALS.vi.format(decimals=decimals), TOO_MANY_DECIMALS.en.format(decimals=decimals)
            )
            raise reading.refuse("decimals", reason)
    elif whole:
        return number.to_integral_value()
    return number


def parse_integer(
    value: object, *, negative: bool = False, maximum: int | None = DEFAULT_MAXIMUM, language: str = "vi"
) -> int:
    """A whole number (a count, a year): ``"1.500"``, ``"1 500"``, ``"1500.0"`` are 1500."""
    return int(parse_number(value, whole=True, negative=negative, maximum=maximum, language=language))


def parse_vnd(value: object, *, maximum: int | None = DEFAULT_MAXIMUM, language: str = "vi") -> int:
    """Whole dong, with units and currency words: ``"1,5 triệu"`` is 1500000."""
    return int(parse_number(value, whole=True, amount=True, maximum=maximum, language=language))


def format_unambiguous_number(value: float | Decimal, language: str) -> str:
    """``value`` written as `format_number` writes it for a reader of ``language``, so that
    `parse_number` reads it back as the same value (when it has at most six decimals): three decimals
    after a single mark would be read as grouped thousands or refused as ambiguous (rule 3: ``32,125``),
    so they get a fourth zero (``32,1250``)."""
    text = format_number(value, language)
    _thousands, decimal_mark = SEPARATORS["en" if language == "en" else "vi"]
    _whole, mark, fraction = text.rpartition(decimal_mark)
    return text + "0" if mark and len(fraction) == 3 else text


def _read(value: object, reading: _Reading) -> Decimal:
    if isinstance(value, bool):
        raise reading.not_a_number()
    if isinstance(value, int):
        if value.bit_length() > MOST_DIGITS * 10 // 3:  # more than MOST_DIGITS digits: not even written out
            raise reading.refuse("too_large", _too_large_digits())
        return Decimal(value)
    if isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise reading.not_a_number()
        return number
    if len(reading.original) > MOST_CHARACTERS:
        if sum(character.isdigit() for character in reading.original) > MOST_DIGITS:
            raise reading.refuse("too_large", _too_large_digits())
        raise reading.not_a_number()
    text = _SPACES.sub(" ", fold(reading.original))
    if not text:
        raise reading.refuse("empty", EMPTY)
    sign = 1
    if text[0] in "-−+":
        sign = -1 if text[0] != "+" else 1
        text = text[1:].lstrip()
    if sum(character.isdigit() for character in text) > MOST_DIGITS:
        raise reading.refuse("too_large", _too_large_digits())
    if reading.amount:
        text = _without_currency(text)
    if _PLAIN.fullmatch(text):  # the usual case: digits only
        return sign * Decimal(text)
    if _WRITTEN.fullmatch(text):
        return sign * _written(text, reading)
    if reading.amount:
        return sign * _with_units(text, reading)
    raise reading.not_a_number()


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and value.bit_length() > 4 * MOST_DIGITS:
        return "…"  # Python refuses to write out an integer of more than 4,300 digits
    return str(value)


def _too_large_digits() -> Label:
    return Label(TOO_LONG.vi.format(digits=MOST_DIGITS), TOO_LONG.en.format(digits=MOST_DIGITS))


def _without_currency(text: str) -> str:
    for word in CURRENCY_WORDS:
        if text.endswith(word) and (len(text) == len(word) or not text[-len(word) - 1].isalpha()):
            return text[: -len(word)].rstrip()
    return text


def _written(text: str, reading: _Reading) -> Decimal:
    """Digits with spaces, dots and commas, by rules 2 and 3."""
    text = text.strip()
    marks = [position for position, character in enumerate(text) if character in ".,"]
    kinds = {text[position] for position in marks}
    whole, fraction = text, ""
    if len(kinds) == 2:
        # The last mark is the decimal mark; the other one separates thousands.
        last = marks[-1]
        if text.count(text[last]) > 1:
            raise reading.refuse("groups", BAD_GROUPS)
        whole, fraction = text[:last], text[last + 1 :]
    elif len(kinds) == 1:
        mark = kinds.pop()
        after = text[marks[0] + 1 :]
        if len(marks) == 1 and not _GROUPS.fullmatch(text.replace(" ", mark)):
            if not after:
                raise reading.not_a_number()
            whole, fraction = text[: marks[0]], after  # not thousands: a decimal mark
        elif len(marks) == 1:
            group_mark, _decimal_mark = SEPARATORS["en" if reading.language == "en" else "vi"]
            if mark != group_mark:
                raise reading.refuse("ambiguous", AMBIGUOUS_EN if reading.language == "en" else AMBIGUOUS)
    if not fraction.isdigit() and fraction:
        raise reading.refuse("groups", BAD_GROUPS)
    if whole != whole.strip() or (whole and not _PLAIN.fullmatch(whole) and not _GROUPS.fullmatch(whole)):
        raise reading.refuse("groups", BAD_GROUPS)
    digits = re.sub(r"[., ]", "", whole)
    if not digits:
        raise reading.not_a_number()
    return Decimal(f"{digits}.{fraction}" if fraction else digits)


def _with_units(text: str, reading: _Reading) -> Decimal:
    """``"1 tỷ 250 triệu 500"``: numbers each followed by a unit, from the largest down."""
    total = Decimal(0)
    position = 0
    previous: int | None = None
    for match in _UNIT_PART.finditer(text):
        if text[position : match.start()].strip():
            raise reading.not_a_number()
        multiplier = UNIT_WORDS[match.group(2)]
        if previous is not None and multiplier >= previous:
            raise reading.refuse("units", UNITS_OUT_OF_ORDER)
        previous = multiplier
        number = match.group(1).strip()
        total += (Decimal(number) if _PLAIN.fullmatch(number) else _written(number, reading)) * multiplier
        position = match.end()
    if previous is None:
        raise reading.not_a_number()
    rest = text[position:].strip()
    if rest:
        if not _WRITTEN.fullmatch(rest):
            raise reading.not_a_number()
        total += _written(rest, reading)
    return total
