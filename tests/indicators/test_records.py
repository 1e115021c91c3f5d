"""Indicators computed from records equal the pages' figures: one source of truth.

Given approved reviews and money records in Quảng Ninh's communes, when the poverty and money
indicators are read for the province and a commune, then each equals what the national review figures,
the cycle's review results and the money summary show for the same unit and year.
"""

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db.models import Sum
from django.utils import translation

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, current_unit, households_update
from tests.indicators.helpers import entered, figures, national_admin, post, review_whole
from tests.programs.helpers import STANDARD, household, record
from vungcao.accounts.models import Role, User
from vungcao.engine.indicators.figures import ARITHMETIC
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.indicators.models import IndicatorValue
from vungcao.indicators.selectors.figures import indicator_figures
from vungcao.indicators.services import HAS_RECORDS
from vungcao.programs.models import Component, HouseholdSupport, RecordKind, Work
from vungcao.programs.selectors import money as money_selectors
from vungcao.registry import classification
from vungcao.registry.models import CommuneReview, ReviewCycle
from vungcao.registry.selectors import changes, national, results

pytestmark = pytest.mark.django_db

# (code, commune, ethnic group of the head, status in 2024)
HOUSEHOLDS = [
    ("BC-1", BA_CHE, "09", "poor"),
    ("BC-2", BA_CHE, "09", "near_poor"),
    ("BC-3", BA_CHE, "01", "poor"),
    ("BC-4", BA_CHE, "01", "not_poor"),
    ("TY-1", TIEN_YEN, "09", "poor"),
    ("TY-2", TIEN_YEN, "01", "not_poor"),
]


@pytest.fixture
def reviewed() -> None:
    for code, commune, group, status in HOUSEHOLDS:
        household(code, commune, {2024: (status, set())})
        households_update(code, head_ethnic_group=group)
    review_whole(QUANG_NINH)


def value(user: User, indicator: str, unit_code: str, year: int) -> object:
    (item,) = figures(user, indicator, "current", unit_code, (year, year))
    return item["value"]


def test_poverty_indicators_equal_the_review_figures(reviewed: None, province_officer: User) -> None:
    """Then the province's counts and rate equal the national figures and the cycle's results, and the
    ethnic-minority ones count the households headed by other than a Kinh (4 of 6, 3 of them poor)."""
    (province,) = [
        area
        for area in national.national_figures(user=province_officer, year=2024, era="current").by_province
        if area.code == QUANG_NINH
    ]
    cycle = ReviewCycle.objects.get(province=current_unit(QUANG_NINH), year=2024)
    total = results.review_results(user=province_officer, cycle=cycle).total

    assert (
        value(province_officer, "households", QUANG_NINH, 2024)
        == int(province.assessed)
        == total.assessed
        == 6
    )
    assert (
        value(province_officer, "poor_households", QUANG_NINH, 2024) == int(province.poor) == total.poor == 3
    )
    assert value(province_officer, "near_poor_households", QUANG_NINH, 2024) == total.near_poor == 1
    assert (
        value(province_officer, "poverty_rate", QUANG_NINH, 2024) == round(province.poverty_rate, 2) == 50.0
    )
    assert value(province_officer, "ethnic_minority_households", QUANG_NINH, 2024) == 3
    assert value(province_officer, "ethnic_minority_poor_households", QUANG_NINH, 2024) == 2
    assert value(province_officer, "ethnic_minority_poverty_rate", QUANG_NINH, 2024) == 66.67
    assert value(province_officer, "poverty_rate", BA_CHE, 2024) == 50.0


def test_a_commune_review_not_approved_is_not_counted(reviewed: None, province_officer: User) -> None:
    """Given Tiên Yên's review submitted, not approved, then it has no figure, Ba Chẽ keeps its own, and
    the province has none (its review is not whole: a partial count is never its total): the reason
    names the commune missing."""
    CommuneReview.objects.filter(commune__code=TIEN_YEN).update(state=CommuneReview.State.SUBMITTED)

    (commune,) = figures(province_officer, "households", "current", TIEN_YEN, (2024, 2024))
    (province,) = figures(province_officer, "households", "current", QUANG_NINH, (2024, 2024))

    assert commune["value"] is None
    assert value(province_officer, "households", BA_CHE, 2024) == 4
    assert province["value"] is None
    assert province["reason"] == "No data for 1 of the 54 units under Quảng Ninh: Xã Tiên Yên."


