"""Spreadsheets handed to users: an import template with drop-down lists and a sheet of instructions, and
the problems of a file.

Every cell goes through ``sheet_row``: a value copied from an uploaded file comes back as text, never
as a formula, without the control characters a worksheet cannot hold."""

import io
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vungcao.common.importing import Importer, template_header
from vungcao.common.language import reader_language
from vungcao.common.spreadsheets import sheet_row

HEADER_FILL = PatternFill("solid", fgColor="DDEBE4")


def _bold_header(sheet: Worksheet, columns: Sequence[str], row: int = 1) -> None:
    sheet.append(sheet_row(sheet, columns))
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


LISTS_SHEET = "lists"
# What the instructions sheet says of every file, whatever its kind.
GENERAL_INSTRUCTIONS = (
    gettext_lazy(
        "Fill the first sheet, one row per record below its header row. Keep the header row: a column may "
        "be headed by its label or by its name in brackets. Leave out an optional column you do not use."
    ),
    gettext_lazy(
        "Numbers are read as officials write them: 1.500.000, 1 500 000, 1,5 triệu and 2tr are all read. "
        "Dates as day/month/year: 31/12/2025."
    ),
    gettext_lazy(
        "Codes (units, households, identity numbers) are text: keep their leading zeros (06970). The "
        "template's code columns are formatted as text so that Excel keeps them."
    ),
    gettext_lazy(
        "A column with a list takes one of the list's values; a value written without diacritics or in "
        "capitals is read too. A value that cannot be read is reported with the allowed values."
    ),
    gettext_lazy(
        "Nothing is written when the file is uploaded: its preview shows every change and every row "
        "with a problem, and the file is written only when you apply it."
    ),
)
TEXT_FORMAT = "@"
TEMPLATE_ROWS = 100_000
"""Rows of the template given drop-down lists and the text format: more than any commune's file."""


def _allowed(importer: Importer, column: str) -> str:
    """What a column of the template takes, in words: its list, or the kind of code it holds."""
    choices = dict(importer.choices)
    if column in choices:
        return "; ".join(str(value) for value in choices[column])
    shape = importer.code_columns.get(column)
    if shape is not None:
        digits = " / ".join(str(length) for length in shape.lengths)
        kind = shape.kind.in_language(reader_language())
        if shape.prefixed:
            return _(
                "{kind}, as text (the {digits} digits of the unit above, “-”, then its own part)"
            ).format(kind=kind, digits=digits)
        return _("{kind}, as text ({digits} digits)").format(kind=kind, digits=digits)
    return ""


def _instructions(
    sheet: Worksheet, importer: Importer, columns: Sequence[str], labels: Mapping[str, object]
) -> None:
    """How to fill the file, in the reader's language: the rules every file follows, those of this kind,
    then each column — its header, whether it is required, what it takes, and the example's value."""
    sheet.append([_("How to fill the file: {kind}").format(kind=importer.label)])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in (*GENERAL_INSTRUCTIONS, *importer.instructions):
        sheet.append(sheet_row(sheet, [f"• {line}"]))
    sheet.append([])
    _bold_header(
        sheet, [_("Column"), _("Required"), _("Allowed values"), _("Example")], row=sheet.max_row + 1
    )
    examples = [str(value) for value in importer.example]
    for position, column in enumerate(columns):
        required = _("no") if column in importer.optional else _("yes")
        example = examples[position] if position < len(examples) else ""
        header = template_header(column, labels.get(column))
        sheet.append(sheet_row(sheet, [header, required, _allowed(importer, column), example]))
    for letter, width in zip("ABCD", (40, 12, 70, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_workbook(importer: Importer, extra: tuple[tuple[str, str], ...] = ()) -> bytes:
    """The sheet to fill: the header row, one example row, drop-down lists for columns with fixed values
    (their labels, kept on a hidden sheet: a label may hold a comma, and an inline list is at most 255
    characters), and every code and identity column formatted as text, so Excel keeps ``06970`` as
    written instead of turning it into the number 6970. Then a sheet of instructions (the file is read
    from its first sheet alone)."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = importer.kind
    columns = [*importer.columns, *(column for column, _label in extra)]
    labels = {**importer.labels, **dict(extra)}
    _bold_header(sheet, [template_header(column, labels.get(column)) for column in columns])
    sheet.append(sheet_row(sheet, [str(value) for value in importer.example]))
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for position, (column, allowed) in enumerate(importer.choices, start=1):
        list_letter = get_column_letter(position)
        for row, value in enumerate(allowed, start=1):
            lists.cell(row=row, column=position, value=str(value))  # our labels, never a user's text
        letter = get_column_letter(columns.index(column) + 1)
        source = f"{LISTS_SHEET}!${list_letter}$1:${list_letter}${len(allowed)}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)
    for column in importer.code_columns:
        if column in columns:
            position = columns.index(column) + 1
            # The column's own format is what Excel gives every cell typed into it; the example's too.
            sheet.column_dimensions[get_column_letter(position)].number_format = TEXT_FORMAT
            sheet.cell(row=2, column=position).number_format = TEXT_FORMAT
    for index in range(len(columns)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = 24
    _instructions(workbook.create_sheet(_("Instructions"), 1), importer, columns, labels)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
