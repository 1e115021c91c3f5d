"""Receiving what a phone sends (tiếp nhận bản ghi từ điện thoại): each instance of a review's form is
kept once, sealed with its photo, and decided on arrival: waiting for an officer to accept it, or kept
but refused with the reason (the sender may not enter the commune's answers, the review is closed, the
household is unknown, dissolved or of another commune, a new household's code is taken, the answers break
the standard's rules). Phones never write the review.

The same instance sent again (Collect retries, and splits a sending whose photos pass the size it was
told) is the same submission: its files it lacks are added. Another document under the same instance id
is refused (409), as ODK Central refuses it. A household has at most one submission waiting: of two, the
one finished later on the phone waits (an edit, which names the instance it replaces, always does) and
the other is rejected as superseded.

Deciding reads only (the plan of the one household, no lock); storing is one transaction that locks only
submissions (the global order: reviews, households, then submissions). Two sendings at once that the
database's unique constraints set apart (the same instance; two for one household) end as if one came
after the other: the second's insert fails, and it is decided again once.
"""

import datetime
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError, PermissionDeniedError
from vungcao.field_capture import openrosa, sealed
from vungcao.field_capture.models import Submission, SubmissionAttachment
from vungcao.field_capture.planning import Refusal, instance_refusals, instances_plan, reason_text
from vungcao.field_capture.selectors import NO_SUCH_FORM
from vungcao.field_capture.xforms import form_identity
from vungcao.registry import classification
from vungcao.registry.models import CommuneReview, Household

State, Reason = Submission.State, Submission.Reason
MAX_FILES = 20
MAX_FILE_NAME = 255
MAX_DEVICE_ID = 100
MAX_USER_AGENT = 255
# What a file's first bytes say it is; any other file is kept as bytes, served back as a download.
MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
UNKNOWN_CONTENT = "application/octet-stream"

NO_ANSWER_ENTRY = _("Your account does not enter households' answers: nothing was received.")
TOO_MANY_FILES = _("At most 20 files can be sent with a household's answers.")
ANOTHER_INSTANCE = _(
    "Another submission with this instance id was received before, with other answers: nothing was changed."
)
RECEIVED = _("Received household {code}: waiting for the commune's officers to accept it.")
RECEIVED_PART = _("Received part of household {code}'s sending; its other files follow.")
ALREADY_RECEIVED = _("Already received: household {code}.")
KEPT_NOT_ENTERED = _(
    "Received, but not entered into the review: {reason}. See the phone submissions on the website."
)


class InstanceConflictError(ApplicationError):
    """An instance id already received with another document (answered 409)."""


@dataclass(frozen=True)
class ReceivedFile:
    """A file part of the sending, named as the phone named it."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Receipt:
    """The submission the sending is, whether it had been received before, and what the phone shows."""

    submission: Submission
    already_received: bool
    message: str


def _review(form_id: str) -> CommuneReview:
    """The review a form id names, whoever sends it and whatever its state (a submission of another
    commune or of a closed review is kept, with its reason); ``NotFoundError`` for no form of ours."""
    identity = form_identity(form_id)
    review = (
        None
        if identity is None
        else CommuneReview.objects.select_related("cycle", "commune")
        .filter(cycle__year=identity.year, commune__code=identity.commune_code)
        .first()
    )
    if review is None:
        raise NotFoundError(str(NO_SUCH_FORM))
    return review


def _status_after(review: CommuneReview, row: dict[str, str]) -> str:
    """The standard's status for the answers of the instance's (first) row."""
    identifier = review.cycle.standard_identifier
    columns = ("area", "income_per_capita_month", *classification.known_answer_columns(identifier))
    results, _report = classification.classify_rows(
        identifier, [{column: row[column] for column in columns if column in row}]
    )
    return results[0].status if results else ""


def submission_decide(*, user: User, submission: Submission, instance: openrosa.Instance) -> None:
    """Put on the submission (not saved) what its instance would do to its review, decided for ``user``:
    waiting, with the status after and the household's change; or refused with the reason (invalid
    answers' problems in both languages). On arrival, and when an officer checks a refused one again."""
    review = submission.commune_review
    submission.reason_detail, submission.status_after, submission.changes = {}, "", b""
    [refusal] = instance_refusals(user=user, received=[(review, instance)])
    if refusal is None:
        with translation.override("vi"):
            planned = instances_plan(user=user, received=[(review, instance)])
        if planned.plan.report.ok:
            submission.state, submission.reason = State.PENDING, ""
            submission.status_after = _status_after(review, planned.rows[0])
            submission.changes = sealed.changes_sealed(submission.pk, planned.plan.changes)
            return
        with translation.override("en"):
            english = instances_plan(user=user, received=[(review, instance)])
        problems = {"vi": planned.plan.report.as_dicts(), "en": english.plan.report.as_dicts()}
        refusal = Refusal(Reason.INVALID_ANSWERS, {"problems": problems})
    submission.state, submission.reason, submission.reason_detail = (
        State.REFUSED,
        refusal.reason,
        refusal.detail,
    )


