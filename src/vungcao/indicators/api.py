"""Indicators, their values and targets over the API; thin: parse, call a service or selector, return."""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ValidationInfo, field_validator

from vungcao.accounts import access
from vungcao.common.bounds import Id, Year
from vungcao.common.language import reader_language
from vungcao.common.pagination import BoundedLimitOffset
from vungcao.engine.indicators.definitions import FORMULA_OPS
from vungcao.engine.indicators.definitions import Indicator as Definition
from vungcao.engine.indicators.figures import rounded, summarise_provenance
from vungcao.geo.schemas import UnitCode
from vungcao.indicators.models import (
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ReportingPeriod,
    Target,
    UnitGroup,
)
from vungcao.indicators.schemas import (
    CompletenessOut,
    FigureOut,
    IndicatorChangeIn,
    IndicatorCode,
    IndicatorCreatedOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorValueChangeIn,
    IndicatorValueIn,
    IndicatorValueOut,
    ObjectiveIn,
    ObjectiveOut,
    PlanIn,
    PlanOut,
    ProgressOut,
    ReportingPeriodIn,
    ReportingPeriodOut,
    ShortText,
    TargetIn,
    TargetOut,
    UnitGroupChangeIn,
    UnitGroupIn,
    UnitGroupOut,
    json_number,
)
from vungcao.indicators.selectors import catalogue as catalogue_selectors
from vungcao.indicators.selectors import completeness as completeness_selectors
from vungcao.indicators.selectors import figures as figure_selectors
from vungcao.indicators.selectors import groups as group_selectors
from vungcao.indicators.selectors import plans as plan_selectors
from vungcao.indicators.services import (
    IndicatorEntryRefused,
    indicator_value_delete,
    indicator_value_enter,
    indicator_value_update,
    plans,
)
from vungcao.indicators.services.definitions import indicator_create, indicator_delete, indicator_update
from vungcao.indicators.services.groups import unit_group_create, unit_group_delete, unit_group_update
from vungcao.indicators.services.reporting_periods import reporting_period_create
from vungcao.indicators.services.targets import UNIT_OR_GROUP, target_create, target_delete, target_update
from vungcao.programs.schemas import RefusedOut

router = Router(tags=["indicators"])
FORMULA_NAMES = {formula: op for op, formula in FORMULA_OPS.items()}


def _shown(value: Decimal | None, decimals: int) -> int | float | None:
    return json_number(None if value is None else rounded(value, decimals))


def _indicator(definition: Definition, owners: dict[str, str]) -> dict[str, object]:
    formula = definition.formula
    return {
        "code": definition.code,
        "name": definition.name.in_language(reader_language()),
        "name_vi": definition.name.vi,
        "name_en": definition.name.en,
        "unit": definition.unit,
        "kind": definition.kind,
        "aggregation": definition.aggregation,
        "source": definition.source.in_language(reader_language()),
        "decimals": definition.shown_decimals,
        "minimum": json_number(definition.minimum),
        "maximum": json_number(definition.maximum),
        "direction": definition.direction,
        "accepts_entries": definition.accepts_entries,
        "formula": None
        if formula is None
        else {"op": FORMULA_NAMES[type(formula)], "reads": list(formula.references)},
        "owner": owners.get(definition.code),
    }


@router.get("/indicators", response=list[IndicatorOut], summary="The indicator catalogue")
@paginate(BoundedLimitOffset)
def indicator_list(request: HttpRequest) -> list[dict[str, object]]:
    """The shipped indicators and the provinces' own that the caller may see, in the catalogue's order."""
    user = access.request_user(request)
    own = catalogue_selectors.own_indicators(user=user)
    owners = {row.code: row.owner.code for row in own}
    return [_indicator(definition, owners) for definition in catalogue_selectors.catalogue_with(own)]


def _stored(value: IndicatorValue) -> dict[str, object]:
    return {
        "id": value.pk,
        "indicator": value.indicator,
        "era": value.unit.era,
        "unit_code": value.unit.code,
        "year": value.year,
        "value": json_number(value.value),
        "note": value.note,
        "entered_by": value.entered_by.username if value.entered_by else None,
        "updated_at": value.updated_at.isoformat(),
    }


@router.post(
    "/indicator-values",
    response={201: IndicatorValueOut, 422: RefusedOut},
    summary="Enter an indicator's value for a unit and year",
)
def indicator_value_enter_endpoint(request: HttpRequest, payload: IndicatorValueIn) -> Status[object]:
    """Entered again for the same indicator, unit and year, the value is replaced (who and when kept)."""
    try:
        stored = indicator_value_enter(user=access.request_user(request), values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, _stored(stored))


