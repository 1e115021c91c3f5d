"""Codes a spreadsheet turned into numbers get their leading zeros back where the length is known."""

import pytest

from vungcao.engine import codes
from vungcao.engine.codes import CodeError


@pytest.mark.parametrize(
    ("shape", "text", "restored"),
    [
        (codes.COMMUNE, "6970", "06970"),
        (codes.COMMUNE, "06970", "06970"),
        (codes.COMMUNE, "6970.0", "06970"),
        (codes.PROVINCE, "1", "01"),
        (codes.DISTRICT, "12", "012"),
        (codes.ETHNIC_GROUP, "9", "09"),
        (codes.ETHNIC_GROUP, "Tày", "Tày"),  # a name, for the importer to look up
        (codes.UNIT, "6970", "06970"),
        (codes.UNIT, "22", "22"),
        (codes.UNIT, "1", "01"),
        (codes.VILLAGE, "6970-001", "06970-001"),
        (codes.HOUSEHOLD, "6970-001-0001", "06970-001-0001"),
        (codes.HOUSEHOLD, "H1", "H1"),
        (codes.IDENTITY_NUMBER, "22080001234", "022080001234"),
        (codes.IDENTITY_NUMBER, "1080001234", "001080001234"),
        (codes.IDENTITY_NUMBER, "12345678", "012345678"),
        (codes.IDENTITY_NUMBER, "", ""),
    ],
)
def test_dropped_zeros_are_put_back(shape: codes.CodeShape, text: str, restored: str) -> None:
    assert shape.restore(text) == restored


@pytest.mark.parametrize(
    ("shape", "text", "message"),
    [
        (codes.COMMUNE, "123456", "A commune code has 5 digits; this one has 6."),
        (codes.IDENTITY_NUMBER, "1234567", "An identity number has 9 or 12 digits; this one has 7."),
        (codes.IDENTITY_NUMBER, "1234567890123", "An identity number has 9 or 12 digits; this one has 13."),
        (codes.UNIT, "1234567", "An administrative unit code has 2 or 3 or 5 digits; this one has 7."),
    ],
)
def test_digits_that_cannot_be_the_code_are_refused_with_the_reason(
    shape: codes.CodeShape, text: str, message: str
) -> None:
    with pytest.raises(CodeError) as raised:
        shape.restore(text)
    assert raised.value.message("en") == message


def test_a_refused_identity_number_is_shown_masked() -> None:
    assert codes.IDENTITY_NUMBER.shown("1234567") == "•••••••••567"
    assert codes.COMMUNE.shown("123456") == "123456"
