"""Support to registry households: eligibility from the latest recorded status up to the year, with
every reason when refused and nothing written; legacy rows recorded by code; linking them by code."""

import importlib

import pytest
from django.apps import apps

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, current_unit
from tests.programs.helpers import household, housing_missing
from vungcao.common.errors import PermissionDeniedError
from vungcao.programs import eligibility
from vungcao.programs.models import Component, HouseholdStatus, HouseholdSupport
from vungcao.programs.selectors import activities
from vungcao.programs.services import activities as services

pytestmark = pytest.mark.django_db
HOUSING = "GNBV-DA5"
HOUSING_MISSING = housing_missing()
HOUSING_MISSING_CODES = housing_missing(labelled=False)


def component(code: str = HOUSING) -> Component:
    return Component.objects.get(code=code)


def support(user, the_household, *, kind: str = "housing", year: int = 2024, **extra) -> HouseholdSupport:
    return services.household_support_create(
        user=user,
        household=the_household,
        component=extra.pop("component", component()),
        year=year,
        kind=kind,
        amount_vnd=extra.pop("amount_vnd", 40_000_000),
        **extra,
    )


@pytest.mark.parametrize(
    ("kind", "status", "deprivations", "reasons"),
    [
        ("housing", "poor", {"housing_quality"}, []),
        ("housing", "near_poor", {"housing_area", "latrine"}, []),
        (
            "housing",
            "not_poor",
            {"housing_quality"},
            [str(eligibility.NOT_POOR_OR_NEAR_POOR).format(status="not_poor")],
        ),
        ("housing", "poor", {"latrine"}, [HOUSING_MISSING_CODES]),
        (
            "housing",
            None,
            set(),
            [str(eligibility.NO_RECORDED_STATUS).format(year=2024), HOUSING_MISSING_CODES],
        ),
        (
            "water_tank",
            "poor",
            set(),
            [str(eligibility.DEPRIVATION_MISSING).format(indicators="water_source")],
        ),
        ("vocational_training", "not_poor", set(), []),
        ("vocational_training", None, set(), []),
        ("lottery", "poor", set(), [str(eligibility.UNKNOWN_SUPPORT).format(kind="lottery")]),
    ],
)
def test_the_rules_give_every_reason(kind, status, deprivations, reasons) -> None:
    assert (
        eligibility.support_refusals(kind=kind, status=status, deprivations=deprivations, year=2024)
        == reasons
    )


def test_housing_support_to_a_near_poor_household_with_a_housing_deprivation_is_recorded_with_its_status(
    commune_officer,
) -> None:
    # Given a Ba Chẽ household near-poor in 2023 with a poor-quality house, not yet reviewed in 2024
    the_household = household("BC-0001", BA_CHE, {2023: ("near_poor", {"housing_quality", "latrine"})})
    # When
    created = support(commune_officer, the_household, year=2024)
    # Then the decision's grounds are copied onto the record
    stored = HouseholdSupport.objects.get()
    assert stored == created
    assert (stored.household, stored.household_code, stored.unit) == (
        the_household,
        "BC-0001",
        the_household.village,
    )
    assert (stored.recorded_status, stored.status_year, stored.recorded_deprivations) == (
        "near_poor",
        2023,
        ["housing_quality", "latrine"],
    )
    assert list(activities.support_list(user=commune_officer, unit=current_unit(BA_CHE))) == [stored]


def test_a_household_without_a_housing_deprivation_is_refused_with_the_reason_and_nothing_written(
    commune_officer,
) -> None:
    the_household = household("BC-0002", BA_CHE, {2024: ("poor", {"latrine"})})
    with pytest.raises(services.SupportRefused) as refused:
        support(commune_officer, the_household)
    assert refused.value.reasons == [HOUSING_MISSING]
    assert refused.value.errors == {"household_code": HOUSING_MISSING}
    assert not HouseholdSupport.objects.exists()


