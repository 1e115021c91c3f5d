"""Reading named sheets of a workbook (an XLSForm's ``survey`` and ``choices``): headers as written, rows
in their places, cells no upload takes found by row, and the workbook checked before calamine opens it."""

import io

import pytest
from openpyxl import Workbook

from vungcao.common import file_limits as limits
from vungcao.common.errors import ApplicationError
from vungcao.common.files import read_sheets


def workbook(sheets: dict[str, list[list[object]]]) -> io.BytesIO:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_named_sheets_keep_their_headers_and_their_rows_numbers() -> None:
    # Given a workbook of three sheets, one with an empty row in the middle and a number
    stream = workbook(
        {
            "settings": [["form_id"], ["x"]],
            "survey": [["type", "label::Tiếng Việt (vi)"], ["integer", "Số người"], [], ["note", "=1+1"]],
            "choices": [["list_name", "name"], ["yes_no", 1]],
        }
    )
    # When two of them are read
    tables = read_sheets(stream, ["survey", "choices", "absent"])
    # Then each keeps its header as written and its rows in place; a formula reads as the value Excel
    # saved (none: openpyxl saves none)
    assert set(tables) == {"survey", "choices"}
    survey = tables["survey"]
    assert survey.columns == ["type", "label::Tiếng Việt (vi)"]
    assert survey.rows == [["integer", "Số người"], ["", ""], ["note", ""]]
    assert survey.problems == []
    assert tables["choices"].rows == [["yes_no", "1"]]


def test_a_text_beginning_with_an_equals_sign_is_a_problem_of_its_row() -> None:
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["type", "label"])
    book.active.append(["note", "x"])
    book.active["B2"].value = "=1+1"
    book.active["B2"].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    survey = read_sheets(buffer, ["survey"])["survey"]
    assert [(problem.row, problem.field, problem.reason) for problem in survey.problems] == [
        (2, "label", str(limits.CELL_FORMULA))
    ]


def test_a_file_that_is_no_workbook_is_refused() -> None:
    with pytest.raises(ApplicationError) as refused:
        read_sheets(io.BytesIO(b"type,name\n"), ["survey"])
    assert refused.value.message == str(limits.NOT_A_WORKBOOK)