def test_a_province_total_stands_until_its_review_is_whole(reviewed: None, province_officer: User) -> None:
    """Given Tiên Yên's review returned, when the province's official total of 2024 is entered, then it
    is the province's figure (entering it is allowed while the review is not whole), its communes keep
    their own; when Tiên Yên is approved, the records are whole and stand in place of the entry."""
    CommuneReview.objects.filter(commune__code=TIEN_YEN).update(state=CommuneReview.State.RETURNED)

    entered("households", "current", QUANG_NINH, 2024, 7)
    entered("poor_households", "current", QUANG_NINH, 2024, 4)

    assert value(province_officer, "households", QUANG_NINH, 2024) == 7
    assert value(province_officer, "poverty_rate", QUANG_NINH, 2024) == 57.14
    assert value(province_officer, "poverty_rate", BA_CHE, 2024) == 50.0

    CommuneReview.objects.filter(commune__code=TIEN_YEN).update(state=CommuneReview.State.APPROVED)

    (province,) = figures(province_officer, "households", "current", QUANG_NINH, (2024, 2024))
    assert province["value"] == 6
    assert value(province_officer, "poverty_rate", QUANG_NINH, 2024) == 50.0


def test_money_indicators_equal_the_money_summary(province_officer: User) -> None:
    """Given plans, allocations (budget and non-budget) and a disbursement in Ba Chẽ and Tiên Yên in
    2024, then the province's money indicators equal the money summary's totals and rates."""
    record(RecordKind.PLAN, 2024, BA_CHE, 900_000_000)
    record(RecordKind.ALLOCATION, 2024, BA_CHE, 800_000_000)
    record(RecordKind.DISBURSEMENT, 2024, BA_CHE, 300_000_000)
    record(RecordKind.ALLOCATION, 2024, TIEN_YEN, 400_000_000, source="socialised")
    scope = money_selectors.money_scope_get(
        user=province_officer, era="current", unit_code=QUANG_NINH, from_year=2024, to_year=2024
    )
    summary = money_selectors.money_summary(user=province_officer, scope=scope)

    assert value(province_officer, "money_planned", QUANG_NINH, 2024) == summary.planned == 900_000_000
    assert value(province_officer, "money_allocated", QUANG_NINH, 2024) == summary.allocated == 1_200_000_000
    assert value(province_officer, "money_disbursed", QUANG_NINH, 2024) == summary.disbursed == 300_000_000
    assert value(province_officer, "money_allocated_budget", QUANG_NINH, 2024) == summary.budget
    assert value(province_officer, "money_allocated_non_budget", QUANG_NINH, 2024) == summary.non_budget
    assert (
        value(province_officer, "disbursement_rate", QUANG_NINH, 2024)
        == 25.0
        == float(
            summary.disbursement_rate * 100  # type: ignore[operator]
        )
    )
    assert value(province_officer, "leverage", QUANG_NINH, 2024) == 0.5 == float(summary.leverage)  # type: ignore[arg-type]
    assert value(province_officer, "money_allocated_socialised", TIEN_YEN, 2024) == 400_000_000


