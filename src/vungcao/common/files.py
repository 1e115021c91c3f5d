"""Reading the tables users upload: CSV (UTF-8, with or without BOM; comma or semicolon) and XLSX;
and GeoJSON boundaries (.geojson, .json), one row per feature.

Every file is checked before it is read and read within the limits of ``file_limits``: its kind by its
content (not its name), an XLSX workbook by ``workbook_check`` before calamine opens it, a CSV file's rows,
columns and cells as they are read. A refusal is an ``ApplicationError`` naming the limit, and nothing is
read further. Cells are read as text, never evaluated (of a formula, the value Excel saved); a cell with a
control character, a leading "=" or more text than Excel holds is a problem of its row (``Table.problems``).
"""

import csv
import datetime
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from vungcao.common import file_limits as limits
from vungcao.common.errors import ApplicationError
from vungcao.common.importing import header_column
from vungcao.common.workbook_check import OLE_MAGIC, ZIP_MAGIC, check_workbook
from vungcao.engine.tabular import ValidationProblem, shortened

GEOJSON_SUFFIXES = (".geojson", ".json")
FEATURE_KEYS = ("code", "era", "name")
FEATURE_COLUMNS = (*FEATURE_KEYS, "geometry")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


@dataclass
class Table:
    """A file's column keys (as ``header_column`` reads the header) and the cells of its data rows, as
    text, in file order. A row shorter than the header has no cells for the last columns."""

    columns: list[str]
    rows: list[list[str]]
    # Cells refused as they were read (control characters, a leading "=", too long), by row and column.
    problems: list[ValidationProblem] = field(default_factory=list)

    def records(self) -> list[dict[str, str]]:
        """Each row as a dict keyed by column (a column named twice keeps its last cell)."""
        columns = self.columns
        return [dict(zip(columns, row, strict=False)) for row in self.rows]

    def packed(self) -> bytes:
        """The table as compressed JSON: about a third of a workbook's size, and read back by ``unpacked``
        several times faster than the workbook (100,000 households: ~2 s instead of ~9 s).
        ``surrogatepass`` keeps a lone surrogate a GeoJSON file may escape."""
        text = json.dumps([self.columns, self.rows], ensure_ascii=False, separators=(",", ":"))
        return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)

    @classmethod
    def unpacked(cls, packed: bytes | memoryview) -> "Table":
        columns, rows = json.loads(zlib.decompress(packed).decode("utf-8", "surrogatepass"))
        return cls(columns, rows)


def read_table(stream: IO[bytes], filename: str) -> list[dict[str, str]]:
    """Rows of the first sheet (XLSX) or of the file (CSV) as dicts keyed by lower-cased header; the
    features of a GeoJSON file (.geojson, .json) as rows with ``code``, ``era``, ``name``, ``geometry``."""
    return read_cells(stream, filename).records()


def read_cells(stream: IO[bytes], filename: str) -> Table:
    """The table of ``read_table``, before its rows become dicts."""
    suffix = Path(filename).suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        return _geojson_table(stream)
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
    table = Table([header_column(column) for column in header], [row for row in rows if any(row)])
    table.problems = cell_problems(table)
    return table


# Characters no one types in a cell, which break the XML of a workbook written later (openpyxl refuses
# them) and can hide text: C0 controls but tab, line feed and carriage return; DEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _cell_problem(text: str) -> str | None:
    if len(text) > limits.MAX_CELL_CHARACTERS:
        return str(limits.CELL_TOO_LONG).format(limit=limits.grouped(limits.MAX_CELL_CHARACTERS))
    control = _CONTROL.search(text)
    if control is not None:
        return str(limits.CELL_CONTROL_CHARACTER).format(code=ord(control.group()))
    if text.startswith("="):
        return str(limits.CELL_FORMULA)
    return None


_BLOCK_ROWS = 1000


def _block_may_hold_a_problem(block: list[list[str]]) -> bool:
    """Whether any cell of these rows may be refused, decided by a few passes in C over their text (one
    cell per line): a line beginning with "=", a control character, or a cell longer than Excel holds."""
    text = "\n".join(map("\n".join, block))
    if text.startswith("=") or "\n=" in text:
        return True
    if _CONTROL.search(text):
        return True
    return len(text) > limits.MAX_CELL_CHARACTERS and max(map(len, chain.from_iterable(block))) > (
        limits.MAX_CELL_CHARACTERS
    )


def cell_problems(table: Table, skip: frozenset[str] = frozenset()) -> list[ValidationProblem]:
    """Every cell of the data rows (numbered as importers number them: the header is row 1) that no
    import takes: see ``_cell_problem``. The columns in ``skip`` are not the user's typing. Rows are
    checked a thousand at a time (~0.1 s for 80,000 rows of 30 cells) and only a block that may hold a
    problem is checked cell by cell."""
    problems = []
    skipped = {index for index, column in enumerate(table.columns) if column in skip}
    rows = table.rows
    for start in range(0, len(rows), _BLOCK_ROWS):
        block = rows[start : start + _BLOCK_ROWS]
        if skipped:
            block = [[text for index, text in enumerate(row) if index not in skipped] for row in block]
        if not _block_may_hold_a_problem(block):
            continue
        for number, row in enumerate(rows[start : start + _BLOCK_ROWS], start=start + 2):
            for index, text in enumerate(row):
                if index in skipped:
                    continue
                reason = _cell_problem(text)
                if reason is not None:
                    column = table.columns[index] if index < len(table.columns) else ""
                    problems.append(ValidationProblem(number, column, shortened(text), reason))
    return problems


