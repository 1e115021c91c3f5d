"""Reads of accounts: API tokens, the users an administrator manages, their changes, the units a scope
can be. Every read of other users goes through ``accounts.access``."""

from django.db.models import Q, QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import SYSTEM_USERNAME, ApiToken, User, UserChange
from vungcao.common.errors import NotFoundError
from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.names import unit_name_with_kind

# How many units the scope picker offers for a typed term (a code selects one; a name narrows the list).
SCOPE_CHOICES_SHOWN = 12
PATH_SEPARATOR = " · "


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def scope_label(unit: AdministrativeUnit | None) -> str:
    """A scope as officials say it, from the unit up to its province, with the official code:
    ``"Xã Ba Chẽ · Tỉnh Quảng Ninh (06970)"``; empty for the whole country. Reads the parent chain,
    which ``select_related("parent")`` brings (a current-era scope is at most a commune under a province)."""
    if unit is None:
        return ""
    names = []
    current: AdministrativeUnit | None = unit
    while current is not None:
        names.append(unit_name_with_kind(current))
        current = current.parent
    return f"{PATH_SEPARATOR.join(names)} ({unit.code})"


def user_list(*, actor: User, search: str = "", role: str = "", active: bool | None = None) -> QuerySet[User]:
    """The users ``actor`` manages, filtered by a word of their user name or full name, role and state."""
    users = access.restrict_managed_users(User.objects.all(), actor).exclude(username=SYSTEM_USERNAME)
    for word in search.split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if role:
        users = users.filter(role=role)
    if active is not None:
        users = users.filter(is_active=active)
    return users.select_related("scope", "scope__parent").order_by("-is_active", "username")


def user_get(*, actor: User, username: str) -> User:
    """One user ``actor`` manages, or NotFoundError: the same when the user exists out of scope."""
    user = user_list(actor=actor).filter(username=username).first()
    if user is None:
        raise NotFoundError("user")
    return user


def user_change_list(*, actor: User, username: str | None = None) -> QuerySet[UserChange]:
    """The changes to the accounts ``actor`` manages, newest first (one user's when ``username`` is given)."""
    changes = access.restrict_user_changes(UserChange.objects.all(), actor)
    if username is not None:
        changes = changes.filter(user__username=username)
    return changes.select_related("user", "actor").order_by("-created_at", "-pk")


def scope_units(*, actor: User) -> QuerySet[AdministrativeUnit]:
    """Every unit ``actor`` may give as a scope (open current provinces and communes of their scope)."""
    return access.restrict_scope_units(AdministrativeUnit.objects.all(), actor).select_related("parent")


def scope_search(*, actor: User, term: str) -> list[AdministrativeUnit]:
    """Units ``actor`` may give as a scope matching ``term``: the unit with exactly that official code
    alone, else those whose name holds every word (with or without diacritics), provinces first."""
    cleaned = term.strip()
    if not cleaned:
        return []
    units = scope_units(actor=actor)
    exact = units.filter(code=cleaned).first()
    if exact is not None:
        return [exact]
    condition = Q()
    for word in fold(cleaned).split():
        condition &= Q(name_folded__contains=word)
    return list(units.filter(condition).order_by("depth", "name_folded", "code")[:SCOPE_CHOICES_SHOWN])


def scope_find(*, actor: User, code: str) -> AdministrativeUnit:
    """The unit of official code ``code`` that ``actor`` may give as a scope, or NotFoundError (also when
    it exists outside their scope)."""
    unit = scope_units(actor=actor).filter(code=code.strip()).first()
    if unit is None:
        raise NotFoundError("unit")
    return unit
