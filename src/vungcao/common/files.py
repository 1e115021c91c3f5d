"""Reading the tables users upload: CSV (UTF-8, with or without BOM; comma or semicolon) and XLSX;
and GeoJSON boundaries (.geojson, .json), one row per feature."""

import csv
import datetime
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from vungcao.common.errors import ApplicationError
from vungcao.common.importing import header_column

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
    return Table([header_column(column) for column in header], [row for row in rows if any(row)])


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
    numbers: dict[float, str] = {}  # a sheet repeats the same numbers (years, counts): convert each once
    for row in sheet:
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


def _geojson_table(stream: IO[bytes]) -> Table:
    """One row per feature of a FeatureCollection, in file order: the properties ``code``, ``era`` and
    ``name`` as text (property names read like headers) and ``geometry`` re-serialised as JSON text
    (empty when the feature has none). A feature that is not an object gives a row of empty cells, so
    the importer reports it by its number."""
    try:
        data = json.loads(stream.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ApplicationError(_("The file is not valid GeoJSON (UTF-8 JSON text).")) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ApplicationError(_("The GeoJSON file must hold one FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise ApplicationError(_("The FeatureCollection has no list of features."))
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
    return Table(list(FEATURE_COLUMNS), rows)
