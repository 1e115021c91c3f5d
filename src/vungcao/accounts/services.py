"""Writes to accounts: users with their role and scope, API tokens."""

import datetime
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access, selectors
from vungcao.accounts.models import SYSTEM_USERNAME, ApiToken, Role, User, UserChange
from vungcao.accounts.tokens import token_digest
from vungcao.common import database
from vungcao.common.errors import ApplicationError, NotFoundError, PermissionDeniedError
from vungcao.geo.models import AdministrativeUnit, Era, Level

# The level a scoped role must be scoped to; national roles may be scoped to nothing or to a unit.
REQUIRED_SCOPE_LEVEL = {Role.COMMUNE_OFFICER: Level.COMMUNE, Role.PROVINCE_OFFICER: Level.PROVINCE}

# How long an API token lives: chosen at creation, 90 days unless said otherwise, at most a year.
TOKEN_LIFETIME_DAYS_DEFAULT = 90
TOKEN_LIFETIME_DAYS_MAXIMUM = 365
TOKEN_NAME_MISSING = gettext_lazy("Give the token a name, e.g. the script that will use it.")
TOKEN_LIFETIME_OUT_OF_RANGE = gettext_lazy("A token lives from 1 to {maximum} days.")
TOKEN_SCOPE_UNKNOWN = gettext_lazy("Choose whether the token may only read or may also change data.")

USER_MANAGEMENT_REFUSED = gettext_lazy("Only administrators manage users.")
USER_NOT_FOUND = gettext_lazy("No such user among those you manage.")
OWN_ACCOUNT_REFUSED = gettext_lazy(
    "You cannot change your own role, scope, state or password here: ask another administrator."
)
ROLE_UNKNOWN = gettext_lazy("Choose a role from the list.")
ROLE_NOT_ALLOWED = gettext_lazy(
    "You may not make a user {role} in this scope: only the roles of your own scope, inside it."
)
USERNAME_MISSING = gettext_lazy("Give the user a user name.")
USERNAME_LENGTH_MAXIMUM = 150
USERNAME_TOO_LONG = gettext_lazy("A user name has at most {maximum} characters.")
USERNAME_TAKEN = gettext_lazy("The user name {username} is already taken.")
NOTHING_CHANGED = gettext_lazy("The role and scope are already these: nothing was changed.")
ALREADY_ACTIVE = gettext_lazy("This user is already active.")
ALREADY_INACTIVE = gettext_lazy("This user is already deactivated.")


def scope_check(*, role: str, scope: AdministrativeUnit | None) -> None:
    """Commune officers work in a current commune, province officers in a current province; an
    administrator in the whole country, or in a current province (a province administrator) or commune."""
    required = REQUIRED_SCOPE_LEVEL.get(Role(role))
    if role == Role.ADMINISTRATOR and scope is not None and scope.level == Level.COMMUNE:
        required = Level.COMMUNE
    elif role == Role.ADMINISTRATOR and scope is not None:
        required = Level.PROVINCE
    if required is None:
        return
    if scope is None or scope.level != required or scope.era != Era.CURRENT or scope.valid_to is not None:
        raise ApplicationError(
            _("The role {role} must be scoped to a unit of level {level} of the current era.").format(
                role=Role(role).label, level=Level(required).label
            )
        )


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


def _record(*, actor: User, user: User, action: str, old: str = "", new: str = "") -> None:
    UserChange.objects.create(
        user=user,
        actor=actor,
        action=action,
        old_value=old[:255],
        new_value=new[:255],
        role=user.role,
        scope_label=selectors.scope_label(user.scope)[:255],
    )


def _set_django_flags(user: User) -> None:
    """Django's own admin is for national administrators alone: it knows no scope."""
    user.is_staff = user.is_superuser = user.role == Role.ADMINISTRATOR and user.scope is None


def assignment_check(*, actor: User, role: str, scope: AdministrativeUnit | None) -> None:
    if role not in Role.values:
        raise ApplicationError(str(ROLE_UNKNOWN))
    if not access.can_assign(actor, role, scope):
        raise PermissionDeniedError(str(ROLE_NOT_ALLOWED).format(role=Role(role).label))
    scope_check(role=role, scope=scope)


