"""Writes to accounts: users with their role and scope, API tokens."""

import datetime
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts.models import ApiToken, Role, User
from vungcao.accounts.tokens import token_digest
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.geo.models import AdministrativeUnit, Era, Level

# The level a scoped role must be scoped to; national roles may be scoped to nothing or to a unit.
REQUIRED_SCOPE_LEVEL = {Role.COMMUNE_OFFICER: Level.COMMUNE, Role.PROVINCE_OFFICER: Level.PROVINCE}

# How long an API token lives: chosen at creation, 90 days unless said otherwise, at most a year.
TOKEN_LIFETIME_DAYS_DEFAULT = 90
TOKEN_LIFETIME_DAYS_MAXIMUM = 365
TOKEN_NAME_MISSING = gettext_lazy("Give the token a name, e.g. the script that will use it.")
TOKEN_LIFETIME_OUT_OF_RANGE = gettext_lazy("A token lives from 1 to {maximum} days.")
TOKEN_SCOPE_UNKNOWN = gettext_lazy("Choose whether the token may only read or may also change data.")


def scope_check(*, role: str, scope: AdministrativeUnit | None) -> None:
    """Commune officers work in a current commune, province officers in a current province."""
    required = REQUIRED_SCOPE_LEVEL.get(Role(role))
    if required is None:
        return
    if scope is None or scope.level != required or scope.era != Era.CURRENT:
        raise ApplicationError(
            _("The role {role} must be scoped to a unit of level {level} of the current era.").format(
                role=Role(role).label, level=Level(required).label
            )
        )


SYSTEM_USERNAME = "system"


def system_actor() -> User:
    """The account the system's own work acts as (the demo, commands an operator runs, background
    work with no user): an administrator of the whole country who cannot log in. Services always get an
    actor and always apply their checks; what this one did is recorded under its name, never as nobody."""
    actor, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"role": Role.ADMINISTRATOR, "scope": None, "is_active": False, "first_name": "Hệ thống"},
    )
    if created:
        actor.set_unusable_password()
        actor.save(update_fields=["password"])
    return actor


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    scope: AdministrativeUnit | None = None,
    full_name: str = "",
    email: str = "",
) -> User:
    """Create a user after checking the role's scope and Django's password validators."""
    scope_check(role=role, scope=scope)
    user = User(username=username, role=role, scope=scope, email=email, first_name=full_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error
    user.set_password(password)
    user.is_staff = role == Role.ADMINISTRATOR
    user.is_superuser = role == Role.ADMINISTRATOR
    user.save()
    return user


def user_update_or_create(
    *, username: str, password: str, role: str, scope: AdministrativeUnit | None, full_name: str
) -> tuple[User, bool]:
    """For the demo accounts: make the user exactly so, creating it when missing."""
    existing = User.objects.filter(username=username).first()
    if existing is None:
        return user_create(
            username=username, password=password, role=role, scope=scope, full_name=full_name
        ), True
    scope_check(role=role, scope=scope)
    existing.role, existing.scope, existing.first_name = role, scope, full_name
    existing.is_staff = existing.is_superuser = role == Role.ADMINISTRATOR
    existing.set_password(password)
    existing.save()
    return existing, False


def api_token_create(
    *,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.READ_WRITE,
    lifetime_days: int = TOKEN_LIFETIME_DAYS_DEFAULT,
) -> tuple[ApiToken, str]:
    """A new token for ``user``, expiring after ``lifetime_days``; the secret is returned once and only its
    digest is stored. The page and the command offer read-only first; code making a token for itself
    (a test, a tool) gets read-write unless it says otherwise."""
    cleaned = name.strip()
    if not cleaned:
        raise ApplicationError(str(TOKEN_NAME_MISSING))
    if scope not in ApiToken.Scope.values:
        raise ApplicationError(str(TOKEN_SCOPE_UNKNOWN))
    if not 1 <= lifetime_days <= TOKEN_LIFETIME_DAYS_MAXIMUM:
        raise ApplicationError(str(TOKEN_LIFETIME_OUT_OF_RANGE).format(maximum=TOKEN_LIFETIME_DAYS_MAXIMUM))
    secret = "vc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=cleaned[:100],
        prefix=secret[:10],
        digest=token_digest(secret),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
    )
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of ``user``'s own tokens; another user's token is not found, as if it did not exist."""
    if not ApiToken.objects.filter(pk=token_id, user=user).exists():
        raise NotFoundError(_("No such active token."))
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise ApplicationError(_("No such active token."))
