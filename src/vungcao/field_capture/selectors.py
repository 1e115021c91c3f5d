"""The review forms a phone may download (one per commune review open for entry whose answers the user
may enter), and the submissions phones sent that the user may see: by commune, and one by one as the
pages show them."""

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import sealing
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.language import reader_language
from vungcao.engine.text import format_number
from vungcao.field_capture import openrosa, sealed, xforms
from vungcao.field_capture.models import FormWording, Submission, SubmissionAttachment
from vungcao.field_capture.openrosa import Instance
from vungcao.field_capture.planning import reason_text
from vungcao.field_capture.xforms import form_identity
from vungcao.field_capture.xlsform import LANGUAGES, VILLAGES_FILE
from vungcao.geo.models import AdministrativeUnit
from vungcao.imports.changes import ChangeShown, changes_shown
from vungcao.registry import classification, identity
from vungcao.registry.models import CommuneReview, ReviewCycle
from vungcao.registry.services.reviews import ENTRY_STATES

NO_SUCH_FORM = _("No such form, or it is not open for your answers.")


def _open_reviews(user: User) -> QuerySet[CommuneReview]:
    reviews = CommuneReview.objects.filter(state__in=ENTRY_STATES).select_related("cycle", "commune")
    return access.restrict_answer_entry(reviews, user)


def field_form_list(*, user: User, form_id: str | None = None) -> list[CommuneReview]:
    """The reviews whose forms the user's phone lists, by commune, or only the one ``form_id`` names. A
    national administrator's phone lists only a form named by its id: thousands of communes' forms would
    make the list unusable."""
    if form_id is None:
        if access.is_national_administrator(user):
            return []
        return list(_open_reviews(user).order_by("cycle__year", "commune__code"))
    identity = form_identity(form_id)
    if identity is None:
        return []
    return list(_open_reviews(user).filter(cycle__year=identity.year, commune__code=identity.commune_code))


def field_form_get(*, user: User, form_id: str) -> CommuneReview:
    """The review of ``form_id``, when its form is open for the user's answers; ``NotFoundError`` for any
    other (another commune's, a submitted review's, an unknown one: the same answer)."""
    found = field_form_list(user=user, form_id=form_id)
    if not found:
        raise NotFoundError(str(NO_SUCH_FORM))
    return found[0]


def submission_list(*, user: User) -> QuerySet[Submission]:
    """The phones' submissions the user may see (``access.restrict_field_submissions``), with their
    review, its cycle and commune."""
    submissions = Submission.objects.select_related("commune_review__cycle", "commune_review__commune")
    return access.restrict_field_submissions(submissions, user)


def form_wording_get(*, cycle: ReviewCycle) -> FormWording | None:
    """The province's wording of the cycle's form (a cycle the user was allowed to open), if any."""
    return FormWording.objects.filter(cycle=cycle).select_related("uploaded_by").first()


RECENT_DAYS = 90
"""A review no longer open for entry stays on the overview while it has a submission waiting or received
this recently."""


@dataclass(frozen=True)
class ReviewSubmissionCounts:
    """A commune's review and how many of its submissions stand in each state."""

    review: CommuneReview
    pending: int = 0
    accepted: int = 0
    rejected: int = 0
    refused: int = 0


def review_submission_counts(*, user: User) -> list[ReviewSubmissionCounts]:
    """The communes' reviews in the user's scope that are open for entry, or have a submission waiting
    or received lately, with their submissions counted by state (one grouped query): those with most
    submissions waiting first, then the latest years, by province and commune."""
    states = Submission.State.values
    counted = (
        submission_list(user=user)
        .order_by()
        .values("commune_review")
        .annotate(**{state: Count("pk", filter=Q(state=state)) for state in states})
    )
    counts = {row.pop("commune_review"): row for row in counted}
    lately = Submission.objects.filter(
        Q(state=Submission.State.PENDING)
        | Q(received_at__gte=timezone.now() - datetime.timedelta(days=RECENT_DAYS))
    ).values("commune_review")
    reviews = access.restrict_field_submissions(
        CommuneReview.objects.filter(Q(state__in=ENTRY_STATES) | Q(pk__in=lately)), user, "commune"
    ).select_related("cycle__province", "commune")
    rows = [ReviewSubmissionCounts(review, **counts.get(review.pk, {})) for review in reviews]
    return sorted(
        rows,
        key=lambda row: (
            -row.pending,
            -row.review.cycle.year,
            row.review.cycle.province.name_folded,
            row.review.commune.name_folded,
        ),
    )


