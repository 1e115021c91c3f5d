"""What an officer typed comes back as text in every spreadsheet: never a formula, never a broken file."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tests.common.hostile import CONTROLS, CONTROLS_KEPT, FORMULAS, LONG, formula_free_texts
from vungcao.common.spreadsheets import EXCEL_CELL_CHARACTERS, cell_text, csv_value, sheet_row

# What each hostile text reads back as: the same, but a carriage return is a line feed in a cell.
READ_BACK = [text.replace("\r", "\n") for text in FORMULAS]


def saved(rows: list[list[object]], *, write_only: bool) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Hộ")
    for row in rows:
        sheet.append(sheet_row(sheet, row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@pytest.mark.parametrize("write_only", [True, False])
def test_typed_text_is_written_as_text_and_numbers_stay_numbers(write_only: bool) -> None:
    # Given text that a spreadsheet would run, refuse or read as an error, next to real numbers
    row = [*FORMULAS, CONTROLS, LONG, "#N/A", 12, -2, Decimal("1.5"), 0.25, datetime.date(2025, 9, 1), None]
    # When it is written
    content = saved([["header", "=SUM(1)"], row], write_only=write_only)
    # Then no cell is a formula, each text reads back as typed (minus control characters) …
    assert formula_free_texts(content) == ["header", "=SUM(1)", *READ_BACK, CONTROLS_KEPT, LONG, "#N/A"]
    # … and numbers and dates are still numbers and dates
    values = next(load_workbook(io.BytesIO(content))["Hộ"].iter_rows(min_row=2, values_only=True))
    assert values[9:13] == (12, -2, 1.5, 0.25)
    assert values[13] == datetime.datetime(2025, 9, 1)


def test_a_plain_text_cell_gets_no_style() -> None:
    sheet = load_workbook(io.BytesIO(saved([["Thôn Khe Giấy", "06970-001"]], write_only=True)))["Hộ"]
    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in sheet[1]] == [
        ("Thôn Khe Giấy", "s", False),
        ("06970-001", "s", False),
    ]


def test_text_longer_than_a_cell_is_cut_and_forbidden_characters_are_removed() -> None:
    assert len(cell_text("x" * 40_000)) == EXCEL_CELL_CHARACTERS
    assert cell_text("a\x00b\x0bc\x1fd\ud800e\ufffff\tg\nh\r\ni\rj") == "abcdef\tg\nh\ni\nj"


def test_csv_cells_that_could_be_formulas_start_with_a_quote() -> None:
    stream = io.StringIO()
    csv.writer(stream).writerow([csv_value(value) for value in (*FORMULAS, CONTROLS, "Nà Hang", 5, None)])
    read = next(csv.reader(io.StringIO(stream.getvalue())))
    assert read == [
        "'" + '=HYPERLINK("http://x","y")',
        "'+1+1",
        "'-2",
        "'@SUM(A1)",
        "'\t=1+1",
        "'\n=1+1",
        CONTROLS_KEPT,
        "Nà Hang",
        "5",
        "",
    ]
