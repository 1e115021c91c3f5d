"""A household's answers in a review, classified by the engine and stored with the rule version."""

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.common.errors import ApplicationError, ImportRefusedError
from vungcao.registry import classification
from vungcao.registry.classification import AnswerValue, Result
from vungcao.registry.models import Area, Assessment, CommuneReview, Household
from vungcao.registry.rollups import household_rollups_adjusted, reviews_of_households
from vungcao.registry.services.reviews import review_locked_for_entry

# A household has one status a year: a household that moved is assessed where it was reviewed first.
ASSESSED_IN_ANOTHER_REVIEW = gettext_lazy(
    "The household was already assessed in another province's review of {year}."
)


def assessment_values(result: Result, identifier: str) -> dict[str, object]:
    return {
        "status": result.status,
        "deprivation_count": result.deprivation_count,
        "deprived_mask": result.deprived_mask,
        "income_threshold": result.income_threshold,
        "standard_identifier": identifier,
        "standard_digest": classification.standard_digest(identifier),
    }


@transaction.atomic
def assessment_record(
    *, user: User, review: CommuneReview, household: Household, answers: Mapping[str, AnswerValue]
) -> Assessment:
    """Store one household's answers (with ``area`` and ``income_per_capita_month``) and its status."""
    # The review the household's assessment of the cycle is counted in now: another commune's of the
    # province when the household moved since. Both reviews are locked, in one order, before either.
    counted_in = set(
        Assessment.objects.filter(cycle=review.cycle_id, household=household).values_list(
            "commune_review", flat=True
        )
    )
    # And the reviews of the household's other years, whose flows its status in this one changes.
    database.rows_lock(CommuneReview, {review.pk, *counted_in, *reviews_of_households([household.pk])})
    review = review_locked_for_entry(user=user, review=review)
    if household.village.parent_id != review.commune_id:
        raise ApplicationError(_("The household does not live in this commune."))
    if (
        Assessment.objects.filter(household=household, year=review.cycle.year)
        .exclude(cycle=review.cycle)
        .exists()
    ):
        raise ApplicationError(str(ASSESSED_IN_ANOTHER_REVIEW).format(year=review.cycle.year))
    identifier = review.cycle.standard_identifier
    results, report = classification.classify_rows(identifier, [answers])
    if not report.ok:
        raise ImportRefusedError(_("Some answers are not valid; nothing was stored."), report)
    income = answers.get("income_per_capita_month")
    area = answers.get("area")
    known = classification.known_answer_columns(identifier)
    stored_answers = {name: value for name, value in answers.items() if name in known}
    # The reviews the household counts in were locked above: its rows are adjusted, not counted again.
    with household_rollups_adjusted([household.pk]):
        assessment, _created = Assessment.objects.update_or_create(
            cycle=review.cycle,
            household=household,
            defaults={
                "year": review.cycle.year,
                "commune_review": review,
                "area": Area(str(area)),
                "income_per_capita_month": int(str(income)),
                "answers": stored_answers,
                **assessment_values(results[0], identifier),
            },
        )
    return assessment