def _bounded_rows(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows of a CSV file, refused at the first that passes ``MAX_ROWS``, ``MAX_COLUMNS`` or
    ``MAX_CELLS``."""
    cells = 0
    for number, row in enumerate(rows, start=1):
        if number > limits.MAX_ROWS:
            raise ApplicationError(str(limits.TOO_MANY_ROWS).format(limit=limits.grouped(limits.MAX_ROWS)))
        if len(row) > limits.MAX_COLUMNS:
            raise ApplicationError(
                str(limits.TOO_MANY_COLUMNS).format(
                    row=limits.grouped(number),
                    columns=limits.grouped(len(row)),
                    limit=limits.grouped(limits.MAX_COLUMNS),
                )
            )
        cells += len(row)
        if cells > limits.MAX_CELLS:
            raise ApplicationError(str(limits.TOO_MANY_CELLS).format(limit=limits.grouped(limits.MAX_CELLS)))
        yield row


def _csv_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    content = stream.read()
    if content.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise ApplicationError(str(limits.CSV_IS_WORKBOOK))
    if b"\x00" in content:  # no text file holds NUL: a binary file renamed .csv, or UTF-16 text
        raise ApplicationError(str(limits.CSV_NOT_TEXT))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(str(limits.CSV_NOT_UTF8)) from error
    del content
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    except csv.Error:  # the sniffer cannot tell (one column, or every row alike): commas
        dialect = csv.excel
    # A cell is at most ``field_size_limit`` characters (131,072 by default, the module's): a longer one, or
    # a quote never closed, stops the reader with csv.Error.
    reader = csv.reader(io.StringIO(text), dialect)
    number = 0
    try:
        for number, row in enumerate(_bounded_rows(reader), start=1):  # noqa: B007 (read in except)
            yield [cell.strip() for cell in row]
    except csv.Error as error:
        raise ApplicationError(
            str(limits.CSV_UNREADABLE).format(
                row=limits.grouped(number + 1), limit=limits.grouped(csv.field_size_limit())
            )
        ) from error


def _workbook(stream: IO[bytes]) -> CalamineWorkbook:
    """The workbook opened by calamine (Rust), about ten times faster than openpyxl. Opened only once
    ``check_workbook`` found the grid calamine will build within the limits."""
    check_workbook(stream)
    try:
        return CalamineWorkbook.from_filelike(stream)
    except Exception as error:  # calamine raises many kinds for a file that is not a workbook
        raise ApplicationError(str(limits.NOT_A_WORKBOOK)) from error


def _sheet_cells(rows: Iterable[Sequence[object]]) -> Iterator[list[str]]:
    """A sheet's rows as text (see ``_cell_text``)."""
    numbers: dict[float, str] = {}  # a sheet repeats the same numbers (years, counts): convert each once
    for row in rows:
        cells = []
        for value in row:
            if type(value) is str:  # most cells, empty ones too
                cells.append(value.strip())
            elif type(value) is float:
                text = numbers.get(value)
                if text is None:
                    text = numbers[value] = _cell_text(value)
                cells.append(text)
            else:
                cells.append(_cell_text(value))
        yield cells


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    """The first sheet's rows."""
    workbook = _workbook(stream)
    try:
        sheet = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises many kinds for a file that is not a workbook
        raise ApplicationError(str(limits.NOT_A_WORKBOOK)) from error
    return _sheet_cells(sheet)


def read_sheets(stream: IO[bytes], names: Iterable[str]) -> dict[str, Table]:
    """The sheets of an XLSX workbook named ``names`` (those it has), each with its header's cells as
    written (not read as import headers are), every row after it (empty ones too, so that rows keep their
    numbers) and its cells' problems (``cell_problems``)."""
    workbook = _workbook(stream)
    tables = {}
    for name in names:
        if name not in workbook.sheet_names:
            continue
        try:
            rows = _sheet_cells(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            header = next(rows, [])
            table = Table(header, list(rows))
        except Exception as error:  # calamine raises many kinds for a sheet it cannot read
            raise ApplicationError(str(limits.NOT_A_WORKBOOK)) from error
        table.problems = cell_problems(table)
        tables[name] = table
    return tables


def _geojson_table(stream: IO[bytes]) -> Table:
    """One row per feature of a FeatureCollection, in file order: the properties ``code``, ``era`` and
    ``name`` as text (property names read like headers) and ``geometry`` re-serialised as JSON text
    (empty when the feature has none). A feature that is not an object gives a row of empty cells, so
    the importer reports it by its number."""
    try:
        data = json.loads(stream.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:  # RecursionError: nested too deep
        raise ApplicationError(str(limits.NOT_GEOJSON)) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ApplicationError(_("The GeoJSON file must hold one FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise ApplicationError(_("The FeatureCollection has no list of features."))
    if len(features) > limits.MAX_ROWS:
        raise ApplicationError(str(limits.TOO_MANY_FEATURES).format(limit=limits.grouped(limits.MAX_ROWS)))
    rows: list[list[str]] = []
    for feature in features:
        row = dict.fromkeys(FEATURE_COLUMNS, "")
        if isinstance(feature, dict):
            properties = feature.get("properties")
            if isinstance(properties, dict):
                named = {header_column(str(key)): value for key, value in properties.items()}
                for key in FEATURE_KEYS:
                    value = named.get(key)
                    row[key] = "" if value is None or isinstance(value, dict | list) else str(value).strip()
            geometry = feature.get("geometry")
            if geometry is not None:
                row["geometry"] = json.dumps(geometry, ensure_ascii=False, separators=(",", ":"))
        rows.append(list(row.values()))
    table = Table(list(FEATURE_COLUMNS), rows)
    # The geometry is JSON written here, not text a user typed (and may be far longer than a cell).
    table.problems = cell_problems(table, skip=frozenset({"geometry"}))
    return table