@router.put(
    "/indicator-values/{value_id}",
    response={200: IndicatorValueOut, 422: RefusedOut},
    summary="Correct an entered value",
)
def indicator_value_update_endpoint(
    request: HttpRequest, value_id: Id, payload: IndicatorValueChangeIn
) -> Status[object]:
    """Its number and note, checked as when it was entered; its indicator, unit and year stay."""
    try:
        stored = indicator_value_update(
            user=access.request_user(request), value_id=value_id, values=payload.dict()
        )
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(200, _stored(stored))


@router.delete("/indicator-values/{value_id}", response={204: None}, summary="Remove an entered value")
def indicator_value_delete_endpoint(request: HttpRequest, value_id: Id) -> Status[None]:
    """The figures it made are made again without it (from the system's records where there are some)."""
    indicator_value_delete(user=access.request_user(request), value_id=value_id)
    return Status(204, None)


class FigureFilter(Schema):
    indicator: ShortText
    era: Literal["current", "pre2025"] = "current"
    unit_code: UnitCode | Literal[""] = ""
    group: Id | None = Field(None, description="a group of units, in place of unit_code (see /unit-groups)")
    from_year: Year
    to_year: Year
    children: bool = False

    @field_validator("group")
    @classmethod
    def unit_or_group(cls, group: int | None, info: ValidationInfo) -> int | None:
        if group is not None and info.data.get("unit_code"):
            raise ValueError(str(UNIT_OR_GROUP))
        return group


@router.get("/indicator-values", response=list[FigureOut], summary="An indicator's figures over the years")
@paginate(BoundedLimitOffset)
def indicator_figures(request: HttpRequest, filters: Query[FigureFilter]) -> list[dict[str, object]]:
    """The figure of the unit in each year, made of everything under it and across the crosswalk (the
    whole country without a unit, for national users); with ``children``, the units directly under it
    too. For a ``group``, its members' figures combined (counts summed, rates recomputed from the summed
    parts; its unit_code is ``group:<id>``), and with ``children`` each member. A figure that cannot be
    made is null with the reason, in the reader's language."""
    user = access.request_user(request)
    years = figure_selectors.years_between(filters.from_year, filters.to_year)
    group = (
        group_selectors.unit_group_get(user=user, group_id=filters.group)
        if filters.group is not None
        else None
    )
    unit = (
        figure_selectors.figures_unit_get(user=user, era=filters.era, unit_code=filters.unit_code)
        if group is None
        else None
    )
    found = figure_selectors.indicator_figures(
        user=user,
        indicator_codes=[filters.indicator],
        unit=unit,
        group=group,
        years=years,
        children=filters.children,
    )
    decimals = found.catalogue.get(filters.indicator).shown_decimals
    items = []
    for row in found.rows:
        for year in found.years:
            figure = row.figures[(filters.indicator, year)]
            summary = summarise_provenance(figure.contributions)
            items.append(
                {
                    "indicator": filters.indicator,
                    "era": row.unit.era,
                    "unit_code": row.unit.code,
                    "unit_name": row.name,
                    "year": year,
                    "value": _shown(figure.value, decimals),
                    "reason": found.reason(figure),
                    "provenance": {
                        "units": summary.units,
                        "eras": list(summary.eras),
                        "years": list(summary.years),
                        "entered": summary.entered,
                        "records": summary.records,
                    },
                }
            )
    return items


def _target(target: Target) -> dict[str, object]:
    return {
        "id": target.pk,
        "indicator": target.indicator,
        "era": target.era,
        "unit_code": target.unit.code if target.unit else None,
        "group": target.group_id,
        "baseline_year": target.baseline_year,
        "target_year": target.target_year,
        "kind": target.kind,
        "value": json_number(target.value),
    }


@router.post("/targets", response={201: TargetOut, 422: RefusedOut}, summary="Set a target")
def target_create_endpoint(request: HttpRequest, payload: TargetIn) -> Status[object]:
    try:
        target = target_create(user=access.request_user(request), values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, _target(target))


