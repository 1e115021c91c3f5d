"""Codes a spreadsheet turned into numbers: every importer with code columns reads them back with their
leading zeros, or refuses them with the reason and writes nothing."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from tests.conftest import BA_CHE
from tests.imports.helpers import preview, preview_and_apply, problems
from vungcao.geo.models import AdministrativeUnit, UnitAttribute
from vungcao.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def workbook(header: list[str], *rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_a_commune_code_excel_made_a_number_is_read_with_its_leading_zero(commune_officer) -> None:
    """Given a villages file whose commune code cell is the number 6970 (Excel's reading of 06970)."""
    assert BA_CHE == "06970"
    content = workbook(["commune_code", "name", "type"], [6970, "Thôn Nà Làng", "thôn"])
    batch = preview_and_apply("villages", content, "villages.xlsx", user=commune_officer)
    assert batch.created_count == 1
    assert AdministrativeUnit.objects.get(name="Thôn Nà Làng").parent.code == "06970"


def test_a_code_too_long_for_its_kind_is_refused_with_the_reason(commune_officer) -> None:
    content = workbook(["commune_code", "name"], [697012, "Thôn Nà Làng"])
    with translation.override("en"):
        batch = preview("villages", content, "villages.xlsx", user=commune_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems(batch) == [(2, "commune_code", "697012", "A commune code has 5 digits; this one has 6.")]
    assert not AdministrativeUnit.objects.filter(name="Thôn Nà Làng").exists()


def test_classifications_read_codes_as_numbers_and_yes_no_as_officials_write_it() -> None:
    content = workbook(
        ["code", "kind", "value", "valid_from"],
        [6970, "ethnic_region", "III", "2021-06-04"],
        [3325, "border", "có", "01/07/2025"],
    )
    preview_and_apply("unit_attributes", content, "classes.xlsx")
    assert set(UnitAttribute.objects.values_list("unit__code", "kind", "value")) == {
        ("06970", "ethnic_region", "III"),
        ("03325", "border", "yes"),
    }
