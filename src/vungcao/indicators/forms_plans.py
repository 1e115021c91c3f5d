"""Forms of plans and their objectives: parsing only. Names, years and
positions go to the services as typed, which check every field and name each problem (as for the API)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.geo.models import Era
from vungcao.indicators.forms import UNIT_HELP, ServiceForm
from vungcao.indicators.models import Objective, Plan


class PlanForm(ServiceForm):
    name = forms.CharField(label=_("Name of the plan"), max_length=300)
    era = forms.ChoiceField(label=_("Era of the unit"), choices=Era.choices, initial=Era.CURRENT)
    unit_code = forms.CharField(label=_("Unit code"), max_length=60, help_text=UNIT_HELP)
    from_year = forms.CharField(label=_("First year"), max_length=4)
    to_year = forms.CharField(label=_("Last year"), max_length=4)


class PlanChangeForm(ServiceForm):
    name = forms.CharField(label=_("Name of the plan"), max_length=300)
    from_year = forms.CharField(label=_("First year"), max_length=4)
    to_year = forms.CharField(label=_("Last year"), max_length=4)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        initial = {"name": plan.name, "from_year": plan.from_year, "to_year": plan.to_year}
        super().__init__(*args, initial=initial, **kwargs)
        self.plan = plan

    def arguments(self) -> dict[str, object]:
        return {"plan_id": self.plan.pk, **super().arguments()}


class ObjectiveForm(ServiceForm):
    name = forms.CharField(label=_("Objective"), max_length=500)
    position = forms.CharField(
        label=_("Position"), max_length=4, help_text=_("1 for the first; empty for the end.")
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def arguments(self) -> dict[str, object]:
        return {"plan_id": self.plan.pk, **super().arguments()}


class ObjectiveChangeForm(ServiceForm):
    """A new name or a new position: only the fields sent are changed (a name sent empty is refused)."""

    name = forms.CharField(max_length=500)
    position = forms.CharField(max_length=4)

    def __init__(self, *args: Any, objective: Objective, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objective = objective

    def arguments(self) -> dict[str, object]:
        values = {name: value for name, value in self.cleaned_data.items() if name in self.data}
        return {"objective_id": self.objective.pk, "values": values}
