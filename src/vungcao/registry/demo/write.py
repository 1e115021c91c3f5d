"""Writing the planned demo: villages, households, members, their events, the review cycles of 2023–2025
with every commune's steps, and the assessments classified by the engine. Bulk inserts, one transaction."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import connection, models, transaction
from django.db.models import Field
from django.utils import timezone

from vungcao.accounts.models import Role, User
from vungcao.accounts.services import system_actor
from vungcao.common.errors import ApplicationError
from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.geo.services import villages as village_services
from vungcao.registry import classification, identity
from vungcao.registry.demo.generate import YEARS, DemoPlan, PlannedHousehold
from vungcao.registry.models import (
    Assessment,
    CommuneReview,
    Household,
    HouseholdEvent,
    Member,
    ReviewCycle,
    ReviewEvent,
)
from vungcao.registry.services.assessments import assessment_values

BATCH = 5000
Item = TypeVar("Item")
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
DEMO_NOTE = "[demo] synthetic household"
RECORDED_ON = datetime.date(YEARS[0], 9, 1)  # when the demo's households were entered


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _first_officer(role: str, unit: AdministrativeUnit) -> User | None:
    return User.objects.filter(role=role, scope=unit, is_active=True).order_by("pk").first()


def _batched(values: Sequence[Item], size: int = 2000) -> Iterable[Sequence[Item]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def villages(plan: DemoPlan) -> dict[str, list[AdministrativeUnit]]:
    """Each seeded commune's villages: its open villages first, then new ones with the planned names."""
    communes = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            era=Era.CURRENT, level=Level.COMMUNE, code__in=[c.code for c in plan.communes]
        )
    }
    rows = []
    for planned in plan.communes:
        existing = list(
            communes[planned.code]
            .children.filter(level=Level.VILLAGE, valid_to__isnull=True)
            .order_by("code")
        )
        taken = {village.name_folded for village in existing}
        missing = len(planned.villages) - len(existing)
        for name, kind in planned.villages:
            if missing <= 0:
                break
            if fold(name) not in taken:
                rows.append({"commune_code": planned.code, "name": name, "type": kind})
                missing -= 1
    village_plan = village_services.villages_plan(user=system_actor(), rows=rows)
    if not village_plan.report.ok:
        raise ApplicationError(f"The demo villages could not be made: {village_plan.report}")
    village_plan.write()
    return {
        planned.code: list(
            communes[planned.code]
            .children.filter(level=Level.VILLAGE, valid_to__isnull=True)
            .order_by("code")[: len(planned.villages)]
        )
        for planned in plan.communes
    }


@dataclass(frozen=True)
class Saved:
    """A household as written: what the later inserts need of it."""

    pk: int
    code: str
    village_id: int


