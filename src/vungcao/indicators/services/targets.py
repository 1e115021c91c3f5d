"""Targets (mục tiêu) of an indicator for a unit or a group of units: set, changed and removed by those who
set the targets of that unit, or of the group's owner (``accounts.access.can_set_targets``).

Setting and changing a target check the same fields in one place (:func:`_target_fields`) and refuse with
every problem by field name (:class:`IndicatorEntryRefused`), nothing written; a target the user may not
see is not found. A change or a removal locks the target's row first, so two officials changing one target
at the same moment are served one after the other, and a target removed meanwhile is not found (never
stored again). A target put under a plan's objective locks the plan's row before reading the objective, as
changing the plan's years or removing an objective does: the plan's years hold its targets' years, and an
objective removed meanwhile holds none.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.engine.indicators.targets import TargetKind
from vungcao.indicators.models import Objective, Plan, Target, UnitGroup
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.services import (
    UNKNOWN_INDICATOR,
    IndicatorEntryRefused,
    _lookup,
    _text,
    _unit,
    _value,
    _year,
    indicator_held,
)
from vungcao.programs.services.money import REQUIRED

NOT_ALLOWED_TARGETS = gettext_lazy("You may not set targets.")
UNKNOWN_TARGET_UNIT = gettext_lazy("No unit with this code that you may set targets for.")
UNKNOWN_GROUP = gettext_lazy("No group of units with this id that you may set targets for.")
UNIT_OR_GROUP = gettext_lazy("Give a unit_code or a group, not both.")
UNKNOWN_KIND = gettext_lazy("Unknown kind; use at_most, at_least or annual_change.")
TARGET_YEAR_NOT_AFTER_BASELINE = gettext_lazy("The target year must come after the baseline year.")
ZERO_ANNUAL_CHANGE = gettext_lazy("An annual change target must be a change: not 0.")
UNKNOWN_OBJECTIVE = gettext_lazy("No objective with this id in a plan of this unit.")
TARGET_OUTSIDE_PLAN = gettext_lazy(
    "The objective's plan runs from {first} to {last}: the target year must fall within it."
)


def _identifier(text: str) -> int:
    """A row's id as typed; 0 (no row) for anything but a whole number a column holds."""
    return int(text) if text.isdigit() and len(text) < 19 else 0


def _target_place(user: User, values: Mapping[str, object], errors: dict[str, str]) -> Target | None:
    """The unit or group asked, as an unsaved target of it (with its era); None with the problem noted."""
    group_id = _text(values, "group")
    if group_id:
        if _text(values, "unit_code"):
            errors["group"] = str(UNIT_OR_GROUP)
            return None
        # The group's row locked until the target is stored: a removal locks it first and then counts
        # its targets, so this target is either counted there or refused here, never a server error.
        groups = UnitGroup.objects.select_related("owner").select_for_update(of=("self",))
        group = groups.filter(pk=_identifier(group_id)).first()
        if group is None or not access.can_set_targets(user, group.owner):
            errors["group"] = str(UNKNOWN_GROUP)
            return None
        return Target(group=group, era=group.era)
    asked = _unit(values, errors)
    unit = _lookup(*asked) if asked else None
    if asked and (unit is None or not access.can_set_targets(user, unit)):
        errors["unit_code"] = str(UNKNOWN_TARGET_UNIT)
        return None
    return Target(unit=unit, era=unit.era) if unit is not None else None


def _objective(
    place: Target, objective_id: str, target_year: int | None, errors: dict[str, str]
) -> Objective | None:
    """The objective asked, of a plan of the target's unit (or its group's owner), that plan's row locked;
    None when none is asked, or with the problem noted."""
    if not objective_id:
        return None
    plans = Plan.objects.select_for_update(of=("self",))
    plan = plans.filter(unit=place.owner, objectives__pk=_identifier(objective_id)).first()
    objective = plan.objectives.filter(pk=_identifier(objective_id)).first() if plan is not None else None
    if plan is None or objective is None:  # the objective removed before its plan was locked
        errors["objective"] = str(UNKNOWN_OBJECTIVE)
        return None
    if target_year is not None and not plan.from_year <= target_year <= plan.to_year:
        outside = str(TARGET_OUTSIDE_PLAN).format(first=plan.from_year, last=plan.to_year)
        errors.setdefault("target_year", outside)
    return objective


def _target_fields(user: User, values: Mapping[str, object]) -> dict[str, object]:
    """The fields of a target as asked, every one checked; :class:`IndicatorEntryRefused` naming each
    problem otherwise."""
    errors: dict[str, str] = {}
    code = _text(values, "indicator")
    if code not in catalogue_for(user=user) or not indicator_held(code):
        errors["indicator"] = str(UNKNOWN_INDICATOR if code else REQUIRED)
    place = _target_place(user, values, errors)
    baseline_year = _year(values, "baseline_year", errors)
    target_year = _year(values, "target_year", errors)
    kind = _text(values, "kind")
    if kind not in {member.value for member in TargetKind}:
        errors["kind"] = str(UNKNOWN_KIND if kind else REQUIRED)
    value = _value(values, errors)
    if baseline_year is not None and target_year is not None and target_year <= baseline_year:
        errors["target_year"] = str(TARGET_YEAR_NOT_AFTER_BASELINE)
    if kind == TargetKind.ANNUAL_CHANGE and value == 0:
        errors["value"] = str(ZERO_ANNUAL_CHANGE)
    objective = (
        _objective(place, _text(values, "objective"), target_year, errors) if place is not None else None
    )
    if errors or place is None:
        raise IndicatorEntryRefused(errors)
    return {
        "indicator": code,
        "era": place.era,
        "unit": place.unit,
        "group": place.group,
        "baseline_year": baseline_year,
        "target_year": target_year,
        "kind": kind,
        "value": value,
        "objective": objective,
    }


@transaction.atomic
def target_create(*, user: User, values: Mapping[str, object]) -> Target:
    """A target for an indicator of a unit (or group): ``kind`` at_most / at_least a ``value`` by
    ``target_year``, or an annual_change of ``value`` a year from ``baseline_year``."""
    if not access.can_set_targets_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED_TARGETS))
    return Target.objects.create(**_target_fields(user, values), created_by=user)


def _changed_target(user: User, target_id: int) -> Target:
    """The target ``target_id``, its row locked, if the user may see it (:class:`NotFoundError` else, whether
    it exists or not) and set the targets of its place (:class:`PermissionDeniedError` else)."""
    targets = access.restrict_targets(Target.objects.select_related("unit", "group__owner"), user)
    target = targets.select_for_update(of=("self",)).filter(pk=target_id).first()
    if target is None:
        raise NotFoundError(f"target {target_id}")
    if not access.can_set_targets(user, target.owner):
        raise PermissionDeniedError(str(NOT_ALLOWED_TARGETS))
    return target


@transaction.atomic
def target_update(*, user: User, target_id: int, values: Mapping[str, object]) -> Target:
    """Change a target: every field given, checked as when a target is set (its unit or group, objective,
    years, kind and value may all change); who set it is kept."""
    target = _changed_target(user, target_id)
    for name, value in _target_fields(user, values).items():
        setattr(target, name, value)
    target.save()
    return target


@transaction.atomic
def target_delete(*, user: User, target_id: int) -> None:
    """Remove a target (nothing else refers to one)."""
    _changed_target(user, target_id).delete()
