"""Checking an XLSX workbook before the reader (calamine) opens it, so that it never allocates more than
``file_limits`` allows.

calamine builds the sheet as one grid from A1 to the farthest cell holding a value, whatever the sheet
declares: one cell at XFD1048576 is a grid of 17 billion cells and the process aborts. So every part of the
zip is unpacked here as a stream (never whole), its size counted against what it declared, and every
XML part scanned for the cells it holds: the grid they span is refused when it passes the limits, before
calamine is called.

The scan is fast where workbooks are regular: when every cell tag of a stretch is written ``<c r="…"``,
as Excel, LibreOffice, openpyxl and Google Sheets write them, one search per megabyte looks for a
reference beyond the farthest row and column seen so far (none, in a sheet written row by row). A part
written any other way (a namespace prefix, attributes in another order, cells without a reference) is
scanned tag by tag, placing each cell as calamine does: slower, still bounded by the unpacked size.
"""

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from vungcao.common import file_limits as limits
from vungcao.common.errors import ApplicationError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and other old Office files)
CHUNK_BYTES = 1024 * 1024
LOCAL_HEADER_BYTES = 30
CENTRAL_DIRECTORY_ENTRY = b"PK\x01\x02"
# A start tag longer than this is no spreadsheet's: a cell tag padded to hide its reference is refused.
MAX_TAG_BYTES = 4096
# calamine opens any spreadsheet it recognises; a zip that is also an ODS or XLSB workbook is refused, so
# that only the XLSX reader, the one checked here, can run.
OTHER_WORKBOOK_PARTS = ("content.xml", "xl/workbook.bin")

_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
# Any cell start tag, with or without a namespace prefix.
_CELL_START = re.compile(rb"<" + _NAME + rb"c(?=[\s/>])")
# A prefixed cell tag (``<x:c r="A1">``); searched from the rare ":" (it may find text too: then the part is
# only scanned more slowly).
_PREFIXED_CELL = re.compile(rb":c(?=[\s/>])")
_OTHER_CELL = re.compile(rb'<c(?=[\s/>])(?! r=")')
_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_CANONICAL_CELL = b'<c r="'
_CANONICAL_REFERENCES = re.compile(rb'<c r="([^"]*)"')
_TAGS = re.compile(rb"<" + _NAME + rb"(row|c)(?=[\s/>])([^>]*)>")
_REFERENCE_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_DIMENSION = re.compile(rb"<" + _NAME + rb"""dimension\s[^>]*?\bref\s*=\s*["']([^"']*)["']""")
_REFERENCE = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_SHEET = re.compile(rb"<" + _NAME + rb"sheet(?=[\s/>])")


@dataclass
class Extent:
    """The farthest row and column (1-based) holding a cell, counted from A1 as calamine pads them."""

    rows: int = 0
    columns: int = 0


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _reference(text: bytes) -> tuple[int, int]:
    """(row, column) of "XFD1048576"; anything else is refused (calamine refuses it too, or reads it as
    something this check cannot place)."""
    found = _REFERENCE.fullmatch(text)
    if found is None:
        raise ApplicationError(str(limits.NOT_A_WORKBOOK))
    return int(found.group(2)), _column_number(found.group(1))


def _check_extent(extent: Extent) -> None:
    rows, columns = extent.rows, extent.columns
    if rows <= limits.MAX_ROWS and columns <= limits.MAX_COLUMNS and rows * columns <= limits.MAX_CELLS:
        return
    raise ApplicationError(
        str(limits.SHEET_TOO_LARGE).format(
            cell=f"{column_letters(columns)}{rows}",
            rows=limits.grouped(rows),
            columns=limits.grouped(columns),
            max_rows=limits.grouped(limits.MAX_ROWS),
            max_columns=limits.grouped(limits.MAX_COLUMNS),
            max_cells=limits.grouped(limits.MAX_CELLS),
        )
    )


