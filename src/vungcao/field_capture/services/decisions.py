"""An officer's decisions on phones' submissions (duyệt bản ghi từ điện thoại): accept them into their
review, reject them with a reason, or check a refused one again once what refused it changed.

Accepting goes through the imports app (``importers``: the kind ``phone_submissions``): several at once
as a batch previewed and applied in the background (its page shows what changes, household by household);
one from its own page in the request, applied only when it still changes what the page showed (its plan's
fingerprint). Each submission is decided once: accepting, rejecting and checking again lock it and find
it still in the state they decide from, or refuse."""

import csv
import io
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database, sealing
from vungcao.common.bounds import text_problem
from vungcao.common.errors import ApplicationError, ImportRefusedError, NotFoundError, PermissionDeniedError
from vungcao.field_capture import openrosa, sealed, selectors
from vungcao.field_capture.importers import COLUMN, KIND, NO_LONGER_PENDING, NO_SUCH_SUBMISSION, UNREADABLE
from vungcao.field_capture.models import Submission
from vungcao.field_capture.services import intake
from vungcao.imports import background, services
from vungcao.imports.models import ImportBatch
from vungcao.registry.services.reviews import NOT_YOUR_COMMUNE, REASON_REQUIRED

State, Reason = Submission.State, Submission.Reason
MAX_REASON = 2_000
CHECKED_AGAIN = frozenset(
    {
        Reason.REVIEW_CLOSED,
        Reason.HOUSEHOLD_UNKNOWN,
        Reason.HOUSEHOLD_DISSOLVED,
        Reason.HOUSEHOLD_ELSEWHERE,
        Reason.CODE_TAKEN,
    }
)
"""Refusals that a change in the registry can lift (the review returned or re-opened, the household
registered or moved back): the others are the answers' or the sender's own."""
NONE_CHOSEN = _("Choose at least one submission.")
NOT_CHECKED_AGAIN = _(
    "Only a submission refused because of its review's state or its household can be checked again."
)
ANOTHER_WAITING = _(
    "Another submission for this household arrived meanwhile: nothing was changed. Check this one again."
)


def _ids_file(submissions: Sequence[Submission]) -> tuple[io.BytesIO, str]:
    """The submissions as the import's file (their ids, one a row) and its name."""
    if not submissions:
        raise ApplicationError(str(NONE_CHOSEN))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([COLUMN])
    writer.writerows([str(submission.pk)] for submission in submissions)
    forms = sorted({submission.form_id for submission in submissions})
    name = forms[0] if len(forms) == 1 else "vungcao-review"
    return io.BytesIO(text.getvalue().encode()), f"odk-{name}-{len(submissions)}.csv"


def submissions_accept(*, user: User, submissions: Sequence[Submission]) -> ImportBatch:
    """Accept several submissions: a batch of their ids, read in the background, whose page shows what
    accepting them changes; the officer applies it there."""
    stream, filename = _ids_file(submissions)
    return background.import_upload(user=user, kind=KIND, stream=stream, filename=filename)


def submission_accept_one(*, user: User, submission: Submission, fingerprint: str) -> ImportBatch:
    """Accept one submission at once when accepting it still changes what its page showed (the
    ``fingerprint`` of ``importers.submission_plan``): the batch applied. Otherwise nothing is written and
    the batch shows why: its problems (refused), or what accepting it changes now (ready to apply)."""
    stream, filename = _ids_file([submission])
    batch = services.import_preview(user=user, kind=KIND, stream=stream, filename=filename)
    if batch.status != ImportBatch.Status.READY or batch.changes_fingerprint != fingerprint:
        return batch
    try:
        return services.import_apply(user=user, batch=batch)
    except (services.NotApplicableError, ImportRefusedError):
        batch.refresh_from_db()
        return batch


def _reason(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise ApplicationError(str(REASON_REQUIRED))
    problem = text_problem(reason, MAX_REASON)
    if problem is not None:
        raise ApplicationError(problem)
    return reason


def _decidable(user: User, submissions: Sequence[Submission]) -> list[Submission]:
    """The submissions locked (in primary-key order) and read again, once the user may decide each:
    ``NotFoundError`` for one the user may not see, ``PermissionDeniedError`` for one of a commune whose
    answers the user may not enter."""
    pks = [submission.pk for submission in submissions]
    database.rows_lock(Submission, pks)
    locked = list(selectors.submission_list(user=user).filter(pk__in=pks).order_by("pk"))
    if len(locked) != len(set(pks)):
        raise NotFoundError(str(NO_SUCH_SUBMISSION))
    for submission in locked:
        if not access.can_enter_answers(user, submission.commune_review.commune):
            raise PermissionDeniedError(str(NOT_YOUR_COMMUNE))
    return locked


@transaction.atomic
def submissions_reject(*, user: User, submissions: Sequence[Submission], reason: str) -> list[Submission]:
    """Reject waiting submissions with the officer's reason (at most 2,000 characters, no control
    character), recorded with who and when; all or none: one no longer waiting refuses them all."""
    text = _reason(reason)
    if not submissions:
        raise ApplicationError(str(NONE_CHOSEN))
    locked = _decidable(user, submissions)
    if any(submission.state != State.PENDING for submission in locked):
        raise ApplicationError(str(NO_LONGER_PENDING))
    now = timezone.now()
    for submission in locked:
        submission.state, submission.reason, submission.reason_detail = (
            State.REJECTED,
            Reason.REJECTED_BY_OFFICER,
            {"text": text},
        )
        submission.decided_by, submission.decided_at = user, now
    Submission.objects.bulk_update(
        locked, ["state", "reason", "reason_detail", "decided_by", "decided_at", "updated_at"]
    )
    return locked


@transaction.atomic
def submission_check_again(*, user: User, submission: Submission) -> Submission:
    """Decide again, as on arrival, a submission refused because of its review's state or its household
    (the review returned or re-opened since, the household registered): waiting, or refused with its
    reason now; recorded with who and when."""
    [locked] = _decidable(user, [submission])
    if locked.state != State.REFUSED or locked.reason not in CHECKED_AGAIN:
        raise ApplicationError(str(NOT_CHECKED_AGAIN))
    try:
        instance = openrosa.instance_parse(sealed.submission_xml(locked))
    except sealing.SealBrokenError as error:
        raise ApplicationError(str(UNREADABLE)) from error
    intake.submission_decide(user=user, submission=locked, instance=instance)
    locked.decided_by, locked.decided_at = user, timezone.now()
    try:
        with transaction.atomic():
            intake.one_waiting_keep(locked)
            locked.save()
    except IntegrityError as error:
        raise ApplicationError(str(ANOTHER_WAITING)) from error
    return locked
