"""Plans (kế hoạch) and their objectives (nhóm mục tiêu): a unit's plan over a period, its objectives in
order, each holding targets (a province's action programme of 21 target groups and 73 tasks fits).

Each write checks every field at once and refuses with all the problems by field name
(:class:`IndicatorEntryRefused`), nothing written. Who may make or change a plan is who may set the
targets of its unit (``accounts.access.can_set_targets``); a plan the user may not see is not found.

Objectives keep the positions 1, 2, 3 … of their plan. A write that places or removes one locks the
plan's row first, then renumbers its objectives, so two officials adding an objective at the same moment
both succeed, one after the other, at distinct positions.
"""

from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import column_length
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.engine.numbers import NumberError, parse_integer
from vungcao.indicators.models import Objective, Plan, Target
from vungcao.indicators.services import IndicatorEntryRefused, _check_text, _lookup, _text, _unit, _year
from vungcao.programs.services.money import REQUIRED

NOT_ALLOWED_PLANS = gettext_lazy("You may not make or change plans.")
UNKNOWN_PLAN_UNIT = gettext_lazy("No unit with this code that you may make plans for.")
PERIOD_REVERSED = gettext_lazy("The last year must not come before the first year.")
DUPLICATE_PLAN = gettext_lazy("This unit already has a plan with this name over these years.")
TARGETS_OUTSIDE_PERIOD = gettext_lazy("Targets of this plan fall due in {years}, outside these years.")
DUPLICATE_OBJECTIVE = gettext_lazy("This plan already has an objective with this name.")
BAD_POSITION = gettext_lazy("A position from 1 to {last} is required.")
TOO_MANY_OBJECTIVES = gettext_lazy("A plan holds at most {most} objectives.")
OBJECTIVE_HOLDS_TARGETS = gettext_lazy(
    "This objective holds targets: only an objective without targets can be removed."
)

MOST_OBJECTIVES = 200
"""Far beyond a real plan (Quảng Ninh's action programme has 21 target groups); it bounds the positions
a renumbering sets aside (see :func:`_renumber`)."""


# Plans -------------------------------------------------------------------------------------------------


def _visible_plan(user: User, plan_id: int, *, lock: bool = False) -> Plan:
    """The plan ``plan_id`` if the user may see it (locked for the transaction with ``lock``), else
    :class:`NotFoundError`; :class:`PermissionDeniedError` when the user may see but not change it."""
    plans = access.restrict_by_unit(Plan.objects.select_related("unit"), user, "unit")
    if lock:
        plans = plans.select_for_update(of=("self",))
    plan = plans.filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundError(f"plan {plan_id}")
    if not access.can_set_targets(user, plan.unit):
        raise PermissionDeniedError(str(NOT_ALLOWED_PLANS))
    return plan


def _plan_fields(values: Mapping[str, object], errors: dict[str, str]) -> tuple[str, int | None, int | None]:
    """The name and the first and last years asked (None where refused, the problem noted)."""
    name = _check_text(values, "name", column_length(Plan, "name"), errors)
    if not name:
        errors["name"] = str(REQUIRED)
    from_year = _year(values, "from_year", errors)
    to_year = _year(values, "to_year", errors)
    if from_year is not None and to_year is not None and to_year < from_year:
        errors["to_year"] = str(PERIOD_REVERSED)
    return name, from_year, to_year


def _save(plan: Plan) -> Plan:
    """Store ``plan``, refused when its unit has a plan of the same name and years — one stored meanwhile
    by another official too (the unique constraint)."""
    same = Plan.objects.filter(unit=plan.unit, name=plan.name, from_year=plan.from_year, to_year=plan.to_year)
    if same.exclude(pk=plan.pk).exists():
        raise IndicatorEntryRefused({"name": str(DUPLICATE_PLAN)})
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:
        raise IndicatorEntryRefused({"name": str(DUPLICATE_PLAN)}) from error
    return plan


@transaction.atomic
def plan_create(*, user: User, values: Mapping[str, object]) -> Plan:
    """A plan ``name`` of the unit ``unit_code`` (of ``era``) from ``from_year`` to ``to_year``."""
    if not access.can_set_targets_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED_PLANS))
    errors: dict[str, str] = {}
    asked = _unit(values, errors)
    unit = _lookup(*asked) if asked else None
    if asked and (unit is None or not access.can_set_targets(user, unit)):
        errors["unit_code"] = str(UNKNOWN_PLAN_UNIT)
    name, from_year, to_year = _plan_fields(values, errors)
    if errors:
        raise IndicatorEntryRefused(errors)
    assert unit is not None
    assert from_year is not None
    assert to_year is not None
    return _save(Plan(name=name, unit=unit, from_year=from_year, to_year=to_year))


def _targets_outside(plan: Plan, from_year: int, to_year: int, errors: dict[str, str]) -> None:
    """Note under the year each would change the years of ``plan``'s targets falling outside
    ``from_year``–``to_year``."""
    years = sorted(
        set(Target.objects.filter(objective__plan=plan).values_list("target_year", flat=True))
        - set(range(from_year, to_year + 1))
    )
    for name, outside in (
        ("from_year", [year for year in years if year < from_year]),
        ("to_year", [year for year in years if year > to_year]),
    ):
        if outside:
            errors[name] = str(TARGETS_OUTSIDE_PERIOD).format(years=", ".join(map(str, outside)))


