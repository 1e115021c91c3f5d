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

from collections.abc import Iterable
from typing import TypeVar, cast

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from vungcao.accounts.models import Role, User
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level

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


REPLICA_READERS = frozenset({Role.MINISTRY_ANALYST, Role.AGGREGATE_VIEWER})


def reads_replicas(user: User) -> bool:
    """Whether the figures this user's pages show may be read from a replica of the database
    (``common.replicas``): analysts and viewers read figures; officers and administrators read what they
    have just written (an answer, an approval, a user), from the primary."""
    return user.is_authenticated and not user.is_superuser and user.role in REPLICA_READERS


def is_national_administrator(user: User) -> bool:
    """An administrator of the whole country (quản trị hệ thống): every unit, every user, reference data."""
    return user.is_authenticated and (
        user.is_superuser or (user.role == Role.ADMINISTRATOR and user.scope_id is None)
    )


def is_scoped_administrator(user: User) -> bool:
    """An administrator with a scope: a province administrator (quản trị cấp tỉnh), or one commune's.
    For data, the officer of that scope; for accounts, the manager of the officers inside it."""
    return (
        user.is_authenticated
        and not user.is_superuser
        and user.role == Role.ADMINISTRATOR
        and user.scope_id is not None
    )


def data_role(user: User) -> str:
    """The role whose rights on data the user has: a scoped administrator works on the data of the scope
    as its officer does (a province's or a commune's), never as a national administrator."""
    if not is_scoped_administrator(user) or user.scope is None:
        return user.role
    return Role.PROVINCE_OFFICER if user.scope.level == Level.PROVINCE else Role.COMMUNE_OFFICER


def _visible_subtrees(user: User) -> list[str] | None:
    """The paths of the subtrees whose units the user may see: the scope's and its linked history's (none
    without a scope); None for a national user, who sees every unit."""
    if is_national(user):
        return None
    if not user.is_authenticated or user.scope is None:
        return []
    return tree.with_history(user.scope)


def _scope_filter(user: User, through: str = "") -> Q:
    """Rows whose unit (reached through ``through``) lies in the user's subtree or its linked history."""
    return _within(_visible_subtrees(user), through)


def _within(visible: list[str] | None, through: str) -> Q:
    """Rows whose unit (reached through ``through``) lies in one of the ``visible`` subtrees (every row
    when None)."""
    return Q() if visible is None else tree.in_subtrees(visible, through)


def restrict_units(units: QuerySet[AdministrativeUnit], user: User) -> QuerySet[AdministrativeUnit]:
    """The units of ``units`` that ``user`` may open."""
    return units.filter(_scope_filter(user))


def restrict_subtrees(paths: Iterable[str], user: User) -> list[str]:
    """Of the subtrees of ``paths``, the parts ``user`` may open, as the (outermost) paths of subtrees: what
    :func:`restrict_units` keeps of the units under ``paths``, for a caller holding the units in memory."""
    visible = _visible_subtrees(user)
    return tree.outermost(paths) if visible is None else tree.common_subtrees(paths, visible)


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


def policy_simulation_provinces(user: User) -> frozenset[str] | None:
    """The provinces (codes of the current era) whose households a user may see simulated under another
    standard, in aggregate: every one (None) for a national user, the scope's for a province's user, none
    for a commune's (a province's figures are not theirs)."""
    if is_national(user):
        return None
    if user.is_authenticated and user.scope is not None and user.scope.level == Level.PROVINCE:
        return frozenset({user.scope.code})
    return frozenset()


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
    """Uploaded files are seen by the user who uploaded them, and by national administrators."""
    if is_national_administrator(user):
        return batches
    return batches.filter(user=user)