def test_the_latest_review_up_to_the_year_decides(commune_officer) -> None:
    # Given poor with a bad house in 2023, out of poverty in 2024, nothing recorded for 2025 yet
    the_household = household(
        "BC-0003", BA_CHE, {2023: ("poor", {"housing_quality"}), 2024: ("average", set())}
    )
    # When support is asked for 2024 it is refused, naming the status of 2024
    with pytest.raises(services.SupportRefused) as refused:
        support(commune_officer, the_household, year=2024)
    assert refused.value.reasons == [
        str(eligibility.NOT_POOR_OR_NEAR_POOR).format(status=HouseholdStatus.AVERAGE.label),
        HOUSING_MISSING,
    ]
    # and for 2023 it is given on the 2023 status
    assert support(commune_officer, the_household, year=2023).status_year == 2023


def test_a_household_with_no_review_up_to_the_year_is_refused(commune_officer) -> None:
    the_household = household("BC-0004", BA_CHE, {2025: ("poor", {"housing_quality"})})
    with pytest.raises(services.SupportRefused) as refused:
        support(commune_officer, the_household, year=2024)
    assert refused.value.reasons == [
        str(eligibility.NO_RECORDED_STATUS).format(year=2024),
        HOUSING_MISSING_CODES,
    ]
    assert not HouseholdSupport.objects.exists()


def test_the_same_support_twice_and_bad_fields_are_refused_by_name(commune_officer) -> None:
    the_household = household("BC-0005", BA_CHE, {2024: ("poor", {"housing_area"})})
    support(commune_officer, the_household)
    with pytest.raises(services.EntryRefused) as duplicate:
        support(commune_officer, the_household)
    assert duplicate.value.errors == {"kind": str(services.DUPLICATE_SUPPORT)}
    retired = component("GNBV-DA6")
    retired.is_active = False
    retired.save()
    with pytest.raises(services.EntryRefused) as bad:
        support(commune_officer, the_household, component=retired, amount_vnd=-1, kind="seedlings")
    assert bad.value.errors == {
        "component": str(services.RETIRED_COMPONENT),
        "amount_vnd": str(services.NEGATIVE_AMOUNT),
    }
    assert HouseholdSupport.objects.count() == 1


def test_a_ba_che_officer_cannot_give_support_to_a_tien_yen_household(commune_officer) -> None:
    elsewhere = household("TY-0001", TIEN_YEN, {2024: ("poor", {"housing_quality"})})
    assert activities.household_for_support(user=commune_officer, code="TY-0001") is None
    with pytest.raises(PermissionDeniedError):
        support(commune_officer, elsewhere)
    assert not HouseholdSupport.objects.exists()


def test_support_recorded_before_the_registry_was_linked_still_lists(province_officer) -> None:
    legacy = HouseholdSupport.objects.create(
        unit=current_unit(BA_CHE),
        household_code="BC-OLD",
        component=component(),
        year=2022,
        kind="housing",
        amount_vnd=30_000_000,
        recorded_status="poor",
        recorded_deprivations=["housing_quality"],
    )
    assert list(activities.support_list(user=province_officer, unit=current_unit(QUANG_NINH))) == [legacy]


def test_the_migration_links_a_code_to_the_household_of_that_code_in_the_same_commune() -> None:
    # Given three legacy rows: one whose code is a Ba Chẽ household, one whose code is a household of
    # another commune, one whose code the registry does not know
    ba_che_household = household("BC-0100", BA_CHE)
    household("TY-0100", TIEN_YEN)
    rows = {
        code: HouseholdSupport.objects.create(
            unit=current_unit(BA_CHE),
            household_code=code,
            component=component(),
            year=2022,
            kind="housing",
            recorded_status="poor",
        )
        for code in ("BC-0100", "TY-0100", "BC-UNKNOWN")
    }
    # When
    importlib.import_module("vungcao.programs.migrations.0004_support_household_link").link(apps, None)
    # Then only the first is linked
    linked = {code: HouseholdSupport.objects.get(pk=row.pk).household for code, row in rows.items()}
    assert linked == {"BC-0100": ba_che_household, "TY-0100": None, "BC-UNKNOWN": None}