@router.put("/targets/{target_id}", response={200: TargetOut, 422: RefusedOut}, summary="Change a target")
def target_update_endpoint(request: HttpRequest, target_id: Id, payload: TargetIn) -> Status[object]:
    """Every field, as when the target was set, checked the same way; by those who may set it."""
    try:
        target = target_update(user=access.request_user(request), target_id=target_id, values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(200, _target(target))


@router.delete("/targets/{target_id}", response={204: None}, summary="Remove a target")
def target_delete_endpoint(request: HttpRequest, target_id: Id) -> Status[None]:
    target_delete(user=access.request_user(request), target_id=target_id)
    return Status(204, None)


SHARE_DECIMALS = 4


@router.get("/targets/{target_id}/progress", response=ProgressOut, summary="Progress towards a target")
def target_progress(request: HttpRequest, target_id: Id) -> dict[str, object]:
    """Baseline, latest value, average annual change, status, the year first reached and the years
    ahead of the target year, on the figures the caller may see."""
    user = access.request_user(request)
    measured = figure_selectors.target_progress(
        user=user, target=figure_selectors.target_get(user=user, target_id=target_id)
    )
    target, progress = measured.target, measured.progress
    return {
        "target": target.pk,
        "indicator": target.indicator,
        "kind": target.kind,
        "baseline_year": target.baseline_year,
        "target_year": target.target_year,
        "target_value": json_number(target.value),
        "baseline_value": json_number(measured.baseline_shown),
        "latest_year": progress.latest_year,
        "latest_value": json_number(measured.latest_shown),
        "average_annual_change": json_number(measured.average_change_shown),
        "share_achieved": _shown(progress.share_achieved, SHARE_DECIMALS),
        "status": progress.status,
        "achieved_year": progress.achieved_year,
        "years_ahead": progress.years_ahead,
        "slipped": progress.slipped,
    }


def _period(period: ReportingPeriod) -> dict[str, object]:
    return {
        "id": period.pk,
        "subject": period.subject,
        "indicator": period.indicator or None,
        "year": period.year,
        "level": period.level,
        "era": period.era,
        "owner_code": period.owner.code if period.owner else None,
        "deadline": period.deadline.isoformat(),
        "source": period.source,
    }


@router.post(
    "/reporting-periods",
    response={201: ReportingPeriodOut, 422: RefusedOut},
    summary="Open a reporting period",
)
def reporting_period_create_endpoint(request: HttpRequest, payload: ReportingPeriodIn) -> Status[object]:
    """Without a deadline, the reporting calendar's (with its source) is taken."""
    try:
        period = reporting_period_create(user=access.request_user(request), values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, _period(period))


@router.get("/reporting-periods", response=list[ReportingPeriodOut], summary="Reporting periods")
@paginate(BoundedLimitOffset)
def reporting_period_list(request: HttpRequest) -> list[dict[str, object]]:
    """The periods of the caller's province (and the national ones for a province), latest year first."""
    periods = completeness_selectors.reporting_period_list(user=access.request_user(request))
    return [_period(period) for period in periods]


@router.get(
    "/reporting-periods/{period_id}/completeness",
    response=CompletenessOut,
    summary="Who has reported in a period",
)
def reporting_period_completeness(request: HttpRequest, period_id: Id) -> dict[str, object]:
    """Every unit expected to report that the caller may open, with its status as of today, and counts."""
    user = access.request_user(request)
    found = completeness_selectors.period_completeness(
        user=user, period=completeness_selectors.reporting_period_get(user=user, period_id=period_id)
    )
    return {
        "period": _period(found.period),
        "today": found.today.isoformat(),
        "counts": {str(status): count for status, count in found.counts.items()},
        "units": [
            {
                "unit_code": row.unit.code,
                "unit_name": row.unit.name,
                "status": str(row.status),
                "reported_on": row.reported_on.isoformat() if row.reported_on else None,
            }
            for row in found.rows
        ],
    }


# Plans and their objectives ------------------------------------------------------------------------------


def _plan(plan: Plan) -> dict[str, object]:
    return {
        "id": plan.pk,
        "name": plan.name,
        "era": plan.unit.era,
        "unit_code": plan.unit.code,
        "unit_name": plan.unit.name,
        "from_year": plan.from_year,
        "to_year": plan.to_year,
        "objectives": [_objective(objective) for objective in plan.objectives.all()],
    }


def _objective(objective: Objective) -> dict[str, object]:
    return {
        "id": objective.pk,
        "name": objective.name,
        "position": objective.position,
        "targets": [target.pk for target in objective.targets.all()],
    }


@router.get("/plans", response=list[PlanOut], summary="Plans and their objectives")
@paginate(BoundedLimitOffset)
def plan_list(request: HttpRequest) -> list[dict[str, object]]:
    """The plans of the units the caller may see, each objective in its place with the ids of its targets
    (progress: ``/targets/{target_id}/progress``)."""
    return [_plan(plan) for plan in plan_selectors.plan_list(user=access.request_user(request))]


@router.post("/plans", response={201: PlanOut, 422: RefusedOut}, summary="Make a plan")
def plan_create_endpoint(request: HttpRequest, payload: PlanIn) -> Status[object]:
    """A plan of a unit the caller sets targets for, over ``from_year`` … ``to_year``."""
    user = access.request_user(request)
    try:
        plan = plans.plan_create(user=user, values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, _plan(plan_selectors.plan_get(user=user, plan_id=plan.pk)))


@router.post(
    "/plans/{plan_id}/objectives",
    response={201: ObjectiveOut, 422: RefusedOut},
    summary="Add an objective to a plan",
)
def objective_create_endpoint(request: HttpRequest, plan_id: Id, payload: ObjectiveIn) -> Status[object]:
    """At the end, or at ``position`` (the objectives from there move down by one)."""
    try:
        objective = plans.objective_create(
            user=access.request_user(request), plan_id=plan_id, values=payload.dict()
        )
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, _objective(objective))


