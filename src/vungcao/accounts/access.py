"""The one place that decides what a user may see and change.

Every selector and endpoint that returns or changes scoped data goes through these functions; a
test sweep tries every page and endpoint as an out-of-scope user.

A user's scope is a unit of the current era (a province or a commune) or, for national roles, the
whole country. A scoped user sees:

* the scope unit and everything under it;
* the units of the era before 1 July 2025 that the crosswalk links into that subtree, and everything
  under those (history lives under the old units);
* the ancestors of the scope, by name only, as the way there (breadcrumbs), never their contents.
"""

from typing import TypeVar, cast

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from vungcao.accounts.models import Role, User
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink

ScopedModel = TypeVar("ScopedModel", bound=Model)

NATIONAL_ROLES = frozenset({Role.MINISTRY_ANALYST, Role.AGGREGATE_VIEWER, Role.ADMINISTRATOR})
VILLAGE_EDITING_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR})


def request_user(request: HttpRequest) -> User:
    """The user of a request that passed authentication (pages behind login, API operations with auth)."""
    return cast(User, request.user)


def is_national(user: User) -> bool:
    """National users (ministry, aggregate viewers, administrators without a scope) see every unit."""
    return user.is_authenticated and (
        user.is_superuser or (user.role in NATIONAL_ROLES and user.scope_id is None)
    )


def _scope_path_filter(user: User, field: str) -> Q:
    """Rows whose unit (reached through ``field``) lies in the user's subtree or its linked history."""
    if is_national(user):
        return Q()
    if not user.is_authenticated or user.scope is None:
        return Q(pk__in=[])
    scope_path = user.scope.path
    old_paths = list(
        CrosswalkLink.objects.filter(new_unit__path__startswith=scope_path)
        .values_list("old_unit__path", flat=True)
        .distinct()
    )
    condition = Q(**{f"{field}__startswith": scope_path})
    for old_path in _outermost(old_paths):
        condition |= Q(**{f"{field}__startswith": old_path})
    return condition


def _outermost(paths: list[str]) -> list[str]:
    """Drop the paths that lie under another path of the list, so the filter stays short."""
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def restrict_units(units: QuerySet[AdministrativeUnit], user: User) -> QuerySet[AdministrativeUnit]:
    """The units of ``units`` that ``user`` may open."""
    return units.filter(_scope_path_filter(user, "path"))


def restrict_by_unit(queryset: QuerySet[ScopedModel], user: User, unit_field: str) -> QuerySet[ScopedModel]:
    """Rows of any model whose unit (``unit_field``, e.g. ``"village"``) the user may see."""
    return queryset.filter(_scope_path_filter(user, f"{unit_field}__path"))


def restrict_crosswalk(links: QuerySet[CrosswalkLink], user: User) -> QuerySet[CrosswalkLink]:
    """Crosswalk links whose new unit lies in the user's scope (all of them for national users)."""
    if is_national(user):
        return links
    if not user.is_authenticated or user.scope is None:
        return links.none()
    return links.filter(new_unit__path__startswith=user.scope.path)


def can_view_unit(user: User, unit: AdministrativeUnit) -> bool:
    return restrict_units(AdministrativeUnit.objects.filter(pk=unit.pk), user).exists()


def can_edit_villages(user: User, commune: AdministrativeUnit) -> bool:
    """Commune and province officers keep the villages of their communes; administrators all."""
    if not user.is_authenticated or (user.role not in VILLAGE_EDITING_ROLES and not user.is_superuser):
        return False
    if is_national(user):
        return True
    return user.scope is not None and commune.path.startswith(user.scope.path)


def can_import_villages(user: User) -> bool:
    """Who may upload a village list; each row is still checked with :func:`can_edit_villages`."""
    return user.is_authenticated and (user.is_superuser or user.role in VILLAGE_EDITING_ROLES)


def restrict_import_batches(batches: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """Uploaded files are seen by the user who uploaded them, and by administrators."""
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return batches
    return batches.filter(user=user)


def can_manage_reference_data(user: User) -> bool:
    """Crosswalks and commune classifications are national reference data: administrators only."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def breadcrumb_visible(user: User, unit: AdministrativeUnit) -> bool:
    """Ancestors of the user's scope are shown by name as the way there, even when not openable."""
    if user.scope is None:
        return True
    return user.scope.path.startswith(unit.path) or unit.path.startswith(user.scope.path)
