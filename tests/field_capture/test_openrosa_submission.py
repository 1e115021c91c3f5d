"""ODK Collect sending a household's answers to ``/odk/submission`` (multipart: the instance as
``xml_submission_file``, the photo as a part named by its file name): each instance kept once, sealed,
waiting for an officer or refused with its reason, and answered 201 with the message Collect shows;
what cannot be read, or is not ours, is refused with nothing stored."""

import hashlib
import os
import uuid

import pytest
from django.utils import translation

from tests.conftest import TIEN_YEN, current_unit
from tests.field_capture.phones import (
    DEVICE,
    JPEG,
    MEMBERS,
    USER_AGENT,
    collect,
    listed_instance,
    message,
    new_instance,
    send,
    vietnamese,
)
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import STANDARD, csv_text
from vungcao.accounts import access
from vungcao.accounts.models import Role, User
from vungcao.field_capture import openrosa, sealed
from vungcao.field_capture.models import Submission, SubmissionAttachment
from vungcao.field_capture.planning import reason_text
from vungcao.field_capture.services import intake
from vungcao.field_capture.views import openrosa as views
from vungcao.geo.services import villages
from vungcao.registry import classification
from vungcao.registry.models import Assessment, CommuneReview, Household
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db

State, Reason = Submission.State, Submission.Reason
PHOTO = "1740903100123.jpg"


def nothing_stored() -> bool:
    return not Submission.objects.exists() and not SubmissionAttachment.objects.exists()


def refused_message(submission: Submission) -> str:
    with translation.override("vi"):
        return str(intake.KEPT_NOT_ENTERED).format(
            reason=reason_text(submission.reason, submission.reason_detail)
        )


# --- Received, waiting for an officer ------------------------------------------------------------------


def test_a_listed_households_answers_and_photo_are_kept_waiting_for_an_officer(
    ba_che_households: CommuneReview, commune_officer: User
) -> None:
    # Given an instance for a listed household, with a decimal Vietnamese would read as thousands
    xml = listed_instance(ba_che_households, housing_floor_area_m2="32.125", dwelling_photo=PHOTO)
    assessments = list(Assessment.objects.values())
    # When Collect sends it with its photo
    response = send(collect(commune_officer), xml, (PHOTO, JPEG))
    # Then it is kept, waiting, as the phone sent it, and nothing is written in the review
    assert response.status_code == 201
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["X-OpenRosa-Version"] == "1.0"
    assert message(response) == vietnamese(intake.RECEIVED).format(code="06970-001-0001")
    submission = Submission.objects.get()
    assert (submission.state, submission.reason, submission.status_after) == (State.PENDING, "", "poor")
    assert submission.commune_review == ba_che_households
    assert submission.household == Household.objects.get(code="06970-001-0001")
    assert (submission.household_code, submission.new_household) == ("06970-001-0001", False)
    assert (submission.form_id, submission.submitted_by) == ("vungcao-review-2025-06970", commune_officer)
    assert submission.form_version.startswith("2025.")
    assert (submission.device_id, submission.user_agent) == (DEVICE["deviceID"], USER_AGENT)
    assert submission.completed_at.isoformat() == "2026-03-02T01:31:40+00:00"
    assert sealed.submission_xml(submission) == xml
    assert submission.xml != xml
    assert submission.xml_digest == hashlib.sha256(xml).hexdigest()
    assert list(Assessment.objects.values()) == assessments
    # And its change is the household's answers, 32.125 square metres read as such
    [change] = sealed.submission_changes(submission)
    assert (change["code"], change["kind"], change["members"]) == ("06970-001-0001", "changed", [])
    floor = classification.standard(STANDARD).field("housing_floor_area_m2").label
    assert [new for label, _old, new in change["fields"] if label == {"vi": floor.vi, "en": floor.en}] == [
        32.125
    ]
    # And its photo is kept sealed, typed by its first bytes
    photo = submission.attachments.get()
    assert (photo.filename, photo.content_type, photo.size) == (PHOTO, "image/jpeg", len(JPEG))
    assert photo.md5 == hashlib.md5(JPEG).hexdigest()
    assert sealed.attachment_content(photo) == JPEG


def test_a_new_household_is_kept_with_its_members_change(
    ba_che_households: CommuneReview, commune_officer: User
) -> None:
    response = send(collect(commune_officer), new_instance(ba_che_households))
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert (submission.state, submission.household_code, submission.new_household, submission.household) == (
        State.PENDING,
        "06970-001-0100",
        True,
        None,
    )
    [change] = sealed.submission_changes(submission)
    assert change["kind"] == "added"
    assert [member[1] for member in change["members"]] == [member["member_name"] for member in MEMBERS]
    assert not Household.objects.filter(code="06970-001-0100").exists()