# A province's own indicators and groups of units ---------------------------------------------------------


@router.post(
    "/indicators",
    response={201: IndicatorCreatedOut, 422: RefusedOut},
    summary="Define a province's own indicator",
)
def indicator_create_endpoint(request: HttpRequest, payload: IndicatorIn) -> Status[object]:
    """Entered or derived (by a formula over the indicators the province sees), checked by the catalogue's
    rules; then listed, entered and targeted like any other, in that province and nationally."""
    try:
        row = indicator_create(user=access.request_user(request), values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, _own_indicator(row))


def _own_indicator(row: Indicator) -> dict[str, object]:
    """A province's own indicator as stored (stored only when the catalogue reads it without a problem)."""
    definition, _problems = catalogue_selectors.indicator_definition(row)
    assert definition is not None
    return {**_indicator(definition, {row.code: row.owner.code}), "owner_name": row.owner.name}


@router.put(
    "/indicators/{code}",
    response={200: IndicatorCreatedOut, 422: RefusedOut},
    summary="Change a province's own indicator",
)
def indicator_update_endpoint(
    request: HttpRequest, code: IndicatorCode, payload: IndicatorChangeIn
) -> Status[object]:
    """Every field but its code and province, checked as when it was defined; its kind and formula stay
    while values, targets or reporting periods use it."""
    try:
        row = indicator_update(user=access.request_user(request), code=code, values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(200, _own_indicator(row))


@router.delete(
    "/indicators/{code}", response={204: None, 422: RefusedOut}, summary="Remove a province's own indicator"
)
def indicator_delete_endpoint(request: HttpRequest, code: IndicatorCode) -> Status[object]:
    """Refused, naming them, while values, targets, reporting periods or other indicators' formulas use it."""
    try:
        indicator_delete(user=access.request_user(request), code=code)
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(204, None)


def _group(group: UnitGroup) -> dict[str, object]:
    return {
        "id": group.pk,
        "name": group.name,
        "era": group.era,
        "owner_code": group.owner.code,
        "owner_name": group.owner.name,
        "member_codes": [member.code for member in group.members.all()],
    }


@router.get("/unit-groups", response=list[UnitGroupOut], summary="Groups of units")
@paginate(BoundedLimitOffset)
def unit_group_list(request: HttpRequest) -> list[dict[str, object]]:
    """The groups of the provinces the caller may see, by province and name; their figures are
    /indicator-values?group=<id>."""
    return [_group(group) for group in group_selectors.unit_group_list(user=access.request_user(request))]


@router.post("/unit-groups", response={201: UnitGroupOut, 422: RefusedOut}, summary="Define a group of units")
def unit_group_create_endpoint(request: HttpRequest, payload: UnitGroupIn) -> Status[object]:
    """Units of one era under the province (or in its history), none inside another."""
    user = access.request_user(request)
    try:
        group = unit_group_create(user=user, values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, _group(group_selectors.unit_group_get(user=user, group_id=group.pk)))


@router.put(
    "/unit-groups/{group_id}",
    response={200: UnitGroupOut, 422: RefusedOut},
    summary="Change a group of units",
)
def unit_group_update_endpoint(
    request: HttpRequest, group_id: Id, payload: UnitGroupChangeIn
) -> Status[object]:
    """Its name and every member, checked as when it was made; its targets are measured on its new members."""
    user = access.request_user(request)
    try:
        group = unit_group_update(user=user, group_id=group_id, values=payload.dict())
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(200, _group(group_selectors.unit_group_get(user=user, group_id=group.pk)))


@router.delete(
    "/unit-groups/{group_id}", response={204: None, 422: RefusedOut}, summary="Remove a group of units"
)
def unit_group_delete_endpoint(request: HttpRequest, group_id: Id) -> Status[object]:
    """Refused while targets are set for it."""
    try:
        unit_group_delete(user=access.request_user(request), group_id=group_id)
    except IndicatorEntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(204, None)
