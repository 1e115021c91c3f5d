"""Forms of the programme pages: parsing only; the rules live in services and selectors."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.geo.models import Era


class DashboardForm(forms.Form):
    era = forms.ChoiceField(label=_("Era"), choices=Era.choices, required=False)
    unit = forms.CharField(label=_("Unit code"), max_length=24, required=False)
    from_year = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100, required=False)
    to_year = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100, required=False)
    component = forms.CharField(label=_("Component code"), max_length=60, required=False)
    threshold = forms.IntegerField(
        label=_("Alert below disbursement rate (%)"), min_value=0, max_value=100, required=False
    )
    on = forms.DateField(label=_("At date"), required=False)

    def defaults(self) -> dict[str, object]:
        data = self.cleaned_data if self.is_valid() else {}
        this_year = datetime.date.today().year
        return {
            "era": data.get("era") or Era.CURRENT,
            "unit": (data.get("unit") or "").strip(),
            "from_year": data.get("from_year") or 2021,
            "to_year": data.get("to_year") or max(this_year, 2025),
            "component": (data.get("component") or "").strip() or None,
            "threshold": 50 if data.get("threshold") is None else data["threshold"],
            "on": data.get("on"),
        }