def _submission(
    user: User,
    review: CommuneReview,
    instance: openrosa.Instance,
    xml: bytes,
    device_id: str,
    user_agent: str,
) -> Submission:
    """A new submission of the instance (not saved), decided."""
    submission = Submission(
        id=uuid.uuid4(),
        commune_review=review,
        form_id=instance.form_id,
        form_version=instance.form_version[: openrosa.MAX_IDENTIFIER],
        instance_id=instance.instance_id,
        deprecated_id=instance.deprecated_id,
        household_code=instance.household_code[: Submission._meta.get_field("household_code").max_length],
        new_household=instance.new_household,
        household=None
        if instance.new_household
        else Household.objects.filter(
            code=instance.household_code, village__parent=review.commune_id
        ).first(),
        submitted_by=user,
        received_at=timezone.now(),
        completed_at=instance.completed_at,
        device_id=(device_id or instance.device_id)[:MAX_DEVICE_ID],
        user_agent=user_agent[:MAX_USER_AGENT],
        xml_digest=hashlib.sha256(xml).hexdigest(),
    )
    submission.xml = sealed.xml_sealed(submission.pk, xml)
    if instance.deprecated_id:
        submission.replaces = Submission.objects.filter(
            form_id=instance.form_id, instance_id=instance.deprecated_id
        ).first()
    submission_decide(user=user, submission=submission, instance=instance)
    return submission


def _finished(submission: Submission) -> tuple[datetime.datetime, datetime.datetime]:
    """When the officer finished the submission on the phone (then when it arrived): the later waits."""
    return (submission.completed_at or submission.received_at, submission.received_at)


def one_waiting_keep(submission: Submission) -> None:
    """When the submission (not saved) would wait: of the household's waiting one (locked) and this one,
    the later waits and the other is rejected as superseded; an edit of the waiting one always replaces
    it."""
    if submission.state != State.PENDING:
        return
    waiting = (
        Submission.objects.select_for_update()
        .filter(
            commune_review=submission.commune_review,
            household_code=submission.household_code,
            state=State.PENDING,
        )
        .first()
    )
    if waiting is None:
        return
    if submission.replaces_id != waiting.pk and _finished(waiting) > _finished(submission):
        submission.state, submission.reason = State.REJECTED, Reason.SUPERSEDED
        submission.reason_detail = {"by": str(waiting.pk)}
        return
    waiting.state, waiting.reason, waiting.reason_detail = (
        State.REJECTED,
        Reason.SUPERSEDED,
        {"by": str(submission.pk)},
    )
    waiting.save(update_fields=["state", "reason", "reason_detail", "updated_at"])


def _content_type(content: bytes) -> str:
    return next((kind for magic, kind in MAGIC if content.startswith(magic)), UNKNOWN_CONTENT)