def test_works_and_support_are_counted_from_their_records(province_officer: User) -> None:
    """Given two roads done in Ba Chẽ by 2024 (12.5 km and 3 km, 40 and 10 households), one still in
    progress, and support to one household of two kinds and to another of one, then each household counts once."""
    component = Component.objects.get(code="1719-DA4-TDA1")
    for name, status, km, households in (
        ("A", "done", "12.5", 40),
        ("B", "done", "3", 10),
        ("C", "in_progress", "9", 5),
    ):
        Work.objects.create(
            unit=current_unit(BA_CHE),
            component=component,
            kind="road",
            name=name,
            investment_total_vnd=1,
            output_quantity=Decimal(km),
            output_unit="km",
            households=households,
            status=status,
            planned_end_date=datetime.date(2024, 6, 30),
        )
    for code, kind, amount in (
        ("BC-1", "housing", 10_000_000),
        ("BC-1", "water_tank", 5_000_000),
        ("BC-2", "housing", 20_000_000),
    ):
        HouseholdSupport.objects.create(
            unit=current_unit(BA_CHE),
            household_code=code,
            component=component,
            year=2024,
            kind=kind,
            amount_vnd=amount,
            recorded_status="poor",
        )

    assert value(province_officer, "roads_completed", QUANG_NINH, 2024) == 2
    assert value(province_officer, "road_km_completed", QUANG_NINH, 2024) == 15.5
    assert value(province_officer, "households_served_by_works", BA_CHE, 2024) == 50
    assert value(province_officer, "schools_completed", BA_CHE, 2024) is None
    assert value(province_officer, "households_supported", QUANG_NINH, 2024) == 2
    assert value(province_officer, "households_supported_water_tank", BA_CHE, 2024) == 1
    assert value(province_officer, "support_amount", QUANG_NINH, 2024) == 35_000_000


def test_communes_are_counted_from_the_tree_in_the_years_they_exist(province_officer: User) -> None:
    """Given Quảng Ninh's communes of both eras, then from 2025 the province counts its communes of the
    2025 reorganisation and a commune counts 1; before, the former communes, carried across the
    crosswalk (Ba Chẽ's area held as many former communes as were merged into it); so a share of
    communes is a share in either era, never former communes over current ones."""
    former_province = AdministrativeUnit.objects.get(era=Era.PRE2025, code=QUANG_NINH)
    former = AdministrativeUnit.objects.filter(tree.in_subtree(former_province), level=Level.COMMUNE)
    merged_into_ba_che = CrosswalkLink.objects.filter(new_unit=current_unit(BA_CHE)).aggregate(
        total=Sum("share")
    )["total"]
    for unit in former:
        entered("communes_with_hardened_road", "pre2025", unit.code, 2020, 1)

    assert value(province_officer, "communes", QUANG_NINH, 2025) == current_unit(QUANG_NINH).children.count()
    assert value(province_officer, "communes", BA_CHE, 2025) == 1
    assert value(province_officer, "communes", QUANG_NINH, 2024) == former.count()
    assert Decimal(str(value(province_officer, "communes", BA_CHE, 2024))) == merged_into_ba_che
    assert value(province_officer, "communes_with_hardened_road_rate", QUANG_NINH, 2020) == 100


def test_history_is_entered_where_no_record_exists_and_records_win(
    reviewed: None, province_officer: User
) -> None:
    """Given approved 2024 reviews, when households are entered for Ba Chẽ in 2023 and 2024, then 2023
    is stored and read, and 2024 is refused: the records of that year are the value."""
    entered("households", "current", BA_CHE, 2023, 5)
    response = post(
        national_admin(),
        "/api/v1/indicator-values",
        {"indicator": "households", "era": "current", "unit_code": BA_CHE, "year": 2024, "value": 99},
    )

    assert response.status_code == 422
    with translation.override("en"):  # the reader chose English
        assert response.json()["errors"] == {"year": str(HAS_RECORDS)}
    assert [
        item["value"] for item in figures(province_officer, "households", "current", BA_CHE, (2023, 2024))
    ] == [5, 4]
    assert list(IndicatorValue.objects.values_list("year", "value")) == [(2023, Decimal(5))]


