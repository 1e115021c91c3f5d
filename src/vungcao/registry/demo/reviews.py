"""Writing the demo's review cycles of 2023–2025: every seeded commune's steps (submitted, returned,
approved, re-opened, with their dates and reasons) and the assessments classified by the engine."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Sequence

from vungcao.accounts.models import Role, User
from vungcao.common.errors import ApplicationError
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.registry import classification
from vungcao.registry.demo.generate import YEARS, DemoPlan, PlannedHousehold
from vungcao.registry.demo.write import Saved, first_officer, insert, moment
from vungcao.registry.models import Assessment, CommuneReview, ReviewCycle, ReviewEvent
from vungcao.registry.rollups import review_rollups_refresh
from vungcao.registry.services.assessments import assessment_values

State = CommuneReview.State
Action = ReviewEvent.Action
OPEN_YEAR = YEARS[-1]
# The steps a commune's review has been through (after "opened"), and the state they leave it in.
SUBMIT = (Action.SUBMITTED,)
RETURN = (Action.SUBMITTED, Action.RETURNED)
APPROVE = (Action.SUBMITTED, Action.APPROVED)
REOPEN = (Action.SUBMITTED, Action.APPROVED, Action.REOPENED)
RESUBMIT = (Action.SUBMITTED, Action.RETURNED, Action.SUBMITTED)
STATE_AFTER: dict[str, str] = {
    Action.SUBMITTED: State.SUBMITTED,
    Action.RETURNED: State.RETURNED,
    Action.APPROVED: State.APPROVED,
    Action.REOPENED: State.OPEN,
}
# Where each commune's 2025 review stands, in the order the communes are seeded, with the share of its
# households already entered. The first communes (Ba Chẽ, Mường Phăng) stay open for their officers; the
# next ones reach every state a review page can show, so that even a demo of four communes per province
# has a returned, a submitted, an approved, a re-opened and a resubmitted review.
STATES_OPEN_YEAR: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {
    "22": (
        ((), 0.85),
        (RETURN, 1.0),
        (REOPEN, 1.0),
        (RESUBMIT, 1.0),
        (SUBMIT, 1.0),
        ((), 0.0),
        ((), 0.7),
        ((), 0.6),
    ),
    "11": (
        ((), 0.8),
        (SUBMIT, 1.0),
        (APPROVE, 1.0),
        ((), 0.75),
        ((), 0.0),
        (RESUBMIT, 1.0),
        (SUBMIT, 1.0),
    ),
}
RETURN_REASON = (
    "Đề nghị xã rà soát lại thu nhập của các hộ ở {village}: nhiều hộ khai thu nhập thấp hơn hẳn "
    "mức bình quân của thôn; bổ sung biên bản họp thôn có chữ ký của trưởng thôn. [demo]"
)
REOPEN_REASON = (
    "Mở lại theo đơn đề nghị của hộ dân ở {village} về kết quả rà soát; xã rà soát lại và gửi lại tỉnh. "
    "[demo]"
)


def reviews(plan: DemoPlan, made: list[Saved], seed: int) -> Counter[str]:
    """The review cycles of every year with each seeded commune's steps and the classified answers."""
    chance = random.Random(seed)
    provinces = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            era=Era.CURRENT, level=Level.PROVINCE, code__in={c.province for c in plan.communes}
        )
    }
    communes = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            era=Era.CURRENT, level=Level.COMMUNE, code__in=[c.code for c in plan.communes]
        )
    }
    statuses: Counter[str] = Counter()
    for code, province in provinces.items():
        officer = first_officer(Role.PROVINCE_OFFICER, province)
        seeded = [c.code for c in plan.communes if c.province == code]
        for year in YEARS:
            identifier = classification.standard_for_province(year, code).identifier
            opened = moment(datetime.date(year, 9, 15), 8)
            cycle = _cycle(province, year, identifier, officer, opened)
            for position, commune_code in enumerate(seeded):
                commune = communes[commune_code]
                path, share = (
                    STATES_OPEN_YEAR[code][position % len(STATES_OPEN_YEAR[code])]
                    if year == OPEN_YEAR
                    else (APPROVE, 1.0)
                )
                review = _commune_review(cycle, commune, opened, officer)
                chosen = [
                    (planned, household)
                    for planned, household in zip(plan.households, made, strict=True)
                    if planned.commune == commune_code and planned.exists_in(year)
                ]
                if share < 1.0:
                    chosen = [pair for pair in chosen if chance.random() < share]
                entered = moment(datetime.date(year, 10, 1) + datetime.timedelta(days=chance.randint(0, 30)))
                statuses.update(_assessments(review, identifier, year, chosen, entered))
                _steps(review, path, officer, commune, entered, chance)
    return statuses


