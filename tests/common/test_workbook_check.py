"""The pieces of the workbook check, and the report's bound on problems: no database."""

import random
import re

import pytest

from vungcao.common import sealing
from vungcao.common.workbook_check import Extent, _at_most, _beyond, _letters_at_most, column_letters
from vungcao.engine.tabular import MAX_PROBLEMS, ValidationProblem, ValidationReport


@pytest.mark.parametrize("largest", [1, 5, 9, 10, 11, 99, 100, 101, 403_001, 500_000, 1_048_576])
def test_the_row_pattern_matches_exactly_the_numbers_up_to_the_largest(largest: int) -> None:
    pattern = re.compile(b"(?:" + _at_most(largest) + b")")
    numbers = [
        *range(1_200),
        largest - 1,
        largest,
        largest + 1,
        *random.Random(1).choices(range(1, 3 * largest + 2), k=500),
    ]
    for number in numbers:
        assert (pattern.fullmatch(str(number).encode()) is not None) == (1 <= number <= largest), number
    assert pattern.fullmatch(b"01") is None  # a leading zero is read the slow way


@pytest.mark.parametrize("largest", [1, 3, 26, 27, 30, 52, 256, 702, 703, 16_384])
def test_the_column_pattern_matches_exactly_the_columns_up_to_the_largest(largest: int) -> None:
    pattern = re.compile(b"(?:" + _letters_at_most(largest) + b")")
    for number in range(1, 18_000, 7):
        assert (pattern.fullmatch(column_letters(number).encode()) is not None) == (number <= largest)
    assert pattern.fullmatch(column_letters(largest).encode()) is not None


def test_a_cell_beyond_the_extent_is_found_and_none_within() -> None:
    beyond = _beyond(Extent(rows=100, columns=30))
    assert beyond.search(b'<c r="AD100" t="s"><v>1</v></c><c r="A1"><v>2</v></c>') is None
    assert beyond.search(b'<c r="AE1"><v>1</v></c>') is not None
    assert beyond.search(b'<c r="A101"><v>1</v></c>') is not None
    assert beyond.search(b'<c r="&#65;1"><v>1</v></c>') is not None


def test_column_letters() -> None:
    assert [column_letters(n) for n in (1, 26, 27, 52, 702, 703, 16_384)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "ZZ",
        "AAA",
        "XFD",
    ]


def test_a_report_keeps_the_first_problems_by_row_and_counts_them_all() -> None:
    report = ValidationReport()
    for row in range(5_000, 1, -1):  # added last row first
        report.add(row, "name", "x" * 500, "bad")
    kept = list(report)
    assert (len(report), len(kept), report.omitted, report.ok) == (4_999, MAX_PROBLEMS, 3_999, False)
    assert [problem.row for problem in kept] == list(range(2, 2 + MAX_PROBLEMS))
    assert kept[0].value == "x" * 199 + "…"
    assert len(report.problems) < 2 * MAX_PROBLEMS
    extended = ValidationReport()
    extended.extend([ValidationProblem(2, "name", "y" * 300, "bad")])
    assert [problem.value for problem in extended] == ["y" * 199 + "…"]


def test_a_seal_opens_only_for_its_purpose_record_and_key(settings) -> None:
    settings.IDENTITY_NUMBER_KEY = "k1"
    sealed = sealing.seal(b"079203001234", purpose="p", associated=b"batch 1")
    assert b"079203001234" not in sealed
    assert sealing.unseal(sealed, purpose="p", associated=b"batch 1") == b"079203001234"
    for purpose, associated in (("other", b"batch 1"), ("p", b"batch 2")):
        with pytest.raises(sealing.SealBrokenError):
            sealing.unseal(sealed, purpose=purpose, associated=associated)
    settings.IDENTITY_NUMBER_KEY = "k2"
    with pytest.raises(sealing.SealBrokenError):
        sealing.unseal(sealed, purpose="p", associated=b"batch 1")