def restrict_exports(exports: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """An export is seen by the user who asked for it alone, administrators included: a household list
    is their read of personal data."""
    return exports.filter(user=user) if user.is_authenticated else exports.none()


def can_manage_reference_data(user: User) -> bool:
    """Crosswalks and commune classifications are national reference data: national administrators only."""
    return is_national_administrator(user)


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
    return user.is_authenticated and (user.is_superuser or data_role(user) in MICRODATA_ROLES)


def restrict_for_figures(
    queryset: QuerySet[ScopedModel], user: User, village_field: str = "household__village"
) -> QuerySet[ScopedModel]:
    """Rows reaching a household's village through ``village_field`` that the user may *count*: every
    role counts within its scope, the aggregate viewer too (counts and rates are not personal data), so
    a figure agrees with the tables of counts beside it; who may *open* a household is
    `can_view_households`."""
    return restrict_by_unit(queryset, user, village_field)


def restrict_households(
    queryset: QuerySet[ScopedModel], user: User, village_field: str = "village", province_field: str = ""
) -> QuerySet[ScopedModel]:
    """Households (or rows reaching a household's village through ``village_field``) the user may see.

    With ``province_field``, the province each row keeps equal to its village's (``Household.province``),
    a user who sees whole provinces (a province's officer: the province and the old provinces linked into
    it) is given the condition on those of them that hold rows, most often one: a range of an index
    leading with the province, read in code order, where the village's path is a join whose size the
    database cannot foresee (``docs/design/rollups.md``)."""
    if not can_view_households(user):
        return queryset.none()
    visible = _visible_subtrees(user)
    if province_field and visible and all(path == tree.province_of_path(path) for path in visible):
        holding = [
            pk for pk in tree.unit_ids(visible).values() if queryset.filter(**{province_field: pk}).exists()
        ]
        return queryset.filter(**{f"{province_field}__in": holding})
    return queryset.filter(_within(visible, village_field))


def can_see_identity_numbers(user: User) -> bool:
    """Identity numbers are shown whole only to commune officers (who verify them) and administrators."""
    return user.is_authenticated and (user.is_superuser or data_role(user) in IDENTITY_ROLES)


def _within_scope(user: User, unit: AdministrativeUnit) -> bool:
    return is_national(user) or (user.scope is not None and tree.within(unit, user.scope))


# The roles (for data: a scoped administrator as its scope's officer) that enter questionnaires.
ANSWER_ENTRY_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER})


def can_enter_answers_somewhere(user: User) -> bool:
    """Whether the user's role enters questionnaires at all: the one permission behind the questionnaire
    upload page (and its link) and, with the commune's scope, behind every row (`can_enter_answers`), so
    that a role whose rows would all be refused is refused the page."""
    return is_national_administrator(user) or (
        user.is_authenticated and data_role(user) in ANSWER_ENTRY_ROLES
    )


def can_enter_answers(user: User, commune: AdministrativeUnit) -> bool:
    """Commune officers enter and import their commune's questionnaires; province officers may help."""
    if is_national_administrator(user):
        return True
    return can_enter_answers_somewhere(user) and _within_scope(user, commune)


def restrict_answer_entry(
    queryset: QuerySet[ScopedModel], user: User, commune_field: str = "commune"
) -> QuerySet[ScopedModel]:
    """Rows of the communes (reached through ``commune_field``) whose answers the user may enter: those
    for which `can_enter_answers` holds, in one query (a province officer's review forms on a phone)."""
    if is_national_administrator(user):
        return queryset
    if not can_enter_answers_somewhere(user) or user.scope is None:
        return queryset.none()
    return queryset.filter(tree.in_subtree(user.scope, commune_field))


def can_decide_review(user: User, province: AdministrativeUnit) -> bool:
    """Province officers open reviews and approve, return or re-open their communes' results."""
    if is_national_administrator(user):
        return True
    return (
        user.is_authenticated and data_role(user) == Role.PROVINCE_OFFICER and _within_scope(user, province)
    )


def restrict_field_submissions(
    queryset: QuerySet[ScopedModel], user: User, commune_field: str = "commune_review__commune"
) -> QuerySet[ScopedModel]:
    """Answers sent from phones (``field_capture.Submission``) the user may see: those of the communes in
    scope, for every role that sees households (they hold a household's answers and its head's name);
    deciding on one asks `can_enter_answers` for its commune. Rows reaching the commune through
    ``commune_field`` (its reviews: ``"commune"``) are those whose submissions the user may see."""
    if not can_view_households(user):
        return queryset.none()
    return restrict_by_unit(queryset, user, commune_field)


