"""Phones' submissions enter their review as an import of their own kind (``phone_submissions``): a file of
submission ids, which the submissions' pages make (never uploaded by hand: the kind is not offered on the
imports page), previewed and applied by the imports app as any file. Its plan reads each submission's
sealed instance into the questionnaire's rows (``openrosa.instance_rows``) and plans them together as the
web's answers form and the questionnaire change a household; applying it writes them and marks the
submissions accepted, in the same transaction.

A submission that is not (or no longer) waiting, or that can no longer enter its review (the review
closed, the household dissolved meanwhile), is a problem of its row: nothing is written. The apply plans
again under lock (reviews, households, then the submissions: the global order) and writes only what the
preview showed."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database, sealing
from vungcao.common.errors import ApplicationError
from vungcao.common.importing import Importer, ImportPlan, Rows, cell
from vungcao.engine.tabular import ValidationReport
from vungcao.field_capture import openrosa, sealed, selectors
from vungcao.field_capture.models import Submission
from vungcao.field_capture.planning import Received, instance_refusals, instances_plan, reason_text
from vungcao.registry.models import Household
from vungcao.registry.services.reviews import NOT_YOUR_COMMUNE

KIND = "phone_submissions"
COLUMN = "submission"
NOT_A_SUBMISSION = _("Not a submission's id.")
NO_SUCH_SUBMISSION = _("No such submission.")
NO_LONGER_PENDING = _("This submission is no longer pending.")
SAME_SUBMISSION = _("The same submission is on row {row}.")
UNREADABLE = _("This submission can no longer be opened (the server's key was changed).")


def _waiting(user: User, rows: Rows, report: ValidationReport) -> list[tuple[int, Submission]]:
    """The submissions the rows name (their row numbers: the header is row 1) that the user may see and
    decide and that are waiting; every other row is a problem."""
    named: dict[int, uuid.UUID] = {}
    first_row: dict[uuid.UUID, int] = {}
    for number, row in enumerate(rows, start=2):
        text = cell(row, COLUMN)
        try:
            pk = uuid.UUID(text)
        except ValueError:
            report.add(number, COLUMN, text, str(NOT_A_SUBMISSION))
            continue
        if first_row.setdefault(pk, number) != number:
            report.add(number, COLUMN, text, str(SAME_SUBMISSION).format(row=first_row[pk]))
        else:
            named[number] = pk
    found = {
        submission.pk: submission
        for submission in selectors.submission_list(user=user).filter(pk__in=set(named.values()))
    }
    waiting = []
    for number, pk in named.items():
        submission = found.get(pk)
        if submission is None:
            report.add(number, COLUMN, str(pk), str(NO_SUCH_SUBMISSION))
        elif not access.can_enter_answers(user, submission.commune_review.commune):
            report.add(number, COLUMN, str(pk), str(NOT_YOUR_COMMUNE))
        elif submission.state != Submission.State.PENDING:
            report.add(number, COLUMN, str(pk), str(NO_LONGER_PENDING))
        else:
            waiting.append((number, submission))
    return waiting


@dataclass(frozen=True)
class _Named:
    """A waiting submission a row names, with its instance."""

    row: int
    submission: Submission
    instance: openrosa.Instance

    @property
    def received(self) -> Received:
        return self.submission.commune_review, self.instance


def _opened(waiting: Sequence[tuple[int, Submission]], report: ValidationReport) -> list[_Named]:
    """The waiting submissions with their instances, read from their sealed XML."""
    named = []
    for number, submission in waiting:
        try:
            instance = openrosa.instance_parse(sealed.submission_xml(submission))
        except (sealing.SealBrokenError, ApplicationError):
            report.add(number, COLUMN, str(submission.pk), str(UNREADABLE))
        else:
            named.append(_Named(number, submission, instance))
    return named


def _accepting(plan: ImportPlan, user: User, submissions: list[Submission]) -> None:
    """Make the plan's write also mark the submissions accepted by ``user``, a new household's linked to
    it, in the same transaction."""
    write = plan.write
    pks = [submission.pk for submission in submissions]
    new = [submission.pk for submission in submissions if submission.new_household]

    def write_and_accept() -> None:
        write()
        now = timezone.now()
        Submission.objects.filter(pk__in=pks, state=Submission.State.PENDING).update(
            state=Submission.State.ACCEPTED, decided_by=user, decided_at=now, updated_at=now
        )
        household = Household.objects.filter(code=OuterRef("household_code")).values("pk")[:1]
        Submission.objects.filter(pk__in=new).update(household=Subquery(household))

    plan.write = write_and_accept


def submissions_plan(user: User, rows: Rows, _source: str) -> ImportPlan:
    """What accepting the submissions ``rows`` name would change in their reviews (see the module)."""
    report = ValidationReport()
    named = _opened(_waiting(user, rows, report), report)
    planned: list[_Named] = []
    for entry, refusal in zip(
        named, instance_refusals(user=user, received=[n.received for n in named]), strict=True
    ):
        if refusal is None:
            planned.append(entry)
        else:
            report.add(
                entry.row, COLUMN, str(entry.submission.pk), reason_text(refusal.reason, refusal.detail)
            )
    instances = instances_plan(user=user, received=[entry.received for entry in planned])
    # The questionnaire's rows are the instances' (a new household has a row per member): each problem and
    # change is put on its submission's row.
    for problem in instances.plan.report:
        index = instances.instance_of(problem.row)
        report.add(
            planned[index].row if index is not None else 1, problem.field, problem.value, problem.reason
        )
    for change in instances.plan.changes:
        change["row"] = planned[instances.instance_of_row[change["row"] - 2]].row
    # Applying, the plan locked the reviews and the households: the submissions now, and their states again.
    submissions = [entry.submission for entry in planned]
    database.rows_lock(Submission, [submission.pk for submission in submissions])
    states = dict(Submission.objects.filter(pk__in=[s.pk for s in submissions]).values_list("pk", "state"))
    for entry in planned:
        if states.get(entry.submission.pk) != Submission.State.PENDING:
            report.add(entry.row, COLUMN, str(entry.submission.pk), str(NO_LONGER_PENDING))
    if not report.ok:
        return ImportPlan(report=report)
    plan = instances.plan
    _accepting(plan, user, submissions)
    return plan


def submission_plan(*, user: User, submission: Submission) -> ImportPlan:
    """What accepting this one submission would change now: its page shows it, and accepting it posts its
    fingerprint (``decisions.submission_accept_one``)."""
    return submissions_plan(user, [{COLUMN: str(submission.pk)}], "")


IMPORTERS = (
    Importer(
        kind=KIND,
        label=_("Phone submissions (ODK Collect)"),
        columns=(COLUMN,),
        example=(),
        plan=submissions_plan,
        may_import=access.can_enter_answers_somewhere,
        offered=False,
    ),
)
