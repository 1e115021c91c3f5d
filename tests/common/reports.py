"""A report workbook read back as its reader sees it: heading lines, header, rows, totals row."""

import io
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class Report:
    sheet: Worksheet
    title: str
    lines: list[str]
    header: list[str]
    rows: list[tuple[object, ...]]
    totals: tuple[object, ...] | None
    header_row: int

    def cells(self, row: int) -> list[Cell]:
        """The cells of a data row (0 is the first row under the header)."""
        return list(self.sheet[self.header_row + 1 + row])

    def totals_cells(self) -> list[Cell]:
        return list(self.sheet[self.header_row + 1 + len(self.rows)])

    def column(self, header: str) -> list[object]:
        index = self.header.index(header)
        return [row[index] for row in self.rows]


def read_report(content: bytes, sheet: int | str = 0) -> Report:
    """The sheet of a report: the table is where the header's filter button says (its range), the heading
    above it, and the row after it, if any, is the totals row."""
    workbook = load_workbook(io.BytesIO(content))
    worksheet = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
    _first_column, header_row, last_column, last_row = range_boundaries(worksheet.auto_filter.ref)
    values = list(worksheet.iter_rows(values_only=True, max_col=last_column))
    heading = [row[0] for row in values[: header_row - 1] if row and row[0] is not None]
    rows = [row for row in values[header_row:last_row] if any(value is not None for value in row)]
    after = values[last_row:] if len(values) > last_row else []
    return Report(
        sheet=worksheet,
        title=str(heading[0]),
        lines=[str(line) for line in heading[1:]],
        header=[str(value) for value in values[header_row - 1]],
        rows=rows,
        totals=after[0] if after else None,
        header_row=header_row,
    )
