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
from vungcao.geo import tree
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


def _scope_filter(user: User, through: str = "") -> Q:
    """Rows whose unit (reached through ``through``) lies in the user's subtree or its linked history."""
    if is_national(user):
        return Q()
    if not user.is_authenticated or user.scope is None:
        return Q(pk__in=[])
    return tree.in_subtree(user.scope, through) | tree.in_subtrees(tree.history_paths(user.scope), through)


def restrict_units(units: QuerySet[AdministrativeUnit], user: User) -> QuerySet[AdministrativeUnit]:
    """The units of ``units`` that ``user`` may open."""
    return units.filter(_scope_filter(user))


def restrict_by_unit(queryset: QuerySet[ScopedModel], user: User, unit_field: str) -> QuerySet[ScopedModel]:
    """Rows of any model whose unit (``unit_field``, e.g. ``"village"``) the user may see."""
    return queryset.filter(_scope_filter(user, unit_field))


def restrict_by_province(
    queryset: QuerySet[ScopedModel], user: User, province_field: str
) -> QuerySet[ScopedModel]:
    """Rows of a province (``province_field``) the user works in: the province of the user's scope,
    whether the scope is the province or one of its communes (a commune officer takes part in the
    province's review)."""
    if is_national(user):
        return queryset
    if not user.is_authenticated or user.scope is None:
        return queryset.none()
    return queryset.filter(**{f"{province_field}__path": tree.province_path(user.scope)})


def restrict_crosswalk(links: QuerySet[CrosswalkLink], user: User) -> QuerySet[CrosswalkLink]:
    """Crosswalk links whose new unit lies in the user's scope (all of them for national users)."""
    if is_national(user):
        return links
    if not user.is_authenticated or user.scope is None:
        return links.none()
    return links.filter(tree.in_subtree(user.scope, "new_unit"))


def can_view_unit(user: User, unit: AdministrativeUnit) -> bool:
    return restrict_units(AdministrativeUnit.objects.filter(pk=unit.pk), user).exists()


def can_edit_villages(user: User, commune: AdministrativeUnit) -> bool:
    """Commune and province officers keep the villages of their communes; administrators all."""
    if not user.is_authenticated or (user.role not in VILLAGE_EDITING_ROLES and not user.is_superuser):
        return False
    if is_national(user):
        return True
    return user.scope is not None and tree.within(commune, user.scope)


def can_import_villages(user: User) -> bool:
    """Who may upload a village list; each row is still checked with :func:`can_edit_villages`."""
    return user.is_authenticated and (user.is_superuser or user.role in VILLAGE_EDITING_ROLES)


def restrict_import_batches(batches: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """Uploaded files are seen by the user who uploaded them, and by administrators."""
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return batches
    return batches.filter(user=user)


def restrict_household_exports(exports: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """A household export is seen by the user who asked for it alone, administrators included: it is
    their read of personal data."""
    return exports.filter(user=user) if user.is_authenticated else exports.none()


def can_manage_reference_data(user: User) -> bool:
    """Crosswalks and commune classifications are national reference data: administrators only."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def breadcrumb_visible(user: User, unit: AdministrativeUnit) -> bool:
    """Ancestors of the user's scope are shown by name as the way there, even when not openable."""
    if user.scope is None:
        return True
    return tree.within(user.scope, unit) or tree.within(unit, user.scope)


# --- Households and the poverty review -------------------------------------------------------------

MICRODATA_ROLES = frozenset(
    {Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY_ANALYST, Role.ADMINISTRATOR}
)
IDENTITY_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.ADMINISTRATOR})


def can_view_households(user: User) -> bool:
    """Aggregate-only viewers never see a household; every other role sees those in its scope."""
    return user.is_authenticated and (user.is_superuser or user.role in MICRODATA_ROLES)


def restrict_for_figures(
    queryset: QuerySet[ScopedModel], user: User, village_field: str = "household__village"
) -> QuerySet[ScopedModel]:
    """Rows reaching a household's village through ``village_field`` that the user may *count*: every
    role counts within its scope, the aggregate viewer too (counts and rates are not personal data), so
    a figure agrees with the tables of counts beside it; who may *open* a household is
    `can_view_households`."""
    return restrict_by_unit(queryset, user, village_field)


def restrict_households(
    queryset: QuerySet[ScopedModel], user: User, village_field: str = "village"
) -> QuerySet[ScopedModel]:
    """Households (or rows reaching a household's village through ``village_field``) the user may see."""
    if not can_view_households(user):
        return queryset.none()
    return restrict_by_unit(queryset, user, village_field)


def can_see_identity_numbers(user: User) -> bool:
    """Identity numbers are shown whole only to commune officers (who verify them) and administrators."""
    return user.is_authenticated and (user.is_superuser or user.role in IDENTITY_ROLES)


def _within_scope(user: User, unit: AdministrativeUnit) -> bool:
    return is_national(user) or (user.scope is not None and tree.within(unit, user.scope))


ANSWER_ENTRY_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR})


def can_enter_answers_somewhere(user: User) -> bool:
    """Whether the user's role enters questionnaires at all: the one permission behind the questionnaire
    upload page (and its link) and, with the commune's scope, behind every row (`can_enter_answers`), so
    that a role whose rows would all be refused is refused the page."""
    return user.is_authenticated and (user.is_superuser or user.role in ANSWER_ENTRY_ROLES)


def can_enter_answers(user: User, commune: AdministrativeUnit) -> bool:
    """Commune officers enter and import their commune's questionnaires; province officers may help."""
    if not can_enter_answers_somewhere(user):
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    return _within_scope(user, commune)


def can_decide_review(user: User, province: AdministrativeUnit) -> bool:
    """Province officers open reviews and approve, return or re-open their communes' results."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.PROVINCE_OFFICER and _within_scope(user, province)


MONEY_RECORDING_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR})


def can_import_money(user: User) -> bool:
    """Who may upload money records, works or support lists; each row is still checked by unit."""
    return user.is_authenticated and (user.is_superuser or user.role in MONEY_RECORDING_ROLES)


def can_record_money(user: User, unit: AdministrativeUnit) -> bool:
    """Officers record the plans, allocations, disbursements, works and support of units they may open."""
    return can_import_money(user) and (is_national(user) or can_view_unit(user, unit))


def can_define_programme(user: User, province: AdministrativeUnit | None) -> bool:
    """National programmes are kept by administrators; a province officer defines the province's own."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    return (
        province is not None
        and user.role == Role.PROVINCE_OFFICER
        and user.scope is not None
        and tree.within(province, user.scope)
    )


# --- Reads of personal data ------------------------------------------------------------------------


def can_see_personal_data_reads(user: User) -> bool:
    """Who read which household's personal data is for administrators: the log tells what each official
    looked at, so it is itself personal data about the officials, and province officers are among the
    readers it audits. (A data-protection officer's role, per province, would be added here.)"""
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def restrict_personal_data_reads(reads: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """Reads of personal data the user may see: every read for a national administrator; for an
    administrator with a scope, the reads of the households of that scope (not lists or exports, which
    may span other units)."""
    if not can_see_personal_data_reads(user):
        return reads.none()
    return restrict_by_unit(reads, user, "household__village")
