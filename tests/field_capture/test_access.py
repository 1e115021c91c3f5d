"""Who sees the answers phones sent, and whose review forms a phone may download: decided in
``accounts.access`` alone."""

import hashlib

import pytest

from tests.conftest import BA_CHE, DIEN_BIEN, TIEN_YEN, client_for
from vungcao.accounts import access
from vungcao.accounts.models import Role, User
from vungcao.field_capture.models import Submission
from vungcao.registry.models import CommuneReview, ReviewCycle

pytestmark = pytest.mark.django_db


def submission(review: CommuneReview, sender: User, household_code: str) -> Submission:
    xml = b"<household_review/>"
    return Submission.objects.create(
        commune_review=review,
        form_id=f"vungcao-review-{review.cycle.year}-{review.commune.code}",
        instance_id=f"uuid:{household_code}",
        household_code=household_code,
        new_household=False,
        submitted_by=sender,
        xml=xml,
        xml_digest=hashlib.sha256(xml).hexdigest(),
        state=Submission.State.PENDING,
    )


def codes(submissions) -> list[str]:
    return sorted(submissions.values_list("household_code", flat=True))


def test_submissions_are_seen_in_scope_by_the_roles_that_see_households(
    cycle_2025: ReviewCycle, make_user, commune_officer, province_officer, analyst, administrator
) -> None:
    # Given one submission in Ba Chẽ and one in Tiên Yên (both in Quảng Ninh)
    submission(cycle_2025.communes.get(commune__code=BA_CHE), commune_officer, "06970-001-0001")
    submission(cycle_2025.communes.get(commune__code=TIEN_YEN), province_officer, "06862-001-0001")
    everything = Submission.objects.all()
    # Then each role sees those of its scope, the aggregate viewer none
    assert codes(access.restrict_field_submissions(everything, commune_officer)) == ["06970-001-0001"]
    assert codes(access.restrict_field_submissions(everything, province_officer)) == [
        "06862-001-0001",
        "06970-001-0001",
    ]
    assert codes(access.restrict_field_submissions(everything, analyst)) == [
        "06862-001-0001",
        "06970-001-0001",
    ]
    assert codes(access.restrict_field_submissions(everything, administrator)) == [
        "06862-001-0001",
        "06970-001-0001",
    ]
    assert (
        codes(
            access.restrict_field_submissions(
                everything, make_user("other", Role.PROVINCE_OFFICER, DIEN_BIEN)
            )
        )
        == []
    )
    assert (
        codes(access.restrict_field_submissions(everything, make_user("donor", Role.AGGREGATE_VIEWER))) == []
    )


def test_the_reviews_whose_submissions_a_user_sees_are_those_of_the_communes_in_scope(
    cycle_2025: ReviewCycle, make_user, commune_officer, province_officer, analyst
) -> None:
    # Given Quảng Ninh's reviews of 2025, one per commune
    reviews = CommuneReview.objects.filter(cycle=cycle_2025)
    # Then each role sees the reviews of the communes it sees submissions of, the aggregate viewer none
    assert [
        review.commune.code
        for review in access.restrict_field_submissions(reviews, commune_officer, "commune")
    ] == [BA_CHE]
    assert (
        access.restrict_field_submissions(reviews, province_officer, "commune").count() == reviews.count() > 1
    )
    assert access.restrict_field_submissions(reviews, analyst, "commune").count() == reviews.count()
    donor = make_user("donor", Role.AGGREGATE_VIEWER)
    assert not access.restrict_field_submissions(reviews, donor, "commune").exists()
    elsewhere = make_user("elsewhere", Role.PROVINCE_OFFICER, DIEN_BIEN)
    assert not access.restrict_field_submissions(reviews, elsewhere, "commune").exists()


def test_answer_entry_keeps_the_reviews_whose_answers_the_user_may_enter(
    cycle_2025: ReviewCycle, make_user, commune_officer, province_officer, analyst, administrator
) -> None:
    # Given Quảng Ninh's reviews of 2025, one per commune
    reviews = CommuneReview.objects.select_related("commune")
    users = [
        commune_officer,
        province_officer,
        analyst,
        administrator,
        make_user("donor", Role.AGGREGATE_VIEWER),
        make_user("elsewhere", Role.PROVINCE_OFFICER, DIEN_BIEN),
        make_user("bache-admin", Role.ADMINISTRATOR, BA_CHE),
    ]
    for user in users:
        # When the reviews are narrowed in one query
        kept = set(access.restrict_answer_entry(reviews, user).values_list("pk", flat=True))
        # Then they are exactly those `can_enter_answers` allows one by one
        assert kept == {review.pk for review in reviews if access.can_enter_answers(user, review.commune)}, (
            user
        )
    assert access.restrict_answer_entry(reviews, commune_officer).get().commune.code == BA_CHE
    assert access.restrict_answer_entry(reviews, province_officer).count() == reviews.count() > 1
    assert not access.restrict_answer_entry(reviews, analyst).exists()


def test_the_admin_shows_a_submission_read_only_without_its_sealed_instance(
    cycle_2025: ReviewCycle, make_user, commune_officer
) -> None:
    # Given a submission and a superuser in the admin
    sent = submission(cycle_2025.communes.get(commune__code=BA_CHE), commune_officer, "06970-001-0001")
    root = make_user("root", Role.ADMINISTRATOR)
    root.is_staff = root.is_superuser = True
    root.save()
    client = client_for(root)
    url = f"/admin/field_capture/submission/{sent.pk}/change/"
    # When they open it, then try to change and delete it
    page = client.get(url)
    changed = client.post(url, {"household_code": "06970-001-0002", "state": "accepted"})
    deleted = client.post(f"/admin/field_capture/submission/{sent.pk}/delete/", {"post": "yes"})
    # Then it is shown without its XML or changes, and nothing changed
    assert page.status_code == 200
    assert "06970-001-0001" in page.content.decode()
    assert 'name="xml"' not in page.content.decode()
    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert Submission.objects.get().household_code == "06970-001-0001"
    assert Submission.objects.get().state == Submission.State.PENDING
