"""Exports written as reports (báo cáo xuất Excel): the one workbook writer every export uses.

A report sheet reads as an official's report does:

* a heading: the title, the unit covered by its full name ("Xã Ba Chẽ, Tỉnh Quảng Ninh"), the period,
  any filter the rows were chosen by, and when and by whom the file was exported;
* the table: headers in the reader's language (the caller's translated texts, written in the language
  active when the sheet is written), choice values as their labels (the caller passes labels, never
  codes), a frozen header row with a filter button, and widths set per column;
* a totals row (Tổng cộng) where columns add up: amounts and counts are summed, a rate is recomputed from
  the summed columns it divides (never summed, never averaged), a list's length is counted.

Cells are typed for Excel, so the reader can compute with them:

* amounts and counts are integers with the format ``#,##0``; rates are the fraction (0.3) with the format
  ``0.0%``; ratios ``#,##0.00``; dates are dates ``dd/mm/yyyy``;
* codes and identity numbers are text with the text format ``@``: Excel keeps ``06970`` as it is, also
  when the cell is edited;
* every text goes through :func:`vungcao.common.spreadsheets.sheet_value`: what someone typed is never a
  formula, and a character a worksheet cannot hold never breaks the file.

The number formats are Excel's standard ones on purpose. Excel draws ``#,##0`` and ``0.0%`` with the
separators of the reader's own settings: a Vietnamese Excel shows 1.500.000 and 30,0%, an English one
1,500,000 and 30.0%, from the same file, and the cell stays a number. (Writing "1.500.000" as text would
look right and break every sum.) CSV files, which carry no format, keep raw values; only their header is
in the reader's language.

Sheets are streamed (openpyxl's write-only mode), so a province's household list of hundreds of thousands
of rows is never held in memory; this is why widths come from the columns' declaration rather than from
the values. Printing: A4 landscape, fitted to the page's width, the header row repeated on every page and
the page number in the footer.
"""

import datetime
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import BinaryIO, cast

from django.contrib.auth.models import AbstractUser
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from vungcao.common.spreadsheets import sheet_value

CellValue = str | int | float | datetime.date | None
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOTAL = gettext_lazy("Total")


class Kind(StrEnum):
    """What a column holds, which decides its cell type, number format and default width."""

    TEXT = "text"  # names, addresses, labels: text as typed
    CODE = "code"  # codes and identity numbers: text in the text format, leading zeros kept
    INTEGER = "integer"  # counts, row numbers
    AMOUNT = "amount"  # Vietnamese dong, whole
    PERCENT = "percent"  # a rate as the fraction (0.3), shown 30.0%
    RATIO = "ratio"  # a ratio that is not a share (leverage), two decimals
    DATE = "date"


class Total(StrEnum):
    """What the totals row holds under a column (a rate column is given by ``Column.rate_of``)."""

    NONE = "none"
    SUM = "sum"
    COUNT = "count"  # the number of rows with a value in the column


NUMBER_FORMATS = {
    Kind.CODE: "@",
    Kind.INTEGER: "#,##0",
    Kind.AMOUNT: "#,##0",
    Kind.PERCENT: "0.0%",
    Kind.RATIO: "#,##0.00",
    Kind.DATE: "dd/mm/yyyy",
}
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
WIDTHS = {
    Kind.TEXT: 28,
    Kind.CODE: 16,
    Kind.INTEGER: 10,
    Kind.AMOUNT: 18,
    Kind.PERCENT: 11,
    Kind.RATIO: 11,
    Kind.DATE: 12,
}
SUMMABLE = frozenset({Kind.INTEGER, Kind.AMOUNT})
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
SHEET_NAME_LENGTH = 31  # Excel's limit

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
MUTED = Font(italic=True, color="555555")
HEADER_FILL = PatternFill("solid", fgColor="DDEBE4")
THIN = Side(style="thin", color="888888")
HEADER_BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
TOTAL_BORDER = Border(top=THIN, bottom=THIN)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column: its key (for ``rate_of``), header in the reader's language, kind and total.

    ``rate_of=(numerator, denominator)`` names two summed columns: the totals row shows their totals'
    ratio (the disbursement rate of the total is total disbursed / total allocated)."""

    key: str
    header: str | Promise
    kind: Kind = Kind.TEXT
    total: Total = Total.NONE
    rate_of: tuple[str, str] | None = None
    width: float | None = None


@dataclass(frozen=True)
class Heading:
    """What the report is: its title, the unit's full name, the period (empty when it has none), the
    filter its rows were chosen by (one line each), who exported it and when."""

    title: str
    unit: str
    exported_by: str
    period: str = ""
    notes: tuple[str, ...] = ()
    exported_at: datetime.datetime = field(default_factory=timezone.now)

    def lines(self) -> list[str]:
        stamp = (
            timezone.localtime(self.exported_at) if timezone.is_aware(self.exported_at) else self.exported_at
        )
        lines = [_("Unit: {unit}").format(unit=self.unit)]
        if self.period:
            lines.append(_("Period: {period}").format(period=self.period))
        lines += self.notes
        lines.append(
            _("Exported on {date} by {user}").format(
                date=stamp.strftime("%d/%m/%Y %H:%M"), user=self.exported_by
            )
        )
        return lines


def exported_by(user: AbstractUser) -> str:
    """``"Nguyễn Thị Lan (quangninh)"``, or the user name alone when the user has no name."""
    name = user.get_full_name().strip()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def sheet_name(name: str) -> str:
    """A sheet's name as Excel takes it: without ``[]:*?/\\``, at most 31 characters."""
    return " ".join(str(name).translate(SHEET_NAME_FORBIDDEN).split())[:SHEET_NAME_LENGTH] or "Sheet"