def _converter(field: Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (values by field attname) in batches, as bulk_create does but without building
    model instances: the demo writes some 300,000 rows and the ORM's per-field work is most of the time."""
    if not rows:
        return
    fields = [cast("Field[Any, Any]", model._meta.get_field(name)) for name in rows[0]]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    converters = [_converter(field) for field in fields]
    with connection.cursor() as cursor:
        for batch in _batched(rows, BATCH):
            cursor.executemany(
                sql,
                [
                    tuple(
                        value if convert is None or value is None else convert(value)
                        for convert, value in zip(converters, row.values(), strict=True)
                    )
                    for row in batch
                ],
            )


def households(plan: DemoPlan, by_commune: dict[str, list[AdministrativeUnit]]) -> list[Saved]:
    rows: list[dict[str, Any]] = []
    for planned in plan.households:
        village = by_commune[planned.commune][planned.village]
        recorded = _moment(planned.split_on or RECORDED_ON)
        rows.append(
            {
                "created_at": recorded,
                "updated_at": recorded,
                "code": f"{village.code}-{planned.number:04d}",
                "village_id": village.pk,
                "address": f"{village.name} [demo]",
                "area": planned.area,
                "head_ethnic_group": planned.head.ethnic_group,
                "established_on": planned.established,
                "dissolved_on": planned.dissolved_on,
                "is_synthetic": True,
            }
        )
    codes = [row["code"] for row in rows]
    clash = [
        code
        for batch in _batched(codes)
        for code in Household.objects.filter(code__in=batch).values_list("code", flat=True)
    ]
    if clash:
        raise ApplicationError(f"Household codes of the demo are already used, e.g. {clash[0]}.")
    _insert(Household, rows)
    ids = {
        code: pk
        for batch in _batched(codes)
        for code, pk in Household.objects.filter(code__in=batch).values_list("code", "pk")
    }
    return [Saved(ids[row["code"]], row["code"], row["village_id"]) for row in rows]


def members(plan: DemoPlan, made: list[Saved]) -> int:
    numbers = sorted({p.identity_number for h in plan.households for p in h.members if p.identity_number})
    protected = {number: identity.protect(number) for number in numbers}
    digests = [value.digest for value in protected.values()]
    used = {
        digest
        for batch in _batched(digests)
        for digest in Member.objects.filter(identity_digest__in=batch).values_list(
            "identity_digest", flat=True
        )
    }
    nobody = identity.ProtectedIdentity("", "", "")
    rows = []
    for planned, household in zip(plan.households, made, strict=True):
        recorded = _moment(planned.split_on or RECORDED_ON)
        for person in planned.members:
            shown = protected.get(person.identity_number) or nobody
            if shown.digest in used:
                shown = nobody
            rows.append(
                {
                    "created_at": recorded,
                    "updated_at": _moment(person.left_on) if person.left_on else recorded,
                    "household_id": household.pk,
                    "full_name": person.full_name,
                    "sex": person.sex,
                    "birth_year": person.birth_year,
                    "ethnic_group": person.ethnic_group,
                    "relation_to_head": person.relation,
                    "identity_digest": shown.digest,
                    "identity_encrypted": shown.encrypted,
                    "identity_last_digits": shown.last_digits,
                    "schooling": person.schooling,
                    "has_health_insurance": person.has_health_insurance,
                    "has_disability": person.has_disability,
                    "work": person.work,
                    "left_on": person.left_on,
                }
            )
    _insert(Member, rows)
    return len(rows)


def household_events(plan: DemoPlan, made: list[Saved]) -> int:
    rows = []
    for planned, household in zip(plan.households, made, strict=True):
        recorded = _moment(planned.split_on or RECORDED_ON)
        event = {
            "created_at": recorded,
            "updated_at": recorded,
            "household_id": household.pk,
            "kind": HouseholdEvent.Kind.CREATED,
            "happened_on": planned.established,
            "other_household_id": None,
            "from_village_id": None,
            "to_village_id": household.village_id,
            "note": DEMO_NOTE,
            "recorded_by_id": None,
        }
        if planned.split_from is not None:
            parent = made[planned.split_from]
            event |= {
                "kind": HouseholdEvent.Kind.SPLIT_FROM,
                "other_household_id": parent.pk,
                "to_village_id": None,
                "note": f"{DEMO_NOTE}: a son's family left household {parent.code}",
            }
        rows.append(event)
        if planned.dissolved_on:
            ended = _moment(planned.dissolved_on)
            rows.append(
                event
                | {
                    "created_at": ended,
                    "updated_at": ended,
                    "kind": HouseholdEvent.Kind.DISSOLVED,
                    "happened_on": planned.dissolved_on,
                    "other_household_id": None,
                    "to_village_id": None,
                    "note": f"{DEMO_NOTE}: the last members died or moved away",
                }
            )
    _insert(HouseholdEvent, rows)
    return len(rows)


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
        officer = _first_officer(Role.PROVINCE_OFFICER, province)
        seeded = [c.code for c in plan.communes if c.province == code]
        for year in YEARS:
            identifier = classification.standard_for_province(year, code).identifier
            opened = _moment(datetime.date(year, 9, 15), 8)
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
                entered = _moment(datetime.date(year, 10, 1) + datetime.timedelta(days=chance.randint(0, 30)))
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
    _insert(Assessment, values)
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
    commune_officer = _first_officer(Role.COMMUNE_OFFICER, commune)
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


@transaction.atomic
def write(plan: DemoPlan, seed: int) -> tuple[int, int, Counter[str]]:
    by_commune = villages(plan)
    made = households(plan, by_commune)
    member_count = members(plan, made)
    household_events(plan, made)
    statuses = reviews(plan, made, seed)
    return len(made), member_count, statuses
