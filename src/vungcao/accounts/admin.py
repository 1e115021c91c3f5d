from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from vungcao.accounts.models import ApiToken, User


@admin.register(User)
class VungCaoUserAdmin(UserAdmin[User]):
    list_display = ("username", "first_name", "role", "scope", "is_active")
    list_filter = ("role", "is_active")
    # Chosen by official code or name among the units a scope can be (never typed as a database id,
    # which once gave an officer a commune of another province): see geo.admin.
    autocomplete_fields = ("scope",)
    fieldsets = (*(UserAdmin.fieldsets or ()), (_("Role and scope"), {"fields": ("role", "scope")}))


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
