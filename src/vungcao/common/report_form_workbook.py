"""An official report form (biểu mẫu báo cáo) as an XLSX sheet, drawn from a :class:`FilledForm`.

The sheet is laid out as the paper form: the issuing unit at the top left and the national motto at the
top right, the title and the heading's lines centred, the unit of measure at the right, the header's
column groups as merged cells over their columns with the numbers row ("1", "2", "4 = 3/1 × 100") under
them, one row per unit and the total row, then the signature block.

Cells are typed as in every other export (:mod:`vungcao.common.report_workbooks`): counts are integers in
``#,##0``, rates the fraction in ``0.0%``, so a Vietnamese Excel shows 1.500.000 and 30,5% and an English
one 1,500,000 and 30.5%, and the reader can compute with them; a figure as its page shows it keeps its
places (``#,##0.00``), a year is a number without separators, words are text. A heading row (an
objective) and the note of a form without rows are written across the table. A form is a few hundred rows at most, so
the sheet is written whole rather than streamed: merged cells need it.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from vungcao.common.report_workbooks import (
    BOLD,
    HEADER_ALIGNMENT,
    HEADER_BORDER,
    HEADER_FILL,
    NUMBER_FORMATS,
    TITLE_FONT,
    Kind,
    sheet_name,
)
from vungcao.common.spreadsheets import sheet_value
from vungcao.engine.report_forms import ColumnKind, FilledForm, Leaf, Value, header_cells, places_of

CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right")
ITALIC = Font(italic=True)
ORDER_WIDTH, UNIT_WIDTH, VALUE_WIDTH = 6, 26, 13
QUANTITY_FORMAT = "#,##0.00"  # a physical output with its decimals (12,50 km)
YEAR_FORMAT = "0"  # 2024, never 2.024
WORDS = Alignment(horizontal="left", vertical="center", wrap_text=True)
PAPER_SIZES = {"A4": "9", "A3": "8"}  # the spreadsheet's codes of the paper sizes


def _put(sheet: Worksheet, row: int, column: int, value: str | int | Decimal | None) -> Cell:
    """``value`` in the cell at ``row``, ``column``; text is written as text, never as a formula."""
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # the first cell of a merged range, or a cell of its own
    written = sheet_value(sheet, value)
    if isinstance(written, Cell):
        cell.value, cell.data_type, cell.quotePrefix = written.value, "s", True
    else:
        cell.value = value
    return cell


def _line(sheet: Worksheet, row: int, first: int, last: int, text: str, font: Font | None = None) -> None:
    """A line of text centred over the columns ``first``–``last``."""
    cell = _put(sheet, row, first, text)
    cell.alignment = CENTRED
    if font is not None:
        cell.font = font
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def form_workbook(form: FilledForm) -> bytes:
    """The XLSX file of ``form``: one sheet, laid out and typed as the module says."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_name(f"{form.definition.number} {form.title}")
    workbook.properties.title = form.title
    frame = form.definition.frame
    leaves = form.definition.leaves()
    width = len(leaves) + 2
    middle = max(2, width // 2)
    for row, text in enumerate(form.issuer, 1):
        _line(sheet, row, 1, middle - 1, text, BOLD)
    for row, label in enumerate(frame.motto, 1):
        _line(sheet, row, middle, width, form.text(label), BOLD if row == 1 else None)
    row = max(len(form.issuer), len(frame.motto)) + 2
    _line(sheet, row, 1, width, form.title, TITLE_FONT)
    for line in form.heading:
        row += 1
        _line(sheet, row, 1, width, line, ITALIC)
    row += 1
    _put(sheet, row, width, form.text(form.definition.unit_of_measure)).alignment = RIGHT
    header_top = row + 1
    cells, header_rows = header_cells(form.definition, form.language)
    for header in cells:
        top, left = header_top + header.row, 1 + header.column
        cell = _put(sheet, top, left, header.text)
        if header.rows > 1 or header.columns > 1:
            sheet.merge_cells(
                start_row=top,
                start_column=left,
                end_row=top + header.rows - 1,
                end_column=left + header.columns - 1,
            )
        for merged_row in range(top, top + header.rows):
            for merged_column in range(left, left + header.columns):
                part = sheet.cell(row=merged_row, column=merged_column)
                part.border, part.fill, part.alignment = HEADER_BORDER, HEADER_FILL, HEADER_ALIGNMENT
        cell.font = BOLD
    row = header_top + header_rows - 1
    for order, name, values, level in form.body():
        row += 1
        _put(sheet, row, 1, int(order) if order.isdigit() else order or None).alignment = CENTRED
        cell = _put(sheet, row, 2, name)
        cell.font = BOLD if not order or (level == 0 and form.has_levels) else Font()
        cell.alignment = Alignment(indent=2 * level, wrap_text=True, vertical="center")
        if not values:  # a heading, or the note of a form without rows: across the table
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        for column, (leaf, value) in enumerate(zip(leaves, values, strict=True) if values else (), 3):
            cell = _value_cell(sheet, row, column, leaf, value)
            if not order:
                cell.font = BOLD
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).border = HEADER_BORDER
    row += 2
    _line(sheet, row, middle, width, form.text(frame.date_line), ITALIC)
    for offset, label in enumerate(frame.preparer, 1):
        _line(sheet, row + offset, 1, middle - 1, form.text(label), BOLD if offset == 1 else ITALIC)
    for offset, text in enumerate(form.approver, 1):
        last = offset == len(form.approver)
        _line(sheet, row + offset, middle, width, text, ITALIC if last else BOLD)
    _layout(sheet, width, header_top, header_top + header_rows - 1, form.definition.paper)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _decimals(value: int | float | Decimal) -> str:
    """The decimals of a number format for the places ``value`` carries: ".00" for 12,50, none for 12."""
    places = places_of(value)
    return "." + "0" * places if places else ""


