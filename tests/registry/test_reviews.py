"""The review cycle: a province opens it, the commune submits, the province approves or returns, re-opens."""

import pytest
from django.utils import translation

from tests.conftest import BA_CHE, QUANG_NINH, client_for, current_unit
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.registry.models import CommuneReview, ReviewCycle, ReviewEvent
from vungcao.registry.selectors import reviews as review_selectors
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db
State = CommuneReview.State


@pytest.fixture
def assessed(commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow) -> CommuneReview:
    preview_and_apply(
        "questionnaire",
        csv_text([questionnaire_row("H1", "Hoàng Văn A", deprived=("employment",))]),
        user=commune_officer,
    )
    return ba_che_review


def test_opening_a_review_creates_one_commune_review_per_commune_under_the_standard_in_force(
    province_officer,
) -> None:
    cycle = reviews.review_cycle_open(user=province_officer, province=current_unit(QUANG_NINH), year=2024)
    assert (cycle.standard_identifier, cycle.communes.count()) == ("qn-2023-2025", 54)
    assert set(cycle.communes.values_list("state", flat=True)) == {State.OPEN}
    assert ReviewEvent.objects.filter(action=ReviewEvent.Action.OPENED).count() == 54


def test_a_review_cannot_be_opened_twice_or_by_a_commune_officer(province_officer, commune_officer) -> None:
    reviews.review_cycle_open(user=province_officer, province=current_unit(QUANG_NINH), year=2024)
    with pytest.raises(ApplicationError):
        reviews.review_cycle_open(user=province_officer, province=current_unit(QUANG_NINH), year=2024)
    with pytest.raises(PermissionDeniedError):
        reviews.review_cycle_open(user=commune_officer, province=current_unit(QUANG_NINH), year=2023)
    assert ReviewCycle.objects.count() == 1


def test_a_standard_that_does_not_apply_is_refused(province_officer) -> None:
    with pytest.raises(ApplicationError):
        reviews.review_cycle_open(
            user=province_officer,
            province=current_unit(QUANG_NINH),
            year=2024,
            standard_identifier="vn-2027-2030",
        )
    assert ReviewCycle.objects.count() == 0


def test_submit_approve_locks_and_the_result_is_final_only_when_every_commune_is_approved(
    commune_officer, province_officer, assessed
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=assessed)
    with pytest.raises(PermissionDeniedError):
        reviews.commune_review_approve(user=commune_officer, review=assessed)
    approved = reviews.commune_review_approve(user=province_officer, review=assessed)
    assert approved.state == State.APPROVED
    assert not review_selectors.cycle_states(cycle=assessed.cycle).is_final
    assessed.cycle.communes.exclude(pk=assessed.pk).update(state=State.APPROVED)
    assert review_selectors.cycle_states(cycle=assessed.cycle).is_final
    with pytest.raises(ApplicationError):
        reviews.commune_review_submit(user=commune_officer, review=assessed)


def test_returning_needs_a_reason_and_records_it(commune_officer, province_officer, assessed) -> None:
    reviews.commune_review_submit(user=commune_officer, review=assessed)
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        reviews.commune_review_return(user=province_officer, review=assessed, reason="  ")
    assert refused.value.message == "Give the reason; it is recorded with the decision."
    assessed.refresh_from_db()
    assert assessed.state == State.SUBMITTED
    reviews.commune_review_return(
        user=province_officer, review=assessed, reason="Thôn Khe Giấy chưa rà soát đủ"
    )
    event = assessed.events.get(action=ReviewEvent.Action.RETURNED)
    assert (event.user, event.reason) == (province_officer, "Thôn Khe Giấy chưa rà soát đủ")
    assessed.refresh_from_db()
    assert assessed.state == State.RETURNED


def test_reopening_an_approved_commune_needs_the_province_and_a_reason(
    commune_officer, province_officer, assessed
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=assessed)
    reviews.commune_review_approve(user=province_officer, review=assessed)
    with pytest.raises(ApplicationError):
        reviews.commune_review_reopen(user=province_officer, review=assessed, reason="")
    with pytest.raises(PermissionDeniedError):
        reviews.commune_review_reopen(user=commune_officer, review=assessed, reason="sai sót")
    reopened = reviews.commune_review_reopen(
        user=province_officer, review=assessed, reason="Phát hiện sai sót"
    )
    assert reopened.state == State.OPEN
    assert list(assessed.events.values_list("action", flat=True)) == [
        "opened",
        "submitted",
        "approved",
        "reopened",
    ]


def test_nothing_to_submit_is_refused(commune_officer, ba_che_review) -> None:
    with pytest.raises(ApplicationError):
        reviews.commune_review_submit(user=commune_officer, review=ba_che_review)
    ba_che_review.refresh_from_db()
    assert ba_che_review.state == State.OPEN


def test_the_cycle_through_the_pages(commune_officer, province_officer, assessed) -> None:
    cycle = assessed.cycle
    commune_page = f"/registry/reviews/{cycle.pk}/{BA_CHE}/"
    assert client_for(commune_officer).get(commune_page).status_code == 200
    client_for(commune_officer).post(commune_page + "submit/", {"confirmed": "yes"})
    client_for(province_officer).post(commune_page + "approve/")
    assessed.refresh_from_db()
    assert assessed.state == State.APPROVED
    dashboard = client_for(province_officer).get(f"/registry/reviews/{cycle.pk}/").content.decode()
    assert "Xã Ba Chẽ" in dashboard
    assert 'id="choropleth-missing"' in dashboard


def test_a_review_page_names_events_written_by_the_system(province_officer, assessed) -> None:
    """Given a review event recorded without a user (by the demo or by a command before the system
    actor), when the province officer opens the commune's review page, then it answers and names the
    system as the one who acted."""
    ReviewEvent.objects.create(commune_review=assessed, action=ReviewEvent.Action.OPENED, user=None)
    response = client_for(province_officer).get(f"/registry/reviews/{assessed.cycle_id}/{BA_CHE}/")
    assert response.status_code == 200
    assert "hệ thống" in response.content.decode()
