"""Flows between two approved reviews, on a small hand-made case (Ba Chẽ, 2023 → 2024 → 2025)."""

import datetime
import importlib
from collections import Counter

import pytest
from django.conf import settings

from tests.conftest import BA_CHE, QUANG_NINH, client_for, current_unit
from tests.registry.conftest import POOR, STANDARD, ba_che_approved, history_imported, recorded
from vungcao.registry.models import Household
from vungcao.registry.selectors.changes import (
    FLOWS,
    changed_households,
    changed_households_pages,
    changes_between,
)
from vungcao.registry.selectors.households import CHANGES, HouseholdFilter, household_list
from vungcao.registry.services import assessments, households, reviews

pytestmark = pytest.mark.django_db


def test_each_flow_is_counted_once_per_household(commune_officer, three_years) -> None:
    changes = changes_between(user=commune_officer, earlier=three_years[2024], later=three_years[2025])
    assert dict(changes.totals) == {
        "escaped": 1,
        "became_near_poor": 1,
        "stayed_poor": 1,
        "fell_into": 2,
        "fell_back": 1,
        "new": 1,
        "dissolved": 1,
    }
    codes = {
        flow: list(
            changed_households(user=commune_officer, changes=changes, flow=flow).values_list(
                "code", flat=True
            )
        )
        for flow in FLOWS
    }
    assert codes == {
        "escaped": ["B"],
        "became_near_poor": ["B"],
        "stayed_poor": ["C"],
        "fell_into": ["A", "D"],
        "fell_back": ["A"],
        "new": ["E"],
        "dissolved": ["F"],
    }
    assert changes.by_group["commune"]["06970"]["fell_into"] == 2
    assert changes.by_group["ethnic_group"]["09"]["escaped"] == 1
    assert changes.by_group["village"]["06970-001"]["new"] == 1
    assert changes.names["06970"] == current_unit("06970").name
    assert changes.names["22"] == current_unit(QUANG_NINH).name


def test_the_household_list_filters_by_change_since_last_year(commune_officer, three_years) -> None:
    page = (
        client_for(commune_officer).get("/registry/households/?year=2025&change=fell_back").content.decode()
    )
    assert ">A</a>" in page
    assert ">D</a>" not in page


@pytest.mark.parametrize("flow", CHANGES)
def test_the_household_list_and_the_changes_agree_on_each_flow(commune_officer, three_years, flow) -> None:
    changes = changes_between(user=commune_officer, earlier=three_years[2024], later=three_years[2025])
    listed = household_list(user=commune_officer, filters=HouseholdFilter(year=2025, change=flow))
    assert list(listed.values_list("code", flat=True)) == list(
        changed_households(user=commune_officer, changes=changes, flow=flow).values_list("code", flat=True)
    )
    assert listed.count() == changes.totals[flow]


