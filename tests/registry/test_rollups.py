"""The review's rollups (``registry.rollups``): kept exact by every write of assessments, in its
transaction; ``vungcao rollups`` checks and rebuilds them. (Every test of the suite also ends with the
rollups equal to their records: ``tests.conftest.rollups_exact``.)"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.conftest import BA_CHE
from tests.imports.helpers import preview
from tests.registry.conftest import HISTORY, csv_text, recorded
from vungcao.common.errors import ImportRefusedError
from vungcao.common.rollups import declared_rollups, rollup_differences
from vungcao.imports import services as import_services
from vungcao.registry.models import Assessment, DeprivationPatternCount, Household, ReviewCount
from vungcao.registry.rollups import DEPRIVATION_PATTERNS, REVIEW_COUNTS
from vungcao.registry.selectors import national
from vungcao.registry.services import assessments, reviews

pytestmark = pytest.mark.django_db


def counts(review) -> dict[tuple[str, str], int]:
    return {
        (status, group): households
        for status, group, households in ReviewCount.objects.filter(commune_review=review).values_list(
            "status", "head_ethnic_group", "households"
        )
    }


def patterns(review) -> dict[tuple[str, int], int]:
    return {
        (status, mask): households
        for status, mask, households in DeprivationPatternCount.objects.filter(
            commune_review=review
        ).values_list("status", "deprived_mask", "households")
    }


def answers(*, income: int, deprived: tuple[str, ...] = ()) -> dict[str, object]:
    return {"area": "rural", "income_per_capita_month": income, **recorded(deprived)}


def test_an_answer_recorded_and_corrected_is_counted_at_once(
    commune_officer, ba_che_review, ba_che_villages
) -> None:
    """Given two households of Ba Chẽ, one Dao (09) and one Kinh (01), when the first is recorded poor and
    the second not poor, then the review counts one of each; when the first is corrected to not poor, then
    its count moves, in the same transaction as the answer."""
    dao = Household.objects.create(
        code="R-1", village=ba_che_villages[0], area="rural", head_ethnic_group="09"
    )
    kinh = Household.objects.create(
        code="R-2", village=ba_che_villages[0], area="rural", head_ethnic_group="01"
    )
    poor = answers(income=1_000_000, deprived=("employment", "nutrition", "latrine"))
    assessments.assessment_record(user=commune_officer, review=ba_che_review, household=dao, answers=poor)
    assessments.assessment_record(
        user=commune_officer, review=ba_che_review, household=kinh, answers=answers(income=5_000_000)
    )
    assert counts(ba_che_review) == {("poor", "09"): 1, ("not_poor", "01"): 1}
    mask = Assessment.objects.get(household=dao).deprived_mask
    assert mask.bit_count() == 3
    assert patterns(ba_che_review) == {("poor", mask): 1, ("not_poor", 0): 1}

    assessments.assessment_record(
        user=commune_officer, review=ba_che_review, household=dao, answers=answers(income=5_000_000)
    )
    assert counts(ba_che_review) == {("not_poor", "09"): 1, ("not_poor", "01"): 1}
    assert patterns(ba_che_review) == {("not_poor", 0): 2}


def test_an_answer_adjusts_the_rows_of_its_household_without_counting_the_review_again(
    commune_officer, ba_che_review, ba_che_villages
) -> None:
    """Given a review of twenty households, when one household's answers are corrected, then its rows are
    adjusted (no rollup is counted again from the review's assessments), and they equal a recount
    (``rollups_exact``)."""
    for number in range(20):
        household = Household.objects.create(
            code=f"R-{number}", village=ba_che_villages[0], area="rural", head_ethnic_group="09"
        )
        assessments.assessment_record(
            user=commune_officer, review=ba_che_review, household=household, answers=answers(income=5_000_000)
        )
    poor = answers(income=1_000_000, deprived=("employment", "nutrition", "latrine"))
    with CaptureQueriesContext(connection) as queries:
        assessments.assessment_record(
            user=commune_officer, review=ba_che_review, household=household, answers=poor
        )
    assert not [
        query["sql"]
        for query in queries.captured_queries
        if "INSERT INTO" in query["sql"] and " SELECT " in query["sql"]
    ]
    assert counts(ba_che_review) == {("not_poor", "09"): 19, ("poor", "09"): 1}


def test_a_refused_answer_changes_no_count(commune_officer, ba_che_review, ba_che_villages) -> None:
    """Given a household recorded not poor, when answers the engine refuses are sent, then nothing is
    stored and the review still counts it not poor."""
    household = Household.objects.create(
        code="R-3", village=ba_che_villages[0], area="rural", head_ethnic_group="09"
    )
    assessments.assessment_record(
        user=commune_officer, review=ba_che_review, household=household, answers=answers(income=5_000_000)
    )
    with pytest.raises(ImportRefusedError):
        assessments.assessment_record(
            user=commune_officer,
            review=ba_che_review,
            household=household,
            answers={"area": "rural", "income_per_capita_month": -5},
        )
    assert counts(ba_che_review) == {("not_poor", "09"): 1}


def test_a_write_rolled_back_takes_its_count_with_it(commune_officer, ba_che_review, ba_che_villages) -> None:
    household = Household.objects.create(
        code="R-4", village=ba_che_villages[0], area="rural", head_ethnic_group="09"
    )

    def request_failing_after_the_answer() -> None:
        with transaction.atomic():
            assessments.assessment_record(
                user=commune_officer,
                review=ba_che_review,
                household=household,
                answers=answers(income=5_000_000),
            )
            assert counts(ba_che_review) == {("not_poor", "09"): 1}
            raise RuntimeError("the request failed after the answer")

    with pytest.raises(RuntimeError):
        request_failing_after_the_answer()
    assert counts(ba_che_review) == {}


def test_three_years_of_files_are_counted_as_their_assessments(three_years) -> None:
    """Three approved reviews written by questionnaire files: each review's rollups equal a count of its
    assessments, and the national figures read them."""
    for year, cycle in three_years.items():
        review = cycle.communes.get(commune__code=BA_CHE)
        assessed = sum(1 for history in HISTORY.values() if history[year - 2023] is not None)
        assert sum(counts(review).values()) == assessed == review.assessments.count()
        assert sum(patterns(review).values()) == assessed
    for rollup in declared_rollups():
        assert rollup_differences(rollup) == []


def test_a_new_head_of_another_group_moves_the_household_in_every_year(
    three_years, commune_officer, province_officer, questionnaire_row
) -> None:
    """Given household A counted as Dao (09) in 2023, 2024 and 2025, when the 2025 review is re-opened and
    a file gives A a Tày (02) head, then every year counts it as Tày (the figures count households by
    their head's group), the approved reviews of 2023 and 2024 too."""
    reviews.commune_review_reopen(
        user=province_officer,
        review=three_years[2025].communes.get(commune__code=BA_CHE),
        reason="Sửa chủ hộ",
    )
    batch = preview(
        "questionnaire",
        csv_text([questionnaire_row("A", "Chủ hộ mới", ethnic_group="02", **HISTORY["A"][2])]),
        user=commune_officer,
    )
    import_services.import_apply(user=commune_officer, batch=batch, remove_missing=True)
    for cycle in three_years.values():
        review = cycle.communes.get(commune__code=BA_CHE)
        assert (
            sum(households for (_status, group), households in counts(review).items() if group == "02") == 1
        )
    for rollup in declared_rollups():
        assert rollup_differences(rollup) == []


def test_the_national_figures_are_the_rollups(three_years, analyst) -> None:
    """The commune's figures read from the rollups equal a count of the assessments themselves."""
    (figures,) = [
        commune for commune in national.commune_figures(user=analyst, year=2025) if commune.code == BA_CHE
    ]
    stored = Assessment.objects.filter(year=2025, commune_review__commune__code=BA_CHE)
    assert (figures.assessed, figures.poor, figures.near_poor) == (
        stored.count(),
        stored.filter(status="poor").count(),
        stored.filter(status="near_poor").count(),
    )


def test_the_command_finds_a_difference_and_rebuilds(three_years) -> None:
    """Given a rollup row changed behind the services' back, ``vungcao rollups --check`` names it and
    exits 1; ``--rebuild`` counts again, and the check passes."""
    changed = ReviewCount.objects.order_by("pk").first()
    assert changed is not None
    ReviewCount.objects.filter(pk=changed.pk).update(households=changed.households + 7)
    DeprivationPatternCount.objects.order_by("pk").first().delete()  # type: ignore[union-attr]
    output = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("rollups", check=True, stdout=output)
    assert refused.value.returncode == 1
    text = output.getvalue()
    assert f"{REVIEW_COUNTS.name} (commune_review, status, head_ethnic_group) = " in text
    assert f"{changed.households + 7} stored, {changed.households} counted" in text
    assert f"{DEPRIVATION_PATTERNS.name} (commune_review, status, standard_identifier, deprived_mask)" in text
    assert " 0 stored, " in text

    output = io.StringIO()
    call_command("rollups", rebuild=True, stdout=output)
    assert f"{REVIEW_COUNTS.name}: " in output.getvalue()
    output = io.StringIO()
    call_command("rollups", check=True, stdout=output)
    assert f"{REVIEW_COUNTS.name}: equal to its records" in output.getvalue()


def test_the_command_asks_for_one_action() -> None:
    with pytest.raises(CommandError, match="one of the arguments --check --rebuild is required"):
        call_command("rollups")
