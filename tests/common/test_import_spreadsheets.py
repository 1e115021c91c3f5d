"""The problems of an uploaded file and the import templates: cells copied from an uploaded file come back as
text, never as formulas, for every role that may upload; a template holds no formula either."""

import io

import pytest
from openpyxl import load_workbook

from tests.common.hostile import formula_free_texts
from tests.common.reports import read_report
from tests.conftest import client_for
from tests.imports.helpers import uploaded
from vungcao.imports.registry import importers

VALUE = "Giá trị"  # the problems sheet's "Value" column, in Vietnamese

# The upload refuses a cell starting with "=" by itself, so that one comes in a file of its own.
FILES = [['=HYPERLINK("http://x","y")'], ["+1+1", "-2", "@SUM(A1)"]]


def village_file(commune_codes: list[str]) -> io.BytesIO:
    quoted = ['"{}"'.format(code.replace('"', '""')) for code in commune_codes]
    lines = ["commune_code,name,type", *(f"{code},Thôn Một,thôn" for code in quoted)]
    upload = io.BytesIO(("\n".join(lines) + "\n").encode())
    upload.name = "villages.csv"
    return upload


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["commune_officer", "province_officer", "administrator"])
@pytest.mark.parametrize("typed", FILES)
def test_every_uploader_downloads_the_problems_of_a_hostile_file_as_text(request, role, typed) -> None:
    # Given a village list whose commune codes could be read as formulas
    client = client_for(request.getfixturevalue(role))
    batch = uploaded(client, "villages", village_file(typed).getvalue(), "villages.csv")
    # When the uploader downloads its problems (once the worker has read the file)
    problems = client.get(f"/imports/{batch.pk}/problems.xlsx")
    # Then the file opens, holds no formula, and each value is there as typed
    assert problems.status_code == 200
    formula_free_texts(problems.content)
    assert sorted(read_report(problems.content).column(VALUE)) == sorted(typed)


@pytest.mark.django_db
def test_no_import_template_holds_a_formula(administrator) -> None:
    client = client_for(administrator)
    for kind in (kind for kind, importer in importers().items() if importer.offered):
        response = client.get(f"/imports/template/{kind}.xlsx")
        assert response.status_code == 200, kind
        assert formula_free_texts(response.content), kind


@pytest.mark.django_db
def test_every_template_formats_its_code_columns_as_text(administrator) -> None:
    """Excel keeps 06970 in a text column; every importer declaring code columns gets them in its template."""
    from vungcao.imports.spreadsheets import template_workbook

    declared = {importer.kind: importer for importer in importers().values() if importer.code_columns}
    assert {"questionnaire", "villages", "crosswalk", "unit_attributes", "money_records"} <= set(declared)
    for importer in declared.values():
        sheet = load_workbook(io.BytesIO(template_workbook(importer))).active
        columns = list(importer.columns)
        for column in importer.code_columns:
            letter = sheet.cell(row=1, column=columns.index(column) + 1).column_letter
            assert sheet.column_dimensions[letter].number_format == "@", (importer.kind, column)


def test_restoring_codes_changes_only_shortened_codes_and_reports_the_rest() -> None:
    from vungcao.common.importing import restore_codes
    from vungcao.engine import codes

    rows = [
        {"commune_code": "6970", "identity_number": "22080001234"},
        {"commune_code": "06970", "identity_number": ""},
        {"commune_code": "1234567", "identity_number": "1234"},
    ]
    report = restore_codes(rows, {"commune_code": codes.COMMUNE, "identity_number": codes.IDENTITY_NUMBER})
    assert [row["commune_code"] for row in rows] == ["06970", "06970", "1234567"]
    assert [row["identity_number"] for row in rows] == ["022080001234", "", "1234"]
    assert [(problem.row, problem.field, problem.value) for problem in report] == [
        (4, "commune_code", "1234567"),
        (4, "identity_number", "•••••••••234"),
    ]
