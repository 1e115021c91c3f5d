"""Reading the tables users upload: CSV (UTF-8, with or without BOM; comma or semicolon) and XLSX."""

import csv
import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from vungcao.common.errors import ApplicationError
from vungcao.common.importing import header_column


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


def read_table(stream: IO[bytes], filename: str) -> list[dict[str, str]]:
    """Rows of the first sheet (XLSX) or of the file (CSV) as dicts keyed by lower-cased header."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(stream)
    elif suffix == ".csv":
        rows = _csv_rows(stream)
    else:
        raise ApplicationError(
            _("Only .csv and .xlsx files can be imported, not {name}.").format(name=filename)
        )
    try:
        header = next(rows)
    except StopIteration as error:
        raise ApplicationError(_("The file {name} is empty.").format(name=filename)) from error
    keys = [header_column(column) for column in header]
    return [dict(zip(keys, row, strict=False)) for row in rows if any(cell for cell in row)]


def _csv_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(_('The CSV file is not UTF-8 text; save it as "CSV UTF-8".')) from error
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    for row in csv.reader(io.StringIO(text), dialect):
        yield [cell.strip() for cell in row]


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    """The first sheet's rows, read by calamine (Rust): about ten times faster than openpyxl."""
    try:
        workbook = CalamineWorkbook.from_filelike(stream)
        sheet = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises many kinds for a file that is not a workbook
        raise ApplicationError(_("The file is not a readable Excel workbook (.xlsx).")) from error
    for row in sheet:
        yield [_cell_text(value) for value in row]
