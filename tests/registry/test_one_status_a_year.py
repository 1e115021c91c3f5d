"""A household has one status a year: moved to another province during the review, it is not assessed
twice for the same year, whether entered by hand or imported."""

import pytest
from django.utils import translation

from tests.conftest import MUONG_PHANG, current_unit, households_update
from tests.imports.helpers import preview, preview_and_apply, problems
from tests.registry.conftest import STANDARD, QuestionnaireRow, csv_text, recorded
from vungcao.common.errors import ApplicationError
from vungcao.geo.services import villages
from vungcao.imports.models import ImportBatch
from vungcao.registry.models import Assessment, CommuneReview, Household
from vungcao.registry.services import reviews
from vungcao.registry.services.assessments import assessment_record

pytestmark = pytest.mark.django_db

ANSWERS = {"area": "rural", "income_per_capita_month": "1200000", **recorded([])}
REFUSAL = "The household was already assessed in another province's review of 2025."


@pytest.fixture
def moved_to_dien_bien(administrator, ba_che_review, questionnaire_row: QuestionnaireRow) -> Household:
    """H1, assessed in Quảng Ninh's review of 2025, then moved to a village of Mường Phăng (Điện Biên),
    whose review of 2025 is open too."""
    preview_and_apply("questionnaire", csv_text([questionnaire_row("H1", "Hoàng Văn A")]), user=administrator)
    commune = current_unit(MUONG_PHANG)
    village = villages.village_create(user=administrator, commune=commune, name="Bản Che Căn")
    reviews.review_cycle_open(
        user=administrator, province=commune.parent, year=2025, standard_identifier=STANDARD
    )
    households_update("H1", village=village)
    return Household.objects.select_related("village").get(code="H1")


def test_entering_answers_in_a_second_review_of_the_year_is_refused(
    administrator, moved_to_dien_bien
) -> None:
    review = CommuneReview.objects.get(cycle__year=2025, commune__code=MUONG_PHANG)
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        assessment_record(user=administrator, review=review, household=moved_to_dien_bien, answers=ANSWERS)
    assert refused.value.message == REFUSAL
    assert list(Assessment.objects.values_list("cycle__province__code", "year")) == [("22", 2025)]


def test_importing_it_in_a_second_review_of_the_year_is_refused(
    administrator, moved_to_dien_bien, questionnaire_row: QuestionnaireRow
) -> None:
    row = questionnaire_row("H1", "Hoàng Văn A", village=moved_to_dien_bien.village.code)
    with translation.override("en"):
        batch = preview("questionnaire", csv_text([row]), user=administrator)
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems(batch) == [(2, "household_code", "H1", REFUSAL)]
    assert list(Assessment.objects.values_list("cycle__province__code", "year")) == [("22", 2025)]