def test_the_changes_page_lists_a_flow_page_by_page(commune_officer, three_years, monkeypatch) -> None:
    """Given the two households that fell into poverty (A, D), when the page lists one a page, then the
    first page shows A and leads to the second, which shows D and leads back, each naming the count."""
    monkeypatch.setattr(importlib.import_module("vungcao.registry.views.changes"), "PAGE_SIZE", 1)
    client = client_for(commune_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/registry/changes/?earlier={three_years[2024].pk}&later={three_years[2025].pk}&flow=fell_into"
    first = client.get(url).content.decode()
    listed = first[first.index('id="listed"') :]
    assert ">A</a>" in listed
    assert ">D</a>" not in listed
    assert "Page 1 of 2 (2 households)" in listed
    assert "flow=fell_into&amp;page=2#listed" in listed
    second = client.get(url + "&page=2").content.decode()
    listed = second[second.index('id="listed"') :]
    assert ">D</a>" in listed
    assert ">A</a>" not in listed
    assert "flow=fell_into&amp;page=1#listed" in listed


def test_the_changes_page_counts_and_lists(commune_officer, three_years) -> None:
    url = f"/registry/changes/?earlier={three_years[2024].pk}&later={three_years[2025].pk}&by=village&flow=fell_into"
    page = client_for(commune_officer).get(url).content.decode()
    assert 'id="flows"' in page
    assert ">A</a>" in page
    assert ">D</a>" in page


@pytest.mark.parametrize(
    ("year", "filters", "codes"),
    [
        (2025, {"status": "poor"}, ["A", "C", "D"]),
        (2025, {"status": "near_poor"}, ["B", "G"]),
        (2025, {"deprived": "latrine"}, ["A", "C", "D"]),
        (2025, {"deprived": "employment"}, ["A", "B", "C", "D", "G"]),
        (2024, {"deprived": "latrine"}, ["B", "C", "H"]),
        (2024, {"status": "poor", "include_dissolved": True}, ["B", "C", "H"]),
        (2024, {"status": "near_poor", "include_dissolved": True}, ["F", "G"]),
        (2024, {"status": "near_poor"}, ["G"]),
        (2025, {"status": "poor", "change": "fell_into"}, ["A", "D"]),
    ],
)
def test_the_household_list_filters_by_status_and_deprivation_in_a_year(
    commune_officer, three_years, year, filters, codes
) -> None:
    listed = household_list(user=commune_officer, filters=HouseholdFilter(year=year, **filters))
    assert list(listed.values_list("code", flat=True)) == codes


def test_the_household_list_shows_both_years_statuses(commune_officer, three_years) -> None:
    listed = household_list(user=commune_officer, filters=HouseholdFilter(year=2025))
    assert {household.code: (household.previous_status, household.status) for household in listed} == {
        "A": ("not_poor", "poor"),
        "B": ("poor", "near_poor"),
        "C": ("poor", "poor"),
        "D": ("not_poor", "poor"),
        "E": (None, "not_poor"),
        "G": ("near_poor", "near_poor"),
        "H": ("poor", None),
    }


def test_the_household_list_page_offers_the_indicators_and_names_the_statuses(
    commune_officer, three_years
) -> None:
    client = client_for(commune_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/registry/households/?year=2025&deprived=latrine").content.decode()
    table = page[page.index('id="households"') :]
    assert [code for code in "ABCDEGH" if f">{code}</a>" in table] == ["A", "C", "D"]
    assert '<option value="latrine" selected>' in page
    assert "<td>Poor</td><td>Not poor</td>" in table  # A: poor in 2025, not poor in 2024
    assert "not_poor" not in table


def test_the_changes_api_counts_and_names(commune_officer, three_years) -> None:
    response = client_for(commune_officer).get(
        f"/api/v1/changes?earlier={three_years[2024].pk}&later={three_years[2025].pk}"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["earlier_year"], body["later_year"]) == (2024, 2025)
    assert body["totals"]["fell_into"] == 2
    assert body["by_group"]["commune"]["06970"]["fell_back"] == 1
    assert body["names"]["06970"] == current_unit("06970").name
    # Only Ba Chẽ was approved in both years: Quảng Ninh's other 53 communes are named as left out.
    assert len(body["left_out_communes"]) == 53
    assert current_unit("06970").name not in body["left_out_communes"]


def assert_counted_as_listed(user, changes) -> None:
    """The counts of each flow (read from the review's rollups of flows between consecutive reviews) are
    the households listed for it (counted from the households), by village and by ethnic group."""
    for flow in FLOWS:
        listed = changed_households(user=user, changes=changes, flow=flow)
        for grouping, path in (("village", "village__code"), ("ethnic_group", "head_ethnic_group")):
            counted = {
                key: counts[flow] for key, counts in changes.by_group[grouping].items() if counts[flow]
            }
            assert counted == dict(Counter(listed.values_list(path, flat=True))), (flow, grouping)
        assert changes.totals[flow] == listed.count(), flow
        pages = changed_households_pages(user=user, changes=changes, flow=flow, per_page=2)
        assert (pages.count, list(pages.get_page(1))) == (listed.count(), list(listed[:2])), flow


def test_the_flows_follow_a_household_that_moves(commune_officer, three_years, ba_che_villages) -> None:
    """Given C (poor in 2024 and 2025) in the first village, when it moves to the second, then its flow is
    counted under the second village at once."""
    stayed = Household.objects.get(code="C")
    assert stayed.village == ba_che_villages[0]
    households.household_move(
        user=commune_officer, household=stayed, to_village=ba_che_villages[1], on=datetime.date(2025, 9, 1)
    )
    changes = changes_between(user=commune_officer, earlier=three_years[2024], later=three_years[2025])
    assert changes.by_group["village"][ba_che_villages[1].code]["stayed_poor"] == 1
    assert "stayed_poor" not in changes.by_group["village"].get(ba_che_villages[0].code, {})
    assert_counted_as_listed(commune_officer, changes)


def test_a_household_merged_away_leaves_as_dissolved(commune_officer, three_years) -> None:
    """Given H, poor in 2024 and not assessed in 2025, when it merges into G, then it is counted dissolved."""
    before = changes_between(user=commune_officer, earlier=three_years[2024], later=three_years[2025])
    households.household_merge(
        user=commune_officer,
        household=Household.objects.get(code="H"),
        into=Household.objects.get(code="G"),
        on=datetime.date(2025, 9, 1),
    )
    after = changes_between(user=commune_officer, earlier=three_years[2024], later=three_years[2025])
    assert (before.totals["dissolved"], after.totals["dissolved"]) == (1, 2)
    assert_counted_as_listed(commune_officer, after)


def test_an_earlier_answer_corrected_changes_the_later_flows(
    commune_officer, province_officer, three_years
) -> None:
    """Given A, not poor in 2024 and poor in 2025 (it fell back), when its 2024 answers are corrected to
    poor, then it stayed poor: the 2025 flows change with the 2024 answer."""
    review = three_years[2024].communes.get(commune__code=BA_CHE)
    reviews.commune_review_reopen(user=province_officer, review=review, reason="Sửa phiếu hộ A")
    reopened = changes_between(user=commune_officer, earlier=three_years[2024], later=three_years[2025])
    assert not reopened.totals
    assert current_unit(BA_CHE).name in reopened.left_out_communes
    assessments.assessment_record(
        user=commune_officer,
        review=review,
        household=Household.objects.get(code="A"),
        answers={"area": "rural", "income_per_capita_month": 1_000_000, **recorded(POOR["deprived"])},
    )
    reviews.commune_review_submit(user=commune_officer, review=review)
    reviews.commune_review_approve(user=province_officer, review=review)
    changes = changes_between(user=commune_officer, earlier=three_years[2024], later=three_years[2025])
    assert (changes.totals["stayed_poor"], changes.totals["fell_into"], changes.totals["fell_back"]) == (
        2,
        1,
        0,
    )
    assert_counted_as_listed(commune_officer, changes)


def test_reviews_with_one_between_are_compared_from_the_households(commune_officer, three_years) -> None:
    """2023 → 2025 skips the 2024 review, which the rollups of flows do not: counted from the households.
    A was poor in 2023 and 2025 (stayed), H poor in 2023 and not assessed in 2025; the others are new."""
    changes = changes_between(user=commune_officer, earlier=three_years[2023], later=three_years[2025])
    assert dict(changes.totals) == {"stayed_poor": 1, "new": 5}
    assert_counted_as_listed(commune_officer, changes)


def test_a_review_opened_between_two_others_is_counted_in_their_flows(
    commune_officer, province_officer, ba_che_villages, questionnaire_row
) -> None:
    """Given the approved reviews of 2023 and 2025 (consecutive: their flows are read from the rollups),
    when the province opens 2024's between them, then 2025's households are counted against 2024 in the
    rollups (``rollups_exact`` checks every row), and 2023 → 2025 is counted from the households, with
    the same figures as before."""
    officers = {"province_officer": province_officer, "commune_officer": commune_officer}
    cycles = {}
    for position, year in ((0, 2023), (2, 2025)):
        cycles[year] = history_imported(year, position, row=questionnaire_row, **officers)
        ba_che_approved(cycles[year], **officers)
    before = changes_between(user=commune_officer, earlier=cycles[2023], later=cycles[2025])
    assert dict(before.totals) == {"stayed_poor": 1, "new": 5}
    reviews.review_cycle_open(
        user=province_officer, province=current_unit(QUANG_NINH), year=2024, standard_identifier=STANDARD
    )
    after = changes_between(user=commune_officer, earlier=cycles[2023], later=cycles[2025])
    assert after.totals == before.totals


def test_a_list_longer_than_the_counting_bound_says_there_are_more(
    commune_officer, three_years, monkeypatch
) -> None:
    """Given 7 households assessed in 2025, when the list counts at most 3 (10,000 in use), then its page
    shows the first 3 and says there are more, without counting them all; within the bound it counts."""
    client = client_for(commune_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Page 1 of 1 (7 households)" in client.get("/registry/households/?year=2025").content.decode()
    monkeypatch.setattr("vungcao.common.pagination.COUNTED_AT_MOST", 3)
    page = client.get("/registry/households/?year=2025").content.decode()
    table = page[page.index('id="households"') :]
    assert [code for code in "ABCDEGH" if f">{code}</a>" in table] == ["A", "B", "C"]
    assert "Page 1 of more than 1 (more than 3 households: narrow the filter or export the list" in page