def _cycle(
    province: AdministrativeUnit, year: int, identifier: str, officer: User | None, opened: datetime.datetime
) -> ReviewCycle:
    cycle, created = ReviewCycle.objects.get_or_create(
        province=province, year=year, defaults={"standard_identifier": identifier, "opened_by": officer}
    )
    if cycle.standard_identifier != identifier:
        raise ApplicationError(
            f"The review of {year} in {province.name} uses {cycle.standard_identifier}, not {identifier}."
        )
    if created:
        ReviewCycle.objects.filter(pk=cycle.pk).update(created_at=opened, updated_at=opened)
    return cycle


def _commune_review(
    cycle: ReviewCycle, commune: AdministrativeUnit, opened: datetime.datetime, officer: User | None
) -> CommuneReview:
    review, created = CommuneReview.objects.get_or_create(cycle=cycle, commune=commune)
    if review.state != State.OPEN or review.assessments.exists():
        raise ApplicationError(f"The review of {cycle.year} in {commune.name} is already under way.")
    if created:
        event = ReviewEvent.objects.create(commune_review=review, action=Action.OPENED, user=officer)
        ReviewEvent.objects.filter(pk=event.pk).update(created_at=opened, updated_at=opened)
    return review


def _assessments(
    review: CommuneReview,
    identifier: str,
    year: int,
    chosen: list[tuple[PlannedHousehold, Saved]],
    entered: datetime.datetime,
) -> Counter[str]:
    rows = [planned.answers[year] for planned, _household in chosen]
    results, report = classification.classify_rows(identifier, rows)
    if not report.ok:
        raise ApplicationError(f"The engine refused the demo answers of {review}: {report}")
    known = classification.known_answer_columns(identifier)
    values = [
        {
            "created_at": entered,
            "updated_at": entered,
            "cycle_id": review.cycle_id,
            "year": year,
            "household_id": household.pk,
            "commune_review_id": review.pk,
            "area": str(answers["area"]),
            "income_per_capita_month": int(str(answers["income_per_capita_month"])),
            "answers": {name: value for name, value in answers.items() if name in known},
            **assessment_values(result, identifier),
        }
        for (_planned, household), answers, result in zip(chosen, rows, results, strict=True)
    ]
    insert(Assessment, values)
    review_rollups_refresh([review.pk], households=[household.pk for _planned, household in chosen])
    return Counter(f"{year} {review.cycle.province.code} {result.status}" for result in results)


def _steps(
    review: CommuneReview,
    path: Sequence[str],
    officer: User | None,
    commune: AdministrativeUnit,
    entered: datetime.datetime,
    chance: random.Random,
) -> None:
    """Record the commune's steps along ``path`` (submitted, returned, approved, re-opened) with their dates,
    some days apart. The commune's steps are its officer's, the decisions the province's; where there is
    no such officer the event has no user, as events written by the system have none."""
    if not path:
        return
    commune_officer = first_officer(Role.COMMUNE_OFFICER, commune)
    village = commune.children.filter(level=Level.VILLAGE).order_by("code").first()
    place = village.name if village else commune.name
    reasons: dict[str, str] = {
        Action.RETURNED: RETURN_REASON.format(village=place),
        Action.REOPENED: REOPEN_REASON.format(village=place),
    }
    moment = entered
    steps = []
    for action in path:
        moment += datetime.timedelta(days=chance.randint(3, 20), hours=chance.randint(0, 7))
        user = commune_officer if action == Action.SUBMITTED else officer
        steps.append((action, user, moment, reasons.get(action, "")))
    events = ReviewEvent.objects.bulk_create(
        [
            ReviewEvent(commune_review=review, action=action, user=user, reason=why)
            for action, user, _, why in steps
        ]
    )
    for event, (_action, _user, when, _why) in zip(events, steps, strict=True):
        event.created_at = event.updated_at = when
    ReviewEvent.objects.bulk_update(events, ["created_at", "updated_at"])
    review.state = STATE_AFTER[path[-1]]
    review.save(update_fields=["state", "updated_at"])
    CommuneReview.objects.filter(pk=review.pk).update(updated_at=steps[-1][2])
