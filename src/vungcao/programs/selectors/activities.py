"""Works, support to households and revolving-fund models the user may see; overdue and late lists;
the recorded status a household's eligibility for support is decided on."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.common.language import reader_language
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit
from vungcao.programs import eligibility
from vungcao.programs.models import (
    HouseholdStatus,
    HouseholdSupport,
    Programme,
    RecordKind,
    RevolvingHolding,
    RevolvingModel,
    Work,
    WorkStatus,
)
from vungcao.registry import classification
from vungcao.registry.models import CommuneReview, Household

Scoped = TypeVar("Scoped", Work, HouseholdSupport, RevolvingModel)


def _under(queryset: QuerySet[Scoped], unit: AdministrativeUnit | None, field: str) -> QuerySet[Scoped]:
    return queryset if unit is None else queryset.filter(tree.in_subtree(unit, field))


def work_list(*, user: User, unit: AdministrativeUnit | None = None) -> QuerySet[Work]:
    """Works the user may see, in ``unit`` and everything under it (all of the scope without one)."""
    return _under(access.restrict_by_unit(Work.objects.all(), user, "unit"), unit, "unit").select_related(
        "unit", "component"
    )


def work_list_with_money(*, user: User, unit: AdministrativeUnit | None = None) -> QuerySet[Work]:
    """:func:`work_list` with ``disbursed_vnd``: the disbursements recorded as paying for each work."""
    paid = Sum("money_records__amount_vnd", filter=Q(money_records__kind=RecordKind.DISBURSEMENT))
    return work_list(user=user, unit=unit).annotate(disbursed_vnd=Coalesce(paid, Value(0)))


def works_behind_schedule(*, user: User, unit: AdministrativeUnit, on: datetime.date) -> QuerySet[Work]:
    """Works not done whose planned completion date has passed."""
    return (
        work_list(user=user, unit=unit)
        .filter(planned_end_date__lt=on)
        .exclude(status=WorkStatus.DONE)
        .order_by("planned_end_date")
    )


def support_list(*, user: User, unit: AdministrativeUnit | None = None) -> QuerySet[HouseholdSupport]:
    """Support to households the user may see (none for aggregate-only roles)."""
    supports = access.restrict_households(HouseholdSupport.objects.all(), user, "unit")
    return _under(supports, unit, "unit").select_related("unit", "component", "household")


def _holdings(user: User) -> QuerySet[RevolvingHolding]:
    """Revolving-fund holdings as ``user`` may read them: an aggregate-only viewer gets every turn and
    date but never the holder's household code (read as an empty string, in the query itself)."""
    holdings = RevolvingHolding.objects.all()
    if access.can_view_households(user):
        return holdings
    return holdings.extra(select={"household_code": "''"})


def revolving_overdue(
    *, user: User, unit: AdministrativeUnit, on: datetime.date
) -> QuerySet[RevolvingHolding]:
    """Households that should have handed the item on before ``on`` and have not (not naming them to
    an aggregate-only viewer)."""
    return (
        access.restrict_by_unit(_holdings(user), user, "model__unit")
        .filter(tree.in_subtree(unit, "model__unit"), handed_on__isnull=True, due_on__lt=on)
        .select_related("model", "model__unit")
        .order_by("due_on")
    )


