"""Two sendings, or two decisions, at once on PostgreSQL.

Two sendings: the database's unique constraints set them apart, and the second is decided again as if it
came after the first. Each such test makes both decide, then meet just before they insert (a barrier in
the transaction that stores them), so that they collide every time instead of by chance. Two decisions
on one submission: both wait for its row, which the test holds locked, and the one that gets it second
finds it decided."""

import threading
from collections.abc import Callable

import pytest
from django.db import transaction

from tests.conftest import BA_CHE, PASSWORD, QUANG_NINH, ROW_LOCK_TESTS, current_unit
from tests.field_capture.phones import listed_instance
from tests.registry.conftest import STANDARD
from tests.registry.test_concurrency import Outcome, started, still_waiting
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role, User
from vungcao.common.errors import ApplicationError
from vungcao.field_capture import importers
from vungcao.field_capture.models import Submission
from vungcao.field_capture.services import decisions, intake
from vungcao.geo.services import villages
from vungcao.imports.models import ImportBatch
from vungcao.registry.models import Assessment, CommuneReview, Household
from vungcao.registry.services import reviews

pytestmark = ROW_LOCK_TESTS

State, Reason = Submission.State, Submission.Reason
MEETING_TIMEOUT = 30


@pytest.fixture
def setting(units_loaded: None) -> tuple[User, CommuneReview]:
    """Ba Chẽ's 2025 review open, its officer, and one household registered in its first village."""
    administrator = account_services.user_create(
        username="admin", password=PASSWORD, role=Role.ADMINISTRATOR, scope=None
    )
    village = villages.village_create(user=administrator, commune=current_unit(BA_CHE), name="Thôn Khe Giấy")
    officer = account_services.user_create(
        username="bache-officer", password=PASSWORD, role=Role.COMMUNE_OFFICER, scope=current_unit(BA_CHE)
    )
    cycle = reviews.review_cycle_open(
        user=administrator, province=current_unit(QUANG_NINH), year=2025, standard_identifier=STANDARD
    )
    Household.objects.create(code="06970-001-0001", village=village, area="rural", head_ethnic_group="09")
    return officer, CommuneReview.objects.select_related("cycle", "commune").get(
        cycle=cycle, commune__code=BA_CHE
    )


@pytest.fixture
def meeting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sendings wait for each other, once, inside their storing transactions, just before they insert."""
    barrier = threading.Barrier(2, timeout=MEETING_TIMEOUT)
    met: set[int] = set()
    one_waiting = intake.one_waiting_keep

    def meet(submission: Submission) -> None:
        one_waiting(submission)
        if threading.get_ident() not in met:
            met.add(threading.get_ident())
            barrier.wait()

    monkeypatch.setattr(intake, "one_waiting_keep", meet)


def receive(user: User, xml: bytes) -> Callable[[], intake.Receipt]:
    return lambda: intake.submission_receive(
        user=user, xml=xml, attachments=(), incomplete=False, device_id="collect:test", user_agent=""
    )


def both(first: Callable[[], object], second: Callable[[], object]) -> list[Outcome]:
    threads = [started(first), started(second)]
    for thread, _outcome in threads:
        thread.join(MEETING_TIMEOUT * 2)
    outcomes = [outcome for _thread, outcome in threads]
    assert [outcome.error for outcome in outcomes] == [None, None]
    return outcomes


def test_the_same_instance_twice_at_once_is_one_submission(setting, meeting) -> None:
    officer, review = setting
    xml = listed_instance(review)
    outcomes = both(receive(officer, xml), receive(officer, xml))
    receipts = sorted((outcome.value for outcome in outcomes), key=lambda receipt: receipt.already_received)
    assert [receipt.already_received for receipt in receipts] == [False, True]
    assert receipts[0].submission.pk == receipts[1].submission.pk
    assert Submission.objects.get().state == State.PENDING


def test_two_for_one_household_at_once_leave_one_waiting(setting, meeting) -> None:
    officer, review = setting
    later = listed_instance(review, instance_id="uuid:later", finished="2026-03-03T09:00:00+07:00")
    earlier = listed_instance(review, instance_id="uuid:earlier", finished="2026-03-02T09:00:00+07:00")
    outcomes = both(receive(officer, later), receive(officer, earlier))
    assert {outcome.value.already_received for outcome in outcomes} == {False}
    states = dict(Submission.objects.values_list("instance_id", "state"))
    assert states == {"uuid:later": State.PENDING, "uuid:earlier": State.REJECTED}
    assert Submission.objects.get(instance_id="uuid:earlier").reason == Reason.SUPERSEDED


@pytest.mark.parametrize("first", ["accept", "reject"])
def test_accepting_and_rejecting_one_submission_at_once_decide_it_once(setting, first: str) -> None:
    # Given a waiting submission, its one-click accept ready (the fingerprint its page showed)
    officer, review = setting
    submission = receive(officer, listed_instance(review))().submission
    fingerprint = importers.submission_plan(user=officer, submission=submission).fingerprint
    work = {
        "accept": lambda: decisions.submission_accept_one(
            user=officer, submission=submission, fingerprint=fingerprint
        ),
        "reject": lambda: decisions.submissions_reject(user=officer, submissions=[submission], reason="Sai"),
    }
    # When an officer accepts it while another rejects it, both waiting for its row, ``first`` first
    with transaction.atomic():
        list(Submission.objects.select_for_update().filter(pk=submission.pk))
        threads = {first: started(work[first])}
        assert still_waiting(threads[first][1])
        second = "reject" if first == "accept" else "accept"
        threads[second] = started(work[second])
        assert still_waiting(*(outcome for _thread, outcome in threads.values()))
    for thread, _outcome in threads.values():
        thread.join(MEETING_TIMEOUT)
    accepted, rejected = threads["accept"][1], threads["reject"][1]
    # Then it is decided once, by the first: accepted and written, or rejected and the accept refused with
    # nothing written
    assert accepted.error is None
    batch = accepted.value
    assert isinstance(batch, ImportBatch)
    submission.refresh_from_db()
    if first == "accept":
        assert (submission.state, batch.status) == (State.ACCEPTED, ImportBatch.Status.APPLIED)
        assert isinstance(rejected.error, ApplicationError)
        assert rejected.error.message == str(importers.NO_LONGER_PENDING)
        assert Assessment.objects.filter(household__code="06970-001-0001").exists()
    else:
        assert (submission.state, submission.reason) == (State.REJECTED, Reason.REJECTED_BY_OFFICER)
        assert rejected.error is None
        assert batch.status == ImportBatch.Status.REFUSED
        assert [problem["reason"] for problem in batch.problems] == [str(importers.NO_LONGER_PENDING)]
        assert not Assessment.objects.exists()
