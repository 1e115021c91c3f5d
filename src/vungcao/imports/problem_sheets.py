"""The problems of a refused file as a report (danh sách lỗi của tệp nhập), written by the one report
writer (``common.report_workbooks``), to fix the file by.

One problem a row: the row of the file, the column as the template heads it ("Mã hộ (household_code)"),
the value as the file held it and the problem in words; the totals row counts the problems, and the
heading says which file, which import, for which unit, and that problems past those kept were left out.
Every value copied from the uploaded file comes back as text, never as a formula."""

from django.utils import timezone
from django.utils.translation import gettext as _

from vungcao.accounts.models import User
from vungcao.common.importing import Importer, template_header
from vungcao.common.language import reader_language
from vungcao.common.report_workbooks import Column, Heading, Kind, ReportWorkbook, Total, exported_by
from vungcao.engine.tabular import ValidationProblem
from vungcao.engine.text import format_number
from vungcao.geo.names import unit_full_name
from vungcao.imports.models import ImportBatch


def problem_columns() -> list[Column]:
    return [
        Column("row", _("Row"), Kind.INTEGER, width=8),
        Column("column", _("Column"), width=30),
        Column("value", _("Value"), width=30),
        Column("problem", _("Problem"), total=Total.COUNT, width=80),
    ]


def _column_headers(importer: Importer | None, user: User) -> dict[str, str]:
    """Each column's header as the import's template writes it, in the active language."""
    if importer is None:
        return {}
    extra = importer.extra_columns(user) if importer.extra_columns else ()
    labels = {**importer.labels, **dict(extra)}
    return {column: template_header(column, labels.get(column)) for column in (*importer.columns, *labels)}


def problems_workbook(
    *, batch: ImportBatch, importer: Importer | None, problems: list[ValidationProblem], user: User
) -> bytes:
    """Every problem kept of ``batch`` (read by ``user``, who uploaded it) as one report sheet."""
    uploaded = timezone.localtime(batch.created_at).strftime("%d/%m/%Y %H:%M")
    rows = format_number(batch.row_count, reader_language())
    notes = [_("Uploaded on {date}, {rows} rows read.").format(date=uploaded, rows=rows)]
    if importer is not None:
        notes.insert(0, _("Import: {kind}").format(kind=importer.label))
    if batch.problems_omitted:
        notes.append(
            _(
                "Only the first {kept} problems by row are listed: {omitted} more were found but not kept."
            ).format(kept=len(problems), omitted=batch.problems_omitted)
        )
    heading = Heading(
        title=_("Problems found in the file {name}").format(name=batch.filename),
        unit=unit_full_name(user.scope) if user.scope else _("Whole country"),
        notes=tuple(notes),
        exported_by=exported_by(user),
    )
    workbook = ReportWorkbook()
    sheet = workbook.add_sheet(name=_("Problems"), heading=heading, columns=problem_columns())
    headers = _column_headers(importer, user)
    for problem in problems:
        column = headers.get(problem.field, problem.field) if problem.field else ""
        sheet.append([problem.row, column, problem.value, problem.reason])
    return workbook.content()
