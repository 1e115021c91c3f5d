"""Submitting a commune's review shows its completeness and asks for confirmation; the commune can
recall its submission until the province acts on it."""

import re

import pytest
from django.utils import translation

from tests.conftest import TIEN_YEN, client_for
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.accounts.models import Role, User
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry.models import CommuneReview, ReviewEvent
from vungcao.registry.services import reviews
from vungcao.registry.services.households import MemberData, household_create

pytestmark = pytest.mark.django_db
State = CommuneReview.State


def registered(user: User, village: AdministrativeUnit, code: str) -> None:
    """A household registered in the commune but not assessed in the review."""
    household_create(
        user=user,
        village=village,
        code=code,
        area="rural",
        members=[
            MemberData(
                full_name=f"Chủ hộ {code}",
                sex="male",
                birth_year=1975,
                ethnic_group="09",
                relation_to_head="head",
            )
        ],
    )


@pytest.fixture
def half_assessed(
    commune_officer, ba_che_review, ba_che_villages, questionnaire_row: QuestionnaireRow
) -> CommuneReview:
    """Ba Chẽ: H1 and H2 assessed, U1, U2 and U3 registered and not yet assessed."""
    preview_and_apply(
        "questionnaire",
        csv_text([questionnaire_row("H1", "Hoàng Văn A"), questionnaire_row("H2", "Hoàng Văn B")]),
        user=commune_officer,
    )
    for code in ("U1", "U2", "U3"):
        registered(commune_officer, ba_che_villages[0], code)
    return ba_che_review


def page_url(review: CommuneReview) -> str:
    return f"/registry/reviews/{review.cycle_id}/{review.commune.code}/"


