"""Django's admin for national administrators. Role, scope, state and passwords change through the same
services as the application's pages, so every change is checked the same way and recorded."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access, services
from vungcao.accounts.models import ApiToken, User, UserChange
from vungcao.common.errors import ApplicationError

AUDITED_FIELDS = ("role", "scope", "is_active")


class _ActorCheckedForm(forms.ModelForm[User]):
    """Refuses in the form what the services would refuse on saving (the admin cannot show a refusal
    raised while it saves)."""

    actor: User

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        changed = any(name in self.changed_data for name in AUDITED_FIELDS)
        if self.instance.pk is not None and not changed:
            return cleaned
        if self.instance.pk is not None and self.instance.pk == self.actor.pk:
            raise forms.ValidationError(str(services.OWN_ACCOUNT_REFUSED))
        try:
            services.assignment_check(
                actor=self.actor, role=cleaned.get("role", ""), scope=cleaned.get("scope")
            )
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error
        return cleaned


class _ChangeForm(_ActorCheckedForm, UserChangeForm[User]):
    pass


class _CreationForm(_ActorCheckedForm, UserCreationForm[User]):
    pass


@admin.register(User)
class VungCaoUserAdmin(UserAdmin[User]):
    list_display = ("username", "first_name", "role", "scope", "is_active")
    list_filter = ("role", "is_active")
    form = _ChangeForm
    add_form = _CreationForm
    # Chosen by official code or name among the units a scope can be (never typed as a database id,
    # which once gave an officer a commune of another province): see geo.admin.
    autocomplete_fields = ("scope",)
    # Staff and superuser follow from the role and scope (services._set_django_flags); groups and
    # permissions are not used: the role decides.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "scope", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "scope")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return type(form_class.__name__, (form_class,), {"actor": access.request_user(request)})

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor = access.request_user(request)
        if not change:
            created = services.user_create(
                actor=actor,
                username=obj.username,
                password=form.cleaned_data["password1"],
                role=obj.role,
                scope=obj.scope,
                must_change_password=True,
            )
            obj.pk, obj.password, obj.is_staff, obj.is_superuser = (
                created.pk,
                created.password,
                created.is_staff,
                created.is_superuser,
            )
            obj._state.adding = False
            return
        stored = User.objects.get(pk=obj.pk)
        wanted = {name: getattr(obj, name) for name in AUDITED_FIELDS}
        for name in AUDITED_FIELDS:  # the other fields are saved as the admin does; these by the services
            setattr(obj, name, getattr(stored, name))
        obj.is_staff, obj.is_superuser = stored.is_staff, stored.is_superuser
        super().save_model(request, obj, form, change)
        if (wanted["role"], wanted["scope"]) != (stored.role, stored.scope):
            services.user_rescope(actor=actor, user_id=obj.pk, role=wanted["role"], scope=wanted["scope"])
        if wanted["is_active"] != stored.is_active:
            set_active = services.user_reactivate if wanted["is_active"] else services.user_deactivate
            set_active(actor=actor, user_id=obj.pk)
        obj.refresh_from_db()

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponseRedirect:
        """Passwords are reset on the application's user page (recorded, to be changed at next login);
        one's own is changed on one's own page."""
        user = self.get_object(request, id)
        if user is None or user.pk == request.user.pk:
            return redirect("accounts:password-change")
        return redirect("accounts:user-detail", username=user.username)


@admin.register(UserChange)
class UserChangeAdmin(admin.ModelAdmin[UserChange]):
    """The record of changes to accounts: read only."""

    list_display = ("created_at", "user", "action", "old_value", "new_value", "actor")
    list_filter = ("action",)
    search_fields = ("user__username", "actor__username")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: UserChange | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: UserChange | None = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = (
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope",)
    readonly_fields = ("prefix", "digest", "last_used_at")
