"""The buttons officers decide with on the submissions' pages: one submission accepted at once with the
fingerprint of what its page showed, several (or all waiting) through an import batch, rejected with a
required reason, a refused one checked again; a role that may not decide is offered nothing and changes
nothing."""

import pytest
from django.test import TestCase

from tests.conftest import client_for
from tests.field_capture.phones import listed_instance, new_instance
from tests.field_capture.test_pages import received
from tests.imports.helpers import run_tasks
from vungcao.accounts.models import User
from vungcao.field_capture import importers
from vungcao.field_capture.models import Submission
from vungcao.imports.models import ImportBatch
from vungcao.registry.models import Assessment, CommuneReview
from vungcao.registry.services import reviews
from vungcao.registry.services.reviews import REASON_REQUIRED

pytestmark = pytest.mark.django_db

State, Reason = Submission.State, Submission.Reason


def detail_url(submission: Submission) -> str:
    return f"/field-capture/submissions/{submission.pk}/"


def review_url(review: CommuneReview) -> str:
    return f"/field-capture/reviews/{review.cycle_id}/{review.commune.code}/"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def members_total(code: str) -> int | None:
    assessment = Assessment.objects.filter(household__code=code, cycle__year=2025).first()
    return assessment.answers.get("members_total") if assessment else None


@pytest.fixture
def waiting(ba_che_households: CommuneReview, commune_officer: User) -> list[Submission]:
    """Two households' answers waiting in Ba Chẽ: a listed household's (three members now) and a new one's."""
    return [
        received(commune_officer, listed_instance(ba_che_households, "06970-001-0001", members_total="3")),
        received(commune_officer, new_instance(ba_che_households, "06970-001-0100")),
    ]


def test_one_submission_is_accepted_at_once_with_what_its_page_showed(
    waiting: list[Submission], commune_officer: User
) -> None:
    client = client_for(commune_officer)
    submission = waiting[0]
    # Given its page, which shows what accepting it changes now and offers the button
    page = client.get(detail_url(submission))
    acceptance = page.context["acceptance"]
    assert acceptance.report.ok
    assert f'name="fingerprint" value="{acceptance.fingerprint}"' in page.content.decode()
    assert [change.code for change in page.context["changes"]] == ["06970-001-0001"]
    # When the officer accepts it
    response = client.post(
        f"{detail_url(submission)}accept/", {"fingerprint": acceptance.fingerprint}, follow=True
    )
    # Then it is accepted and written, and the page says so
    assert response.redirect_chain[-1][0] == detail_url(submission)
    assert Submission.objects.get(pk=submission.pk).state == State.ACCEPTED
    assert members_total("06970-001-0001") == 3
    assert len(messages_of(response)) == 1
    assert response.context["acceptance"] is None


def test_accepting_what_changed_since_the_page_leads_to_the_batch_and_writes_nothing(
    waiting: list[Submission], commune_officer: User
) -> None:
    submission = waiting[0]
    response = client_for(commune_officer).post(
        f"{detail_url(submission)}accept/", {"fingerprint": "0/1/0/0/old"}
    )
    batch = ImportBatch.objects.get(kind=importers.KIND)
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{batch.pk}/"
    assert batch.status == ImportBatch.Status.READY
    assert Submission.objects.get(pk=submission.pk).state == State.PENDING
    assert members_total("06970-001-0001") != 3


def test_a_rejection_needs_a_reason_and_records_it(waiting: list[Submission], commune_officer: User) -> None:
    client = client_for(commune_officer)
    submission = waiting[0]
    # Without a reason nothing changes, and the officer is told why
    response = client.post(f"{detail_url(submission)}reject/", {"reason": "  "}, follow=True)
    assert messages_of(response) == [str(REASON_REQUIRED)]
    assert Submission.objects.get(pk=submission.pk).state == State.PENDING
    # With one, it is rejected with it
    client.post(f"{detail_url(submission)}reject/", {"reason": "Hộ đã chuyển đi"})
    rejected = Submission.objects.get(pk=submission.pk)
    assert (rejected.state, rejected.reason, rejected.reason_detail, rejected.decided_by) == (
        State.REJECTED,
        Reason.REJECTED_BY_OFFICER,
        {"text": "Hộ đã chuyển đi"},
        commune_officer,
    )


