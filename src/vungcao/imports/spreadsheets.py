"""Spreadsheets handed to users: an import template with drop-down lists, and the problems of a file.

Every cell goes through ``sheet_row``: a value copied from an uploaded file comes back as text, never
as a formula, without the control characters a worksheet cannot hold."""

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vungcao.common.importing import Importer, template_header
from vungcao.common.spreadsheets import sheet_row

HEADER_FILL = PatternFill("solid", fgColor="DDEBE4")


def _bold_header(sheet: Worksheet, columns: Sequence[str]) -> None:
    sheet.append(sheet_row(sheet, columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


LISTS_SHEET = "lists"
TEXT_FORMAT = "@"
TEMPLATE_ROWS = 100_000
"""Rows of the template given drop-down lists and the text format: more than any commune's file."""


def template_workbook(importer: Importer, extra: tuple[tuple[str, str], ...] = ()) -> bytes:
    """One sheet: the header row, one example row, drop-down lists for columns with fixed values (their
    labels, kept on a hidden sheet: a label may hold a comma, and an inline list is at most 255
    characters), and every code and identity column formatted as text, so Excel keeps ``06970`` as
    written instead of turning it into the number 6970."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = importer.kind
    columns = [*importer.columns, *(column for column, _label in extra)]
    labels = {**importer.labels, **dict(extra)}
    _bold_header(sheet, [template_header(column, labels.get(column)) for column in columns])
    sheet.append(sheet_row(sheet, [str(value) for value in importer.example]))
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for position, (column, allowed) in enumerate(importer.choices, start=1):
        list_letter = get_column_letter(position)
        for row, value in enumerate(allowed, start=1):
            lists.cell(row=row, column=position, value=str(value))  # our labels, never a user's text
        letter = get_column_letter(columns.index(column) + 1)
        source = f"{LISTS_SHEET}!${list_letter}$1:${list_letter}${len(allowed)}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)
    for column in importer.code_columns:
        if column in columns:
            position = columns.index(column) + 1
            # The column's own format is what Excel gives every cell typed into it; the example's too.
            sheet.column_dimensions[get_column_letter(position)].number_format = TEXT_FORMAT
            sheet.cell(row=2, column=position).number_format = TEXT_FORMAT
    for index in range(len(columns)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = 24
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
