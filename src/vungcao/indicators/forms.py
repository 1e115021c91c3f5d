"""Forms of the indicator pages: parsing only. Values, years and codes go to the services as typed
(``indicator_value_enter`` and ``target_create`` check every field, as they do for the API), so a
number is read as officials write it (1.500,5) and every refusal is the service's."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vungcao.common.language import reader_language
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.definitions import FORMULA_OP_LABELS, Aggregation, Direction, MeasureUnit
from vungcao.engine.indicators.formulas import PARTS
from vungcao.engine.indicators.targets import TargetKind
from vungcao.engine.numbers import format_unambiguous_number
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import OWN_KINDS, Indicator, IndicatorValue, Labelled, Plan, Target, UnitGroup
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


class IndicatorValueChangeForm(ServiceForm):
    """An entered value corrected: its number and note (its indicator, unit and year stay)."""

    value = IndicatorValueForm.base_fields["value"]
    note = IndicatorValueForm.base_fields["note"]

    def __init__(self, *args: Any, stored: IndicatorValue, **kwargs: Any) -> None:
        initial = {"value": format_unambiguous_number(stored.value, reader_language()), "note": stored.note}
        super().__init__(*args, initial=initial, **kwargs)
        self.stored = stored

    def arguments(self) -> dict[str, object]:
        return {"value_id": self.stored.pk, **super().arguments()}


class TargetForm(ServiceForm):
    """A new target, or a stored ``target`` changed (every field sent again, as when it was set)."""

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
        target: Target | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
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

    def arguments(self) -> dict[str, object]:
        arguments = super().arguments()
        return arguments if self.target is None else {"target_id": self.target.pk, **arguments}


def target_initial(target: Target) -> dict[str, object]:
    """A stored target as its form first shows it, its value written as the reader writes numbers."""
    return {
        "indicator": target.indicator,
        "era": target.era,
        "unit_code": target.unit.code if target.unit is not None else "",
        "group": str(target.group_id or ""),
        "baseline_year": target.baseline_year,
        "target_year": target.target_year,
        "kind": target.kind,
        "value": format_unambiguous_number(target.value, reader_language()),
        "objective": str(target.objective_id or ""),
    }


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


# A province's own indicators and groups of units ----------------------------------------------------

FORMULA_PREFIX = "formula_"
NO_CHOICE = ("", "—")


def _labelled(members: Iterable[Labelled], language: str) -> list[tuple[str, str]]:
    return [(member.value, member.label.in_language(language)) for member in members]


class ProvinceIndicatorForm(ServiceForm):
    """A province's own indicator; its formula from the fields of its op (``formula_numerator`` …), each
    given to the service as the formula's part (``formula.numerator``), whose refusal comes back under it.
    For a stored ``row`` changed, its fields as stored, without its code and province (which stay)."""

    province_code = forms.ChoiceField(label=_("Province"))
    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_(
            "Lower-case letters without diacritics, digits and underscores, beginning with a letter: the "
            "API and imports name the indicator by it."
        ),
    )
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300)
    unit = forms.ChoiceField(label=_("Unit of measure"))
    kind = forms.ChoiceField(label=_("Where its values come from"))
    formula_op = forms.ChoiceField(
        label=_("Formula"),
        help_text=_("For a derived indicator: how it is made of other indicators of the same unit and year."),
    )
    formula_numerator = forms.ChoiceField(label=_("Numerator"))
    formula_denominator = forms.ChoiceField(label=_("Denominator"))
    formula_scale = forms.CharField(
        label=_("Multiplied by"), max_length=20, initial="100", help_text=_("100 for a rate in per cent.")
    )
    formula_terms = forms.MultipleChoiceField(
        label=_("The indicators added up"), help_text=_("Choose two or more (on a computer, hold Ctrl).")
    )
    formula_minuend = forms.ChoiceField(label=_("The indicator subtracted from"))
    formula_subtrahend = forms.ChoiceField(label=_("The indicator subtracted"))
    formula_of = forms.ChoiceField(label=_("The indicator compared with the year before"))
    aggregation = forms.ChoiceField(
        label=_("Over several units"),
        help_text=_(
            "Counts and amounts are added up; a derived indicator is recomputed from its parts; a value "
            "entered without its parts (a mean, a rate) cannot be combined."
        ),
    )
    source = forms.CharField(
        label=_("Source"), max_length=500, help_text=_("The document that sets it, e.g. Nghị quyết 06-NQ/TU.")
    )
    decimals = forms.CharField(label=_("Decimals shown"), max_length=2)
    minimum = forms.CharField(label=_("Smallest value allowed"), max_length=40)
    maximum = forms.CharField(label=_("Largest value allowed"), max_length=40)
    direction = forms.ChoiceField(label=_("Better when"))
    description_vi = forms.CharField(
        label=_("Description (Vietnamese)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        catalogue: Catalogue,
        provinces: list[AdministrativeUnit] | None,
        row: Indicator | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        language = reader_language()
        self.row = row
        if row is not None:
            del self.fields["code"]
            self.initial = _stored_indicator(row, language)
        if provinces is None or row is not None:  # the user's own province, or the indicator's
            del self.fields["province_code"]
        else:
            set_choices(self, "province_code", [NO_CHOICE, *((unit.code, unit.name) for unit in provinces)])
        set_choices(self, "unit", _labelled(MeasureUnit, language))
        set_choices(self, "kind", _labelled(OWN_KINDS, language))
        set_choices(self, "aggregation", _labelled(Aggregation, language))
        set_choices(self, "direction", [NO_CHOICE, *_labelled(Direction, language)])
        set_choices(
            self,
            "formula_op",
            [NO_CHOICE, *((op, label.in_language(language)) for op, label in FORMULA_OP_LABELS.items())],
        )
        operands = indicator_choices(catalogue)
        for op, parts in PARTS.items():
            for part in parts:
                field = self.fields[FORMULA_PREFIX + part]
                field.widget.attrs["data-formula-op"] = op  # the page shows the parts of the op chosen
                if isinstance(field, forms.MultipleChoiceField):
                    field.choices = operands
                elif isinstance(field, forms.ChoiceField):
                    field.choices = [NO_CHOICE, *operands]

    def arguments(self) -> dict[str, object]:
        values = super().arguments()["values"]
        assert isinstance(values, dict)
        changed = {} if self.row is None else {"code": self.row.code}
        parts = {
            name[len(FORMULA_PREFIX) :]: values.pop(name)
            for name in list(values)
            if name.startswith(FORMULA_PREFIX)
        }
        op = parts.pop("op", "")
        if op in PARTS:
            values["formula"] = {"op": op, **{part: parts[part] for part in PARTS[op] if part in parts}}
        return {**changed, "values": values}

    def refusal(self, name: str, message: str) -> None:
        """``formula.numerator`` under its field, the formula as a whole under its op, each reason of a
        field on its own line."""
        if name == "formula" or name.startswith("formula."):
            field = FORMULA_PREFIX + (name.partition(".")[2] or "op")
            name = field if field in self.fields else FORMULA_PREFIX + "op"
        self.add_error(name if name in self.fields else None, message.split("\n"))


def _stored_indicator(row: Indicator, language: str) -> dict[str, object]:
    """A stored indicator as its form first shows it: its numbers written as the reader writes them, its
    formula in the fields of its op."""
    initial = {name: getattr(row, name) for name in ProvinceIndicatorForm.base_fields if hasattr(row, name)}
    initial.update(
        (name, format_unambiguous_number(bound, language))
        for name, bound in (("minimum", row.minimum), ("maximum", row.maximum))
        if bound is not None
    )
    formula = row.formula if isinstance(row.formula, dict) else {}
    for part, value in formula.items():
        shown = format_unambiguous_number(Decimal(str(value)), language) if part == "scale" else value
        initial[FORMULA_PREFIX + part] = shown
    return initial


class UnitGroupForm(ServiceForm):
    """A group of units: its name, and its members ticked among the units of its province and era (both
    chosen before, carried in the form; for a stored ``group`` changed, its own)."""

    name = forms.CharField(
        label=_("Name of the group"),
        max_length=200,
        help_text=_(
            "For example: the poor districts, communes with special difficulties, Programme 135 communes."
        ),
    )
    era = forms.ChoiceField(choices=Era.choices, widget=forms.HiddenInput)
    owner_code = forms.CharField(max_length=60, widget=forms.HiddenInput)
    member_codes = forms.MultipleChoiceField(label=_("Members"), widget=forms.CheckboxSelectMultiple)

    def __init__(
        self, *args: Any, members: list[AdministrativeUnit], group: UnitGroup | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "member_codes", [(unit.code, unit.name) for unit in members])
        self.group = group
        if group is not None:
            del self.fields["era"], self.fields["owner_code"]

    def arguments(self) -> dict[str, object]:
        arguments = super().arguments()
        return arguments if self.group is None else {"group_id": self.group.pk, **arguments}
