"""An officer's decisions on phones' submissions: accepted into the review through the import of kind
``phone_submissions`` (one at once with its fingerprint, several as a batch), rejected with a reason, or
checked again; the review a phone's answers give is the one the web's answers form gives."""

import hashlib

import pytest
from django.test import TestCase

from tests.conftest import DIEN_BIEN, TIEN_YEN, client_for
from tests.field_capture.phones import MEMBERS, collect, listed_instance, new_instance, send
from tests.imports.helpers import applied, preview_and_apply, run_tasks
from tests.registry.conftest import QuestionnaireRow, csv_text
from tests.registry.test_answers_form import ANSWERS as FORM_ANSWERS
from vungcao.accounts.models import Role, User
from vungcao.common import bounds
from vungcao.common.errors import ApplicationError, ImportRefusedError, NotFoundError, PermissionDeniedError
from vungcao.field_capture import importers
from vungcao.field_capture.models import Submission
from vungcao.field_capture.services import decisions
from vungcao.imports import services as import_services
from vungcao.imports.changes import import_batch_changes
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers as import_kinds
from vungcao.registry.models import Assessment, CommuneReview, Household, Member
from vungcao.registry.services import reviews
from vungcao.registry.services.questionnaire.writing import ASSESSMENT_RESULT_FIELDS

pytestmark = pytest.mark.django_db

State, Reason = Submission.State, Submission.Reason
STORED = ("answers", "area", "income_per_capita_month", *ASSESSMENT_RESULT_FIELDS, "cycle_id", "year")


def received(user: User, xml: bytes) -> Submission:
    """A submission as the user's phone sent it."""
    assert send(collect(user), xml).status_code == 201
    return Submission.objects.get(xml_digest=hashlib.sha256(xml).hexdigest())


def accepted_at_once(user: User, submission: Submission) -> ImportBatch:
    plan = importers.submission_plan(user=user, submission=submission)
    assert plan.report.ok, list(plan.report)
    return decisions.submission_accept_one(user=user, submission=submission, fingerprint=plan.fingerprint)