def revolving_model_list(
    *, user: User, unit: AdministrativeUnit | None = None, on: datetime.date
) -> QuerySet[RevolvingModel]:
    """Revolving-fund models with their holdings in turn, each marked ``is_overdue`` at ``on`` (without
    the holders' household codes for an aggregate-only viewer)."""
    holdings = (
        _holdings(user)
        .annotate(
            is_overdue=Case(
                When(handed_on__isnull=True, due_on__lt=on, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("sequence")
    )
    models = _under(access.restrict_by_unit(RevolvingModel.objects.all(), user, "unit"), unit, "unit")
    return models.select_related("unit", "component").prefetch_related(Prefetch("holdings", holdings))


def revolving_model_get(*, user: User, model_id: int) -> RevolvingModel:
    """One revolving-fund model in scope, or NotFoundError (also when it exists out of scope)."""
    model = (
        access.restrict_by_unit(RevolvingModel.objects.select_related("unit"), user, "unit")
        .filter(pk=model_id)
        .first()
    )
    if model is None:
        raise NotFoundError(f"revolving-fund model {model_id}")
    return model


def household_for_support(*, user: User, code: str) -> Household | None:
    """The registry household of ``code`` if the user may see it (None otherwise, not saying which)."""
    return (
        access.restrict_households(Household.objects.select_related("village", "village__parent"), user)
        .filter(code=code.strip())
        .first()
    )


@dataclass(frozen=True)
class Eligibility:
    """The recorded status a decision rests on, and every reason to refuse (empty: eligible)."""

    status: str | None
    status_year: int | None
    deprivations: list[str]
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def support_eligibility(*, household: Household, kind: str, year: int) -> Eligibility:
    """Decide ``kind`` of support in ``year`` from the household's latest approved assessment up to
    that year: the official list of poor and near-poor households is the one the province approved,
    not answers still under review.

    ``household`` must come from a scoped lookup (``household_for_support``); an assessment without
    a status (answers not yet classified) does not count.
    """
    assessment = (
        household.assessments.filter(year__lte=year, commune_review__state=CommuneReview.State.APPROVED)
        .exclude(status="")
        .select_related("cycle")
        .order_by("-year")
        .first()
    )
    labels: dict[str, str] = {}
    if assessment is None:
        status, status_year, deprivations = None, None, []
    else:
        identifier = assessment.standard_identifier or assessment.cycle.standard_identifier
        status, status_year = assessment.status, assessment.year
        deprivations = classification.deprived_indicators(identifier, assessment.deprived_mask)
        language = reader_language()
        labels = {
            indicator.identifier: indicator.label.in_language(language)
            for indicator in classification.standard(identifier).indicators
        }
    label = str(HouseholdStatus(status).label) if status in HouseholdStatus.values else status
    reasons = eligibility.support_refusals(
        kind=kind,
        status=status,
        deprivations=deprivations,
        status_label=label,
        year=year,
        indicator_labels=labels,
    )
    return Eligibility(status=status, status_year=status_year, deprivations=deprivations, reasons=reasons)


def work_outputs(
    *, user: User, unit: AdministrativeUnit, programme: Programme, to_year: int
) -> list[dict[str, object]]:
    """The works of ``programme`` in ``unit`` and under it begun by the end of ``to_year`` (or with no
    start date), as the user may see them, counted by kind, unit of output and status as recorded now:
    ``works``, ``output`` (the physical output summed), ``investment`` and ``households``. The registry
    of works keeps no completion year, so a work's status is the one it has when the report is drawn."""
    works = work_list(user=user, unit=unit).filter(component__programme=programme)
    works = works.filter(Q(start_date__isnull=True) | Q(start_date__year__lte=to_year))
    return list(
        works.order_by()
        .values("kind", "output_unit", "status")
        .annotate(
            works=Count("pk"),
            output=Coalesce(Sum("output_quantity"), Value(Decimal(0))),
            investment=Coalesce(Sum("investment_total_vnd"), Value(0)),
            households=Coalesce(Sum("households"), Value(0)),
        )
    )


def support_counts(
    *, user: User, unit: AdministrativeUnit, programme: Programme, from_year: int, to_year: int
) -> list[dict[str, object]]:
    """Support of ``programme`` to households in ``unit`` and under it in the years, counted by kind and
    the household's recorded status: ``supports`` (households supported, once per kind and year) and
    ``amount``. Counts only, so every role that may see the unit's money may count them (the households
    themselves stay behind :func:`support_list`)."""
    supports = access.restrict_by_unit(HouseholdSupport.objects.all(), user, "unit")
    supports = _under(supports, unit, "unit").filter(
        component__programme=programme, year__gte=from_year, year__lte=to_year
    )
    return list(
        supports.order_by()
        .values("kind", "recorded_status")
        .annotate(supports=Count("pk"), amount=Coalesce(Sum("amount_vnd"), Value(0)))
    )


def completed_works_by_unit(
    *, user: User, unit: AdministrativeUnit, years: list[int]
) -> list[tuple[str, int, str, str, int, Decimal, int]]:
    """(unit's path, year, kind, output unit, works, output, households) of the works the user may see
    under ``unit`` whose status is done, by the year of their planned completion (a work has no actual
    completion date): the records the works indicators are computed from, in one grouped query."""
    return list(
        work_list(user=user, unit=unit)
        .filter(status=WorkStatus.DONE, planned_end_date__year__in=years)
        .order_by()
        .values_list("unit__path", "planned_end_date__year", "kind", "output_unit")
        .annotate(works=Count("pk"), output=Sum("output_quantity"), households=Sum("households"))
    )


def support_by_household(
    *, user: User, unit: AdministrativeUnit, years: list[int]
) -> list[tuple[str, int, str, str, int]]:
    """(unit's path, year, kind, household code, amount) of the support under ``unit`` the user may count
    (aggregate viewers too: counts are not personal data, and only codes are read), in one grouped query:
    what the support indicators count (distinct households of each unit) and add up (dong)."""
    supports = access.restrict_for_figures(HouseholdSupport.objects.all(), user, "unit")
    return list(
        _under(supports, unit, "unit")
        .filter(year__in=years)
        .order_by()
        .values_list("unit__path", "year", "kind", "household_code")
        .annotate(amount=Sum("amount_vnd"))
    )
