"""Plans as the pages and the API read them: the plans of the units a user may see, each objective in its
place with its targets, and progress towards every target — one resolver for all the targets asked
(``figures.targets_progress``), so a plan of 21 objectives and 73 targets, or the list of every plan,
costs a fixed number of queries."""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.engine.indicators.targets import ProgressStatus
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import Objective, Plan, Target, UnitGroup
from vungcao.indicators.selectors.figures import TargetProgress, targets_progress


def _with_objectives(plans: QuerySet[Plan], user: User) -> QuerySet[Plan]:
    """``plans`` with their objectives in order and, in each, the targets the user may see (their units,
    groups and the groups' members fetched with them)."""
    targets = access.restrict_targets(Target.objects.select_related("unit", "group"), user).order_by(
        "indicator", "target_year", "pk"
    )
    return plans.prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("position", "pk")),
        Prefetch("objectives__targets", queryset=targets),
        "objectives__targets__group__members",
    )


def plan_list(*, user: User) -> list[Plan]:
    """The plans of the units the user may see, by unit and years, their objectives and targets fetched
    with them."""
    plans = access.restrict_by_unit(Plan.objects.select_related("unit"), user, "unit")
    return list(_with_objectives(plans, user))


def plan_get(*, user: User, plan_id: int) -> Plan:
    """A plan of a unit the user may see, with its objectives and targets; :class:`NotFoundError` else."""
    plans = access.restrict_by_unit(Plan.objects.select_related("unit").filter(pk=plan_id), user, "unit")
    plan = _with_objectives(plans, user).first()
    if plan is None:
        raise NotFoundError(f"plan {plan_id}")
    return plan


def plans_for_targets(*, user: User, unit: AdministrativeUnit | None) -> list[Plan]:
    """The plans of ``unit`` whose objectives may hold the targets the user sets for it, with their
    objectives in order; none when the user may not set the unit's targets."""
    if unit is None or not access.can_set_targets(user, unit):
        return []
    plans = Plan.objects.filter(unit=unit).select_related("unit")
    return list(
        plans.prefetch_related(Prefetch("objectives", queryset=Objective.objects.order_by("position")))
    )


def plans_for_place(*, user: User, era: str, unit_code: str, group_id: str) -> list[Plan]:
    """The plans whose objectives may hold a target of the unit ``unit_code`` of ``era`` or of the group
    ``group_id``: those of the unit, or of the group's owner (as the target form names them)."""
    if group_id:
        group = (
            UnitGroup.objects.select_related("owner").filter(pk=group_id).first()
            if group_id.isdigit() and len(group_id) < 19
            else None
        )
        unit = group.owner if group is not None else None
    else:
        unit = AdministrativeUnit.objects.filter(era=era or Era.CURRENT, code=unit_code).first()
    return plans_for_targets(user=user, unit=unit)


def objective_for_targets(*, user: User, objective_id: int) -> Objective | None:
    """An objective whose plan's unit the user sets targets for (its plan and unit read with it)."""
    objective = Objective.objects.select_related("plan__unit").filter(pk=objective_id).first()
    if objective is None or not access.can_set_targets(user, objective.plan.unit):
        return None
    return objective


def objective_get(*, user: User, objective_id: int) -> Objective:
    """An objective of a plan of a unit the user may see; :class:`NotFoundError` else."""
    objectives = access.restrict_by_unit(Objective.objects.select_related("plan"), user, "plan__unit")
    objective = objectives.filter(pk=objective_id).first()
    if objective is None:
        raise NotFoundError(f"objective {objective_id}")
    return objective


# Progress ----------------------------------------------------------------------------------------------


def status_counts(measured: Iterable[TargetProgress]) -> list[tuple[ProgressStatus, int]]:
    """How many targets are achieved, on track, behind and without data, in that order."""
    counted = Counter(one.progress.status for one in measured)
    return [(status, counted[status]) for status in ProgressStatus]


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: Objective
    targets: list[TargetProgress]

    @property
    def counts(self) -> list[tuple[ProgressStatus, int]]:
        return status_counts(self.targets)


@dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    objectives: list[ObjectiveProgress]

    @property
    def targets(self) -> list[TargetProgress]:
        return [measured for objective in self.objectives for measured in objective.targets]

    @property
    def counts(self) -> list[tuple[ProgressStatus, int]]:
        return status_counts(self.targets)


def plans_progress(
    *, user: User, plans: Sequence[Plan], today: datetime.date | None = None
) -> list[PlanProgress]:
    """Each of ``plans`` (read by :func:`plan_list` or :func:`plan_get`) with the progress of every target
    of each objective as of ``today``'s year, on the figures the user may see."""
    targets = [
        target for plan in plans for objective in plan.objectives.all() for target in objective.targets.all()
    ]
    measured = {one.target.pk: one for one in targets_progress(user=user, targets=targets, today=today)}
    return [
        PlanProgress(
            plan,
            [
                ObjectiveProgress(objective, [measured[target.pk] for target in objective.targets.all()])
                for objective in plan.objectives.all()
            ],
        )
        for plan in plans
    ]
