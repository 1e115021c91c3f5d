"""A province's wording of its review's phone form (cách diễn đạt của tỉnh): its officers download the
cycle's XLSForm, reword it in Excel and upload it back.

Only the texts change: labels, hints and messages in each language, and how a question is shown
(``appearance``). The upload is compared with the form generated from the standard row by row (a
question by its name, a choice by its list and name); any other change, a row added, removed or moved, is
a problem of its row, and nothing is kept. The reworded form must still pass ODK Validate. What is kept is
the changed texts alone (``FormWording``), laid over the generated form: the questions, their names and
their rules stay the server's, and every commune's form takes a new version, so phones download it again.
"""

import io
import re
import zipfile
from collections.abc import Sequence
from typing import IO

from django.db import transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import file_limits as limits
from vungcao.common.errors import ApplicationError, ImportRefusedError, PermissionDeniedError
from vungcao.common.files import Table, read_sheets
from vungcao.common.workbook_check import CHUNK_BYTES, MAX_TAG_BYTES
from vungcao.engine.tabular import ValidationProblem, ValidationReport, shortened
from vungcao.field_capture import xforms
from vungcao.field_capture.models import FormWording
from vungcao.field_capture.xlsform import (
    CHOICE_COLUMNS,
    DEFAULT_LANGUAGE,
    SURVEY_COLUMNS,
    WORDING_COLUMNS,
    Row,
    Wording,
    XLSForm,
    row_key,
)
from vungcao.registry.models import ReviewCycle

MAX_WORDING_BYTES = limits.MEGABYTE
"""A form's workbook is about 25 kB: a megabyte leaves room for long texts, and nothing more is read."""
SHEETS = {"survey": SURVEY_COLUMNS, "choices": CHOICE_COLUMNS}
"""The sheets compared, with their columns; the ``settings`` sheet is the server's and is not read."""
LABEL = f"label::{DEFAULT_LANGUAGE}"
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CELL_BEFORE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Za-z]{1,3}[0-9]{1,7})"')

NOT_YOUR_PROVINCE = gettext_lazy("Only the province's officers may reword its review's form.")
TOO_LARGE = gettext_lazy("The file is larger than {limit} MB: it is not a review form's workbook.")
NO_SHEET = gettext_lazy(
    "The workbook has no sheet named “{sheet}”: upload the form's workbook as downloaded."
)
FORMULA = gettext_lazy("The workbook holds a formula (cell {cell}): write the texts themselves.")
REFUSED = gettext_lazy("The workbook was not taken: it changes more than the wording (problems below).")
NOT_VALID = gettext_lazy("ODK Validate refuses the reworded form: {message}")
NO_JAVA = gettext_lazy("The server cannot check the reworded form now (Java is missing): ask its operator.")
UNKNOWN_COLUMN = gettext_lazy("This column is not the form's: only the form's own columns may be filled.")
MISSING_COLUMN = gettext_lazy("The column {column} is missing: only texts may change.")
ADDED_ROW = gettext_lazy("A row that is not the form's: rows may not be added.")
REMOVED_ROW = gettext_lazy("The form's row {name} is missing: rows may not be removed.")
TWICE = gettext_lazy("This row is the form's row {name} a second time.")
MOVED_ROW = gettext_lazy("The form's rows are in another order from here on: rows may not be moved.")
NOT_WORDING = gettext_lazy(
    "Only labels, hints, messages and appearance may change; this cell was “{before}” in the form."
)
EMPTIED_LABEL = gettext_lazy("A label may be reworded, not emptied.")


