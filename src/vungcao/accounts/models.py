"""Users with a role and an administrative scope; API tokens for scripts."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from vungcao.common.models import TimeStampedModel


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    MINISTRY_ANALYST = "ministry_analyst", _("Ministry analyst")
    AGGREGATE_VIEWER = "aggregate_viewer", _("Aggregate-only viewer")
    ADMINISTRATOR = "administrator", _("Administrator")


# The account the system's own work acts as (see ``services.system_actor``).
SYSTEM_USERNAME = "system"


class User(AbstractUser):
    """A person using the system. ``scope`` is the unit whose subtree the user works in (None: nation)."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.AGGREGATE_VIEWER)
    scope = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province or commune this user works in; empty for the whole country."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an administrator chose the password: the user is asked to change it."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class UserChange(models.Model):
    """One change to a user's account, by whom and when (nhật ký quản lý người dùng): kept for good, so
    neither the user changed nor the administrator who changed it can be deleted while it exists."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")
        ROLE_CHANGED = "role_changed", _("Role changed")
        SCOPE_CHANGED = "scope_changed", _("Scope changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        PASSWORD_CHANGED = "password_changed", _("Password changed by the user")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(
        User, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="changes_made"
    )
    action = models.CharField(_("change"), max_length=32, choices=Action.choices)
    old_value = models.CharField(_("before"), max_length=255, blank=True)
    new_value = models.CharField(_("after"), max_length=255, blank=True)
    # The account as it was left by the change, as read then (a scope's full path and code).
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope_label = models.CharField(_("scope"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("user change")
        verbose_name_plural = _("user changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.old_value} → {self.new_value}"

    def _shown(self, value: str) -> str:
        if self.action == self.Action.CREATED and value:
            return "{role} · {scope}".format(
                role=Role(self.role).label, scope=self.scope_label or _("Whole country")
            )
        if self.action == self.Action.ROLE_CHANGED and value in Role.values:
            return str(Role(value).label)
        if self.action == self.Action.SCOPE_CHANGED and not value:
            return str(_("Whole country"))
        return value

    @property
    def old_shown(self) -> str:
        """The value before, as the reader says it (a role's name in their language, not its code)."""
        return self._shown(self.old_value)

    @property
    def new_shown(self) -> str:
        return self._shown(self.new_value)


class ApiToken(TimeStampedModel):
    """A secret for scripts calling the API. Only a SHA-256 digest of the secret is stored.

    A token expires (``expires_at``) and is either read-only or read-write (``scope``); within that it
    sees and does what its user may."""

    class Scope(models.TextChoices):
        READ_ONLY = "read_only", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(
        _("prefix"), max_length=12, help_text=_("The first characters, to recognise it.")
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    scope = models.CharField(
        _("access"),
        max_length=16,
        choices=Scope.choices,
        default=Scope.READ_ONLY,
        help_text=_("A read-only token is refused any change (POST, PUT, PATCH, DELETE)."),
    )
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def allows_writes(self) -> bool:
        return self.scope == self.Scope.READ_WRITE