MONEY_RECORDING_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR})


def can_import_money(user: User) -> bool:
    """Who may upload money records, works or support lists; each row is still checked by unit."""
    return user.is_authenticated and (user.is_superuser or user.role in MONEY_RECORDING_ROLES)


def can_record_money(user: User, unit: AdministrativeUnit) -> bool:
    """Officers record the plans, allocations, disbursements, works and support of units they may open."""
    return can_import_money(user) and (is_national(user) or can_view_unit(user, unit))


def can_define_programme(user: User, province: AdministrativeUnit | None) -> bool:
    """National programmes are kept by administrators; a province officer defines the province's own."""
    if is_national_administrator(user):
        return True
    return (
        user.is_authenticated
        and province is not None
        and data_role(user) == Role.PROVINCE_OFFICER
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


# --- Dashboards --------------------------------------------------------------------------------------


def scope_province(user: User) -> AdministrativeUnit | None:
    """The province a scoped user works in (the scope's own when it is one), where a dashboard that covers
    the whole country opens for them instead; None for national users and users without a scope."""
    if is_national(user) or user.scope is None:
        return None
    return AdministrativeUnit.objects.filter(path=tree.province_path(user.scope)).first()


# --- Managing users --------------------------------------------------------------------------------

# What a scoped administrator may make of a user: the roles of the scope, never a national one (the
# level each role needs is checked by ``services.scope_check``: no province officer inside a commune).
SCOPED_ASSIGNABLE_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR)
SCOPE_LEVELS = (Level.PROVINCE, Level.COMMUNE)


def can_manage_users(user: User) -> bool:
    """National administrators manage every user; a province administrator those inside the province."""
    return is_national_administrator(user) or is_scoped_administrator(user)


def restrict_managed_users(users: QuerySet[User], user: User) -> QuerySet[User]:
    """The users ``user`` may list and open for management: all for a national administrator; for a
    province administrator, the officers and administrators whose scope lies inside the province (never
    a national user, nor an analyst or viewer scoped there)."""
    if is_national_administrator(user):
        return users
    if is_scoped_administrator(user) and user.scope is not None:
        return users.filter(
            tree.in_subtree(user.scope, "scope"), role__in=SCOPED_ASSIGNABLE_ROLES, is_superuser=False
        )
    return users.none()


def restrict_user_changes(changes: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """Changes to accounts (``UserChange``) of the users ``user`` may manage, as they are scoped today."""
    if is_national_administrator(user):
        return changes
    if is_scoped_administrator(user) and user.scope is not None:
        return changes.filter(
            tree.in_subtree(user.scope, "user__scope"),
            user__role__in=SCOPED_ASSIGNABLE_ROLES,
            user__is_superuser=False,
        )
    return changes.none()


def restrict_scope_units(units: QuerySet[AdministrativeUnit], user: User) -> QuerySet[AdministrativeUnit]:
    """The units ``user`` may give another user as a scope: open provinces and communes of the current
    era, inside the administrator's own scope (nothing for anyone else)."""
    if not can_manage_users(user):
        return units.none()
    units = units.filter(era=Era.CURRENT, level__in=SCOPE_LEVELS, valid_to__isnull=True)
    if is_national_administrator(user) or user.scope is None:
        return units
    return units.filter(tree.in_subtree(user.scope))


def assignable_roles(user: User) -> list[Role]:
    """The roles ``user`` may give: every role for a national administrator, the province's own for a
    province administrator (at or below their own), none for anyone else."""
    if is_national_administrator(user):
        return list(Role)
    if is_scoped_administrator(user):
        return list(SCOPED_ASSIGNABLE_ROLES)
    return []


def can_assign(user: User, role: str, scope: AdministrativeUnit | None) -> bool:
    """Whether ``user`` may make someone ``role`` in ``scope`` (the level a role needs is the service's
    check): a province administrator only the province's roles, inside the province."""
    if is_national_administrator(user):
        return True
    return (
        role in assignable_roles(user)
        and scope is not None
        and user.scope is not None
        and tree.within(scope, user.scope)
    )


def can_change_user(user: User, target: User) -> bool:
    """Whether ``user`` may change ``target``'s account; nobody changes their own here (no one raises or
    widens their own rights, nor locks themselves out)."""
    return target.pk != user.pk and restrict_managed_users(User.objects.filter(pk=target.pk), user).exists()


# --- Indicators and targets ------------------------------------------------------------------------

INDICATOR_ENTRY_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER})


