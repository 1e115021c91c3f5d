"""Commune classifications with a period of validity, imported from CSV or XLSX."""

import datetime

import pytest

from tests.imports.helpers import preview, preview_and_apply, problems
from vungcao.common.errors import PermissionDeniedError
from vungcao.geo.models import UnitAttribute
from vungcao.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

GOOD = (
    "code;kind;value;valid_from;valid_to;legal_basis\n"
    "06970;ethnic_region;III;2021-06-04;2025-06-30;Decision 861/QD-TTg\n"
    "03325;border;yes;01/07/2025;;Decree 34/2014/ND-CP\n"
)


def stored() -> set[tuple[str, str, str, datetime.date, datetime.date | None]]:
    return set(UnitAttribute.objects.values_list("unit__code", "kind", "value", "valid_from", "valid_to"))


def test_given_a_clean_file_when_applied_then_each_classification_is_stored_with_its_period() -> None:
    batch = preview_and_apply("unit_attributes", GOOD)
    assert (batch.created_count, batch.updated_count) == (2, 0)
    assert stored() == {
        ("06970", "ethnic_region", "III", datetime.date(2021, 6, 4), datetime.date(2025, 6, 30)),
        ("03325", "border", "yes", datetime.date(2025, 7, 1), None),
    }
    again = preview_and_apply("unit_attributes", GOOD)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_a_changed_value_is_counted_as_changed() -> None:
    preview_and_apply("unit_attributes", GOOD)
    batch = preview_and_apply("unit_attributes", GOOD.replace(";III;", ";II;"))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    assert UnitAttribute.objects.get(unit__code="06970").value == "II"


def test_a_bad_file_is_refused_whole_with_every_problem() -> None:
    bad = (
        "code,kind,value,valid_from,valid_to\n"
        "06970,ethnic_region,III,2021-06-04,\n"
        "12345,ethnic_region,II,2021-06-04,\n"
        "06970,altitude,high,2021-06-04,\n"
        "06970,ethnic_region,IV,2021-06-04,\n"
        "06970,border,yes,yesterday,\n"
        "06970,island,no,2025-07-01,2024-01-01\n"
    )
    batch = preview("unit_attributes", bad)
    assert batch.status == ImportBatch.Status.REFUSED
    assert [(row, field, value) for row, field, value, _reason in problems(batch)] == [
        (3, "code", "12345"),
        (4, "kind", "altitude"),
        (5, "value", "IV"),
        (6, "valid_from", "yesterday"),
        (7, "valid_to", "2024-01-01"),
    ]
    assert stored() == set()


def test_only_administrators_import_classifications(province_officer) -> None:
    with pytest.raises(PermissionDeniedError):
        preview("unit_attributes", GOOD, user=province_officer)
    assert stored() == set()
