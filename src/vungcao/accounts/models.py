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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


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