def can_enter_indicator_values_somewhere(user: User) -> bool:
    """Whether the user's role enters indicator values at all: officers (and administrators of a scope,
    as its officers) and national administrators; analysts and viewers never."""
    return is_national_administrator(user) or (
        user.is_authenticated and data_role(user) in INDICATOR_ENTRY_ROLES
    )


def can_enter_indicator_values(user: User, unit: AdministrativeUnit) -> bool:
    """Officers enter indicator values for the units they may open (their scope and its history before
    1 July 2025), national administrators for any unit."""
    return can_enter_indicator_values_somewhere(user) and (is_national(user) or can_view_unit(user, unit))


def restrict_value_entries(entries: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """Entered indicator values (``IndicatorValue``) the user may correct or remove: those of the units they
    enter values for (:func:`can_enter_indicator_values`)."""
    if not can_enter_indicator_values_somewhere(user):
        return entries.none()
    return restrict_by_unit(entries, user, "unit")


def can_set_targets_somewhere(user: User) -> bool:
    """Province officers (and province administrators) set targets and define groups and indicators;
    national administrators too."""
    return is_national_administrator(user) or (
        user.is_authenticated and data_role(user) == Role.PROVINCE_OFFICER
    )


def can_set_targets(user: User, unit: AdministrativeUnit) -> bool:
    """Targets and groups of the units a province officer may open (history included); any for national
    administrators."""
    return can_set_targets_somewhere(user) and (is_national(user) or can_view_unit(user, unit))


def can_define_indicators(user: User, province: AdministrativeUnit | None) -> bool:
    """A province's own indicators are defined, changed and removed by those who set its targets and keep
    its programmes (its officers), and by national administrators."""
    return can_set_targets_somewhere(user) and can_define_programme(user, province)


def restrict_indicators(indicators: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """A province's own indicators are seen in that province (by its communes' officers too) and by
    national users."""
    return restrict_by_province(indicators, user, "owner")


def can_see_unit_groups(user: User) -> bool:
    """Groups of units are kept by provinces: read by national users and by those of a province's scope
    (a commune's officer has none in scope)."""
    return is_national(user) or (
        user.is_authenticated and user.scope is not None and user.scope.level == Level.PROVINCE
    )


def restrict_unit_groups(groups: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """Groups of units kept by a unit the user may open (its members lie under that unit or in its
    history, so the user may open them too)."""
    return groups.filter(_scope_filter(user, "owner"))


def restrict_targets(targets: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """Targets of a unit the user may open, or of a group kept by one."""
    return targets.filter(_scope_filter(user, "unit") | _scope_filter(user, "group__owner"))


def can_open_reporting_periods(user: User, owner: AdministrativeUnit | None) -> bool:
    """A province's reporting periods (its communes report) are opened by those who set its targets; a
    national period (the provinces report) by national administrators."""
    return can_set_targets(user, owner) if owner is not None else is_national_administrator(user)


def restrict_reporting_periods(periods: QuerySet[ScopedModel], user: User) -> QuerySet[ScopedModel]:
    """Periods of the province the user works in (its history included), and national periods for users
    who see a province; each lists only the reporting units the user may open (`restrict_units`)."""
    if is_national(user):
        return periods
    if not user.is_authenticated or user.scope is None:
        return periods.none()
    condition = _scope_filter(user, "owner") | Q(owner__path=tree.province_path(user.scope))
    if user.scope.level == Level.PROVINCE:
        condition |= Q(owner__isnull=True)
    return periods.filter(condition)