def test_the_session_is_not_needed_nor_a_csrf_token(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    client = collect(commune_officer, enforce_csrf_checks=True)
    assert send(client, listed_instance(ba_che_households)).status_code == 201


# --- Sent again ----------------------------------------------------------------------------------------


def test_the_same_instance_twice_is_one_submission(ba_che_households: CommuneReview, commune_officer) -> None:
    xml = listed_instance(ba_che_households, dwelling_photo=PHOTO)
    first = send(collect(commune_officer), xml, (PHOTO, JPEG))
    again = send(collect(commune_officer), xml, (PHOTO, JPEG))
    assert (first.status_code, again.status_code) == (201, 201)
    assert message(again) == vietnamese(intake.ALREADY_RECEIVED).format(code="06970-001-0001")
    assert Submission.objects.count() == 1
    assert SubmissionAttachment.objects.count() == 1


def test_another_document_under_a_received_instance_id_is_a_conflict(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    send(collect(commune_officer), listed_instance(ba_che_households, instance_id="uuid:one"))
    before = list(Submission.objects.values())
    other = listed_instance(ba_che_households, instance_id="uuid:one", members_total="5")
    response = send(collect(commune_officer), other)
    assert response.status_code == 409
    assert message(response) == vietnamese(intake.ANOTHER_INSTANCE)
    assert list(Submission.objects.values()) == before


def test_a_split_sending_is_one_submission_with_its_photo(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    # Given a photo larger than one sending takes: Collect sends the instance alone first, marked incomplete
    xml = listed_instance(ba_che_households, dwelling_photo=PHOTO)
    first = send(collect(commune_officer), xml, incomplete=True)
    assert first.status_code == 201
    assert message(first) == vietnamese(intake.RECEIVED_PART).format(code="06970-001-0001")
    assert not SubmissionAttachment.objects.exists()
    # When the last sending repeats the instance with the photo (and a file it does not name)
    last = send(collect(commune_officer), xml, (PHOTO, JPEG), ("other.jpg", JPEG))
    # Then it is the same submission, with the photo it names only
    assert last.status_code == 201
    assert message(last) == vietnamese(intake.RECEIVED).format(code="06970-001-0001")
    submission = Submission.objects.get()
    assert list(submission.attachments.values_list("filename", flat=True)) == [PHOTO]


def test_a_ten_megabyte_photo_is_kept_whole(ba_che_households: CommuneReview, commune_officer) -> None:
    photo = JPEG + os.urandom(10_000_000)
    xml = listed_instance(ba_che_households, dwelling_photo=PHOTO)
    assert send(collect(commune_officer), xml, (PHOTO, photo)).status_code == 201
    kept = SubmissionAttachment.objects.get()
    assert (kept.size, kept.md5) == (len(photo), hashlib.md5(photo).hexdigest())
    assert hashlib.md5(sealed.attachment_content(kept)).hexdigest() == hashlib.md5(photo).hexdigest()


# --- One waiting per household -----------------------------------------------------------------------


def test_an_edit_replaces_the_waiting_submission_it_names(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    send(collect(commune_officer), listed_instance(ba_che_households, instance_id="uuid:first"))
    edit = listed_instance(
        ba_che_households,
        instance_id="uuid:edited",
        deprecated_id="uuid:first",
        finished="2026-03-01T08:00:00.000+07:00",  # a phone's clock may say earlier: the edit still wins
        members_total="5",
    )
    assert send(collect(commune_officer), edit).status_code == 201
    first, edited = (Submission.objects.get(instance_id=name) for name in ("uuid:first", "uuid:edited"))
    assert (edited.state, edited.replaces, edited.deprecated_id) == (State.PENDING, first, "uuid:first")
    assert (first.state, first.reason, first.reason_detail) == (
        State.REJECTED,
        Reason.SUPERSEDED,
        {"by": str(edited.pk)},
    )
    assert first.decided_by is None


def test_of_two_for_one_household_the_one_finished_later_waits_whichever_arrives_first(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    later = listed_instance(ba_che_households, instance_id="uuid:later", finished="2026-03-03T09:00:00+07:00")
    earlier = listed_instance(
        ba_che_households, instance_id="uuid:earlier", finished="2026-03-02T09:00:00+07:00"
    )
    send(collect(commune_officer), later)
    response = send(collect(commune_officer), earlier)
    assert response.status_code == 201
    kept = Submission.objects.get(instance_id="uuid:earlier")
    assert (kept.state, kept.reason) == (State.REJECTED, Reason.SUPERSEDED)
    assert message(response) == refused_message(kept)
    assert Submission.objects.get(instance_id="uuid:later").state == State.PENDING


# --- Kept, but refused on arrival ----------------------------------------------------------------------


def test_after_the_review_was_submitted_it_is_kept_refused_and_nothing_is_written(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=ba_che_households)
    assessments = list(Assessment.objects.values())
    response = send(collect(commune_officer), listed_instance(ba_che_households, members_total="7"))
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert (submission.state, submission.reason, submission.reason_detail) == (
        State.REFUSED,
        Reason.REVIEW_CLOSED,
        {"state": "submitted"},
    )
    assert message(response) == refused_message(submission)
    with translation.override("vi"):
        assert str(CommuneReview.State.SUBMITTED.label) in message(response)
    assert list(Assessment.objects.values()) == assessments
    assert not submission.changes


def test_another_communes_form_is_kept_for_that_commune_refused(
    ba_che_households: CommuneReview, commune_officer, make_user
) -> None:
    # Given Tiên Yên's review, whose answers Ba Chẽ's officer may not enter
    tien_yen = CommuneReview.objects.select_related("cycle", "commune").get(
        cycle=ba_che_households.cycle, commune__code=TIEN_YEN
    )
    # When Ba Chẽ's officer's phone sends an instance of its form
    response = send(
        collect(commune_officer), listed_instance(tien_yen, "06862-001-0001", village="06862-001")
    )
    # Then it is kept in Tiên Yên's review, refused, seen there and not in Ba Chẽ
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert (submission.commune_review, submission.state, submission.reason) == (
        tien_yen,
        State.REFUSED,
        Reason.NOT_YOUR_COMMUNE,
    )
    tien_yen_officer = make_user("tienyen-officer", Role.COMMUNE_OFFICER, TIEN_YEN)
    assert access.restrict_field_submissions(Submission.objects.all(), tien_yen_officer).get() == submission
    assert not access.restrict_field_submissions(Submission.objects.all(), commune_officer).exists()


@pytest.mark.parametrize(
    ("code", "new", "reason"),
    [
        ("06970-001-0002", False, Reason.HOUSEHOLD_DISSOLVED),
        ("06970-001-0099", False, Reason.HOUSEHOLD_UNKNOWN),
        ("06970-001-0001", True, Reason.CODE_TAKEN),
    ],
)
def test_a_household_that_cannot_be_answered_for_is_kept_refused(
    ba_che_households: CommuneReview, commune_officer, code: str, new: bool, reason: str
) -> None:
    xml = new_instance(ba_che_households, code) if new else listed_instance(ba_che_households, code)
    response = send(collect(commune_officer), xml)
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert (submission.state, submission.reason, submission.reason_detail) == (
        State.REFUSED,
        reason,
        {"code": code},
    )
    assert message(response) == refused_message(submission)


def test_a_household_of_another_commune_is_kept_refused(
    ba_che_households: CommuneReview, province_officer, administrator, questionnaire_row
) -> None:
    # Given a household of Tiên Yên
    villages.village_create(user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Đồng Tâm")
    row = questionnaire_row("06862-001-0001", "Vi Văn Tài", village="06862-001")
    preview_and_apply("questionnaire", csv_text([row]), user=province_officer)
    # When the province officer's phone sends its code on Ba Chẽ's form
    response = send(collect(province_officer), listed_instance(ba_che_households, "06862-001-0001"))
    # Then it is kept refused, linked to no household
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert (submission.state, submission.reason, submission.household) == (
        State.REFUSED,
        Reason.HOUSEHOLD_ELSEWHERE,
        None,
    )


def test_answers_that_break_the_rules_are_kept_refused_with_the_problems_in_both_languages(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    # Given a new household whose members name no head, and an address a spreadsheet would run
    members = [{**member, "relation_to_head": "child"} for member in MEMBERS]
    xml = new_instance(ba_che_households, members=members, address="=HYPERLINK(1)")
    # When it is sent
    response = send(collect(commune_officer), xml)
    # Then it is kept, refused, with every problem in Vietnamese and English
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert (submission.state, submission.reason) == (State.REFUSED, Reason.INVALID_ANSWERS)
    problems = submission.reason_detail["problems"]
    assert [(problem["row"], problem["field"]) for problem in problems["vi"]] == [
        (2, "address"),
        (2, "relation_to_head"),
    ]
    assert [(problem["row"], problem["field"]) for problem in problems["en"]] == [
        (2, "address"),
        (2, "relation_to_head"),
    ]
    assert problems["vi"][1]["reason"] != problems["en"][1]["reason"]
    assert message(response) == refused_message(submission)
    assert problems["vi"][1]["reason"] in message(response)
    assert not Household.objects.filter(code="06970-001-0100").exists()


# --- Refused, nothing stored ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (
            b"<household_review id='vungcao-review-2025-06970'><unclosed></household_review>",
            openrosa.UNREADABLE,
        ),
        (b"not xml at all", openrosa.UNREADABLE),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<household_review id='vungcao-review-2025-06970'><meta><instanceID>uuid:x</instanceID></meta>"
            b"<address>&b;</address></household_review>",
            openrosa.UNREADABLE,
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd">'
            b"<household_review id='vungcao-review-2025-06970'/>",
            openrosa.UNREADABLE,
        ),
        (
            b"<household_review id='vungcao-review-2025-06970'><meta/></household_review>",
            openrosa.NO_INSTANCE_ID,
        ),
        (b"<r>" + b"<a>x</a>" * 200_000 + b"</r>", openrosa.XML_TOO_LARGE),
    ],
    ids=["malformed", "not-xml", "entity-expansion", "external-dtd", "no-instance-id", "over-1-mb"],
)
def test_a_sending_that_cannot_be_read_is_refused_with_nothing_stored(
    ba_che_households: CommuneReview, commune_officer, xml: bytes, reason
) -> None:
    response = send(collect(commune_officer), xml)
    assert response.status_code == 400
    assert message(response) == vietnamese(reason)
    assert nothing_stored()


def test_a_sending_without_its_instance_is_refused(ba_che_households: CommuneReview, commune_officer) -> None:
    response = send(collect(commune_officer), None, (PHOTO, JPEG))
    assert response.status_code == 400
    assert message(response) == vietnamese(views.NO_XML_PART)
    assert nothing_stored()


def test_an_unknown_form_is_not_found(ba_che_households: CommuneReview, commune_officer) -> None:
    xml = listed_instance(ba_che_households).replace(
        b"vungcao-review-2025-06970", b"vungcao-review-2019-06970"
    )
    response = send(collect(commune_officer), xml)
    assert response.status_code == 404
    assert nothing_stored()


def test_a_sending_larger_than_announced_is_refused_unread(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    xml = listed_instance(ba_che_households, dwelling_photo=PHOTO)
    response = send(collect(commune_officer), xml, (PHOTO, JPEG + bytes(views.ACCEPT_CONTENT_LENGTH)))
    assert response.status_code == 413
    assert message(response) == vietnamese(views.SENDING_TOO_LARGE)
    assert nothing_stored()


def test_more_files_than_a_household_has_are_refused(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    files = [(f"{number}.jpg", JPEG) for number in range(intake.MAX_FILES + 1)]
    response = send(collect(commune_officer), listed_instance(ba_che_households), *files)
    assert response.status_code == 400
    assert message(response) == vietnamese(intake.TOO_MANY_FILES)
    assert nothing_stored()


@pytest.mark.parametrize("role", [Role.AGGREGATE_VIEWER, Role.MINISTRY_ANALYST])
def test_an_account_that_enters_no_answers_is_refused(
    ba_che_households: CommuneReview, make_user, role: str
) -> None:
    user = make_user(f"user-{uuid.uuid4().hex[:8]}", role)
    response = send(collect(user), listed_instance(ba_che_households))
    assert response.status_code == 403
    assert message(response) == vietnamese(intake.NO_ANSWER_ENTRY)
    assert nothing_stored()


def test_an_account_that_must_change_its_password_is_refused(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    User.objects.filter(pk=commune_officer.pk).update(must_change_password=True)
    response = send(collect(commune_officer), listed_instance(ba_che_households))
    assert response.status_code == 403
    assert nothing_stored()


def test_no_credentials_are_challenged(ba_che_households: CommuneReview) -> None:
    response = send(collect(), listed_instance(ba_che_households))
    assert response.status_code == 401
    assert "WWW-Authenticate" in response
    assert nothing_stored()
