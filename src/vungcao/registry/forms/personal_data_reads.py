"""The filter of the log of reads of personal data: parsing only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.common.bounds import column_length, date_validators
from vungcao.registry.models import Household, PersonalDataRead
from vungcao.registry.selectors.personal_data_reads import PersonalDataReadFilter

DATE_ORDER = _("The first day comes after the last.")


class PersonalDataReadFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    household = forms.CharField(
        label=_("Household code"), required=False, max_length=column_length(Household, "code")
    )
    kind = forms.ChoiceField(
        label=_("Kind of read"), required=False, choices=[("", _("Any")), *PersonalDataRead.Kind.choices]
    )
    identity_numbers_whole = forms.BooleanField(
        label=_("Only with identity numbers shown whole"), required=False
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=date_validators(),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=date_validators(),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", DATE_ORDER)
        return data

    def filters(self) -> PersonalDataReadFilter:
        """The filter asked; a field in error is left out (the form shows why)."""
        data = self.cleaned_data if self.is_bound else {}
        return PersonalDataReadFilter(
            username=data.get("user") or None,
            household_code=data.get("household") or None,
            kind=data.get("kind") or None,
            identity_numbers_whole=bool(data.get("identity_numbers_whole")),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