def test_submitting_first_shows_the_completeness_and_the_unassessed_households(
    commune_officer, half_assessed
) -> None:
    """Given 2 of 5 households assessed, when the officer presses "submit", then a confirmation page
    counts 2/5, warns that 3 are not assessed, links each to its answers, and nothing is submitted."""
    client = client_for(commune_officer)
    response = client.post(page_url(half_assessed) + "submit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<b>2/5</b>" in page
    assert 'id="unassessed-warning"' in page
    cycle = half_assessed.cycle_id
    links = re.findall(r'href="(/registry/households/[^"]+)"', page)
    assert links == [f"/registry/households/{code}/answers/{cycle}/" for code in ("U1", "U2", "U3")]
    assert 'name="confirmed" value="yes"' in page
    half_assessed.refresh_from_db()
    assert half_assessed.state == State.OPEN
    assert not half_assessed.events.filter(action=ReviewEvent.Action.SUBMITTED).exists()
    # And the commune review page lists them too, with the same warning
    review_page = client.get(page_url(half_assessed)).content.decode()
    assert 'id="unassessed-warning"' in review_page
    assert re.findall(r'href="(/registry/households/U\d/[^"]+)"', review_page) == links


def test_confirming_submits(commune_officer, half_assessed) -> None:
    client = client_for(commune_officer)
    response = client.post(page_url(half_assessed) + "submit/", {"confirmed": "yes"})
    assert response.status_code == 302
    half_assessed.refresh_from_db()
    assert half_assessed.state == State.SUBMITTED
    assert half_assessed.events.filter(action=ReviewEvent.Action.SUBMITTED, user=commune_officer).count() == 1


def test_a_complete_commune_is_asked_without_warning(
    commune_officer, ba_che_review, questionnaire_row
) -> None:
    preview_and_apply(
        "questionnaire", csv_text([questionnaire_row("H1", "Hoàng Văn A")]), user=commune_officer
    )
    page = client_for(commune_officer).post(page_url(ba_che_review) + "submit/").content.decode()
    assert "<b>1/1</b>" in page
    assert 'id="unassessed-warning"' not in page
    assert 'id="confirm-submit"' in page


def test_the_commune_recalls_its_submission_with_a_reason(commune_officer, half_assessed) -> None:
    reviews.commune_review_submit(user=commune_officer, review=half_assessed)
    client = client_for(commune_officer)
    page = client.get(page_url(half_assessed)).content.decode()
    assert 'id="recall"' in page
    response = client.post(page_url(half_assessed) + "recall/", {"reason": "Còn 3 hộ chưa rà soát"})
    assert response.status_code == 302
    half_assessed.refresh_from_db()
    assert half_assessed.state == State.OPEN
    event = half_assessed.events.get(action=ReviewEvent.Action.RECALLED)
    assert (event.user, event.reason) == (commune_officer, "Còn 3 hộ chưa rà soát")
    with translation.override("vi"):
        assert str(ReviewEvent.Action.RECALLED.label) in client.get(page_url(half_assessed)).content.decode()


def test_a_recall_without_a_reason_is_refused(commune_officer, half_assessed) -> None:
    reviews.commune_review_submit(user=commune_officer, review=half_assessed)
    with pytest.raises(ApplicationError) as refused:
        reviews.commune_review_recall(user=commune_officer, review=half_assessed, reason="  ")
    assert refused.value.message == str(reviews.REASON_REQUIRED)
    half_assessed.refresh_from_db()
    assert half_assessed.state == State.SUBMITTED
    assert not half_assessed.events.filter(action=ReviewEvent.Action.RECALLED).exists()


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_once_the_province_acted_the_recall_is_refused_with_the_reason(
    commune_officer, province_officer, half_assessed, decision
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=half_assessed)
    if decision == "approve":
        reviews.commune_review_approve(user=province_officer, review=half_assessed)
    else:
        reviews.commune_review_return(user=province_officer, review=half_assessed, reason="Thiếu hộ")
    half_assessed.refresh_from_db()
    state, events = half_assessed.state, half_assessed.events.count()
    client = client_for(commune_officer)
    assert 'id="recall"' not in client.get(page_url(half_assessed)).content.decode()
    with translation.override("vi"):
        expected = str(reviews.ALREADY_DECIDED).format(state=half_assessed.get_state_display())
    response = client.post(page_url(half_assessed) + "recall/", {"reason": "Sửa"}, follow=True)
    assert expected in [str(message) for message in response.context["messages"]]
    half_assessed.refresh_from_db()
    assert (half_assessed.state, half_assessed.events.count()) == (state, events)


def test_an_open_review_has_nothing_to_recall(commune_officer, half_assessed) -> None:
    with pytest.raises(ApplicationError) as refused:
        reviews.commune_review_recall(user=commune_officer, review=half_assessed, reason="Sửa")
    assert refused.value.message == str(reviews.NOT_SUBMITTED).format(state=half_assessed.get_state_display())


def test_only_the_communes_officers_recall(commune_officer, make_user, half_assessed) -> None:
    reviews.commune_review_submit(user=commune_officer, review=half_assessed)
    stranger = make_user("tienyen-officer", Role.COMMUNE_OFFICER, TIEN_YEN)
    viewer = make_user("donor", Role.AGGREGATE_VIEWER)
    for user in (stranger, viewer):
        with pytest.raises(PermissionDeniedError):
            reviews.commune_review_recall(user=user, review=half_assessed, reason="Sửa")
    assert client_for(stranger).post(page_url(half_assessed) + "recall/", {"reason": "x"}).status_code == 404
    half_assessed.refresh_from_db()
    assert half_assessed.state == State.SUBMITTED
    assert not half_assessed.events.filter(action=ReviewEvent.Action.RECALLED).exists()


def test_the_province_officer_is_offered_its_decisions_not_the_recall(
    commune_officer, province_officer, half_assessed
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=half_assessed)
    page = client_for(province_officer).get(page_url(half_assessed)).content.decode()
    assert 'id="approve"' in page
    assert 'id="return"' in page
    assert 'id="recall"' not in page


def test_a_submission_refused_by_the_service_says_why_without_a_confirmation(
    commune_officer, ba_che_review
) -> None:
    """Nothing assessed: the button still leads to the confirmation, whose confirming is refused with
    the reason (the service decides), and nothing is written."""
    client = client_for(commune_officer)
    response = client.post(page_url(ba_che_review) + "submit/", {"confirmed": "yes"}, follow=True)
    assert str(reviews.NOTHING_TO_SUBMIT) in [str(message) for message in response.context["messages"]]
    ba_che_review.refresh_from_db()
    assert ba_che_review.state == State.OPEN


def test_the_api_recalls_a_submission_with_its_reason_and_refuses_one_the_province_decided(
    commune_officer, province_officer, half_assessed
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=half_assessed)
    url = f"/api/v1/review-cycles/{half_assessed.cycle_id}/communes/{half_assessed.commune.code}/recall"
    client = client_for(commune_officer)
    response = client.post(url, {"reason": "Sửa hộ U1"}, content_type="application/json")
    assert (response.status_code, response.json()["state"]) == (200, State.OPEN)
    event = half_assessed.events.get(action=ReviewEvent.Action.RECALLED)
    assert (event.user, event.reason) == (commune_officer, "Sửa hộ U1")
    reviews.commune_review_submit(user=commune_officer, review=half_assessed)
    reviews.commune_review_approve(user=province_officer, review=half_assessed)
    refused = client.post(url, {"reason": "Sửa"}, content_type="application/json")
    half_assessed.refresh_from_db()
    with translation.override("vi"):
        expected = str(reviews.ALREADY_DECIDED).format(state=half_assessed.get_state_display())
    assert (refused.status_code, refused.json()["detail"]) == (400, expected)
    assert half_assessed.state == State.APPROVED
    assert half_assessed.events.filter(action=ReviewEvent.Action.RECALLED).count() == 1