def test_the_chosen_submissions_are_accepted_through_a_batch(
    waiting: list[Submission], commune_officer: User
) -> None:
    review = waiting[0].commune_review
    client = client_for(commune_officer)
    page = client.get(review_url(review))
    assert page.context["can_decide"] is True
    assert 'id="accept-selected"' in page.content.decode()
    # When the officer chooses the new household and accepts it
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"{review_url(review)}accept/", {"submission": [str(waiting[1].pk), "not-an-id"]}
        )
    run_tasks()
    # Then the batch of that one submission is previewed, to apply on its page; nothing is written yet
    batch = ImportBatch.objects.get(kind=importers.KIND)
    assert response["Location"] == f"/imports/{batch.pk}/"
    assert batch.filename == "odk-vungcao-review-2025-06970-1.csv"
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (ImportBatch.Status.READY, 1)
    assert set(Submission.objects.values_list("state", flat=True)) == {State.PENDING}


def test_all_waiting_are_accepted_through_one_batch(waiting: list[Submission], commune_officer: User) -> None:
    # (newest first: the new household's rows, with their members' columns, before the listed one's row)
    review = waiting[0].commune_review
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(commune_officer).post(f"{review_url(review)}accept-all/")
    run_tasks()
    batch = ImportBatch.objects.get(kind=importers.KIND)
    assert (batch.filename, batch.status) == ("odk-vungcao-review-2025-06970-2.csv", ImportBatch.Status.READY)
    assert (batch.created_count, batch.updated_count) == (1, 1)


def test_the_chosen_submissions_are_rejected_with_the_reason(
    waiting: list[Submission], commune_officer: User
) -> None:
    review = waiting[0].commune_review
    client = client_for(commune_officer)
    chosen = {"submission": [str(submission.pk) for submission in waiting]}
    # None chosen, or no reason: nothing changes
    response = client.post(f"{review_url(review)}reject/", {"reason": "Trùng"}, follow=True)
    assert len(messages_of(response)) == 1
    client.post(f"{review_url(review)}reject/", chosen)
    assert set(Submission.objects.values_list("state", flat=True)) == {State.PENDING}
    # Both chosen with a reason: both rejected
    response = client.post(f"{review_url(review)}reject/", {**chosen, "reason": "Trùng"}, follow=True)
    assert response.redirect_chain[-1][0] == review_url(review)
    assert set(Submission.objects.values_list("state", "reason")) == {
        (State.REJECTED, Reason.REJECTED_BY_OFFICER)
    }


def test_a_refusal_lifted_since_is_checked_again_from_its_page(
    ba_che_households: CommuneReview, commune_officer: User, province_officer: User
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=ba_che_households)
    submission = received(commune_officer, listed_instance(ba_che_households, members_total="3"))
    assert submission.reason == Reason.REVIEW_CLOSED
    reviews.commune_review_return(user=province_officer, review=ba_che_households, reason="Bổ sung")
    client = client_for(commune_officer)
    assert 'id="check-again"' in client.get(detail_url(submission)).content.decode()
    client.post(f"{detail_url(submission)}check-again/")
    assert Submission.objects.get(pk=submission.pk).state == State.PENDING


def test_a_role_that_may_not_decide_is_offered_nothing_and_changes_nothing(
    waiting: list[Submission], analyst: User
) -> None:
    client = client_for(analyst)
    submission = waiting[0]
    page = client.get(detail_url(submission))
    assert page.status_code == 200
    assert page.context["acceptance"] is None
    assert 'id="decide"' not in page.content.decode()
    listing = client.get(review_url(submission.commune_review))
    assert listing.context["can_decide"] is False
    assert 'type="checkbox"' not in listing.content.decode()
    client.post(f"{detail_url(submission)}reject/", {"reason": "x"})
    client.post(f"{review_url(submission.commune_review)}accept-all/")
    assert set(Submission.objects.values_list("state", flat=True)) == {State.PENDING}
    assert not ImportBatch.objects.filter(kind=importers.KIND).exists()


def test_an_unknown_action_is_not_found(waiting: list[Submission], commune_officer: User) -> None:
    client = client_for(commune_officer)
    assert client.post(f"{detail_url(waiting[0])}approve/").status_code == 404
    assert client.post(f"{review_url(waiting[0].commune_review)}delete/").status_code == 404
    assert client.get(f"{detail_url(waiting[0])}accept/").status_code == 405
