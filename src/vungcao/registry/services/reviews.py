"""The yearly review: a province opens it, communes enter and submit, the province approves or returns.

    open ──submit──▶ submitted ──approve──▶ approved (locked)
      ▲                 │  │                   │
      ├────return───────┘  │ (returned)        └──re-open (with a reason)──▶ open
      └────recall──────────┘ (by the commune, with a reason, until the province acts)

Every step is recorded as a ReviewEvent with its user and reason.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.common.rollups import rollups_refresh
from vungcao.engine.poverty import StandardNotFound
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.registry import classification
from vungcao.registry.models import Assessment, CommuneReview, ReviewCycle, ReviewEvent
from vungcao.registry.rollups import FLOW_ROLLUPS
from vungcao.registry.services.snapshot import snapshot_write_after_commit

State = CommuneReview.State
ENTRY_STATES = frozenset({State.OPEN, State.RETURNED})
NOT_YOUR_PROVINCE = gettext_lazy("Only the province's officers may do this.")
REASON_REQUIRED = gettext_lazy("Give the reason; it is recorded with the decision.")
WRONG_STATE = gettext_lazy("The commune's review is {state}: it cannot be {action} now.")
ANSWERS_CLOSED = gettext_lazy("The commune's review is {state}: answers can no longer be changed.")
NOTHING_TO_SUBMIT = gettext_lazy("No household has been assessed yet: there is nothing to submit.")
NOT_YOUR_COMMUNE = gettext_lazy("Only the commune's officers may do this.")
ALREADY_DECIDED = gettext_lazy(
    "The province has already acted on this submission (the review is {state}): it can no longer be recalled."
)
NOT_SUBMITTED = gettext_lazy("The commune's review is {state}: there is no submission to recall.")


def _record(review: CommuneReview, action: str, user: User, reason: str = "") -> None:
    ReviewEvent.objects.create(commune_review=review, action=action, user=user, reason=reason)


@transaction.atomic
def review_cycle_open(
    *, user: User, province: AdministrativeUnit, year: int, standard_identifier: str | None = None
) -> ReviewCycle:
    """Open the province's review for ``year`` in every commune, under the standard in force (or the one given)."""
    if province.level != Level.PROVINCE or province.era != Era.CURRENT:
        raise ApplicationError(_("A review is opened for a province of the current era."))
    if not access.can_decide_review(user, province):
        raise PermissionDeniedError(str(NOT_YOUR_PROVINCE))
    if ReviewCycle.objects.filter(province=province, year=year).exists():
        raise ApplicationError(_("The review of {year} is already open in this province.").format(year=year))
    try:
        identifier = (
            standard_identifier or classification.standard_for_province(year, province.code).identifier
        )
        rule = classification.standard(identifier)
    except StandardNotFound as error:
        raise ApplicationError(_("No poverty standard applies to {year}.").format(year=year)) from error
    if not rule.applies_in(year) or (rule.province is not None and rule.province != int(province.code)):
        raise ApplicationError(
            _("The standard {standard} does not apply to {year} in this province.").format(
                standard=identifier, year=year
            )
        )
    cycle = ReviewCycle.objects.create(
        province=province, year=year, standard_identifier=identifier, opened_by=user
    )
    communes = AdministrativeUnit.objects.filter(parent=province, level=Level.COMMUNE, valid_to__isnull=True)
    reviews = CommuneReview.objects.bulk_create(
        [CommuneReview(cycle=cycle, commune=commune) for commune in communes]
    )
    ReviewEvent.objects.bulk_create(
        [
            ReviewEvent(commune_review=review, action=ReviewEvent.Action.OPENED, user=user)
            for review in reviews
        ]
    )
    if ReviewCycle.objects.filter(province=province, year__gt=year).exists():
        # Opened between two reviews (or before the first): the flows of the province's other reviews
        # are counted against it now (``registry.rollups``).
        rollups_refresh(
            (
                FLOW_ROLLUPS,
                CommuneReview.objects.filter(cycle__province=province)
                .exclude(cycle=cycle)
                .values_list("pk", flat=True),
            )
        )
    return cycle


def _locked(review: CommuneReview) -> CommuneReview:
    """The commune's review as stored now, its row alone locked until the end of the transaction: the
    other communes of the cycle, and the cycle itself, stay free."""
    database.rows_lock(CommuneReview, [review.pk])
    return CommuneReview.objects.select_related("cycle__province", "commune").get(pk=review.pk)