def _at_most(number: int) -> bytes:
    """A pattern for the decimal numbers 1…``number`` (no leading zero), ``number`` ≥ 1."""
    digits = str(number)
    alternatives = [rf"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for index, digit in enumerate(digits):
        lowest = "1" if index == 0 else "0"
        if digit > lowest:
            below = chr(ord(digit) - 1)
            rest = len(digits) - index - 1
            alternatives.append(f"{digits[:index]}[{lowest}-{below}][0-9]{{{rest}}}")
    alternatives.append(digits)
    # Longest first: most references have as many digits as the largest, and are matched without retrying.
    return "|".join(reversed(alternatives)).encode()


def _letters_at_most(number: int) -> bytes:
    """A pattern for the column letters A…``column_letters(number)``."""
    letters = column_letters(number)
    alternatives = [f"[A-Z]{{1,{len(letters) - 1}}}"] if len(letters) > 1 else []
    for index, letter in enumerate(letters):
        if letter > "A":
            rest = len(letters) - index - 1
            alternatives.append(f"{letters[:index]}[A-{chr(ord(letter) - 1)}][A-Z]{{{rest}}}")
    alternatives.append(letters)
    return "|".join(reversed(alternatives)).encode()


def _beyond(extent: Extent) -> re.Pattern[bytes]:
    """A tag beginning "<c" that is not a canonical cell within ``extent``: a cell beyond it, a reference
    that is not plain, a cell written otherwise, or another element (``<col>``, ``<cfRule>``…, found
    only before and after the cells)."""
    within = (
        rb"(?:" + _letters_at_most(max(extent.columns, 1)) + rb")(?:" + _at_most(max(extent.rows, 1)) + rb")"
    )
    return re.compile(rb'<c(?! r="' + within + rb'")')


class _PartScan:
    """The cells of one XML part, fed in chunks; raises as soon as they pass the limits."""

    def __init__(self, *, canonical: bool) -> None:
        self.extent = Extent()
        self.tail = b""
        self.first = True
        self.canonical = canonical
        # Where calamine would place a cell without a reference (tag by tag only).
        self.row = 0
        self.column = 0

    def feed(self, chunk: bytes, last: bool) -> None:
        data = self.tail + chunk
        if last:
            self.tail = b""
        else:
            cut = data.rfind(b"<")
            if cut == -1 or len(data) - cut > MAX_TAG_BYTES:
                # No tag ends this chunk: a cell start tag this long is refused, anything else is text.
                if cut != -1 and _CELL_START.match(data, cut) is not None:
                    raise ApplicationError(str(limits.NOT_A_WORKBOOK))
                cut = len(data)
            data, self.tail = data[:cut], data[cut:]
        if self.first:
            self.first = False
            self._declared(data)
        if not self.canonical:
            self._scan_tags(data)
        else:
            self._scan_canonical(data)
        _check_extent(self.extent)

    def _declared(self, data: bytes) -> None:
        """UTF-8 text, as this scan reads it; and the sheet's ``<dimension ref="A1:XFD1048576">``: refused at once when it passes the limits."""
        encoding = _ENCODING.search(data, 0, 200)
        if b"\x00" in data[:4096] or (encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8")):
            raise ApplicationError(str(limits.NOT_A_WORKBOOK))
        found = _DIMENSION.search(data)
        if found is None:
            return
        corner = found.group(1).split(b":")[-1].replace(b"$", b"")
        if _REFERENCE.fullmatch(corner) is not None:
            rows, columns = _reference(corner)
            _check_extent(Extent(rows, columns))

    def _is_canonical(self, data: bytes) -> bool:
        """Every cell tag written ``<c r="…"``: counted (fast), searched only when other tags begin "<c"."""
        return data.count(b"<c") == data.count(_CANONICAL_CELL) or _OTHER_CELL.search(data) is None

    def _widen(self, rows: int, columns: int) -> None:
        self.extent.rows = max(self.extent.rows, rows)
        self.extent.columns = max(self.extent.columns, columns)

    def _scan_canonical(self, data: bytes) -> None:
        """One search finds nothing in a stretch of canonical cells within the extent (the usual case, once
        the extent is widened to the chunk's last cell); otherwise every reference is read."""
        if _PREFIXED_CELL.search(data) is not None:
            raise _Rescan
        last = data.rfind(_CANONICAL_CELL)
        end = data.find(b'"', last + len(_CANONICAL_CELL)) if last != -1 else -1
        if end != -1:  # the last cell of the chunk: in a sheet written row by row, the farthest row
            self._widen(*_reference(data[last + len(_CANONICAL_CELL) : end]))
        if _beyond(self.extent).search(data) is None:
            return
        if not self._is_canonical(data):  # where calamine places a cell without a reference depends on
            raise _Rescan  # every tag before it
        for text in _CANONICAL_REFERENCES.findall(data):
            self._widen(*_reference(text))
            _check_extent(self.extent)

    def _scan_tags(self, data: bytes) -> None:
        """Every ``row`` and ``c`` tag in order, placing a cell without a reference after the one before it,
        in the row of its ``row`` tag (or the row after the one before), as calamine does."""
        for name, attributes in _TAGS.findall(data):
            found = _REFERENCE_ATTRIBUTE.search(attributes)
            if name == b"row":
                self.row = int(found.group(2)) if found and found.group(2).isdigit() else self.row + 1
                self.column = 0
            else:
                if found is not None:
                    self.row, self.column = _reference(found.group(2))
                else:
                    self.column += 1
                self._widen(max(self.row, 1), self.column)
                _check_extent(self.extent)


class _Rescan(Exception):
    """A part scanned fast turned out to be written otherwise: it is scanned again, tag by tag."""


def _unpacked(stream: IO[bytes], part: zipfile.ZipInfo) -> Iterator[bytes]:
    """The unpacked bytes of a part, at most a megabyte at a time, unpacked here from the bytes the zip
    reader of calamine reads too (the ``compress_size`` bytes after the part's local header), so that a
    part that unpacks to more than it declared is refused as soon as it does, whatever CRC it claims."""
    stream.seek(part.header_offset)
    header = stream.read(LOCAL_HEADER_BYTES)
    if len(header) != LOCAL_HEADER_BYTES or not header.startswith(ZIP_MAGIC):
        raise ApplicationError(str(limits.NOT_A_WORKBOOK))
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    stream.seek(part.header_offset + LOCAL_HEADER_BYTES + name_length + extra_length)
    if part.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    elif part.compress_type != zipfile.ZIP_STORED:
        raise ApplicationError(str(limits.NOT_A_WORKBOOK))  # Excel writes only these two
    else:
        inflater = None
    remaining, unpacked, crc = part.compress_size, 0, 0
    while remaining:
        packed = stream.read(min(CHUNK_BYTES, remaining))
        if not packed:
            raise ApplicationError(str(limits.NOT_A_WORKBOOK))
        remaining -= len(packed)
        while packed:
            if inflater is None:
                data, packed = packed, b""
            else:
                data = inflater.decompress(packed, CHUNK_BYTES)
                packed = inflater.unconsumed_tail
            unpacked += len(data)
            if unpacked > part.file_size:
                raise ApplicationError(str(limits.NOT_A_WORKBOOK))
            _check_ratio(part, unpacked)
            crc = zlib.crc32(data, crc)
            if data:
                yield data
    if (inflater is not None and not inflater.eof) or unpacked != part.file_size or crc != part.CRC:
        raise ApplicationError(str(limits.NOT_A_WORKBOOK))


def _read_whole(stream: IO[bytes], archive: zipfile.ZipFile, name: str) -> bytes:
    part = next(part for part in archive.infolist() if part.filename.lower() == name)
    if part.file_size > limits.MAX_DESCRIPTION_BYTES:
        raise ApplicationError(str(limits.NOT_A_WORKBOOK))
    return b"".join(_unpacked(stream, part))


def _sheet_count(stream: IO[bytes], archive: zipfile.ZipFile) -> int:
    return len(_SHEET.findall(_read_whole(stream, archive, "xl/workbook.xml")))


def _check_parts(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    parts = archive.infolist()
    if len(parts) > limits.MAX_PARTS:
        raise ApplicationError(str(limits.TOO_MANY_PARTS).format(limit=limits.grouped(limits.MAX_PARTS)))
    names = [posixpath.normpath(part.filename.replace("\\", "/")).lower() for part in parts]
    if len(set(names)) != len(names) or any(part.flag_bits & 0x1 for part in parts):
        raise ApplicationError(str(limits.NOT_A_WORKBOOK))  # two parts of one name, or encrypted
    if any(name in names for name in OTHER_WORKBOOK_PARTS):
        raise ApplicationError(str(limits.OTHER_WORKBOOK))
    if "xl/workbook.xml" not in names:
        raise ApplicationError(str(limits.NOT_A_WORKBOOK))
    unpacked_mb = limits.MAX_UNPACKED_BYTES // limits.MEGABYTE
    if sum(part.file_size for part in parts) > limits.MAX_UNPACKED_BYTES:
        raise ApplicationError(str(limits.UNPACKS_TOO_LARGE).format(limit=limits.grouped(unpacked_mb)))
    for part in parts:
        _check_ratio(part, part.file_size)
        shared_strings = part.filename.lower().endswith("sharedstrings.xml")
        if shared_strings and part.file_size > limits.MAX_SHARED_STRINGS_BYTES:
            raise ApplicationError(str(limits.UNPACKS_TOO_LARGE).format(limit=limits.grouped(unpacked_mb)))
    return parts


def _check_ratio(part: zipfile.ZipInfo, unpacked: int) -> None:
    if unpacked <= limits.RATIO_GRACE_BYTES:
        return
    ratio = unpacked // max(part.compress_size, 1)
    if ratio > limits.MAX_PACKING_RATIO:
        raise ApplicationError(
            str(limits.PACKED_TOO_TIGHTLY).format(part=part.filename[:100], ratio=limits.grouped(ratio))
        )


def check_workbook(stream: IO[bytes]) -> None:
    """Refuse, with a message for the user, a file that is not an XLSX workbook or that passes a limit of
    ``file_limits``; return when calamine may read it. The stream is left at its start."""
    stream.seek(0)
    content_head = stream.read(len(OLE_MAGIC))
    if content_head.startswith(OLE_MAGIC):
        raise ApplicationError(str(limits.OLD_WORKBOOK))
    if not content_head.startswith(ZIP_MAGIC):
        raise ApplicationError(str(limits.NOT_A_WORKBOOK))
    # Counted before zipfile lists the parts, which costs memory for each (a 50 MB zip could list a million).
    stream.seek(0)
    if stream.read().count(CENTRAL_DIRECTORY_ENTRY) > limits.MAX_PARTS:
        raise ApplicationError(str(limits.TOO_MANY_PARTS).format(limit=limits.grouped(limits.MAX_PARTS)))
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = _check_parts(archive)
            sheets = _sheet_count(stream, archive)
            if sheets > limits.MAX_SHEETS:
                raise ApplicationError(
                    str(limits.TOO_MANY_SHEETS).format(
                        count=limits.grouped(sheets), limit=limits.grouped(limits.MAX_SHEETS)
                    )
                )
            for part in parts:
                _check_part(stream, part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, EOFError, OSError) as error:
        raise ApplicationError(str(limits.NOT_A_WORKBOOK)) from error
    finally:
        stream.seek(0)


def _check_part(stream: IO[bytes], part: zipfile.ZipInfo) -> None:
    """Unpack one part as a stream, checking what it unpacks to; scan it for cells if it is XML."""
    if not part.filename.lower().endswith(".xml"):
        for _chunk in _unpacked(stream, part):
            pass
        return
    try:
        _scan(stream, part, canonical=True)
    except _Rescan:
        _scan(stream, part, canonical=False)


def _scan(stream: IO[bytes], part: zipfile.ZipInfo, *, canonical: bool) -> None:
    scan = _PartScan(canonical=canonical)
    chunks = _unpacked(stream, part)
    chunk = next(chunks, b"")
    while chunk:
        following = next(chunks, b"")
        scan.feed(chunk, last=not following)
        chunk = following
