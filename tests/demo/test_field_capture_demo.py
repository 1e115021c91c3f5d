"""The demo's phone submissions: each commune officer whose commune's review is open sent, through the real
intake, answers that reach every state a submission can be in; built again, nothing is added."""

import pytest

from vungcao.demo.data import SMALL, demo_data_ensure
from vungcao.field_capture import openrosa, sealed
from vungcao.field_capture.demo import REJECTION
from vungcao.field_capture.models import Submission
from vungcao.imports.models import ImportBatch
from vungcao.registry.models import Assessment

pytestmark = pytest.mark.django_db

State, Reason = Submission.State, Submission.Reason


def _instance(submission: Submission) -> openrosa.Instance:
    return openrosa.instance_parse(sealed.submission_xml(submission))


def test_the_demo_phones_reach_every_state_of_a_submission_once() -> None:
    # When the small demo is built
    _accounts, summary = demo_data_ensure(**SMALL)
    # Then each open commune review of a demo commune officer (Ba Chẽ, Mường Phăng) has its officer's submissions
    assert summary[-1].startswith("field capture demo: 16 SYNTHETIC phone submissions")
    for username, commune in (("bache", "06970"), ("muongphang", "03325")):
        sent = Submission.objects.filter(commune_review__commune__code=commune).order_by("completed_at")
        assert {submission.submitted_by.username for submission in sent} == {username}
        assert {submission.commune_review.cycle.year for submission in sent} == {2025}
        assert [(submission.state, submission.reason) for submission in sent] == [
            (State.PENDING, ""),  # a listed household's income raised
            (State.PENDING, ""),  # a yes/no answer changed
            (State.REJECTED, Reason.SUPERSEDED),  # sent first …
            (State.PENDING, ""),  # … and again, finished later: this one waits
            (State.PENDING, ""),  # a new household with its members
            (State.ACCEPTED, ""),
            (State.REJECTED, Reason.REJECTED_BY_OFFICER),
            (State.REFUSED, Reason.HOUSEHOLD_ELSEWHERE),  # a household of another commune
        ]
        income_raised, yes_no, first, again, new, accepted, rejected, elsewhere = sent
        # the waiting ones say the status after and what they change; the new household has three members
        assert all(submission.status_after for submission in (income_raised, yes_no, again, new))
        assert all(
            sealed.submission_changes(submission) for submission in (income_raised, yes_no, again, new)
        )
        assert (new.new_household, new.household, len(_instance(new).members)) == (True, None, 3)
        assert new.household_code.startswith(f"{commune}-")
        # the superseded one names the one that replaced it, for the same household
        assert first.household_code == again.household_code
        assert first.reason_detail == {"by": str(again.pk)}
        # the accepted one entered the review: its household's assessment has the income it sent
        assert accepted.decided_by is not None
        assert accepted.decided_by.username == username
        assessment = Assessment.objects.get(
            commune_review=accepted.commune_review, household=accepted.household
        )
        assert (
            str(assessment.income_per_capita_month) == _instance(accepted).answers["income_per_capita_month"]
        )
        # the rejected one has the officer's reason; the refused one another commune's household
        assert rejected.reason_detail == {"text": REJECTION}
        assert rejected.decided_by == accepted.decided_by
        assert elsewhere.household_code[:5] != commune
    # When it is built again, then nothing is added
    counts = (Submission.objects.count(), ImportBatch.objects.count(), Assessment.objects.count())
    _accounts, again_summary = demo_data_ensure(**SMALL)
    assert "nothing added" in again_summary[-1]
    assert (Submission.objects.count(), ImportBatch.objects.count(), Assessment.objects.count()) == counts
