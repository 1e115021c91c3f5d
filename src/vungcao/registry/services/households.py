"""Households and members: created, moved, split (a son's family becomes its own) and merged, keeping history."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine import households as rules
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.registry import identity
from vungcao.registry.models import Area, CommuneReview, Household, HouseholdEvent, Member
from vungcao.registry.reference import ethnic_groups
from vungcao.registry.rollups import household_rollups_adjusted, reviews_of_households

# A duplicate is named only to a user who may see the household holding it; anyone else learns that the
# number or code is taken, never where (which household, commune or province).
IDENTITY_TAKEN = gettext_lazy(
    "Identity number ending {digits} already belongs to a member of household {code}."
)
IDENTITY_TAKEN_ELSEWHERE = gettext_lazy(
    "This identity number is already registered elsewhere; contact the province."
)
MEMBER_PROBLEM = gettext_lazy("Member {number}: {reason}")
CODE_TAKEN = gettext_lazy("The household code {code} is already used.")
CODE_TAKEN_ELSEWHERE = gettext_lazy(
    "This household code is already registered elsewhere; contact the province."
)

# Two officers registering the same code or identity number at the same moment both pass the checks
# above; the database's unique constraints refuse the second.
REGISTERED_MEANWHILE = gettext_lazy(
    "The household code or an identity number was registered by someone else a moment ago; nothing was "
    "saved. Check them and try again."
)


@dataclass(frozen=True)
class MemberData:
    full_name: str
    sex: str
    birth_year: int
    ethnic_group: str
    relation_to_head: str
    identity_number: str = ""
    schooling: str = ""
    has_health_insurance: bool = False
    has_disability: bool = False
    work: str = ""


def _village_check(user: User, village: AdministrativeUnit) -> None:
    if village.level != Level.VILLAGE or village.parent is None or village.valid_to is not None:
        raise ApplicationError(_("A household lives in an open village."))
    if not access.can_enter_answers(user, village.parent):
        raise PermissionDeniedError(_("You may not change the households of this commune."))


def _member_facts(data: MemberData) -> rules.MemberFacts:
    return rules.MemberFacts(data.relation_to_head, data.birth_year, identity.normalise(data.identity_number))


def _rules_check(problems: Sequence[rules.Problem]) -> None:
    """Refuse with the first broken household or member rule, naming the member (1-based) it concerns."""
    if not problems:
        return
    problem = problems[0]
    reason = problem.reason.in_language(reader_language())
    if problem.member is None:
        raise ApplicationError(reason)
    raise ApplicationError(str(MEMBER_PROBLEM).format(number=problem.member + 1, reason=reason))


def member_build(household: Household, data: MemberData) -> Member:
    if data.ethnic_group not in ethnic_groups():
        raise ApplicationError(_("Unknown ethnic group code {code}.").format(code=data.ethnic_group))
    _rules_check(rules.member_problems(_member_facts(data), this_year=datetime.date.today().year))
    protected = identity.protect(data.identity_number)
    return Member(
        household=household,
        full_name=" ".join(data.full_name.split()),
        sex=data.sex,
        birth_year=data.birth_year,
        ethnic_group=data.ethnic_group,
        relation_to_head=data.relation_to_head,
        identity_digest=protected.digest,
        identity_encrypted=protected.encrypted,
        identity_last_digits=protected.last_digits,
        schooling=data.schooling,
        has_health_insurance=data.has_health_insurance,
        has_disability=data.has_disability,
        work=data.work,
    )


def _duplicate_identity_check(
    user: User, members: Sequence[Member], household: Household | None = None
) -> None:
    """No identity number is given twice, here or in another open household. A clash in a household the
    user may see names it; any other clash is reported without saying where."""
    digests = [member.identity_digest for member in members if member.identity_digest]
    clash = Member.objects.filter(identity_digest__in=digests, left_on__isnull=True)
    if household is not None and household.pk:
        clash = clash.exclude(household=household)
    seen = access.restrict_households(clash, user, "household__village")
    found = seen.select_related("household").first()
    if found is not None:
        raise ApplicationError(
            str(IDENTITY_TAKEN).format(digits=found.identity_last_digits, code=found.household.code)
        )
    if clash.exists():
        raise ApplicationError(str(IDENTITY_TAKEN_ELSEWHERE))


def _code_free_check(user: User, code: str) -> None:
    """The household code is not taken; that it is taken is said by code only to a user who may see
    the household holding it."""
    taken = Household.objects.filter(code=code.strip())
    seen = access.restrict_households(taken, user)
    if seen.exists():
        raise ApplicationError(str(CODE_TAKEN).format(code=code.strip()))
    if taken.exists():
        raise ApplicationError(str(CODE_TAKEN_ELSEWHERE))


def _locked(*households: Household) -> list[Household]:
    """The households as stored now, locked until the end of the transaction in primary-key order (the
    order every writer takes them in, the questionnaire import too): two changes of one household run
    one after the other, and the second is decided on what the first left. The reviews the households
    were assessed in are locked before them, as the import locks them, since a move or a merge recounts
    their flows (``registry.rollups``)."""
    pks = [household.pk for household in households]
    database.rows_lock(CommuneReview, reviews_of_households(pks))
    database.rows_lock(Household, pks)
    stored = Household.objects.select_related("village__parent").in_bulk(pks)
    return [stored[household.pk] for household in households]


def _saved(*writes: Callable[[], object]) -> None:
    """Run the writes; a unique constraint refusing one of them is the registration that came first."""
    try:
        for write in writes:
            write()
    except IntegrityError as error:
        raise ApplicationError(str(REGISTERED_MEANWHILE)) from error


@transaction.atomic
def household_create(
    *,
    user: User,
    village: AdministrativeUnit,
    code: str,
    area: str,
    members: Sequence[MemberData],
    address: str = "",
    established_on: datetime.date | None = None,
) -> Household:
    """A household with its members; exactly one member is the head and gives the household's ethnic group."""
    _village_check(user, village)
    _rules_check(
        rules.household_problems(
            [_member_facts(data) for data in members], this_year=datetime.date.today().year
        )
    )
    heads = [member for member in members if member.relation_to_head == Member.Relation.HEAD]
    _code_free_check(user, code)
    household = Household(
        code=code.strip(),
        village=village,
        address=address.strip(),
        area=Area(area),
        head_ethnic_group=heads[0].ethnic_group,
        established_on=established_on,
    )
    built = [member_build(household, data) for data in members]
    _duplicate_identity_check(user, built)
    _saved(household.save, lambda: Member.objects.bulk_create(built))
    HouseholdEvent.objects.create(
        household=household,
        kind=HouseholdEvent.Kind.CREATED,
        happened_on=established_on or datetime.date.today(),
        to_village=village,
        recorded_by=user,
    )
    return household


