"""Writing the planned demo's villages, households, members and their events, in bulk inserts (the review
cycles and assessments are written by ``reviews``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import connection, models
from django.db.models import Field
from django.utils import timezone

from vungcao.accounts.models import User
from vungcao.accounts.services import system_actor
from vungcao.common.errors import ApplicationError
from vungcao.engine.text import fold
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.geo.services import villages as village_services
from vungcao.registry import identity
from vungcao.registry.demo.generate import YEARS, DemoPlan
from vungcao.registry.models import (
    Household,
    HouseholdEvent,
    Member,
)

BATCH = 5000
Item = TypeVar("Item")
DEMO_NOTE = "[demo] synthetic household"
RECORDED_ON = datetime.date(YEARS[0], 9, 1)  # when the demo's households were entered


def moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def first_officer(role: str, unit: AdministrativeUnit) -> User | None:
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


def insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
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
    province_of = tree.province_ids(village for villages in by_commune.values() for village in villages)
    for planned in plan.households:
        village = by_commune[planned.commune][planned.village]
        recorded = moment(planned.split_on or RECORDED_ON)
        rows.append(
            {
                "created_at": recorded,
                "updated_at": recorded,
                "code": f"{village.code}-{planned.number:04d}",
                "village_id": village.pk,
                "province_id": province_of[village.pk],
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
    insert(Household, rows)
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
        recorded = moment(planned.split_on or RECORDED_ON)
        for person in planned.members:
            shown = protected.get(person.identity_number) or nobody
            if shown.digest in used:
                shown = nobody
            rows.append(
                {
                    "created_at": recorded,
                    "updated_at": moment(person.left_on) if person.left_on else recorded,
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
    insert(Member, rows)
    return len(rows)


def household_events(plan: DemoPlan, made: list[Saved]) -> int:
    rows = []
    for planned, household in zip(plan.households, made, strict=True):
        recorded = moment(planned.split_on or RECORDED_ON)
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
            ended = moment(planned.dissolved_on)
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
    insert(HouseholdEvent, rows)
    return len(rows)
