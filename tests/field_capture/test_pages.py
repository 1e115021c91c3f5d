"""The pages officers read what phones sent on: the communes with their submissions counted by state, a
commune's submissions, one submission with its answers, change, photo and history, and the photo itself.
Submissions are received as the intake receives them (``submission_receive``), then decided in the rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.conftest import BA_CHE, TIEN_YEN, client_for
from tests.field_capture.phones import JPEG, listed_instance, new_instance
from vungcao.accounts.models import Role, User
from vungcao.field_capture import selectors
from vungcao.field_capture.models import Submission
from vungcao.field_capture.services.intake import ReceivedFile, submission_receive
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry import identity
from vungcao.registry.models import CommuneReview, PersonalDataRead
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db

State, Reason = Submission.State, Submission.Reason
PHOTO = "1740903100123.jpg"


def received(user: User, xml: bytes, *files: tuple[str, bytes]) -> Submission:
    return submission_receive(
        user=user,
        xml=xml,
        attachments=[ReceivedFile(name, content) for name, content in files],
        incomplete=False,
        device_id="collect:test",
        user_agent="org.odk.collect.android/v2025.2.1",
    ).submission


@pytest.fixture
def sent(ba_che_households: CommuneReview, commune_officer: User) -> dict[str, Submission]:
    """Ba Chẽ's submissions, one of each kind: a listed household waiting (with its photo), a new household
    waiting, one accepted, one rejected by an officer and one refused on arrival (a dissolved household);
    received a minute apart, oldest first."""
    review = ba_che_households
    submissions = {
        "listed": received(
            commune_officer,
            listed_instance(
                review,
                "06970-001-0001",
                head_name="Triệu Văn Pao",
                income_per_capita_month="900000",
                dwelling_photo=PHOTO,
            ),
            (PHOTO, JPEG),
        ),
        "new": received(commune_officer, new_instance(review, "06970-001-0100")),
        "accepted": received(commune_officer, listed_instance(review, "06970-002-0001", village="06970-002")),
        "dissolved": received(commune_officer, listed_instance(review, "06970-001-0002")),
    }
    Submission.objects.filter(pk=submissions["accepted"].pk).update(
        state=State.ACCEPTED, decided_by=commune_officer, decided_at=timezone.now()
    )
    start = timezone.now() - datetime.timedelta(hours=1)
    for minutes, submission in enumerate(submissions.values()):
        Submission.objects.filter(pk=submission.pk).update(
            received_at=start + datetime.timedelta(minutes=minutes)
        )
    return {key: Submission.objects.get(pk=submission.pk) for key, submission in submissions.items()}


def english(user: User):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def review_url(review: CommuneReview) -> str:
    return f"/field-capture/reviews/{review.cycle_id}/{review.commune.code}/"


def reads(kind: str) -> list[PersonalDataRead]:
    return list(PersonalDataRead.objects.filter(kind=kind).order_by("pk"))


# --- The overview --------------------------------------------------------------------------------------


def test_the_overview_counts_each_communes_submissions_by_state(
    sent: dict[str, Submission], commune_officer: User, province_officer: User
) -> None:
    # Given Ba Chẽ's submissions: two waiting, one accepted, one refused
    assert [submission.state for submission in sent.values()] == [
        State.PENDING,
        State.PENDING,
        State.ACCEPTED,
        State.REFUSED,
    ]
    # When the province's officer's overview is read
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.review_submission_counts(user=province_officer)
    # (the submissions counted in one grouped query)
    counting = [
        query["sql"]
        for query in queries
        if re.search(r'FROM "field_capture_submission"(?! U\d)', query["sql"])
    ]
    assert len(counting) == 1
    assert "GROUP BY" in counting[0]
    # Then every open commune of the province is listed, Ba Chẽ first with its counts
    first = rows[0]
    assert (first.review.commune.code, first.pending, first.accepted, first.rejected, first.refused) == (
        BA_CHE,
        2,
        1,
        0,
        1,
    )
    assert len(rows) == CommuneReview.objects.filter(cycle=first.review.cycle).count() > 1
    assert all(row.pending == row.accepted == row.refused == 0 for row in rows[1:])
    # and the commune's officer sees Ba Chẽ alone, on the page linked to its submissions
    response = client_for(commune_officer).get("/field-capture/")
    assert response.status_code == 200
    assert [row.review.commune.code for row in response.context["page"]] == [BA_CHE]
    assert review_url(first.review) in response.content.decode()


def test_a_closed_review_stays_while_it_has_submissions_waiting_or_received_lately(
    sent: dict[str, Submission], commune_officer: User
) -> None:
    review = sent["listed"].commune_review
    # Given Ba Chẽ's review submitted (no longer open for entry)
    CommuneReview.objects.filter(pk=review.pk).update(state=CommuneReview.State.SUBMITTED)
    # Then it stays while submissions wait
    assert [row.review.pk for row in selectors.review_submission_counts(user=commune_officer)] == [review.pk]
    # and while one was received lately, not once every one is old and decided
    Submission.objects.update(state=State.REJECTED)
    assert [row.review.pk for row in selectors.review_submission_counts(user=commune_officer)] == [review.pk]
    long_ago = timezone.now() - datetime.timedelta(days=selectors.RECENT_DAYS + 1)
    Submission.objects.update(received_at=long_ago)
    assert selectors.review_submission_counts(user=commune_officer) == []


def test_the_aggregate_viewer_reads_no_submission_page(sent: dict[str, Submission], make_user) -> None:
    client = client_for(make_user("donor", Role.AGGREGATE_VIEWER))
    review = sent["listed"].commune_review
    for url in (
        "/field-capture/",
        review_url(review),
        f"/field-capture/submissions/{sent['listed'].pk}/",
        f"/field-capture/submissions/{sent['listed'].pk}/files/{PHOTO}",
    ):
        assert client.get(url).status_code == 404, url
    assert not PersonalDataRead.objects.exists()


# --- A commune's submissions ---------------------------------------------------------------------------


def test_the_communes_page_lists_its_submissions_newest_first_with_their_households(
    sent: dict[str, Submission], commune_officer: User
) -> None:
    review = sent["listed"].commune_review
    # When Ba Chẽ's officer opens its submissions, in English
    response = english(commune_officer).get(review_url(review))
    assert response.status_code == 200
    rows = response.context["rows"]
    # Then they are listed newest first, with the household's head as the phone had it
    assert [row.submission.household_code for row in rows] == [
        "06970-001-0002",
        "06970-002-0001",
        "06970-001-0100",
        "06970-001-0001",
    ]
    listed = rows[3]
    assert (listed.head_name, listed.reason) == ("Triệu Văn Pao", "")
    assert listed.status_after == listed.status_after.strip() != ""
    assert rows[2].head_name == "Hoàng Văn Sáu"
    assert rows[2].change == "New household with 2 members"
    # and the refused one says why, with nothing to change
    with translation.override("en"):
        assert rows[0].reason == str(Reason.HOUSEHOLD_DISSOLVED.label)
    assert rows[0].change == ""
    # and the read of these four households is recorded, with the page's filter
    [read] = reads(PersonalDataRead.Kind.PHONE_LIST)
    assert (read.user, read.household, read.household_count) == (commune_officer, None, 4)
    assert read.query == "unit=06970 year=2025 state=all page=1"


def test_the_communes_page_shows_one_state_when_asked(
    sent: dict[str, Submission], commune_officer: User
) -> None:
    review = sent["listed"].commune_review
    response = client_for(commune_officer).get(review_url(review), {"state": "pending"})
    assert [row.submission.household_code for row in response.context["rows"]] == [
        "06970-001-0100",
        "06970-001-0001",
    ]
    assert {value: number for value, _label, number in response.context["states"]} == {
        "all": 4,
        "pending": 2,
        "accepted": 1,
        "rejected": 0,
        "refused": 1,
    }
    # An unknown state shows them all
    response = client_for(commune_officer).get(review_url(review), {"state": "<script>"})
    assert response.context["state"] == "all"
    assert len(response.context["rows"]) == 4


def test_another_communes_page_and_submissions_are_not_found(sent: dict[str, Submission], make_user) -> None:
    tien_yen_officer = make_user("tienyen", Role.COMMUNE_OFFICER, TIEN_YEN)
    client = client_for(tien_yen_officer)
    review = sent["listed"].commune_review
    assert client.get(review_url(review)).status_code == 404
    assert client.get(f"/field-capture/submissions/{sent['listed'].pk}/").status_code == 404
    assert client.get(f"/field-capture/submissions/{sent['listed'].pk}/files/{PHOTO}").status_code == 404
    assert not PersonalDataRead.objects.exists()


# --- One submission ----------------------------------------------------------------------------------


def test_a_submission_shows_its_answers_change_photo_and_history(
    sent: dict[str, Submission], ba_che_households: CommuneReview, commune_officer: User
) -> None:
    # Given a second submission for the same household that superseded the first
    first = sent["listed"]
    later = received(
        commune_officer,
        listed_instance(ba_che_households, "06970-001-0001", finished="2026-03-03T08:00:00.000+07:00"),
    )
    assert Submission.objects.get(pk=first.pk).reason == Reason.SUPERSEDED
    # When the officer opens the first, in English
    response = english(commune_officer).get(f"/field-capture/submissions/{first.pk}/")
    assert response.status_code == 200
    detail = response.context["detail"]
    # Then the answers are labelled by the form and in words
    answers = {answer.label: answer.value for answer in detail.answers}
    assert answers["Household"] == "06970-001-0001"
    village = AdministrativeUnit.objects.get(code="06970-001")
    assert answers["Village"] == village.name  # chosen by its code on the phone, read by its name
    assert answers["Is this a new household, not yet on the list?"] == "No"
    assert answers["Area"] == "rural area"
    assert [value for label, value in answers.items() if label.startswith("Income")] == ["900,000"]
    # and the change it made when it arrived is the income's, the photo is shown, the later one listed
    [change] = detail.changes
    assert change.kind == "changed"
    page = response.content.decode()
    assert f'<img src="/field-capture/submissions/{first.pk}/files/{PHOTO}"' in page
    assert [other.pk for other in detail.history] == [later.pk]
    # and reading it is recorded against the household
    [read] = reads(PersonalDataRead.Kind.PHONE_DETAIL)
    assert (read.user, read.household.code, read.household_count) == (commune_officer, "06970-001-0001", 1)


def test_a_new_households_members_show_identity_numbers_whole_only_to_those_who_may_see_them(
    sent: dict[str, Submission], commune_officer: User, province_officer: User
) -> None:
    url = f"/field-capture/submissions/{sent['new'].pk}/"
    whole = english(commune_officer).get(url).context["detail"]
    masked = english(province_officer).get(url).context["detail"]
    column = whole.members.labels.index("Identity number")
    assert [row[column] for row in whole.members.rows] == ["022079001111", "—"]
    assert [row[column] for row in masked.members.rows] == [identity.masked("111"), "—"]
    assert [row[0] for row in masked.members.rows] == ["Hoàng Văn Sáu", "Hoàng Thị Bảy"]
    assert [read.identity_numbers_whole for read in reads(PersonalDataRead.Kind.PHONE_DETAIL)] == [
        True,
        False,
    ]
    assert all(read.household is None for read in reads(PersonalDataRead.Kind.PHONE_DETAIL))


# --- The photo ----------------------------------------------------------------------------------------


def test_the_photo_is_served_privately_as_the_picture_it_is(
    sent: dict[str, Submission], commune_officer: User
) -> None:
    response = client_for(commune_officer).get(
        f"/field-capture/submissions/{sent['listed'].pk}/files/{PHOTO}"
    )
    assert response.status_code == 200
    assert response.content == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{PHOTO}"'
    # and opening it is recorded as a read of the household's personal data
    [read] = reads(PersonalDataRead.Kind.PHONE_FILE)
    assert (read.user, read.household.code, read.household_count) == (commune_officer, "06970-001-0001", 1)
    assert read.query == "unit=06970 household=06970-001-0001"


def test_a_file_that_is_no_picture_is_downloaded_and_an_unknown_one_not_found(
    sent: dict[str, Submission], commune_officer: User
) -> None:
    sent["listed"].attachments.update(content_type="application/octet-stream")
    client = client_for(commune_officer)
    response = client.get(f"/field-capture/submissions/{sent['listed'].pk}/files/{PHOTO}")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{PHOTO}"'
    assert client.get(f"/field-capture/submissions/{sent['listed'].pk}/files/other.jpg").status_code == 404
    assert client.get(f"/field-capture/submissions/{sent['new'].pk}/files/{PHOTO}").status_code == 404
    assert len(reads(PersonalDataRead.Kind.PHONE_FILE)) == 1  # the files not found were not read


def test_a_review_submitted_keeps_its_submissions_readable(
    sent: dict[str, Submission], commune_officer: User
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=sent["listed"].commune_review)
    response = client_for(commune_officer).get(review_url(sent["listed"].commune_review))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4