def _value_cell(sheet: Worksheet, row: int, column: int, leaf: Leaf, value: Value) -> Cell:
    """The cell of ``value`` in ``leaf``'s column, typed and formatted as the module says."""
    if leaf.kind == ColumnKind.TEXT or isinstance(value, str):
        cell = _put(sheet, row, column, value if isinstance(value, str) else None)
        cell.alignment = WORDS
        return cell
    cell = _put(sheet, row, column, None)
    if value is None:
        return cell
    if leaf.kind == ColumnKind.RATE:
        cell.value, cell.number_format = value / 100, NUMBER_FORMATS[Kind.PERCENT]
    elif leaf.kind == ColumnKind.PERCENT:
        cell.value, cell.number_format = value / 100, f"0{_decimals(value)}%"
    elif leaf.kind == ColumnKind.YEAR:
        cell.value, cell.number_format = value, YEAR_FORMAT
    elif leaf.kind == ColumnKind.FIGURE:
        cell.value, cell.number_format = value, f"#,##0{_decimals(value)}"
    else:
        cell.value = value
        fraction = isinstance(value, float) and not value.is_integer()
        cell.number_format = QUANTITY_FORMAT if fraction else NUMBER_FORMATS[Kind.INTEGER]
    return cell


def _layout(sheet: Worksheet, width: int, header_top: int, header_bottom: int, paper: str) -> None:
    """Widths, the frozen header, and the form's paper (A4 or A3) landscape fitted to the page's width,
    the header on every page."""
    sheet.column_dimensions["A"].width = ORDER_WIDTH
    sheet.column_dimensions["B"].width = UNIT_WIDTH
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = VALUE_WIDTH
    sheet.freeze_panes = f"C{header_bottom + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_SIZES[paper]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.print_title_rows = f"{header_top}:{header_bottom}"
    if sheet.oddFooter is not None:
        sheet.oddFooter.center.text = "&P / &N"
