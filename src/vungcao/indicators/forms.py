"""Forms of the indicator pages: parsing only. Values, years and codes go to the services as typed
(``indicator_value_enter`` and ``target_create`` check every field, as they do for the API), so a
number is read as officials write it (1.500,5) and every refusal is the service's."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vungcao.common.language import reader_language
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.targets import TargetKind
from vungcao.geo.models import Era
from vungcao.indicators.models import Plan, UnitGroup
from vungcao.programs.forms.activities import EntryForm
from vungcao.programs.forms.money import set_choices

UNIT_HELP = _("The official code of the unit, e.g. 22 for Quảng Ninh.")


def indicator_choices(catalogue: Catalogue, *, enterable: bool = False) -> list[tuple[str, str]]:
    """The catalogue's indicators as choices, named in the reader's language (with their unit)."""
    language = reader_language()
    return [
        (
            indicator.code,
            f"{indicator.name.in_language(language)} ({indicator.unit.label.in_language(language)})",
        )
        for indicator in catalogue
        if indicator.accepts_entries or not enterable
    ]


class ServiceForm(EntryForm):
    """A form whose cleaned fields are the service's ``values``, blanks left out: no field is required
    here, so that the service names every missing or bad field at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def arguments(self) -> dict[str, object]:
        return {
            "values": {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        }


class IndicatorValueForm(ServiceForm):
    indicator = forms.ChoiceField(label=_("Indicator"))
    era = forms.ChoiceField(label=_("Era of the unit"), choices=Era.choices, initial=Era.CURRENT)
    unit_code = forms.CharField(label=_("Unit code"), max_length=60, help_text=UNIT_HELP)
    year = forms.CharField(label=_("Year"), max_length=4)
    value = forms.CharField(label=_("Value"), max_length=40, help_text=_("As you write it: 1.500 or 22,29."))
    note = forms.CharField(label=_("Note or source"), max_length=500, required=False)

    def __init__(self, *args: Any, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "indicator", indicator_choices(catalogue, enterable=True))


class TargetForm(ServiceForm):
    indicator = forms.ChoiceField(label=_("Indicator"))
    era = forms.ChoiceField(label=_("Era of the unit"), choices=Era.choices, initial=Era.CURRENT)
    unit_code = forms.CharField(label=_("Unit code"), max_length=60, required=False, help_text=UNIT_HELP)
    group = forms.ChoiceField(label=_("Or a group of units"), required=False)
    baseline_year = forms.CharField(label=_("Baseline year"), max_length=4)
    target_year = forms.CharField(label=_("Target year"), max_length=4)
    kind = forms.ChoiceField(label=_("Kind of target"))
    value = forms.CharField(
        label=_("Value"),
        max_length=40,
        help_text=_("The level to reach, or the change a year (e.g. -3 for 3 points less a year)."),
    )
    objective = forms.CharField(
        label=_("Objective of a plan"),
        max_length=20,
        widget=forms.Select,
        help_text=_("The objectives of the plans of the unit, or of the group's owner."),
    )

    def __init__(
        self,
        *args: Any,
        catalogue: Catalogue,
        groups: list[UnitGroup],
        plans: Iterable[Plan] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        language = reader_language()
        set_choices(self, "indicator", indicator_choices(catalogue))
        set_choices(self, "group", [("", "—"), *((str(group.pk), group.name) for group in groups)])
        set_choices(self, "kind", [(kind.value, kind.label.in_language(language)) for kind in TargetKind])
        objective = self.fields["objective"].widget
        assert isinstance(objective, forms.Select)
        objective.choices = objective_choices(plans)
        # The objectives offered follow the unit or group chosen.
        refreshed_on_change(
            self, ("era", "unit_code", "group"), "indicators:target-objectives", "id_objective", "objective"
        )


def refreshed_on_change(form: forms.Form, names: Iterable[str], view: str, target: str, *kept: str) -> None:
    """When one of the fields ``names`` changes, htmx asks ``view`` with their values (and those of
    ``kept``) for the element ``target`` again, and puts the answer in its place."""
    names = [name for name in names if name in form.fields]
    refresh = {
        "hx-get": reverse(view),
        "hx-trigger": "change",
        "hx-target": f"#{target}",
        "hx-swap": "outerHTML",
        "hx-include": ",".join(f"[name={name}]" for name in (*names, *kept)),
    }
    for name in names:
        form.fields[name].widget.attrs.update(refresh)


def objective_choices(plans: Iterable[Plan]) -> list[Any]:
    """The objectives of ``plans`` as choices grouped by plan (named with its years), each in its place."""
    return [
        ("", "—"),
        *(
            (
                f"{plan.name} ({plan.from_year}–{plan.to_year})",
                [
                    (str(objective.pk), f"{objective.position}. {objective.name}")
                    for objective in plan.objectives.all()
                ],
            )
            for plan in plans
        ),
    ]


class ExplorerForm(forms.Form):
    """The explorer's question; anything left out takes its default (see the view)."""

    indicator = forms.CharField(required=False, max_length=60)
    era = forms.ChoiceField(required=False, choices=Era.choices)
    unit = forms.CharField(required=False, max_length=60)
    from_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    to_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    pivot = forms.BooleanField(required=False)
