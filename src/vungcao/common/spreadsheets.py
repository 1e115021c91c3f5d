"""Cells handed to users in spreadsheets and CSV files: what someone typed comes back as text.

An officer's name, address or code may begin with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before them); a spreadsheet program reads such a cell as a formula (``=HYPERLINK(…)`` phones
home when another official opens the file). And a control character typed into a field cannot be
written into an XLSX file at all (XML forbids it), so one bad address would break an export for
everyone. Every export builds its rows with :func:`sheet_row` (XLSX) or :func:`csv_value` (CSV):

* text is written as text: in XLSX the cell's type is string whatever it starts with, and a value that
  could be read as a formula also carries the quote-prefix style, so Excel keeps it text even when the
  cell is edited; in CSV such a value is prefixed with a single quote (OWASP's CSV-injection advice);
* characters XML forbids (C0 controls other than tab, line feed and carriage return; lone surrogates;
  U+FFFE and U+FFFF) are removed, line ends become line feeds (as an XML reader would read them back,
  and as Excel breaks a line in a cell), and text is cut at Excel's 32,767 characters a cell;
* numbers, dates and empty cells are written as they are.
"""

import re
from collections.abc import Iterable

from django.utils.functional import Promise
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from vungcao.common.file_limits import MAX_CELL_CHARACTERS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A value starting with one of these may be read as a formula (OWASP's list, CSV injection, and the line
feed a carriage return becomes)."""
EXCEL_CELL_CHARACTERS = MAX_CELL_CHARACTERS  # what Excel holds in a cell, as uploads are read
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def cell_text(value: str) -> str:
    """``value`` without the characters a worksheet cannot hold, at most as long as a cell may be."""
    if value.isprintable() and len(value) <= EXCEL_CELL_CHARACTERS:
        return value  # most cells: nothing to remove (printable text has no control character)
    text = ILLEGAL_CHARACTERS.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    return text[:EXCEL_CELL_CHARACTERS]


def may_be_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def sheet_value(sheet: Worksheet | WriteOnlyWorksheet, value: object) -> object:
    """``value`` as it goes into ``sheet.append``: text as a string cell, anything else as it is.

    Text that openpyxl would store as a formula (``=…``) or an error (``#N/A``), or that Excel could read
    as a formula, becomes a cell of type string with the quote prefix; other text stays a plain string,
    which openpyxl stores as a string (and costs no cell object on a million-row export)."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = cell_text(value)
    if not may_be_formula(text) and text not in ERROR_CODES:
        return text
    cell = Cell(sheet, row=1, column=1)  # placed by ``append``
    cell.value = text
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def sheet_row(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[object]) -> list[object]:
    """A row for ``sheet.append`` in which every text cell is written as text (see the module)."""
    return [sheet_value(sheet, value) for value in values]


def csv_value(value: object) -> object:
    """``value`` for a CSV writer: text that could be read as a formula starts with a single quote."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = cell_text(value)
    return "'" + text if may_be_formula(text) else text
