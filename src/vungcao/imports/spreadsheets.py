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
from vungcao.engine.tabular import ValidationProblem

HEADER_FILL = PatternFill("solid", fgColor="DDEBE4")


def _bold_header(sheet: Worksheet, columns: Sequence[str]) -> None:
    sheet.append(sheet_row(sheet, columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def template_workbook(importer: Importer, extra: tuple[tuple[str, str], ...] = ()) -> bytes:
    """One sheet: the header row, one example row, and lists for columns with fixed values."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = importer.kind
    columns = [*importer.columns, *(column for column, _label in extra)]
    labels = {**importer.labels, **dict(extra)}
    _bold_header(sheet, [template_header(column, labels.get(column)) for column in columns])
    sheet.append(sheet_row(sheet, importer.example))
    for column, allowed in importer.choices:
        letter = get_column_letter(columns.index(column) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}100000")
        sheet.add_data_validation(validation)
    for index in range(len(columns)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = 24
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def problems_workbook(problems: list[ValidationProblem], headers: tuple[str, str, str, str]) -> bytes:
    """Every problem of a refused file, one per line, to fix the file by."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    _bold_header(sheet, headers)
    for problem in problems:
        sheet.append(sheet_row(sheet, [problem.row, problem.field, problem.value, problem.reason]))
    for letter, width in zip("ABCD", (8, 18, 30, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
