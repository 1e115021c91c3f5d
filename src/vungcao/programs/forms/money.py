"""The money record entry form and the filters of the records list: parsing only.

Every choice is made by name: a component from its programme's tree, a capital source, a unit found by
official code or name, a work of that unit and component. The service checks every field again (the API
and imports use it without this form) and decides the rules.
"""

import datetime
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from vungcao.accounts.models import User
from vungcao.common.bounds import column_length, date_validators
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.names import unit_full_name
from vungcao.programs.forms.activities import RecordingForm, VndField
from vungcao.programs.models import CapitalSource, Component, MoneyRecord, RecordKind
from vungcao.programs.selectors import money_records
from vungcao.programs.selectors import programmes as programme_selectors
from vungcao.programs.services.money import FIRST_YEAR, LAST_YEAR

KIND_FIELDS = {
    RecordKind.PLAN: (),
    RecordKind.ALLOCATION: (),
    RecordKind.DISBURSEMENT: ("work",),
    RecordKind.EXTENSION: ("to_year",),
}
UNIT_HELP = _("Type the official code or part of the name, then choose from the list.")


def component_choices(user: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active components of the programmes the user may see, grouped by programme, indented by depth."""
    groups = []
    for programme, nodes in programme_selectors.programme_trees(user=user):
        options: list[tuple[str, str]] = []
        stack = [(node, 0) for node in reversed(nodes)]
        while stack:
            node, depth = stack.pop()
            component = node.component
            label = " — ".join(part for part in (component.numbering, component.name) if part)
            options.append((component.code, "\u2003" * depth + label))
            stack.extend((child, depth + 1) for child in reversed(node.children))
        if options:
            groups.append((f"{programme.code} · {programme.name}"[:120], options))
    return groups


def source_choices() -> list[tuple[str, str]]:
    return [(source.code, source.name) for source in programme_selectors.capital_source_list()]


def set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class UnitSearchInput(forms.TextInput):
    """A text box that asks the server for matching units as the user types (htmx, a datalist)."""

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "list": "unit-choices",
                "autocomplete": "off",
                "hx-get": reverse_lazy("programs:money-unit-choices"),
                "hx-trigger": "input changed delay:250ms, focus once",
                "hx-target": "#unit-choices",
                "hx-sync": "this:replace",
                "inputmode": "search",
            }
        )


class MoneyRecordForm(RecordingForm):
    """One plan, allocation, disbursement or extension; the fields of other kinds are left out."""

    year = forms.IntegerField(
        label=_("Budget year of the capital"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    to_year = forms.IntegerField(label=_("Extended into year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    unit_code = forms.CharField(
        label=_("Unit"),
        max_length=column_length(AdministrativeUnit, "code") + 200,
        help_text=UNIT_HELP,
        widget=UnitSearchInput(),
    )
    component = forms.ChoiceField(label=_("Programme component"))
    source = forms.ChoiceField(label=_("Capital source"))
    amount_vnd = VndField(
        label=_("Amount (VND)"),
        help_text=_("As written in the document: 1.500.000.000, 1,5 tỷ or 250 triệu."),
    )
    document_no = forms.CharField(
        label=_("Document number"), max_length=column_length(MoneyRecord, "document_no")
    )
    document_date = forms.DateField(
        label=_("Document date"),
        validators=date_validators(),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    work = forms.ChoiceField(
        label=_("Work or project paid for"),
        required=False,
        help_text=_("Works of the unit (and the units under it) and of the component."),
    )

    def __init__(self, *args: Any, user: User, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.kind = kind
        for name in ("to_year", "work"):
            if name not in KIND_FIELDS[RecordKind(kind)]:
                del self.fields[name]
        set_choices(self, "component", [("", "—"), *component_choices(user)])
        set_choices(self, "source", [("", "—"), *source_choices()])
        this_year = datetime.date.today().year
        self.fields["year"].initial = this_year
        if "to_year" in self.fields:
            self.fields["to_year"].initial = this_year + 1
        if user.scope is not None:
            self.fields["unit_code"].initial = unit_choice(user.scope)
        if "work" in self.fields:
            set_choices(self, "work", self.work_choices())
            self.fields["work"].widget.attrs.update(
                {
                    "hx-get": reverse_lazy("programs:money-work-choices"),
                    "hx-trigger": "change from:#id_unit_code, change from:#id_component",
                    "hx-include": "#id_unit_code, #id_component",
                    "hx-target": "this",
                }
            )

    def work_choices(self) -> list[tuple[str, object]]:
        """The works of the unit and component typed so far (all of the user's when neither is known)."""
        data = self.data if self.is_bound else self.initial
        unit = self.unit_or_none(str(data.get("unit_code") or self.fields["unit_code"].initial or ""))
        component = Component.objects.filter(code=str(data.get("component") or "")).first()
        works = money_records.work_choices(user=self.user, unit=unit, component=component)
        return [
            ("", _("— none —")),
            *((str(work.pk), f"{work.name} · {work.unit.name}") for work in works[:200]),
        ]

    def unit_or_none(self, text: str) -> AdministrativeUnit | None:
        try:
            return self._chosen_unit(text)
        except forms.ValidationError:
            return None

    def _chosen_unit(self, text: str) -> AdministrativeUnit:
        """The unit chosen from the list, typed by code, or named so that only one unit matches."""
        unit = money_records.money_unit_get(user=self.user, text=unit_code_of(text))
        return self._unit(unit.code if unit is not None else unit_code_of(text))

    def clean_unit_code(self) -> AdministrativeUnit:
        return self._chosen_unit(self.cleaned_data["unit_code"])

    def arguments(self) -> dict[str, object]:
        data = self.cleaned_data
        unit: AdministrativeUnit = data["unit_code"]
        values = {
            "kind": self.kind,
            "year": data["year"],
            "to_year": data.get("to_year"),
            "era": unit.era,
            "unit_code": unit.code,
            "component": data["component"].code,
            "source": data["source"],
            "amount_vnd": data["amount_vnd"],
            "document_no": data["document_no"],
            "document_date": data["document_date"].isoformat(),
            "work": data.get("work") or None,
        }
        return {"values": values}


def unit_choice(unit: AdministrativeUnit) -> str:
    """What the unit box holds once a unit is chosen: its code, then its full path."""
    return f"{unit.code} · {unit_full_name(unit)}"


def unit_code_of(text: str) -> str:
    """The official code of what the unit box holds: the code alone, or a choice ``06970 · Xã …``."""
    return text.split("·", 1)[0].strip()


class MoneyRecordFilterForm(forms.Form):
    """The list's filters; a unit is typed by code or name as in the entry form."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *RecordKind.choices], required=False)
    unit = forms.CharField(label=_("Unit"), max_length=250, required=False, widget=UnitSearchInput())
    component = forms.ChoiceField(label=_("Programme component"), required=False)
    source = forms.ChoiceField(label=_("Capital source"), required=False)
    overdrawn = forms.BooleanField(label=_("Only overdrawn allocations"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        set_choices(self, "component", [("", _("All")), *component_choices(user)])
        set_choices(self, "source", [("", _("All")), *source_choices()])

    def filters(self) -> money_records.RecordFilter | None:
        """What to show, or None when the unit typed is not one the user may see (the page says so)."""
        data = self.cleaned_data if self.is_valid() else {}
        unit = None
        if data.get("unit"):
            unit = money_records.money_unit_get(user=self.user, text=unit_code_of(data["unit"]))
            if unit is None:
                return None
        source_code, component_code = data.get("source"), data.get("component")
        return money_records.RecordFilter(
            year=data.get("year"),
            kind=data.get("kind") or None,
            unit=unit,
            component=Component.objects.filter(code=component_code).first() if component_code else None,
            source=CapitalSource.objects.filter(code=source_code).first() if source_code else None,
            overdrawn_only=bool(data.get("overdrawn")),
        )
