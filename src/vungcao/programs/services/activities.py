"""Works and production-support projects, support given to households, revolving-fund models."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.geo.models import AdministrativeUnit
from vungcao.programs.eligibility import support_refusals
from vungcao.programs.models import (
    Component,
    HouseholdSupport,
    RevolvingHolding,
    RevolvingModel,
    Work,
    WorkKind,
    WorkStatus,
)


def _may_record(user: User, unit: AdministrativeUnit) -> None:
    if not access.can_record_money(user, unit):
        raise PermissionDeniedError(_("You may not record the works or support of this unit."))


def work_create(
    *,
    user: User,
    component: Component,
    unit: AdministrativeUnit,
    kind: str,
    name: str,
    investment_total_vnd: int,
    output_quantity: Decimal = Decimal(0),
    output_unit: str = "",
    households: int = 0,
    start_date: datetime.date | None = None,
    planned_end_date: datetime.date | None = None,
    status: str = WorkStatus.PLANNED,
    progress_percent: int = 0,
) -> Work:
    _may_record(user, unit)
    if kind not in WorkKind.values or status not in WorkStatus.values:
        raise ApplicationError(_("Unknown kind or status of work."))
    if investment_total_vnd < 0 or not 0 <= progress_percent <= 100:
        raise ApplicationError(_("The investment cannot be negative and progress lies between 0 and 100%."))
    return Work.objects.create(
        component=component,
        unit=unit,
        kind=kind,
        name=" ".join(name.split()),
        investment_total_vnd=investment_total_vnd,
        output_quantity=output_quantity,
        output_unit=output_unit,
        households=households,
        start_date=start_date,
        planned_end_date=planned_end_date,
        status=status,
        progress_percent=progress_percent,
    )


class SupportRefused(ApplicationError):
    """The household is not eligible; ``reasons`` says every why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons), extra={"reasons": reasons})
        self.reasons = reasons


def household_support_create(
    *,
    user: User,
    unit: AdministrativeUnit,
    household_code: str,
    component: Component,
    year: int,
    kind: str,
    recorded_status: str,
    recorded_deprivations: list[str],
    amount_vnd: int = 0,
    quantity: Decimal = Decimal(0),
    description: str = "",
) -> HouseholdSupport:
    """Record support to an eligible household; refuse with every reason otherwise, writing nothing."""
    _may_record(user, unit)
    reasons = support_refusals(kind=kind, status=recorded_status, deprivations=set(recorded_deprivations))
    if reasons:
        raise SupportRefused(reasons)
    if amount_vnd < 0:
        raise ApplicationError(_("An amount cannot be negative."))
    return HouseholdSupport.objects.create(
        unit=unit,
        household_code=household_code.strip(),
        component=component,
        year=year,
        kind=kind,
        amount_vnd=amount_vnd,
        quantity=quantity,
        description=description,
        recorded_status=recorded_status,
        recorded_deprivations=sorted(recorded_deprivations),
    )


def revolving_model_create(
    *, user: User, component: Component, unit: AdministrativeUnit, name: str, item: str
) -> RevolvingModel:
    _may_record(user, unit)
    return RevolvingModel.objects.create(component=component, unit=unit, name=name, item=item)


@transaction.atomic
def revolving_handover_record(
    *,
    user: User,
    model: RevolvingModel,
    household_code: str,
    received_on: datetime.date,
    due_on: datetime.date,
) -> RevolvingHolding:
    """The item passes to the next household: the current holder's turn closes on ``received_on``."""
    _may_record(user, model.unit)
    if due_on < received_on:
        raise ApplicationError(_("The hand-on date cannot be before the date received."))
    RevolvingModel.objects.select_for_update().filter(pk=model.pk).first()
    current = model.holdings.filter(handed_on__isnull=True).order_by("-sequence").first()
    if current is not None:
        if received_on < current.received_on:
            raise ApplicationError(_("The next household cannot receive it before the current one did."))
        current.handed_on = received_on
        current.save(update_fields=["handed_on", "updated_at"])
    last = model.holdings.aggregate(Max("sequence"))["sequence__max"] or 0
    return RevolvingHolding.objects.create(
        model=model, sequence=last + 1, household_code=household_code, received_on=received_on, due_on=due_on
    )
