"""Works, support to households and revolving-fund models the user may see; overdue and late lists."""

import datetime

from django.db.models import Q, QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.geo.models import AdministrativeUnit
from vungcao.programs.models import HouseholdSupport, RevolvingHolding, Work, WorkStatus


def work_list(*, user: User, unit: AdministrativeUnit) -> QuerySet[Work]:
    return access.restrict_by_unit(Work.objects.all(), user, "unit").filter(unit__path__startswith=unit.path)


def works_behind_schedule(*, user: User, unit: AdministrativeUnit, on: datetime.date) -> QuerySet[Work]:
    """Works not done whose planned completion date has passed."""
    return (
        work_list(user=user, unit=unit)
        .filter(planned_end_date__lt=on)
        .exclude(status=WorkStatus.DONE)
        .select_related("unit", "component")
        .order_by("planned_end_date")
    )


def support_list(*, user: User, unit: AdministrativeUnit) -> QuerySet[HouseholdSupport]:
    return (
        access.restrict_by_unit(HouseholdSupport.objects.all(), user, "unit")
        .filter(unit__path__startswith=unit.path)
        .select_related("unit", "component")
    )


def revolving_overdue(
    *, user: User, unit: AdministrativeUnit, on: datetime.date
) -> QuerySet[RevolvingHolding]:
    """Households that should have handed the item on before ``on`` and have not."""
    return (
        access.restrict_by_unit(RevolvingHolding.objects.all(), user, "model__unit")
        .filter(Q(model__unit__path__startswith=unit.path), handed_on__isnull=True, due_on__lt=on)
        .select_related("model", "model__unit")
        .order_by("due_on")
    )
