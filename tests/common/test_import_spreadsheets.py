"""The problems of an uploaded file and the import templates: cells copied from an uploaded file come back as
text, never as formulas, for every role that may upload; a template holds no formula either."""

import io

import pytest

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
    for kind in importers():
        response = client.get(f"/imports/template/{kind}.xlsx")
        assert response.status_code == 200, kind
        assert formula_free_texts(response.content), kind
