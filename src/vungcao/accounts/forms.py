"""Forms of the account pages: parsing only; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.accounts.models import ApiToken
from vungcao.accounts.services import TOKEN_LIFETIME_DAYS_DEFAULT

TOKEN_LIFETIMES = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    scope = forms.ChoiceField(
        label=_("Access"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ_ONLY
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Expires after"), choices=TOKEN_LIFETIMES, coerce=int, initial=TOKEN_LIFETIME_DAYS_DEFAULT
    )