def test_alkire_foster_measures_from_the_deprivation_masks(province_officer: User) -> None:
    """Given three households of Ba Chẽ approved in 2024 — one deprived in every indicator of two of the
    standard's dimensions (a score of 2/D with nested weights), one in a single indicator, one in none —
    then H = 1/3, A = 2/D and M0 = H × A, with the cut-off at one third."""
    rule = classification.standard(STANDARD)
    dimensions = [dimension.identifier for dimension in rule.dimensions]
    two_dimensions = {
        indicator.identifier
        for dimension in dimensions[:2]
        for indicator in rule.dimension_indicators(dimension)
    }
    household("MPI-1", BA_CHE, {2024: ("poor", two_dimensions)})
    household("MPI-2", BA_CHE, {2024: ("near_poor", {rule.indicators[0].identifier})})
    household("MPI-3", BA_CHE, {2024: ("not_poor", set())})
    review_whole(QUANG_NINH)
    intensity = Fraction(2, len(dimensions))

    assert value(province_officer, "mpi_households", BA_CHE, 2024) == 3
    assert value(province_officer, "mpi_poor_households", BA_CHE, 2024) == 1
    assert value(province_officer, "mpi_headcount_ratio", BA_CHE, 2024) == 0.3333
    assert value(province_officer, "mpi_intensity", BA_CHE, 2024) == round(float(intensity), 4)
    assert value(province_officer, "mpi_adjusted_headcount_ratio", QUANG_NINH, 2024) == round(
        float(intensity / 3), 4
    )


def test_summed_censored_scores_are_exact_to_the_engine_precision(province_officer: User) -> None:
    """Given in 2024 a poor household of Ba Chẽ deprived in two whole dimensions and one more indicator
    (a score of 5/12 with nested weights: six dimensions of two indicators) and two of Tiên Yên in three
    whole dimensions and one more (7/12 each), then the summed scores are 5/12 for Ba Chẽ and 19/12 for
    Quảng Ninh to the engine's 50 digits: added as fractions, never rounded to Python's default 28 digits
    on the way (nor so as to depend on the order the database groups the patterns in), and the province's
    intensity A is that sum over its three poor households."""
    rule = classification.standard(STANDARD)
    dimensions = [
        [indicator.identifier for indicator in rule.dimension_indicators(dimension.identifier)]
        for dimension in rule.dimensions
    ]
    assert {len(indicators) for indicators in dimensions} == {2}

    def deprived(whole_dimensions: int) -> set[str]:
        return {*itertools.chain(*dimensions[:whole_dimensions]), dimensions[whole_dimensions][0]}

    household("A-1", BA_CHE, {2024: ("poor", deprived(2))})
    household("A-2", TIEN_YEN, {2024: ("poor", deprived(3))})
    household("A-3", TIEN_YEN, {2024: ("poor", deprived(3))})
    review_whole(QUANG_NINH)
    found = indicator_figures(
        user=province_officer,
        indicator_codes=["mpi_score_sum", "mpi_intensity"],
        unit=current_unit(QUANG_NINH),
        years=[2024],
        children=True,
    )
    by_unit = {row.unit.code: row.figures for row in found.rows}

    def exactly(value: Fraction) -> Decimal:
        return ARITHMETIC.divide(Decimal(value.numerator), Decimal(value.denominator))

    assert by_unit[BA_CHE][("mpi_score_sum", 2024)].value == exactly(Fraction(5, 12))
    assert by_unit[TIEN_YEN][("mpi_score_sum", 2024)].value == exactly(Fraction(14, 12))
    assert by_unit[QUANG_NINH][("mpi_score_sum", 2024)].value == exactly(Fraction(19, 12))
    intensity = by_unit[QUANG_NINH][("mpi_intensity", 2024)].value
    assert intensity == ARITHMETIC.divide(exactly(Fraction(19, 12)), 3)


