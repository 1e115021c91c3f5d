"""Spreadsheets handed to users: an import template with drop-down lists, and the problems of a file."""

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vungcao.common.importing import Importer
from vungcao.engine.tabular import ValidationProblem

HEADER_FILL = PatternFill("solid", fgColor="DDEBE4")


def _bold_header(sheet: Worksheet, columns: Sequence[str]) -> None:
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def template_workbook(importer: Importer) -> bytes:
    """One sheet: the header row, one example row, and lists for columns with fixed values."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = importer.kind
    _bold_header(sheet, importer.columns)
    sheet.append(list(importer.example))
    for column, allowed in importer.choices:
        letter = chr(ord("A") + importer.columns.index(column))
        validation = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}100000")
        sheet.add_data_validation(validation)
    for index in range(len(importer.columns)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 22
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
        sheet.append([problem.row, problem.field, problem.value, problem.reason])
    for letter, width in zip("ABCD", (8, 18, 30, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
