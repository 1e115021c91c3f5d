"""Entry forms of works, support to households and revolving-fund models; the API validates with them too.

Parsing only: codes become the objects the services take (a unit, component or household outside the
user's scope reads as unknown); the rules live in the services.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import INTEGER_MAX, column_length, date_validators
from vungcao.engine import money
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs.models import (
    Component,
    HouseholdSupport,
    RevolvingHolding,
    RevolvingModel,
    SupportKind,
    Work,
    WorkKind,
    WorkStatus,
)
from vungcao.programs.selectors.activities import household_for_support
from vungcao.programs.services.money import AMOUNT_REASONS

UNKNOWN_UNIT = _("No unit with this code that you may record for.")
UNKNOWN_COMPONENT = _("No programme component with this code; see the programmes.")
UNKNOWN_HOUSEHOLD = _("No household with this code in the registry that you may see.")


class VndField(forms.CharField):
    """Whole dong, written as 1500000000, 1.500.000.000 or 1,5 tỷ; anything ambiguous, or above
    ``money.MAX_AMOUNT_VND``, is refused."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return money.parse_amount(text)
        except money.AmountError as error:
            raise forms.ValidationError(str(AMOUNT_REASONS[error.reason])) from error


class EntryForm(forms.Form):
    """An entry form; once valid, ``arguments()`` gives the service's keyword arguments."""

    def arguments(self) -> dict[str, object]:
        return dict(self.cleaned_data)

    def refusal(self, name: str, message: str) -> None:
        """The service's refusal of its field ``name``, shown under the form's field of that name (above
        the fields when the form has none)."""
        self.add_error(name if name in self.fields else None, message)


class RecordingForm(EntryForm):
    """An entry form that reads unit and component codes for ``user``."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def _unit(self, code: str) -> AdministrativeUnit:
        unit = AdministrativeUnit.objects.filter(era=Era.CURRENT, code=code.strip()).first()
        if unit is None or not access.can_record_money(self.user, unit):
            raise forms.ValidationError(UNKNOWN_UNIT)
        return unit

    def clean_component(self) -> Component:
        component = Component.objects.filter(code=self.cleaned_data["component"].strip()).first()
        if component is None:
            raise forms.ValidationError(UNKNOWN_COMPONENT)
        return component


class WorkForm(RecordingForm):
    unit_code = forms.CharField(label=_("Unit code"), max_length=column_length(AdministrativeUnit, "code"))
    component = forms.CharField(label=_("Component code"), max_length=column_length(Component, "code"))
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkKind.choices)
    name = forms.CharField(label=_("Name"), max_length=column_length(Work, "name"))
    investment_total_vnd = VndField(label=_("Total investment (VND)"))
    output_quantity = forms.DecimalField(
        label=_("Physical output"), max_digits=14, decimal_places=2, required=False
    )
    output_unit = forms.CharField(
        label=_("Unit of output"),
        max_length=column_length(Work, "output_unit"),
        required=False,
        help_text=_("km, classrooms, ha …"),
    )
    households = forms.IntegerField(
        label=_("Households taking part or served"), min_value=0, max_value=INTEGER_MAX, required=False
    )
    start_date = forms.DateField(label=_("Start date"), validators=date_validators(), required=False)
    planned_end_date = forms.DateField(
        label=_("Planned completion"), validators=date_validators(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=WorkStatus.choices, required=False)
    progress_percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)

    def clean_unit_code(self) -> AdministrativeUnit:
        return self._unit(self.cleaned_data["unit_code"])

    def arguments(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "unit": data["unit_code"],
            "component": data["component"],
            "kind": data["kind"],
            "name": data["name"],
            "investment_total_vnd": data["investment_total_vnd"],
            "output_quantity": data["output_quantity"] or Decimal(0),
            "output_unit": data["output_unit"],
            "households": data["households"] or 0,
            "start_date": data["start_date"],
            "planned_end_date": data["planned_end_date"],
            "status": data["status"] or WorkStatus.PLANNED,
            "progress_percent": data["progress_percent"] or 0,
        }


class SupportForm(RecordingForm):
    household_code = forms.CharField(
        label=_("Household code"), max_length=column_length(HouseholdSupport, "household_code")
    )
    component = forms.CharField(label=_("Component code"), max_length=column_length(Component, "code"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    amount_vnd = VndField(label=_("Amount (VND)"), required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=column_length(HouseholdSupport, "description"), required=False
    )

    def clean_household_code(self) -> object:
        household = household_for_support(user=self.user, code=self.cleaned_data["household_code"])
        if household is None:
            raise forms.ValidationError(UNKNOWN_HOUSEHOLD)
        return household

    def arguments(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "household": data["household_code"],
            "component": data["component"],
            "year": data["year"],
            "kind": data["kind"],
            "amount_vnd": data["amount_vnd"] or 0,
            "quantity": data["quantity"] or Decimal(0),
            "description": data["description"],
        }


class RevolvingModelForm(RecordingForm):
    unit_code = forms.CharField(label=_("Commune code"), max_length=column_length(AdministrativeUnit, "code"))
    component = forms.CharField(label=_("Component code"), max_length=column_length(Component, "code"))
    name = forms.CharField(label=_("Name"), max_length=column_length(RevolvingModel, "name"))
    item = forms.CharField(label=_("What is passed on"), max_length=column_length(RevolvingModel, "item"))

    def clean_unit_code(self) -> AdministrativeUnit:
        return self._unit(self.cleaned_data["unit_code"])

    def arguments(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "unit": data["unit_code"],
            "component": data["component"],
            "name": data["name"],
            "item": data["item"],
        }


class HandoverForm(EntryForm):
    household_code = forms.CharField(
        label=_("Household receiving it"), max_length=column_length(RevolvingHolding, "household_code")
    )
    received_on = forms.DateField(label=_("Received on"), validators=date_validators())
    due_on = forms.DateField(label=_("To hand on by"), validators=date_validators())


def field_errors(form: forms.Form) -> dict[str, str]:
    """A bound form's errors as one message per field name (``__all__`` for the form as a whole)."""
    return {name: " ".join(str(message) for message in messages) for name, messages in form.errors.items()}