def test_flows_between_two_reviews_equal_the_province_page(
    province_officer: User, make_user: Callable[..., User]
) -> None:
    """Given households of Ba Chẽ reviewed in 2023 and 2024 (one escaped poverty, one fell into it, one
    stayed poor), then the flows of 2024 equal those the province's changes page counts; an
    aggregate-only viewer, who may count households but not open them, reads the same counts."""
    viewer = make_user("viewer", Role.AGGREGATE_VIEWER)
    household("FL-1", BA_CHE, {2023: ("poor", set()), 2024: ("not_poor", set())})
    household("FL-2", BA_CHE, {2023: ("not_poor", set()), 2024: ("poor", set())})
    household("FL-3", BA_CHE, {2023: ("poor", set()), 2024: ("poor", set())})
    review_whole(QUANG_NINH)
    province = current_unit(QUANG_NINH)
    page = changes.changes_between(
        user=province_officer,
        earlier=ReviewCycle.objects.get(province=province, year=2023),
        later=ReviewCycle.objects.get(province=province, year=2024),
    )

    assert (
        value(province_officer, "households_escaped_poverty", QUANG_NINH, 2024) == page.totals["escaped"] == 1
    )
    assert (
        value(province_officer, "households_fell_into_poverty", QUANG_NINH, 2024)
        == page.totals["fell_into"]
        == 1
    )
    assert value(province_officer, "households_fell_back_into_poverty", BA_CHE, 2024) == 0
    assert value(province_officer, "households_escaped_poverty", BA_CHE, 2023) is None
    assert value(viewer, "households_escaped_poverty", QUANG_NINH, 2024) == 1


def test_a_former_province_holds_what_the_national_figures_of_its_era_carry_back(
    reviewed: None, analyst: User
) -> None:
    """Reviews are kept under the current communes; read for Quảng Ninh before 2025, the counts are
    those the national figures of that era carry back across the crosswalk."""
    (former,) = [
        area
        for area in national.national_figures(user=analyst, year=2024, era="pre2025").by_province
        if area.code == QUANG_NINH
    ]
    (item,) = figures(analyst, "poor_households", "pre2025", QUANG_NINH, (2024, 2024))

    assert item["value"] == int(former.poor) == 3
    assert item["provenance"]["records"] == 1


def test_a_former_province_holds_its_share_only_when_every_commune_carried_into_it_is_approved(
    reviewed: None, analyst: User
) -> None:
    """Given Tiên Yên, carried into the former Quảng Ninh, submitted but not approved, then the former
    province has no count from the reviews (a part would be shown as the whole), and its official
    total, entered for history, stands."""
    CommuneReview.objects.filter(commune__code=TIEN_YEN).update(state=CommuneReview.State.SUBMITTED)

    (item,) = figures(analyst, "poor_households", "pre2025", QUANG_NINH, (2024, 2024))
    assert item["value"] is None

    entered("poor_households", "pre2025", QUANG_NINH, 2024, 1_250)

    (item,) = figures(analyst, "poor_households", "pre2025", QUANG_NINH, (2024, 2024))
    assert item["value"] == 1_250
    assert item["provenance"]["records"] == 0


@pytest.mark.parametrize("era", ["current", "pre2025"])
def test_all_and_ethnic_minority_counts_asked_together_equal_each_asked_alone(
    reviewed: None, analyst: User, era: str
) -> None:
    """A scorecard asks the counts of all households and of ethnic-minority ones together (read in one
    query); each figure equals the one asked alone, for Quảng Ninh of either era (the former province's
    counts are carried back across the crosswalk) and its units."""
    codes = [
        "households",
        "poor_households",
        "near_poor_households",
        "ethnic_minority_households",
        "ethnic_minority_poor_households",
        "ethnic_minority_poverty_rate",
        "poverty_rate",
    ]
    unit = AdministrativeUnit.objects.get(era=era, code=QUANG_NINH)

    together = indicator_figures(user=analyst, indicator_codes=codes, unit=unit, years=[2024], children=True)

    assert [together.rows[0].figures[(code, 2024)].value for code in codes] == [
        6,
        3,
        1,
        3,
        2,
        ARITHMETIC.divide(Decimal(200), Decimal(3)),
        50,
    ]
    for code in codes:
        alone = indicator_figures(
            user=analyst, indicator_codes=[code], unit=unit, years=[2024], children=True
        )
        assert [row.figures[(code, 2024)] for row in together.rows] == [
            row.figures[(code, 2024)] for row in alone.rows
        ], code
