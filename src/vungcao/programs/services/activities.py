"""Works and production-support projects, support given to households, revolving-fund models.

Every write checks the user may record for the unit, refuses with every bad field named
(``EntryRefused``) and writes nothing on refusal.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import PermissionDeniedError
from vungcao.geo.models import AdministrativeUnit
from vungcao.programs.models import (
    Component,
    HouseholdSupport,
    RevolvingHolding,
    RevolvingModel,
    SupportKind,
    Work,
    WorkKind,
    WorkStatus,
)
from vungcao.programs.selectors.activities import support_eligibility
from vungcao.programs.services.refusals import EntryRefused
from vungcao.registry.models import Household

NOT_ALLOWED = gettext_lazy("You may not record the works or support of this unit.")
RETIRED_COMPONENT = gettext_lazy("This component was retired; record against its successor.")
UNKNOWN_WORK_KIND = gettext_lazy("Unknown kind of work.")
UNKNOWN_WORK_STATUS = gettext_lazy("Unknown status of work.")
UNKNOWN_SUPPORT_KIND = gettext_lazy("Unknown kind of support.")
NEGATIVE_AMOUNT = gettext_lazy("An amount cannot be negative.")
NEGATIVE_QUANTITY = gettext_lazy("A quantity cannot be negative.")
PROGRESS_RANGE = gettext_lazy("Progress lies between 0 and 100%.")
DONE_NOT_COMPLETE = gettext_lazy("A work that is done is 100% complete.")
END_BEFORE_START = gettext_lazy("The planned completion cannot be before the start.")
REQUIRED = gettext_lazy("This field is required.")
DISSOLVED = gettext_lazy("The household was dissolved before this year.")
DUPLICATE_SUPPORT = gettext_lazy(
    "This household already has this kind of support under this component in this year."
)
DUE_BEFORE_RECEIVED = gettext_lazy("The hand-on date cannot be before the date received.")
RECEIVED_BEFORE_CURRENT = gettext_lazy("The next household cannot receive it before the current one did.")


def may_record_check(user: User, unit: AdministrativeUnit | None = None) -> None:
    """Refuse roles that never record, and units outside the user's scope."""
    allowed = access.can_import_money(user) if unit is None else access.can_record_money(user, unit)
    if not allowed:
        raise PermissionDeniedError(str(NOT_ALLOWED))


def _active(component: Component, errors: dict[str, str]) -> None:
    if not component.is_active:
        errors["component"] = str(RETIRED_COMPONENT)


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
    """Record a work or production-support project (công trình, dự án hỗ trợ phát triển sản xuất)."""
    may_record_check(user, unit)
    errors: dict[str, str] = {}
    _active(component, errors)
    if kind not in WorkKind.values:
        errors["kind"] = str(UNKNOWN_WORK_KIND)
    if status not in WorkStatus.values:
        errors["status"] = str(UNKNOWN_WORK_STATUS)
    if not " ".join(name.split()):
        errors["name"] = str(REQUIRED)
    if investment_total_vnd < 0:
        errors["investment_total_vnd"] = str(NEGATIVE_AMOUNT)
    if output_quantity < 0:
        errors["output_quantity"] = str(NEGATIVE_QUANTITY)
    if households < 0:
        errors["households"] = str(NEGATIVE_QUANTITY)
    if not 0 <= progress_percent <= 100:
        errors["progress_percent"] = str(PROGRESS_RANGE)
    elif status == WorkStatus.DONE and progress_percent != 100:
        errors["progress_percent"] = str(DONE_NOT_COMPLETE)
    if start_date and planned_end_date and planned_end_date < start_date:
        errors["planned_end_date"] = str(END_BEFORE_START)
    if errors:
        raise EntryRefused(errors)
    return Work.objects.create(
        component=component,
        unit=unit,
        kind=kind,
        name=" ".join(name.split()),
        investment_total_vnd=investment_total_vnd,
        output_quantity=output_quantity,
        output_unit=output_unit.strip(),
        households=households,
        start_date=start_date,
        planned_end_date=planned_end_date,
        status=status,
        progress_percent=progress_percent,
    )


class SupportRefused(EntryRefused):
    """The household is not eligible; ``reasons`` says every why (also under ``household_code``)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__({"household_code": " ".join(reasons)}, extra={"reasons": reasons})
        self.reasons = reasons


def household_support_create(
    *,
    user: User,
    household: Household,
    component: Component,
    year: int,
    kind: str,
    amount_vnd: int = 0,
    quantity: Decimal = Decimal(0),
    description: str = "",
) -> HouseholdSupport:
    """Record support to a registry household, eligible by its latest recorded status up to ``year``.

    Refuses with every reason (``SupportRefused``) or every bad field (``EntryRefused``), writing
    nothing. The status, its review year and the deprivations are copied onto the record.
    """
    may_record_check(user, household.village)
    errors: dict[str, str] = {}
    _active(component, errors)
    if kind not in SupportKind.values:
        errors["kind"] = str(UNKNOWN_SUPPORT_KIND)
    if amount_vnd < 0:
        errors["amount_vnd"] = str(NEGATIVE_AMOUNT)
    if quantity < 0:
        errors["quantity"] = str(NEGATIVE_QUANTITY)
    if household.dissolved_on is not None and household.dissolved_on.year < year:
        errors["household_code"] = str(DISSOLVED)
    if errors:
        raise EntryRefused(errors)
    decision = support_eligibility(household=household, kind=kind, year=year)
    if not decision.eligible:
        raise SupportRefused(decision.reasons)
    try:
        with transaction.atomic():
            return HouseholdSupport.objects.create(
                unit=household.village,
                household=household,
                household_code=household.code,
                component=component,
                year=year,
                kind=kind,
                amount_vnd=amount_vnd,
                quantity=quantity,
                description=description.strip(),
                recorded_status=decision.status or "unknown",
                status_year=decision.status_year,
                recorded_deprivations=sorted(decision.deprivations),
            )
    except IntegrityError as error:
        raise EntryRefused({"kind": str(DUPLICATE_SUPPORT)}) from error


def revolving_model_create(
    *, user: User, component: Component, unit: AdministrativeUnit, name: str, item: str
) -> RevolvingModel:
    """Start a revolving-fund model (mô hình quay vòng) in a unit."""
    may_record_check(user, unit)
    errors: dict[str, str] = {}
    _active(component, errors)
    if not name.strip():
        errors["name"] = str(REQUIRED)
    if not item.strip():
        errors["item"] = str(REQUIRED)
    if errors:
        raise EntryRefused(errors)
    return RevolvingModel.objects.create(component=component, unit=unit, name=name.strip(), item=item.strip())


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
    may_record_check(user, model.unit)
    errors: dict[str, str] = {}
    if not household_code.strip():
        errors["household_code"] = str(REQUIRED)
    if due_on < received_on:
        errors["due_on"] = str(DUE_BEFORE_RECEIVED)
    RevolvingModel.objects.select_for_update().filter(pk=model.pk).first()
    current = model.holdings.filter(handed_on__isnull=True).order_by("-sequence").first()
    if current is not None and received_on < current.received_on:
        errors["received_on"] = str(RECEIVED_BEFORE_CURRENT)
    if errors:
        raise EntryRefused(errors)
    if current is not None:
        current.handed_on = received_on
        current.save(update_fields=["handed_on", "updated_at"])
    last = model.holdings.aggregate(Max("sequence"))["sequence__max"] or 0
    return RevolvingHolding.objects.create(
        model=model,
        sequence=last + 1,
        household_code=household_code.strip(),
        received_on=received_on,
        due_on=due_on,
    )