@transaction.atomic
def household_move(
    *, user: User, household: Household, to_village: AdministrativeUnit, on: datetime.date
) -> Household:
    (household,) = _locked(household)
    _village_check(user, household.village)
    _village_check(user, to_village)
    if household.dissolved_on:
        raise ApplicationError(_("The household was dissolved; it cannot move."))
    if to_village.pk == household.village_id:
        raise ApplicationError(_("The household already lives in this village."))
    HouseholdEvent.objects.create(
        household=household,
        kind=HouseholdEvent.Kind.MOVED,
        happened_on=on,
        from_village=household.village,
        to_village=to_village,
        recorded_by=user,
    )
    with household_rollups_adjusted([household.pk]):
        household.village = to_village
        household.save(update_fields=["village", "updated_at"])
    return household


@transaction.atomic
def household_split(
    *,
    user: User,
    household: Household,
    member_ids: Sequence[int],
    new_code: str,
    new_head_id: int,
    on: datetime.date,
) -> Household:
    """Members leave ``household`` to form a new household (a son's family); both keep their history."""
    (household,) = _locked(household)
    _village_check(user, household.village)
    moving = list(Member.objects.filter(household=household, pk__in=member_ids, left_on__isnull=True))
    staying = Member.objects.filter(household=household, left_on__isnull=True).exclude(pk__in=member_ids)
    if not moving or len(moving) != len(set(member_ids)):
        raise ApplicationError(_("Choose members of this household to form the new one."))
    if not staying.exists():
        raise ApplicationError(_("Someone must stay in the household; record a move instead."))
    if staying.filter(relation_to_head=Member.Relation.HEAD).count() != 1:
        raise ApplicationError(_("The head stays in the household; choose a new head for the new household."))
    new_head = next((member for member in moving if member.pk == new_head_id), None)
    if new_head is None:
        raise ApplicationError(_("The new household's head must be one of the members who leave."))
    _code_free_check(user, new_code)
    new = Household(
        code=new_code.strip(),
        village=household.village,
        address=household.address,
        area=household.area,
        head_ethnic_group=new_head.ethnic_group,
        established_on=on,
    )
    _saved(new.save)
    copies = []
    for member in moving:
        copies.append(
            Member(
                household=new,
                full_name=member.full_name,
                sex=member.sex,
                birth_year=member.birth_year,
                ethnic_group=member.ethnic_group,
                relation_to_head=Member.Relation.HEAD if member.pk == new_head_id else Member.Relation.OTHER,
                identity_digest=member.identity_digest,
                identity_encrypted=member.identity_encrypted,
                identity_last_digits=member.identity_last_digits,
                schooling=member.schooling,
                has_health_insurance=member.has_health_insurance,
                has_disability=member.has_disability,
                work=member.work,
            )
        )
    Member.objects.filter(pk__in=[member.pk for member in moving]).update(left_on=on)
    Member.objects.bulk_create(copies)
    HouseholdEvent.objects.create(
        household=new,
        kind=HouseholdEvent.Kind.SPLIT_FROM,
        happened_on=on,
        other_household=household,
        recorded_by=user,
    )
    return new