def _files_keep(
    submission: Submission, instance: openrosa.Instance, files: Sequence[ReceivedFile], *, stored: set[str]
) -> int:
    """Keep, sealed, the files the instance names as answers that the submission lacks (``stored``: the
    names it has); any other file is ignored, as ODK Central ignores it. How many were kept."""
    named = {name for name in instance.file_names if len(name) <= MAX_FILE_NAME}
    kept = set(stored)
    new: list[SubmissionAttachment] = []
    for file in files:
        name = PurePosixPath(file.filename.replace("\\", "/")).name
        if name not in named or name in kept:
            continue
        kept.add(name)
        new.append(
            SubmissionAttachment(
                submission=submission,
                filename=name,
                content_type=_content_type(file.content),
                size=len(file.content),
                md5=hashlib.md5(file.content, usedforsecurity=False).hexdigest(),
                content=sealed.attachment_sealed(submission.pk, name, file.content),
            )
        )
    SubmissionAttachment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _message(submission: Submission) -> str:
    code = submission.household_code
    if submission.state == State.PENDING:
        return str(RECEIVED).format(code=code)
    if submission.state == State.ACCEPTED:
        return str(ALREADY_RECEIVED).format(code=code)
    return str(KEPT_NOT_ENTERED).format(reason=reason_text(submission.reason, submission.reason_detail))


def _received_again(
    submission: Submission,
    instance: openrosa.Instance,
    digest: str,
    files: Sequence[ReceivedFile],
    incomplete: bool,
) -> Receipt:
    """The instance received before: its files it lacks are kept when it is the same document."""
    if submission.xml_digest != digest:
        raise InstanceConflictError(str(ANOTHER_INSTANCE))
    with transaction.atomic():
        stored = set(submission.attachments.values_list("filename", flat=True))
        added = _files_keep(submission, instance, files, stored=stored)
    code = submission.household_code
    if incomplete:
        message = str(RECEIVED_PART).format(code=code)
    else:
        message = _message(submission) if added else str(ALREADY_RECEIVED).format(code=code)
    return Receipt(submission, True, message)


def _stored(
    submission: Submission, instance: openrosa.Instance, files: Sequence[ReceivedFile], *, retry: bool
) -> bool:
    """Store the new submission and its files, the household's waiting one superseded by the later.
    When a unique constraint refuses it (another sending of the same instance or household was stored
    meanwhile), nothing is stored: False when it may be decided again (``retry``), else the error."""
    try:
        with transaction.atomic():
            one_waiting_keep(submission)
            submission.save(force_insert=True)
            _files_keep(submission, instance, files, stored=set())
    except IntegrityError:
        if not retry:
            raise
        return False
    return True


def submission_receive(
    *,
    user: User,
    xml: bytes,
    attachments: Sequence[ReceivedFile],
    incomplete: bool,
    device_id: str,
    user_agent: str,
) -> Receipt:
    """Receive an instance of a review's form and its files as a phone sent them (``incomplete``: more
    files of it follow in another sending). ``PermissionDeniedError`` for an account that enters no
    answers, ``ApplicationError`` for a sending that cannot be read, ``NotFoundError`` for a form not of
    ours, :class:`InstanceConflictError` for another document under a received instance id: nothing is
    stored then. Any other instance is stored, waiting or refused with its reason (see the module)."""
    if not access.can_enter_answers_somewhere(user):
        raise PermissionDeniedError(str(NO_ANSWER_ENTRY))
    if len(attachments) > MAX_FILES:
        raise ApplicationError(str(TOO_MANY_FILES))
    instance = openrosa.instance_parse(xml)
    review = _review(instance.form_id)
    digest = hashlib.sha256(xml).hexdigest()
    tries = 2
    while True:
        tries -= 1
        received = Submission.objects.filter(
            form_id=instance.form_id, instance_id=instance.instance_id
        ).first()
        if received is not None:
            return _received_again(received, instance, digest, attachments, incomplete)
        submission = _submission(user, review, instance, xml, device_id, user_agent)
        if _stored(submission, instance, attachments, retry=tries > 0):
            code = submission.household_code
            message = str(RECEIVED_PART).format(code=code) if incomplete else _message(submission)
            return Receipt(submission, False, message)