def _move(review: CommuneReview, allowed_from: set[str], to: str, action_label: str) -> None:
    if review.state not in allowed_from:
        raise ApplicationError(str(WRONG_STATE).format(state=review.get_state_display(), action=action_label))
    review.state = to
    review.save(update_fields=["state", "updated_at"])


@transaction.atomic
def commune_review_submit(*, user: User, review: CommuneReview) -> CommuneReview:
    locked = _locked(review)
    if not access.can_enter_answers(user, locked.commune):
        raise PermissionDeniedError(_("Only the commune's officers may submit its review."))
    if not Assessment.objects.filter(commune_review=locked).exists():
        raise ApplicationError(str(NOTHING_TO_SUBMIT))
    _move(locked, set(ENTRY_STATES), State.SUBMITTED, _("submitted"))
    _record(locked, ReviewEvent.Action.SUBMITTED, user)
    return locked


@transaction.atomic
def commune_review_recall(*, user: User, review: CommuneReview, reason: str) -> CommuneReview:
    """The commune takes back its submission (rút lại hồ sơ đã gửi) to correct it, as long as the province
    has neither approved nor returned it; the row lock makes a recall and a decision at the same moment
    end in one of them, the other told why."""
    locked = _locked(review)
    if not access.can_enter_answers(user, locked.commune):
        raise PermissionDeniedError(str(NOT_YOUR_COMMUNE))
    if not reason.strip():
        raise ApplicationError(str(REASON_REQUIRED))
    if locked.state != State.SUBMITTED:
        message = NOT_SUBMITTED if locked.state == State.OPEN else ALREADY_DECIDED
        raise ApplicationError(str(message).format(state=locked.get_state_display()))
    _move(locked, {State.SUBMITTED}, State.OPEN, _("recalled"))
    _record(locked, ReviewEvent.Action.RECALLED, user, reason.strip())
    return locked


@transaction.atomic
def commune_review_approve(*, user: User, review: CommuneReview) -> CommuneReview:
    locked = _locked(review)
    if not access.can_decide_review(user, locked.cycle.province):
        raise PermissionDeniedError(str(NOT_YOUR_PROVINCE))
    _move(locked, {State.SUBMITTED}, State.APPROVED, _("approved"))
    _record(locked, ReviewEvent.Action.APPROVED, user)
    snapshot_write_after_commit()
    return locked


@transaction.atomic
def commune_review_return(*, user: User, review: CommuneReview, reason: str) -> CommuneReview:
    locked = _locked(review)
    if not access.can_decide_review(user, locked.cycle.province):
        raise PermissionDeniedError(str(NOT_YOUR_PROVINCE))
    if not reason.strip():
        raise ApplicationError(str(REASON_REQUIRED))
    _move(locked, {State.SUBMITTED}, State.RETURNED, _("returned"))
    _record(locked, ReviewEvent.Action.RETURNED, user, reason.strip())
    return locked


@transaction.atomic
def commune_review_reopen(*, user: User, review: CommuneReview, reason: str) -> CommuneReview:
    """An approved result is locked; re-opening it needs the province and a reason, both recorded."""
    locked = _locked(review)
    if not access.can_decide_review(user, locked.cycle.province):
        raise PermissionDeniedError(str(NOT_YOUR_PROVINCE))
    if not reason.strip():
        raise ApplicationError(str(REASON_REQUIRED))
    _move(locked, {State.APPROVED}, State.OPEN, _("re-opened"))
    _record(locked, ReviewEvent.Action.REOPENED, user, reason.strip())
    snapshot_write_after_commit()
    return locked


def review_locked_for_entry(*, user: User, review: CommuneReview) -> CommuneReview:
    """The commune's review, locked until the end of the transaction, once answers may be entered in it
    (open or returned, and in the user's scope).

    Every write of answers takes this lock, as submission and approval do: a submission waits for an
    answer being saved, and an answer that waited for a submission is refused."""
    locked = _locked(review)
    if not access.can_enter_answers(user, locked.commune):
        raise PermissionDeniedError(_("You may not enter answers for this commune."))
    if locked.state not in ENTRY_STATES:
        raise ApplicationError(str(ANSWERS_CLOSED).format(state=locked.get_state_display()))
    return locked
