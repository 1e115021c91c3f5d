"""Forms of the unit pages: parsing only; the rules live in services."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.geo.models import Era, Level
from vungcao.geo.services.villages import VILLAGE_TYPES


class UnitBrowserForm(forms.Form):
    era = forms.ChoiceField(label=_("Era"), choices=Era.choices, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Level.choices], required=False
    )
    q = forms.CharField(label=_("Search by name or code"), required=False, max_length=100)


class VillageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    division_type = forms.ChoiceField(label=_("Type"), choices=[(kind, kind) for kind in VILLAGE_TYPES])


class VillageRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=200)


class VillageMergeForm(forms.Form):
    into = forms.CharField(label=_("Merge into village (code)"), max_length=24)
    on = forms.DateField(label=_("From date"), initial=datetime.date.today)