def _number(value: object, kind: Kind) -> int | float | None:
    """A number cell's value: amounts and counts whole (exact), rates and ratios as the nearest double."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise TypeError(f"a {kind} column takes numbers, not {value!r}")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ValueError(f"a {kind} column takes finite numbers, not {value!r}")  # a cell cannot hold one
    if kind in SUMMABLE and (isinstance(value, int) or value == int(value)):
        return int(value)
    return float(value)


def _date(value: object) -> datetime.date | datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the time as read in Việt Nam.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"a date column takes dates, not {value!r}")


class ReportSheet:
    """One table of a report, streamed row by row (``append``); its totals row is written when the
    workbook is saved."""

    def __init__(
        self, sheet: WriteOnlyWorksheet, *, heading: Heading, columns: Sequence[Column], totals: bool
    ) -> None:
        self.sheet = sheet
        # A streamed sheet carries a worksheet's layout (widths, page setup, filter: openpyxl's ``_setup``),
        # which the type stubs of the write-only sheet do not show.
        self._layout = cast(Worksheet, sheet)
        self.columns = tuple(columns)
        self.row_count = 0
        self._check(totals)
        self._totals = totals
        self._sums: dict[str, int | float] = {c.key: 0 for c in self.columns if c.total == Total.SUM}
        self._counts: dict[str, int] = {c.key: 0 for c in self.columns if c.total == Total.COUNT}
        self._finished = False
        lines = heading.lines()
        self.header_row = len(lines) + 3  # the title, the lines, an empty row
        # What a streamed sheet writes before its rows: widths, the frozen header, the fit to the page.
        for index, column in enumerate(self.columns, start=1):
            width = column.width or max(WIDTHS[column.kind], min(len(str(column.header)) + 2, 40))
            self._layout.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = f"A{self.header_row + 1}"
        self._print_setup()
        sheet.append([self._styled(heading.title, TITLE_FONT)])
        for line in lines:
            sheet.append([self._styled(line, MUTED)])
        sheet.append([])
        sheet.append([self._header(column.header) for column in self.columns])

    def _check(self, totals: bool) -> None:
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys) or not keys:
            raise ValueError(f"column keys must be unique and present: {keys}")
        summed = {column.key for column in self.columns if column.total == Total.SUM}
        for column in self.columns:
            if column.total == Total.SUM and column.kind not in SUMMABLE:
                raise ValueError(f"only amounts and counts add up, not the {column.kind} column {column.key}")
            if column.rate_of and not set(column.rate_of) <= summed:
                raise ValueError(f"the rate {column.key} divides summed columns only: {column.rate_of}")
        first = self.columns[0]
        if totals and (first.total != Total.NONE or first.rate_of):
            raise ValueError("the first column holds the totals row's label")

    def _print_setup(self) -> None:
        sheet = self._layout
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        sheet.print_title_rows = f"{self.header_row}:{self.header_row}"
        if sheet.oddFooter is not None:
            sheet.oddFooter.center.text = "&P / &N"

    def _styled(self, text: str, font: Font) -> Cell:
        """A text cell in ``font``: text as text, never a formula (``sheet_value``)."""
        value = sheet_value(self.sheet, text)
        cell = value if isinstance(value, Cell) else self._formatted(str(value), "General")
        cell.font = font
        return cell

    def _header(self, text: str | Promise) -> Cell:
        cell = self._styled(str(text), BOLD)
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = HEADER_ALIGNMENT
        return cell

    def _formatted(self, value: CellValue, number_format: str) -> Cell:
        """A cell of ``value`` (already of its column's type) in ``number_format``, placed by ``append``."""
        cell = Cell(self.sheet, row=1, column=1)
        cell.value = value
        cell.number_format = number_format
        return cell

    def _cell(self, column: Column, value: object) -> object:
        kind = column.kind
        if kind == Kind.TEXT:
            return None if value is None else sheet_value(self.sheet, str(value))
        if kind == Kind.CODE:
            if value is None or value == "":
                return None
            cell = sheet_value(self.sheet, str(value))
            if isinstance(cell, Cell):  # text a spreadsheet could read as a formula: quote-prefixed
                cell.number_format = "@"
                return cell
            return self._formatted(str(cell), "@")
        if kind == Kind.DATE:
            day = _date(value)
            if day is None:
                return None
            return self._formatted(
                day, DATETIME_FORMAT if isinstance(day, datetime.datetime) else "dd/mm/yyyy"
            )
        number = _number(value, kind)
        return None if number is None else self._formatted(number, NUMBER_FORMATS[kind])

    def append(self, values: Sequence[object]) -> None:
        """Write one row, its values in the columns' order (labels, not codes; numbers as numbers)."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        cells = [self._cell(column, value) for column, value in zip(self.columns, values, strict=True)]
        # Counted once the whole row is written: a refused row leaves the totals as they were.
        self.sheet.append(cells)
        self.row_count += 1
        for column, value in zip(self.columns, values, strict=True):
            if column.total == Total.SUM:
                self._sums[column.key] += _number(value, column.kind) or 0
            elif column.total == Total.COUNT and value not in (None, ""):
                self._counts[column.key] += 1

    def totals(self) -> dict[str, int | float | None]:
        """The totals row's values by column key: sums, counts, and rates of the summed columns."""
        values: dict[str, int | float | None] = {**self._sums, **self._counts}
        for column in self.columns:
            if column.rate_of:
                numerator, denominator = (self._sums[key] for key in column.rate_of)
                values[column.key] = (
                    None if not denominator else float(Fraction(numerator) / Fraction(denominator))
                )
        return values

    def finish(self) -> None:
        """Write the totals row (when the sheet has one) and the header's filter over the rows."""
        if self._finished:
            return
        self._finished = True
        last = get_column_letter(len(self.columns))
        self._layout.auto_filter.ref = f"A{self.header_row}:{last}{self.header_row + self.row_count}"
        if not self._totals:
            return
        values = self.totals()
        label = self._styled(str(TOTAL), BOLD)
        label.border = TOTAL_BORDER
        cells = [label]
        for column in self.columns[1:]:
            value = values.get(column.key)
            if value is None:
                cell = self._formatted(None, "General")
            elif column.total == Total.COUNT:
                cell = self._formatted(value, NUMBER_FORMATS[Kind.INTEGER])
            else:
                cell = self._formatted(value, NUMBER_FORMATS[column.kind])
            cell.font = BOLD
            cell.border = TOTAL_BORDER
            cells.append(cell)
        self.sheet.append(cells)


class ReportWorkbook:
    """A workbook of report sheets, written as a stream; ``content()`` is the XLSX file."""

    def __init__(self) -> None:
        self._workbook = Workbook(write_only=True)
        self._sheets: list[ReportSheet] = []

    def add_sheet(
        self, *, name: str | Promise, heading: Heading, columns: Sequence[Column], totals: bool = True
    ) -> ReportSheet:
        """A new sheet named ``name`` with ``heading`` and a header of ``columns``; with ``totals`` its
        last row is the totals row."""
        sheet = self._workbook.create_sheet(sheet_name(str(name)))
        assert isinstance(sheet, WriteOnlyWorksheet)
        if not self._sheets:
            self._workbook.properties.title = heading.title
            self._workbook.properties.creator = heading.exported_by
        report = ReportSheet(sheet, heading=heading, columns=columns, totals=totals)
        self._sheets.append(report)
        return report

    def save(self, target: BinaryIO) -> None:
        """Write the XLSX file to ``target`` (a temporary file, for a file too large for memory: each sheet
        was written to its own temporary file row by row, and is copied into the zip from there)."""
        for sheet in self._sheets:
            sheet.finish()
        self._workbook.save(target)

    def content(self) -> bytes:
        """The XLSX file, for a report small enough to hold in memory (a form, a problem sheet)."""
        stream = io.BytesIO()
        self.save(stream)
        return stream.getvalue()
