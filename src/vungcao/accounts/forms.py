"""Forms of the account pages: parsing only; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.accounts.models import ApiToken, Role
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


class UserFilterForm(forms.Form):
    """The user list's filters (a plain GET form; htmx refreshes the table as one types)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    active = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )

    def active_value(self) -> bool | None:
        value = self.cleaned_data.get("active") if self.is_valid() else ""
        return {"yes": True, "no": False}.get(value or "")


class ScopeField(forms.CharField):
    """A scope typed as an official code (or a name, which the picker turns into a code): never a
    database id. The view resolves it among the units the administrator may give."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label=_("Scope"),
            required=False,
            max_length=100,
            **kwargs,  # type: ignore[arg-type]
        )


class RoleScopeForm(forms.Form):
    """A role among those the administrator may give, and a scope by official code."""

    role = forms.ChoiceField(label=_("Role"))
    scope = ScopeField()

    def __init__(self, *args: object, roles: list[Role], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(choice.value, choice.label) for choice in roles]


class UserCreateForm(RoleScopeForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to have one generated and shown once. The user changes it at first login."),
    )
    field_order = ["username", "full_name", "email", "role", "scope", "password"]


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to have one generated and shown once."),
    )