def _password_check(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error


def password_generate() -> str:
    """A password to give a new user once: 16 letters and digits in groups, easy to read out and type."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    scope: AdministrativeUnit | None = None,
    full_name: str = "",
    email: str = "",
    actor: User | None = None,
    must_change_password: bool = False,
) -> User:
    """Create a user after checking that ``actor`` may give this role in this scope, the role's scope and
    Django's password validators; recorded as made by ``actor`` (the system when None: the demo, fixtures,
    commands). ``must_change_password`` asks the user to change it at first login."""
    actor = actor or system_actor()
    if not access.can_manage_users(actor):
        raise PermissionDeniedError(str(USER_MANAGEMENT_REFUSED))
    cleaned = username.strip()
    if not cleaned:
        raise ApplicationError(str(USERNAME_MISSING))
    try:
        User.username_validator(cleaned)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error
    if len(cleaned) > USERNAME_LENGTH_MAXIMUM:
        raise ApplicationError(str(USERNAME_TOO_LONG).format(maximum=USERNAME_LENGTH_MAXIMUM))
    assignment_check(actor=actor, role=role, scope=scope)
    if User.objects.filter(username__iexact=cleaned).exists():
        raise ApplicationError(str(USERNAME_TAKEN).format(username=cleaned))
    user = User(
        username=cleaned,
        role=role,
        scope=scope,
        email=email.strip(),
        first_name=full_name.strip(),
        must_change_password=must_change_password,
    )
    _password_check(password, user)
    user.set_password(password)
    _set_django_flags(user)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same name created meanwhile
        raise ApplicationError(str(USERNAME_TAKEN).format(username=cleaned)) from error
    _record(actor=actor, user=user, action=UserChange.Action.CREATED, new=user.username)
    return user


def _managed_user_lock(*, actor: User, user_id: int) -> User:
    """The user ``actor`` may change, locked until the end of the transaction and read again: two
    administrators changing one user change it one after the other, each from what the other left."""
    if not access.can_manage_users(actor):
        raise PermissionDeniedError(str(USER_MANAGEMENT_REFUSED))
    database.rows_lock(User, [user_id])
    user = User.objects.select_related("scope", "scope__parent").filter(pk=user_id).first()
    if user is None or not access.restrict_managed_users(User.objects.filter(pk=user_id), actor).exists():
        raise NotFoundError(str(USER_NOT_FOUND))
    if not access.can_change_user(actor, user):
        raise PermissionDeniedError(str(OWN_ACCOUNT_REFUSED))
    return user


@transaction.atomic
def user_rescope(*, actor: User, user_id: int, role: str, scope: AdministrativeUnit | None) -> User:
    """Give a user another role or scope; each change recorded (old → new). Nothing to change is refused."""
    user = _managed_user_lock(actor=actor, user_id=user_id)
    assignment_check(actor=actor, role=role, scope=scope)
    old_role, old_scope = user.role, user.scope
    if old_role == role and old_scope == scope:
        raise ApplicationError(str(NOTHING_CHANGED))
    user.role, user.scope = role, scope
    _set_django_flags(user)
    user.save(update_fields=["role", "scope", "is_staff", "is_superuser"])
    if old_role != role:
        _record(actor=actor, user=user, action=UserChange.Action.ROLE_CHANGED, old=old_role, new=role)
    if old_scope != scope:
        _record(
            actor=actor,
            user=user,
            action=UserChange.Action.SCOPE_CHANGED,
            old=selectors.scope_label(old_scope),
            new=selectors.scope_label(scope),
        )
    return user


@transaction.atomic
def _user_activate(*, actor: User, user_id: int, active: bool) -> User:
    user = _managed_user_lock(actor=actor, user_id=user_id)
    if user.is_active == active:
        raise ApplicationError(str(ALREADY_ACTIVE if active else ALREADY_INACTIVE))
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = UserChange.Action.REACTIVATED if active else UserChange.Action.DEACTIVATED
    _record(actor=actor, user=user, action=action)
    return user


def user_deactivate(*, actor: User, user_id: int) -> User:
    """Stop a user: their sessions and API tokens stop working at once; nothing of theirs is deleted."""
    return _user_activate(actor=actor, user_id=user_id, active=False)


def user_reactivate(*, actor: User, user_id: int) -> User:
    return _user_activate(actor=actor, user_id=user_id, active=True)


@transaction.atomic
def user_password_reset(*, actor: User, user_id: int, password: str = "") -> tuple[User, str]:
    """Give a user a new password (``password``, or a generated one when empty), to be changed at their
    next login. Returns the password to hand over once; it is never stored or recorded in clear."""
    user = _managed_user_lock(actor=actor, user_id=user_id)
    new_password = password or password_generate()
    _password_check(new_password, user)
    user.set_password(new_password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _record(actor=actor, user=user, action=UserChange.Action.PASSWORD_RESET)
    return user, new_password


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """The user chose their own password (Django's form set and saved it): no change is asked any more."""
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.must_change_password = False
    _record(actor=user, user=user, action=UserChange.Action.PASSWORD_CHANGED)


def user_update_or_create(
    *, username: str, password: str, role: str, scope: AdministrativeUnit | None, full_name: str
) -> tuple[User, bool]:
    """For the demo accounts: make the user exactly so, creating it when missing (as the system)."""
    existing = User.objects.filter(username=username).first()
    if existing is None:
        return user_create(
            username=username, password=password, role=role, scope=scope, full_name=full_name
        ), True
    if (existing.role, existing.scope) != (role, scope):
        user_rescope(actor=system_actor(), user_id=existing.pk, role=role, scope=scope)
    if not existing.is_active:
        user_reactivate(actor=system_actor(), user_id=existing.pk)
    existing.refresh_from_db()
    existing.first_name = full_name
    existing.set_password(password)
    existing.must_change_password = False
    existing.save(update_fields=["first_name", "password", "must_change_password"])
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
