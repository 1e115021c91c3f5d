"""What an uploaded file may be, checked before it is read, with the reason for each limit.

Any role that may upload may send any bytes, so a file is read only once it is known to be bounded:
its size, what it unpacks to, how tightly it is packed, how many parts and sheets it has and how far its
cells reach. The reader stops at the first limit passed with one of the messages below (tests assert
them). The legitimate large case each limit must keep working: a province's questionnaire workbook of
100,000 households, 402,918 member rows × 30 columns (12.1 million cells), 42 MB packed, ~0.5 GB unpacked.
"""

from django.utils.translation import gettext_lazy as _

from vungcao.common.language import reader_language
from vungcao.engine.text import format_number

MEGABYTE = 1024 * 1024

# The whole upload, as received. A province's questionnaire file of 100,000 households is 42 MB; a larger
# province splits its file by district. Read into memory once (``imports.services``), so it bounds memory.
MAX_FILE_BYTES = 50 * MEGABYTE

# Rows of a sheet or CSV file, header included: 100,000 households are 402,918 member rows; a quarter more
# is allowed, and the 50 MB limit allows about as many rows of real data anyway. Refuses "a million empty
# rows" before they are read.
MAX_ROWS = 500_000
# Columns: the widest import (the questionnaire with one column per answer) has about 30; 256 is the width
# of a sheet in Excel 2003 and leaves room for notes a user adds.
MAX_COLUMNS = 256
# Cells of the grid the reader builds (rows × columns, counted from A1 as it pads every row to the widest):
# 20 million is 1.6 × the 100,000-household file (12.1 million, ~1.8 GB peak for read + plan + write).
# This is what keeps a sheet declaring one cell at XFD1048576 (17 billion cells, hundreds of GB) out.
MAX_CELLS = 20_000_000
# A cell's text: Excel itself holds at most 32,767 characters in a cell, so a longer one was not typed.
MAX_CELL_CHARACTERS = 32_767

# XLSX (a zip of XML parts). Sizes are checked as declared, then counted while each part is unpacked, so
# a part that lies about its size is caught (``zipfile`` stops at the declared size and checks the CRC).
# All the parts together, unpacked: the 100,000-household workbook unpacks to about 0.5 GB; unpacking
# runs at ~400 MB/s, so this bounds the time of the check to a few seconds.
MAX_UNPACKED_BYTES = 1024 * MEGABYTE
# Shared strings are held in memory whole by the reader: ~40 MB for 100,000 households.
MAX_SHARED_STRINGS_BYTES = 256 * MEGABYTE
# The workbook's own description (workbook.xml, its relationships), read whole to find the sheets.
MAX_DESCRIPTION_BYTES = 16 * MEGABYTE
# How many times a part may unpack to its packed size. Spreadsheet XML packs 5-20 times; a decompression
# bomb (zeros, a repeated empty row) packs a thousand times or more. 100 is Apache POI's default
# (``ZipSecureFile`` minimum inflate ratio 0.01). Parts under ``RATIO_GRACE_BYTES`` unpacked are exempt:
# a small, repetitive part may pack tightly and cannot hurt.
MAX_PACKING_RATIO = 100
RATIO_GRACE_BYTES = 1 * MEGABYTE
# Parts of the zip: a workbook saved by Excel has 10-20, with pictures and comments a few dozen.
MAX_PARTS = 1_000
# Sheets: only the first is imported; a workbook of reference sheets has a few dozen at most.
MAX_SHEETS = 100

# What is stored about a refused file: see ``engine.tabular.MAX_PROBLEMS``.

FILE_TOO_LARGE = _("The file is larger than 50 MB; split it.")
NOT_A_WORKBOOK = _("The file is not a readable Excel workbook (.xlsx).")
OLD_WORKBOOK = _("The file is an old Excel workbook (.xls); open it in Excel and save it as .xlsx.")
OTHER_WORKBOOK = _(
    "The file is not an Excel workbook (.xlsx) but another kind of spreadsheet; save it as .xlsx."
)
TOO_MANY_PARTS = _("The workbook has more than {limit} parts; it was not read.")
TOO_MANY_SHEETS = _(
    "The workbook has {count} sheets; at most {limit} can be read. Only the first sheet is imported: copy it "
    "into a workbook of its own."
)
UNPACKS_TOO_LARGE = _("The workbook unpacks to more than {limit} MB; split it.")
PACKED_TOO_TIGHTLY = _(
    "A part of the workbook ({part}) unpacks to {ratio} times its packed size, as no spreadsheet does; it "
    "was not read."
)
SHEET_TOO_LARGE = _(
    "The sheet reaches cell {cell} ({rows} rows × {columns} columns); at most {max_rows} rows, {max_columns} "
    "columns and {max_cells} cells can be read. Delete the rows and columns after the data, or split the file."
)
CSV_NOT_TEXT = _('The file is not CSV text (it holds binary data); save it as "CSV UTF-8".')
CSV_IS_WORKBOOK = _("The file is an Excel workbook, not CSV text: upload it with a name ending in .xlsx.")
CSV_NOT_UTF8 = _('The CSV file is not UTF-8 text; save it as "CSV UTF-8".')
CSV_UNREADABLE = _(
    "Row {row} of the CSV file cannot be read (a cell longer than {limit} characters, or a quote never closed)."
)
TOO_MANY_ROWS = _("The file has more than {limit} rows; split it.")
TOO_MANY_COLUMNS = _("Row {row} has {columns} columns; at most {limit} can be read.")
TOO_MANY_CELLS = _("The file has more than {limit} cells; split it.")
TOO_MANY_FEATURES = _("The file has more than {limit} features; split it.")
NOT_GEOJSON = _("The file is not valid GeoJSON (UTF-8 JSON text).")
CELL_CONTROL_CHARACTER = _("The cell holds an invisible control character (code {code}); delete it.")
CELL_FORMULA = _('The cell begins with "=", as a formula does; a formula is not imported: type the value.')
CELL_TOO_LONG = _("The cell is longer than {limit} characters.")


def grouped(number: int) -> str:
    """A count with the thousands grouped as the reader's language writes them (500,000 / 500.000)."""
    return format_number(number, reader_language())