def previewed(user: User, submissions: list[Submission]) -> ImportBatch:
    """Several submissions accepted: their batch, once the worker has read it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = decisions.submissions_accept(user=user, submissions=submissions)
    run_tasks()
    batch.refresh_from_db()
    return batch


def assessments() -> list[dict[str, object]]:
    return list(Assessment.objects.order_by("pk").values())


@pytest.fixture
def twins(commune_officer: User, ba_che_review: CommuneReview, questionnaire_row: QuestionnaireRow) -> None:
    """06970-001-0011 and 06970-001-0012, registered alike (a head and his wife), not yet assessed."""
    rows = [
        row
        for code in ("06970-001-0011", "06970-001-0012")
        for row in (
            questionnaire_row(code, "Hoàng Văn A"),
            questionnaire_row(code, "Lý Thị B", relation="vợ/chồng", birth_year="1984"),
        )
    ]
    preview_and_apply("questionnaire", csv_text(rows), user=commune_officer)
    Assessment.objects.filter(household__code__in=["06970-001-0011", "06970-001-0012"]).delete()


def test_the_kind_is_found_by_the_imports_app_and_not_offered_on_its_page() -> None:
    importer = import_kinds()[importers.KIND]
    assert (importer.columns, importer.offered) == (("submission",), False)


# --- Accepting ---------------------------------------------------------------------------------------------


def test_the_stored_review_equals_the_web_forms(
    commune_officer: User, ba_che_review: CommuneReview, twins
) -> None:
    # Given twins: one's answers entered on the web's answers form
    url = f"/registry/households/06970-001-0011/answers/{ba_che_review.cycle_id}/"
    assert client_for(commune_officer).post(url, FORM_ANSWERS).status_code == 302
    # When the same answers for the other come from a phone and are accepted at once
    submission = received(commune_officer, listed_instance(ba_che_review, "06970-001-0012"))
    batch = accepted_at_once(commune_officer, submission)
    # Then the review holds the same assessment for both, and the submission is accepted
    assert batch.status == ImportBatch.Status.APPLIED
    web = Assessment.objects.filter(household__code="06970-001-0011").values(*STORED).get()
    phone = Assessment.objects.filter(household__code="06970-001-0012").values(*STORED).get()
    assert phone == web
    assert web["deprivation_count"] > 0
    submission.refresh_from_db()
    assert (submission.state, submission.decided_by, submission.status_after) == (
        State.ACCEPTED,
        commune_officer,
        web["status"],
    )
    assert submission.decided_at is not None
    # And its members are kept as registered
    assert list(
        Member.objects.filter(household__code="06970-001-0012").values_list("full_name", flat=True)
    ) == [
        "Hoàng Văn A",
        "Lý Thị B",
    ]


def test_a_new_household_is_registered_with_its_members(
    commune_officer: User, ba_che_households: CommuneReview
) -> None:
    submission = received(commune_officer, new_instance(ba_che_households))
    batch = accepted_at_once(commune_officer, submission)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 1)
    household = Household.objects.get(code="06970-001-0100")
    assert (household.village.code, household.address, household.area) == (
        "06970-001",
        "Bản Khe Giấy",
        "rural",
    )
    members = Member.objects.filter(household=household).order_by("pk")
    assert [(m.full_name, m.relation_to_head, m.birth_year) for m in members] == [
        (member["member_name"], member["relation_to_head"], int(member["birth_year"])) for member in MEMBERS
    ]
    assert members[0].identity_digest
    assert Assessment.objects.get(household=household).income_per_capita_month == 1_200_000
    submission.refresh_from_db()
    assert (submission.state, submission.household) == (State.ACCEPTED, household)


def test_many_are_accepted_in_one_batch(commune_officer: User, ba_che_households: CommuneReview) -> None:
    # Given two listed households' answers and a new household, waiting
    submissions = [
        received(commune_officer, listed_instance(ba_che_households, "06970-001-0001", members_total="3")),
        received(commune_officer, listed_instance(ba_che_households, "06970-002-0001", village="06970-002")),
        received(commune_officer, new_instance(ba_che_households)),
    ]
    # When the officer accepts them together
    batch = previewed(commune_officer, submissions)
    # Then the batch shows each household's change on its submission's row
    assert (batch.kind, batch.filename) == (importers.KIND, "odk-vungcao-review-2025-06970-3.csv")
    assert (batch.status, batch.created_count, batch.updated_count) == (ImportBatch.Status.READY, 1, 2)
    shown = import_batch_changes(batch=batch, user=commune_officer)
    assert sorted((change.row, change.code) for change in shown) == [
        (2, "06970-001-0001"),
        (3, "06970-002-0001"),
        (4, "06970-001-0100"),
    ]
    assert Submission.objects.filter(state=State.PENDING).count() == 3
    page = client_for(commune_officer).get(f"/imports/{batch.pk}/")
    assert page.status_code == 200
    assert "06970-001-0100" in page.content.decode()
    # And once applied on its page, all are accepted and written
    applied(client_for(commune_officer), batch)
    assert set(Submission.objects.values_list("state", flat=True)) == {State.ACCEPTED}
    assert Assessment.objects.get(household__code="06970-001-0001").answers["members_total"] == 3
    assert Household.objects.filter(code="06970-001-0100").exists()


def test_a_new_household_before_a_listed_one_in_the_batch_is_planned_too(
    commune_officer: User, ba_che_households: CommuneReview
) -> None:
    # Given a new household's answers (rows with its members' columns) named before a listed household's
    # (a row without them)
    submissions = [
        received(commune_officer, new_instance(ba_che_households)),
        received(commune_officer, listed_instance(ba_che_households, "06970-001-0001", members_total="3")),
    ]
    # When they are accepted together, then both are planned
    batch = previewed(commune_officer, submissions)
    assert (batch.status, batch.created_count, batch.updated_count) == (ImportBatch.Status.READY, 1, 1)


def test_a_review_submitted_between_preview_and_apply_writes_nothing_and_leaves_them_waiting(
    commune_officer: User, ba_che_households: CommuneReview
) -> None:
    submission = received(commune_officer, listed_instance(ba_che_households, members_total="3"))
    batch = previewed(commune_officer, [submission])
    assert batch.status == ImportBatch.Status.READY
    reviews.commune_review_submit(user=commune_officer, review=ba_che_households)
    before = assessments()
    with pytest.raises(ImportRefusedError):
        import_services.import_apply(user=commune_officer, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert [(problem["row"], problem["field"]) for problem in batch.problems] == [(2, "submission")]
    assert assessments() == before
    submission.refresh_from_db()
    assert (submission.state, submission.decided_by) == (State.PENDING, None)


def test_one_rejected_meanwhile_is_refused_at_apply(
    commune_officer: User, ba_che_households: CommuneReview
) -> None:
    submission = received(commune_officer, listed_instance(ba_che_households, members_total="3"))
    batch = previewed(commune_officer, [submission])
    decisions.submissions_reject(user=commune_officer, submissions=[submission], reason="Sai số nhân khẩu")
    before = assessments()
    with pytest.raises(ImportRefusedError) as refused:
        import_services.import_apply(user=commune_officer, batch=batch)
    assert [(problem.row, problem.reason) for problem in refused.value.report] == [
        (2, str(importers.NO_LONGER_PENDING))
    ]
    assert assessments() == before
    assert Submission.objects.get().state == State.REJECTED


def test_accepting_at_once_what_changed_since_its_page_writes_nothing(
    commune_officer: User, ba_che_households: CommuneReview
) -> None:
    submission = received(commune_officer, listed_instance(ba_che_households, members_total="3"))
    before = assessments()
    batch = decisions.submission_accept_one(
        user=commune_officer, submission=submission, fingerprint="0/1/0/0/old"
    )
    assert batch.status == ImportBatch.Status.READY
    assert assessments() == before
    assert Submission.objects.get().state == State.PENDING


# --- Rejecting, checking again, deciding once -------------------------------------------------------------


def test_a_rejection_records_the_reason_who_and_when(commune_officer: User, ba_che_households) -> None:
    submission = received(commune_officer, listed_instance(ba_che_households))
    [rejected] = decisions.submissions_reject(
        user=commune_officer, submissions=[submission], reason="  Hộ đã chuyển đi\nnơi khác  "
    )
    rejected.refresh_from_db()
    assert (rejected.state, rejected.reason, rejected.reason_detail, rejected.decided_by) == (
        State.REJECTED,
        Reason.REJECTED_BY_OFFICER,
        {"text": "Hộ đã chuyển đi\nnơi khác"},
        commune_officer,
    )
    assert rejected.decided_at is not None


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", str(reviews.REASON_REQUIRED)),
        ("   \n ", str(reviews.REASON_REQUIRED)),
        ("x" * 2_001, str(bounds.TOO_LONG).format(length=2_000)),
        ("Sai\x07 số", str(bounds.CONTROL_CHARACTER).format(code=7)),
    ],
    ids=["empty", "blank", "too-long", "control-character"],
)
def test_a_rejection_needs_a_reason(
    commune_officer: User, ba_che_households, reason: str, message: str
) -> None:
    submission = received(commune_officer, listed_instance(ba_che_households))
    with pytest.raises(ApplicationError) as refused:
        decisions.submissions_reject(user=commune_officer, submissions=[submission], reason=reason)
    assert refused.value.message == message
    submission.refresh_from_db()
    assert (submission.state, submission.decided_by) == (State.PENDING, None)


def test_a_submission_is_decided_once(commune_officer: User, ba_che_households: CommuneReview) -> None:
    # Given one submission accepted and one rejected
    first = received(commune_officer, listed_instance(ba_che_households, "06970-001-0001"))
    second = received(
        commune_officer, listed_instance(ba_che_households, "06970-002-0001", village="06970-002")
    )
    accepted_at_once(commune_officer, first)
    decisions.submissions_reject(user=commune_officer, submissions=[second], reason="Trùng")
    before = (assessments(), list(Submission.objects.order_by("pk").values()))
    # Then neither can be rejected or accepted again
    for submission in (first, second):
        with pytest.raises(ApplicationError) as refused:
            decisions.submissions_reject(user=commune_officer, submissions=[submission], reason="Lần nữa")
        assert refused.value.message == str(importers.NO_LONGER_PENDING)
        batch = decisions.submission_accept_one(user=commune_officer, submission=submission, fingerprint="")
        assert batch.status == ImportBatch.Status.REFUSED
        assert [problem["reason"] for problem in batch.problems] == [str(importers.NO_LONGER_PENDING)]
    assert (assessments(), list(Submission.objects.order_by("pk").values())) == before


def test_a_submission_refused_for_a_closed_review_waits_once_checked_again_after_its_return(
    commune_officer: User, province_officer: User, ba_che_households: CommuneReview
) -> None:
    # Given answers that arrived after the review was submitted, then the province returned it
    reviews.commune_review_submit(user=commune_officer, review=ba_che_households)
    submission = received(commune_officer, listed_instance(ba_che_households, members_total="3"))
    assert (submission.state, submission.reason) == (State.REFUSED, Reason.REVIEW_CLOSED)
    reviews.commune_review_return(user=province_officer, review=ba_che_households, reason="Bổ sung")
    # When the officer checks it again
    checked = decisions.submission_check_again(user=commune_officer, submission=submission)
    # Then it waits, with its status after and change, and who checked it and when
    checked.refresh_from_db()
    assert (checked.state, checked.reason, checked.reason_detail, checked.decided_by) == (
        State.PENDING,
        "",
        {},
        commune_officer,
    )
    assert checked.status_after
    assert checked.changes


def test_only_a_refusal_the_registry_can_lift_is_checked_again(
    commune_officer: User, ba_che_households: CommuneReview
) -> None:
    members = [{**member, "relation_to_head": "child"} for member in MEMBERS]
    submission = received(commune_officer, new_instance(ba_che_households, members=members))
    assert submission.reason == Reason.INVALID_ANSWERS
    waiting = received(commune_officer, listed_instance(ba_che_households))
    for refused in (submission, waiting):
        with pytest.raises(ApplicationError) as error:
            decisions.submission_check_again(user=commune_officer, submission=refused)
        assert error.value.message == str(decisions.NOT_CHECKED_AGAIN)


# --- Who may decide ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "scope", "accepting", "rejecting"),
    [
        (Role.COMMUNE_OFFICER, "06970", None, None),
        (Role.PROVINCE_OFFICER, "22", None, None),
        (Role.ADMINISTRATOR, None, None, None),
        (Role.COMMUNE_OFFICER, TIEN_YEN, importers.NO_SUCH_SUBMISSION, NotFoundError),
        (Role.PROVINCE_OFFICER, DIEN_BIEN, importers.NO_SUCH_SUBMISSION, NotFoundError),
        (Role.MINISTRY_ANALYST, None, PermissionDeniedError, PermissionDeniedError),
        (Role.AGGREGATE_VIEWER, None, PermissionDeniedError, NotFoundError),
    ],
)
def test_who_may_accept_and_reject(
    commune_officer: User, ba_che_households: CommuneReview, make_user, role, scope, accepting, rejecting
) -> None:
    # Given a submission from Ba Chẽ and someone deciding on it
    submission = received(commune_officer, listed_instance(ba_che_households, members_total="3"))
    user = make_user("decider", role, scope)
    before = assessments()
    # When they reject it (then, when that was refused, accept it)
    if rejecting is None:
        decisions.submissions_reject(user=user, submissions=[submission], reason="Sai")
        assert Submission.objects.get().state == State.REJECTED
        Submission.objects.update(state=State.PENDING, reason="", reason_detail={}, decided_by=None)
    else:
        with pytest.raises(rejecting):
            decisions.submissions_reject(user=user, submissions=[submission], reason="Sai")
    if isinstance(accepting, type):
        with pytest.raises(accepting):
            decisions.submission_accept_one(user=user, submission=submission, fingerprint="")
    else:
        batch = decisions.submission_accept_one(
            user=user,
            submission=submission,
            fingerprint=importers.submission_plan(user=user, submission=submission).fingerprint,
        )
        if accepting is None:
            assert batch.status == ImportBatch.Status.APPLIED
            assert Submission.objects.get().state == State.ACCEPTED
            return
        assert batch.status == ImportBatch.Status.REFUSED
        assert [problem["reason"] for problem in batch.problems] == [str(accepting)]
    # Then whoever was refused changed nothing
    assert assessments() == before
    assert Submission.objects.get().state == State.PENDING