@transaction.atomic
def plan_update(*, user: User, plan_id: int, values: Mapping[str, object]) -> Plan:
    """Rename ``plan_id`` or change its years (``name``, ``from_year``, ``to_year``, all given): the years
    must still hold the target year of each of its targets."""
    plan = _visible_plan(user, plan_id, lock=True)
    errors: dict[str, str] = {}
    name, from_year, to_year = _plan_fields(values, errors)
    if from_year is not None and to_year is not None and not {"from_year", "to_year"} & errors.keys():
        _targets_outside(plan, from_year, to_year, errors)
    if errors:
        raise IndicatorEntryRefused(errors)
    assert from_year is not None
    assert to_year is not None
    plan.name, plan.from_year, plan.to_year = name, from_year, to_year
    return _save(plan)


# Objectives --------------------------------------------------------------------------------------------


def _objectives(plan: Plan) -> list[Objective]:
    """The plan's objectives in order, each knowing its plan."""
    return list(plan.objectives.order_by("position", "pk"))


def _renumber(plan: Plan, ordered: Sequence[Objective]) -> None:
    """Store ``ordered`` (the plan's objectives, a new one unsaved) at the positions 1, 2, 3 … The
    unique constraint on the position is checked row by row, so every stored position is first moved
    above all of them; then each row takes its place without ever meeting another."""
    stored = [objective for objective in ordered if objective.pk is not None]
    highest = max((objective.position for objective in stored), default=0)
    Objective.objects.filter(plan=plan).update(position=F("position") + max(highest, len(ordered)))
    for position, objective in enumerate(ordered, start=1):
        objective.position = position
    Objective.objects.bulk_update(stored, ["position"])
    for objective in ordered:
        if objective.pk is None:
            objective.save()


def _objective_name(values: Mapping[str, object], others: Sequence[Objective], errors: dict[str, str]) -> str:
    name = _check_text(values, "name", column_length(Objective, "name"), errors)
    if not name:
        errors["name"] = str(REQUIRED)
    elif any(other.name.casefold() == name.casefold() for other in others):
        errors["name"] = str(DUPLICATE_OBJECTIVE)
    return name


def _position(values: Mapping[str, object], last: int, errors: dict[str, str]) -> int | None:
    """The position asked, 1 … ``last``; None when none is (the problem noted when it is refused)."""
    if not _text(values, "position"):
        return None
    try:
        position = parse_integer(values.get("position"), maximum=last)
    except NumberError:
        position = 0
    if position < 1:
        errors["position"] = str(BAD_POSITION).format(last=last)
        return None
    return position


@transaction.atomic
def objective_create(*, user: User, plan_id: int, values: Mapping[str, object]) -> Objective:
    """An objective ``name`` of the plan, at the end or at ``position`` (those from there move down)."""
    plan = _visible_plan(user, plan_id, lock=True)
    objectives = _objectives(plan)
    errors: dict[str, str] = {}
    name = _objective_name(values, objectives, errors)
    position = _position(values, len(objectives) + 1, errors)
    if len(objectives) >= MOST_OBJECTIVES:
        errors["plan"] = str(TOO_MANY_OBJECTIVES).format(most=MOST_OBJECTIVES)
    if errors:
        raise IndicatorEntryRefused(errors)
    objective = Objective(plan=plan, name=name)
    place = len(objectives) if position is None else position - 1
    _renumber(plan, [*objectives[:place], objective, *objectives[place:]])
    return objective


def _changed_objective(user: User, objective_id: int) -> tuple[Objective, list[Objective]]:
    """The objective (of a plan the user may change, its plan locked) and every objective of its plan."""
    plan_id = Objective.objects.filter(pk=objective_id).values_list("plan_id", flat=True).first()
    plan = _visible_plan(user, plan_id or 0, lock=True)
    objectives = _objectives(plan)
    objective = next((one for one in objectives if one.pk == objective_id), None)
    if objective is None:  # removed meanwhile, before the plan was locked
        raise NotFoundError(f"objective {objective_id}")
    return objective, objectives


@transaction.atomic
def objective_update(*, user: User, objective_id: int, values: Mapping[str, object]) -> Objective:
    """Rename an objective (``name``) or move it to ``position`` (those between move by one); a field
    left out stays as it is."""
    objective, objectives = _changed_objective(user, objective_id)
    errors: dict[str, str] = {}
    name = objective.name
    if "name" in values:
        others = [one for one in objectives if one.pk != objective.pk]
        name = _objective_name(values, others, errors)
    position = _position(values, len(objectives), errors)
    if errors:
        raise IndicatorEntryRefused(errors)
    if name != objective.name:
        objective.name = name
        objective.save(update_fields=["name", "updated_at"])
    if position is not None and position != objective.position:
        others = [one for one in objectives if one.pk != objective.pk]
        _renumber(objective.plan, [*others[: position - 1], objective, *others[position - 1 :]])
    return objective


@transaction.atomic
def objective_delete(*, user: User, objective_id: int) -> Plan:
    """Remove an objective that holds no target; those after it move up. The plan it was in."""
    objective, objectives = _changed_objective(user, objective_id)
    if Target.objects.filter(objective=objective).exists():
        raise IndicatorEntryRefused({"objective": str(OBJECTIVE_HOLDS_TARGETS)})
    plan = objective.plan
    remaining = [one for one in objectives if one.pk != objective.pk]
    objective.delete()
    _renumber(plan, remaining)
    return plan