# --- One commune's submissions, and one submission ---------------------------------------------------

SHOWN_STATES = ("all", *Submission.State.values)
"""What the commune's page may be asked to show (``?state=``): every submission, or those of one state."""
QUIET_TYPES = frozenset(
    {"start", "end", "deviceid", "calculate", "acknowledge", "image", "begin_group", "end_group"}
)
"""Rows of the form that ask nothing shown among the answers (the photo is shown as itself)."""
HEAD = "head"
IDENTITY = "identity_number"


def review_submission_list(*, user: User, review: CommuneReview, state: str = "all") -> QuerySet[Submission]:
    """The submissions of a commune's review the user may see, newest first; only those of ``state``
    unless it is "all"."""
    submissions = submission_list(user=user).filter(commune_review=review)
    if state != "all":
        submissions = submissions.filter(state=state)
    return submissions.select_related("submitted_by").order_by("-received_at", "pk")


def review_state_counts(*, user: User, review: CommuneReview) -> dict[str, int]:
    """How many of the review's submissions the user may see stand in each state."""
    counted = (
        review_submission_list(user=user, review=review)
        .order_by()
        .values_list("state")
        .annotate(count=Count("pk"))
    )
    return dict.fromkeys(Submission.State.values, 0) | dict(counted)


def submission_get(*, user: User, submission_id: uuid.UUID) -> Submission:
    """A submission the user may see; ``NotFoundError`` for any other, whether it exists or not."""
    submission = (
        submission_list(user=user)
        .select_related(
            "commune_review__cycle__province", "commune_review__commune", "submitted_by", "decided_by"
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise NotFoundError(f"submission {submission_id}")
    return submission


def submission_attachment_get(*, user: User, submission_id: uuid.UUID, filename: str) -> SubmissionAttachment:
    """A file of a submission the user may see; ``NotFoundError`` for any other."""
    attachment = (
        SubmissionAttachment.objects.filter(
            submission=submission_get(user=user, submission_id=submission_id), filename=filename
        )
        .select_related("submission__household", "submission__commune_review__commune")
        .first()
    )
    if attachment is None:
        raise NotFoundError(f"submission file {submission_id}/{filename}")
    return attachment


def _instance(submission: Submission) -> Instance | None:
    """The instance as the phone sent it; None when it no longer opens (sealed under a former key)."""
    try:
        return openrosa.instance_parse(sealed.submission_xml(submission))
    except (sealing.SealBrokenError, ApplicationError):
        return None


def _changes(submission: Submission, user: User) -> list[ChangeShown]:
    try:
        entries = sealed.submission_changes(submission)
    except sealing.SealBrokenError:
        return []
    return changes_shown(entries, user=user, show="all")


def _head_name(instance: Instance | None) -> str:
    """The head's name as the phone had it: the list's for a listed household, the member given as head
    for a new one."""
    if instance is None:
        return ""
    if instance.new_household:
        heads = [member for member in instance.members if member.get("relation_to_head") == HEAD]
        return heads[0].get("member_name", "") if heads else ""
    return instance.answers.get("head_name", "")


def _change_in_short(submission: Submission, shown: list[ChangeShown]) -> str:
    """What the submission changes in the registry, in a few words: a new household and its members, or
    the first fields it changes."""
    if not shown:
        return "" if submission.state == Submission.State.REFUSED else gettext("No change to the household")
    change = shown[0]
    language = reader_language()
    if change.kind == "added":
        members = len(change.members) + change.more_members
        return ngettext(
            "New household with {count} member", "New household with {count} members", members
        ).format(count=format_number(members, language))
    words = [field.label for field in change.fields]
    members = sum(1 for member in change.members if member.kind == "changed")
    if members:
        words.append(
            ngettext("{count} member changed", "{count} members changed", members).format(
                count=format_number(members, language)
            )
        )
    return (
        ", ".join(words[:3]) + (" …" if len(words) > 3 else "")
        if words
        else gettext("No change to the household")
    )


@dataclass(frozen=True)
class SubmissionRow:
    """A submission as the commune's page lists it."""

    submission: Submission
    head_name: str
    status_after: str
    change: str
    reason: str


def _status_label(review: CommuneReview, status: str) -> str:
    if not status:
        return ""
    standard = classification.standard(review.cycle.standard_identifier)
    return standard.status_label(status).in_language(reader_language())


def _row(
    review: CommuneReview, submission: Submission, instance: Instance | None, changes: list[ChangeShown]
) -> SubmissionRow:
    return SubmissionRow(
        submission=submission,
        head_name=_head_name(instance),
        status_after=_status_label(review, submission.status_after),
        change=_change_in_short(submission, changes),
        reason=reason_text(submission.reason, submission.reason_detail) if submission.reason else "",
    )


def submission_rows(
    *, user: User, review: CommuneReview, submissions: Iterable[Submission]
) -> list[SubmissionRow]:
    """Each submission of the review (of a page) with its household's head, the status its answers give,
    what it changes in short and the reason it stands where it does, in the reader's words."""
    return [
        _row(review, submission, _instance(submission), _changes(submission, user))
        for submission in submissions
    ]


@dataclass(frozen=True)
class AnswerShown:
    label: str
    value: str


@dataclass(frozen=True)
class MembersShown:
    """A new household's members as sent: a column per question of the form's repeat."""

    labels: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class SubmissionDetail:
    """One submission as its page shows it: the household's answers and members as sent, in the words of
    the review's form; the change they made to the registry when they arrived; the files; and the
    household's other submissions to the review."""

    row: SubmissionRow
    readable: bool
    answers: list[AnswerShown]
    members: MembersShown
    changes: list[ChangeShown]
    attachments: list[SubmissionAttachment]
    history: list[Submission]
    # Whether a member's identity number is shown whole (``access.can_see_identity_numbers``).
    identity_numbers_whole: bool


class _FormWords:
    """The review form's labels in the reader's language, and its answers put in words."""

    def __init__(self, review: CommuneReview, user: User) -> None:
        self.language = reader_language()
        self.column = f"label::{LANGUAGES[self.language]}"
        form = xforms.review_xlsform(review=review)
        self.survey = form.survey
        self.choices = {
            (row["list_name"], row["name"]): row.get(self.column) or row["name"] for row in form.choices
        }
        self.whole_numbers = access.can_see_identity_numbers(user)
        # A village is chosen by its code on the phone, and read by its name here.
        self.villages = dict(
            AdministrativeUnit.objects.filter(parent=review.commune).values_list("code", "name")
        )

    def label(self, row: Mapping[str, str]) -> str:
        return row.get(self.column) or row["name"]

    def value(self, row: Mapping[str, str], text: str) -> str:
        kind, _space, list_name = row["type"].partition(" ")
        if not text:
            return "—"
        if kind == "select_one":
            return self.choices.get((list_name, text), text)
        if kind == "select_one_from_file" and list_name == VILLAGES_FILE:
            return self.villages.get(text, text)
        if kind in ("integer", "decimal"):
            try:
                return format_number(float(text), self.language)
            except ValueError:
                return text
        if row["name"] == IDENTITY and not self.whole_numbers:
            return identity.masked(text[-3:])
        return text


def _answers_shown(words: _FormWords, instance: Instance) -> tuple[list[AnswerShown], MembersShown]:
    """The instance's answers in the form's order (those given), and its members' answers."""
    answers, member_questions, in_repeat = [], [], False
    for row in words.survey:
        kind = row["type"]
        if kind in ("begin_repeat", "end_repeat"):
            in_repeat = kind == "begin_repeat"
        elif kind.partition(" ")[0] in QUIET_TYPES:
            continue
        elif in_repeat:
            member_questions.append(row)
        elif instance.answers.get(row["name"]):
            answers.append(AnswerShown(words.label(row), words.value(row, instance.answers[row["name"]])))
    members = MembersShown(
        [words.label(row) for row in member_questions],
        [
            [words.value(row, member.get(row["name"], "")) for row in member_questions]
            for member in instance.members
        ],
    )
    return answers, members


def submission_detail(*, user: User, submission: Submission) -> SubmissionDetail:
    """The page of one submission (one the user may see: ``submission_get``)."""
    review = submission.commune_review
    instance = _instance(submission)
    changes = _changes(submission, user)
    words = _FormWords(review, user)
    answers, members = _answers_shown(words, instance) if instance else ([], MembersShown([], []))
    history = review_submission_list(user=user, review=review).filter(
        household_code=submission.household_code
    )
    return SubmissionDetail(
        row=_row(review, submission, instance, changes),
        readable=instance is not None,
        answers=answers,
        members=members,
        changes=changes,
        attachments=list(submission.attachments.defer("content")),
        history=list(history.exclude(pk=submission.pk).defer("xml", "changes")),
        identity_numbers_whole=words.whole_numbers
        and instance is not None
        and any(member.get(IDENTITY) for member in instance.members),
    )
