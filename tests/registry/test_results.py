"""The review dashboard's rates: exact counts by commune, ethnic group and year, from one scan.

Given Quảng Ninh's reviews of 2023, 2024 and 2025 in Ba Chẽ (households A–H as in test_changes, D and H
headed by a Tày (01), the others by a Dao (09)), when the province officer, or a commune officer of
another commune, asks for the figures of the 2025 dashboard, then each is the count by hand, and all of
them come from one grouped query over the assessments.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import QUANG_NINH, TIEN_YEN, current_unit
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import STANDARD, QuestionnaireRow, csv_text
from vungcao.accounts.models import Role, User
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry.models import CommuneReview, ReviewCycle
from vungcao.registry.selectors import national, results
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db

POOR: dict[str, Any] = {"income": 1_000_000, "deprived": ("employment", "nutrition", "latrine")}
NEAR_POOR: dict[str, Any] = {"income": 1_000_000, "deprived": ("employment",)}
NOT_POOR: dict[str, Any] = {"income": 5_000_000, "deprived": ()}
# household → ethnic group of the head, and status in 2023, 2024, 2025 (None: not assessed that year)
HEADS = {"A": "09", "B": "09", "C": "09", "D": "01", "E": "09", "F": "09", "G": "09", "H": "01"}
HISTORY: dict[str, tuple[dict[str, Any] | None, ...]] = {
    "A": (POOR, NOT_POOR, POOR),
    "B": (None, POOR, NEAR_POOR),
    "C": (None, POOR, POOR),
    "D": (None, NOT_POOR, POOR),
    "E": (None, None, NOT_POOR),
    "F": (None, NEAR_POOR, None),
    "G": (None, NEAR_POOR, NEAR_POOR),
    "H": (POOR, POOR, None),
}


@pytest.fixture
def three_years(
    province_officer: User,
    commune_officer: User,
    ba_che_villages: list[AdministrativeUnit],
    questionnaire_row: QuestionnaireRow,
) -> dict[int, ReviewCycle]:
    cycles = {}
    for position, year in enumerate((2023, 2024, 2025)):
        cycle = reviews.review_cycle_open(
            user=province_officer, province=current_unit(QUANG_NINH), year=year, standard_identifier=STANDARD
        )
        rows = [
            questionnaire_row(code, f"Chủ hộ {code}", year=str(year), ethnic_group=HEADS[code], **status)
            for code, history in HISTORY.items()
            if (status := history[position]) is not None
        ]
        preview_and_apply("questionnaire", csv_text(rows), user=commune_officer)
        cycles[year] = cycle
    return cycles


def counts(rates: list[results.Rate]) -> dict[str, tuple[int, int, int]]:
    return {rate.key: (rate.assessed, rate.poor, rate.near_poor) for rate in rates}


def test_every_figure_of_the_dashboard_is_the_count_by_hand_from_one_query(
    province_officer: User, three_years: dict[int, ReviewCycle]
) -> None:
    cycle = ReviewCycle.objects.get(pk=three_years[2025].pk)

    with CaptureQueriesContext(connection) as queries:
        figures = results.review_results(user=province_officer, cycle=cycle)
    total, by_commune, by_ethnic_group, over_years = (
        figures.total,
        figures.by_commune,
        figures.by_ethnic_group,
        figures.over_years,
    )

    assert (total.key, total.assessed, total.poor, total.near_poor) == ("2025", 6, 3, 2)
    assert counts(by_commune) == {"06970": (6, 3, 2)}
    assert [rate.label for rate in by_commune] == ["Xã Ba Chẽ"]
    assert counts(by_ethnic_group) == {"09": (5, 2, 2), "01": (1, 1, 0)}
    assert counts(over_years) == {"2023": (2, 2, 0), "2024": (7, 3, 2), "2025": (6, 3, 2)}
    assert [rate.key for rate in over_years] == ["2023", "2024", "2025"]
    # Read from the review's rollups in one query, without counting an assessment.
    tables = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in tables if 'FROM "registry_assessment"' in sql]
    assert len([sql for sql in tables if 'FROM "registry_reviewcount"' in sql]) == 1


def test_an_earlier_year_counts_only_up_to_itself(
    province_officer: User, three_years: dict[int, ReviewCycle]
) -> None:
    cycle = ReviewCycle.objects.get(pk=three_years[2024].pk)

    figures = results.review_results(user=province_officer, cycle=cycle)
    assert counts(figures.over_years) == {
        "2023": (2, 2, 0),
        "2024": (7, 3, 2),
    }
    assert counts(figures.by_ethnic_group) == {
        "09": (5, 2, 2),
        "01": (2, 1, 0),
    }


def test_a_commune_officer_of_another_commune_counts_none_of_them(
    make_user: Callable[..., User], three_years: dict[int, ReviewCycle]
) -> None:
    officer = make_user("tienyen-officer", Role.COMMUNE_OFFICER, TIEN_YEN)
    cycle = ReviewCycle.objects.get(pk=three_years[2025].pk)

    figures = results.review_results(user=officer, cycle=cycle)

    assert (figures.total.assessed, figures.total.poor, figures.total.near_poor) == (0, 0, 0)
    assert figures.by_commune == []
    assert figures.by_ethnic_group == []
    assert counts(figures.over_years) == {
        "2023": (0, 0, 0),
        "2024": (0, 0, 0),
        "2025": (0, 0, 0),
    }


def test_an_approved_commune_without_households_counts_as_a_commune_with_none(
    cycle_2025: ReviewCycle, analyst: User
) -> None:
    """Given Ba Chẽ's review of 2025 approved with no household assessed, then the national figures of
    2025 count one approved commune and no household, and its commune row holds zeros."""
    cycle_2025.communes.filter(commune__code="06970").update(state=CommuneReview.State.APPROVED)

    by_year = national.approved_totals_by_year(user=analyst)
    assert list(by_year) == [2025]
    assert (by_year[2025].communes, by_year[2025].assessed, by_year[2025].poor) == (1, 0, 0)
    assert national.latest_approved_year(user=analyst) == 2025
    (ba_che,) = [row for row in national.commune_figures(user=analyst, year=2025) if row.code == "06970"]
    assert (ba_che.state, ba_che.assessed, ba_che.poor, ba_che.near_poor) == ("approved", 0, 0, 0)