@transaction.atomic
def household_merge(*, user: User, household: Household, into: Household, on: datetime.date) -> Household:
    """Every member of ``household`` joins ``into``; ``household`` is dissolved with a link to it."""
    household, into = _locked(household, into)
    _village_check(user, household.village)
    _village_check(user, into.village)
    if household.pk == into.pk or household.dissolved_on or into.dissolved_on:
        raise ApplicationError(_("Merge an open household into another open household."))
    members = list(Member.objects.filter(household=household, left_on__isnull=True))
    Member.objects.filter(pk__in=[member.pk for member in members]).update(left_on=on)
    for member in members:
        member.pk = None
        member.household = into
        member.relation_to_head = Member.Relation.OTHER
        member.left_on = None
    Member.objects.bulk_create(members)
    with household_rollups_adjusted([household.pk]):
        household.dissolved_on = on
        household.save(update_fields=["dissolved_on", "updated_at"])
    HouseholdEvent.objects.create(
        household=household,
        kind=HouseholdEvent.Kind.MERGED_INTO,
        happened_on=on,
        other_household=into,
        recorded_by=user,
    )
    return into


# Villages whose households one statement moves to their new province.
VILLAGES_AT_ONCE = 1000


def households_follow_their_villages(*, paths: Sequence[str], **_signal: object) -> None:
    """The households of the units moved to ``paths`` (``geo.signals.units_moved``) take the province their
    villages lie in now: one update per province and thousand villages."""
    villages = list(AdministrativeUnit.objects.filter(tree.in_subtrees(paths), level=Level.VILLAGE))
    villages_of: dict[int, list[int]] = defaultdict(list)
    for village, province in tree.province_ids(villages).items():
        villages_of[province].append(village)
    for province, ids in villages_of.items():
        for start in range(0, len(ids), VILLAGES_AT_ONCE):
            Household.objects.filter(village_id__in=ids[start : start + VILLAGES_AT_ONCE]).exclude(
                province_id=province
            ).update(province_id=province)