def _refuse_formulas(content: bytes) -> None:
    """A formula is no text (its value is what Excel last computed, or nothing): refused, naming its
    cell. Read a megabyte at a time, once ``read_sheets`` found the workbook within the limits."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for part in archive.infolist():
            if not part.filename.lower().startswith("xl/worksheets/"):
                continue
            cell, tail = b"?", b""
            with archive.open(part) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    data = tail + chunk
                    found = _FORMULA.search(data)
                    cells = _CELL_BEFORE.findall(data, 0, found.start() if found else len(data))
                    cell = cells[-1] if cells else cell
                    if found is not None:
                        raise ApplicationError(str(FORMULA).format(cell=cell.decode()))
                    tail = data[-MAX_TAG_BYTES:]


def _sheet_problems(
    sheet: str, table: Table, generated: Sequence[Row], columns: Sequence[str]
) -> tuple[dict[str, dict[str, str]], list[ValidationProblem]]:
    """The texts of a sheet that differ from the generated form's, by row, and the problems of every
    other difference. Rows are numbered as in the workbook (the header is row 1)."""

    def problem(row: int, column: str, value: str, reason: str) -> ValidationProblem:
        return ValidationProblem(row, f"{sheet} · {column}" if column else sheet, shortened(value), reason)

    problems = [problem(found.row, found.field, found.value, found.reason) for found in table.problems]
    header = table.columns
    for index, column in enumerate(header):
        if column not in columns and any(index < len(row) and row[index] for row in table.rows):
            problems.append(problem(1, column, "", str(UNKNOWN_COLUMN)))
    position = {column: header.index(column) for column in columns if column in header}
    problems += [
        problem(1, column, "", str(MISSING_COLUMN).format(column=column))
        for column in columns
        if column not in position and column not in WORDING_COLUMNS
    ]
    expected = {row_key(sheet, row): row for row in generated}
    found: dict[str, int] = {}  # the form's rows found, by key, with their number in the workbook
    texts: dict[str, dict[str, str]] = {}
    for number, cells in enumerate(table.rows, start=2):
        if not any(cells):
            continue
        uploaded = {column: cells[index] if index < len(cells) else "" for column, index in position.items()}
        key = row_key(sheet, uploaded)
        if key not in expected:
            problems.append(problem(number, "name", key, str(ADDED_ROW)))
            continue
        if key in found:
            problems.append(problem(number, "name", key, str(TWICE).format(name=key)))
            continue
        found[key] = number
        before = expected[key]
        for column in position:
            value, was = uploaded[column], before.get(column, "")
            if value == was:
                continue
            if column not in WORDING_COLUMNS:
                problems.append(
                    problem(number, column, value, str(NOT_WORDING).format(before=shortened(was)))
                )
            elif column == LABEL and was and not value:
                problems.append(problem(number, column, value, str(EMPTIED_LABEL)))
            else:
                texts.setdefault(key, {})[column] = value
    in_order = [key for key in expected if key in found]
    moved = next((key for key, kept in zip(found, in_order, strict=True) if key != kept), None)
    if moved is not None:
        problems.append(problem(found[moved], "name", moved, str(MOVED_ROW)))
    problems += [
        problem(place, "name", key, str(REMOVED_ROW).format(name=key))
        for place, key in enumerate(expected, start=2)
        if key not in found
    ]
    return texts, problems


def _validated(form: XLSForm) -> None:
    """``form`` converted and checked by ODK Validate (Java); its refusal is the user's to read."""
    from pyxform.errors import PyXFormError
    from pyxform.validators.odk_validate import ODKValidateError

    try:
        xforms.xlsform_xml(form, validate=True)
    except (PyXFormError, ODKValidateError) as error:
        raise ApplicationError(str(NOT_VALID).format(message=shortened(str(error)))) from error
    except OSError as error:
        raise ApplicationError(str(NO_JAVA)) from error


def form_wording_upload(
    *, user: User, cycle: ReviewCycle, stream: IO[bytes], filename: str
) -> FormWording | None:
    """Take the province's reworded workbook of the cycle's form: the texts that differ from the
    generated form are kept (``FormWording``), and every commune's form takes them. None when the
    workbook words the form as generated (the province's wording, if any, is removed).

    ``ImportRefusedError`` with a problem per row when it changes anything else; ``ApplicationError`` when
    the file is no such workbook or ODK Validate refuses the reworded form. Nothing is kept then."""
    if not access.can_decide_review(user, cycle.province):
        raise PermissionDeniedError(str(NOT_YOUR_PROVINCE))
    content = stream.read(MAX_WORDING_BYTES + 1)
    if len(content) > MAX_WORDING_BYTES:
        raise ApplicationError(
            str(TOO_LARGE).format(limit=limits.grouped(MAX_WORDING_BYTES // limits.MEGABYTE))
        )
    tables = read_sheets(io.BytesIO(content), SHEETS)
    for sheet in SHEETS:
        if sheet not in tables:
            raise ApplicationError(str(NO_SHEET).format(sheet=sheet))
    _refuse_formulas(content)
    generated = xforms.cycle_xlsform(cycle=cycle)
    wording: dict[str, dict[str, dict[str, str]]] = {}
    problems: list[ValidationProblem] = []
    for sheet, rows in (("survey", generated.survey), ("choices", generated.choices)):
        texts, found = _sheet_problems(sheet, tables[sheet], rows, SHEETS[sheet])
        problems += found
        if texts:
            wording[sheet] = texts
    if problems:
        raise ImportRefusedError(str(REFUSED), ValidationReport(problems))
    if wording:
        _validated(xforms.cycle_xlsform(cycle=cycle, wording=wording))
    return _stored(user=user, cycle=cycle, wording=wording, filename=filename)


@transaction.atomic
def _stored(*, user: User, cycle: ReviewCycle, wording: Wording, filename: str) -> FormWording | None:
    if not wording:
        FormWording.objects.filter(cycle=cycle).delete()
        return None
    stored, _created = FormWording.objects.update_or_create(
        cycle=cycle, defaults={"wording": wording, "filename": filename[:255], "uploaded_by": user}
    )
    return stored


def form_wording_remove(*, user: User, cycle: ReviewCycle) -> None:
    """Go back to the form as generated from the standard."""
    if not access.can_decide_review(user, cycle.province):
        raise PermissionDeniedError(str(NOT_YOUR_PROVINCE))
    FormWording.objects.filter(cycle=cycle).delete()
