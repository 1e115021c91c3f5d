"""Planning a questionnaire file: where each household belongs, its members' checks against the file and
the registry, its classification, and what would change (written only when the plan is applied)."""

import itertools
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from django.db import IntegrityError, connection

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.common.bulk import batched, column_name
from vungcao.common.errors import ApplicationError
from vungcao.common.importing import ImportPlan, Rows
from vungcao.common.language import reader_language
from vungcao.engine import households as household_rules
from vungcao.engine.choices import ChoiceError
from vungcao.engine.tabular import ValidationReport
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.registry import classification, identity
from vungcao.registry.models import Assessment, CommuneReview, Household, Member
from vungcao.registry.services.assessments import ASSESSED_IN_ANOTHER_REVIEW
from vungcao.registry.services.households import IDENTITY_TAKEN_ELSEWHERE
from vungcao.registry.services.questionnaire.changes import ChangeCollector, HouseholdChange, household_change
from vungcao.registry.services.questionnaire.columns import (
    AREA_VALUES,
    CHANGED_MEANWHILE,
    COLUMNS,
    HOUSEHOLD_ELSEWHERE,
    NO_OPEN_REVIEW,
    SAME_IDENTITY_IN_FILE,
    SAME_IDENTITY_STORED,
    UNKNOWN_HOUSEHOLD,
    UNKNOWN_VILLAGE,
)
from vungcao.registry.services.questionnaire.reading import (
    HouseholdRows,
    group_households,
    masked_identity,
    typed_answers,
)
from vungcao.registry.services.questionnaire.storage import (
    MEMBER_KEY_FIELDS,
    StoredAssessment,
    StoredHousehold,
    StoredMember,
)
from vungcao.registry.services.questionnaire.writing import (
    write_households,
)
from vungcao.registry.services.reviews import ENTRY_STATES


def _keep_stored(user: User, households: dict[str, HouseholdRows], report: ValidationReport) -> None:
    """Give each household whose members are kept its stored village and address; one that is not a
    household the user may see is reported on its row and planned no further."""
    kept = [code for code, household in households.items() if household.members_kept]
    stored = {
        code: (village_code, address)
        for batch in batched(kept)
        for code, village_code, address in access.restrict_households(
            Household.objects.filter(code__in=batch), user
        ).values_list("code", "village__code", "address")
    }
    for code in kept:
        household = households[code]
        if code in stored:
            household.village_code, household.address = stored[code]
        else:
            report.add(household.row, "household_code", code, str(UNKNOWN_HOUSEHOLD))
            del households[code]


def _place(user: User, households: Mapping[str, HouseholdRows], report: ValidationReport) -> None:
    """Find each household's village and its commune's open review of the year (locked when applying)."""
    villages = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            level=Level.VILLAGE, valid_to__isnull=True, code__in={h.village_code for h in households.values()}
        ).select_related("parent")
    }
    communes = {village.parent_id for village in villages.values()}
    # Applying a file plans it again inside the transaction that writes it (``ImportPlan``), and the plan
    # locks what it is made from, reviews first, then households (``common.database.rows_lock``): a
    # submission or approval waits for the import and an import that waited for one finds the review
    # closed; two imports of the same households run one after the other, the second planned against
    # what the first wrote, never merged with it; a household moved, split or merged meanwhile (those
    # lock its row) is not overwritten with what it was before. A preview locks nothing.
    # Also the reviews the file's households are counted in (another commune's, for one that moved), whose
    # counts the file changes too (``registry.rollups``): all locked at once, in one order.
    database.rows_lock(
        CommuneReview,
        itertools.chain(
            CommuneReview.objects.filter(commune__in=communes).values_list("pk", flat=True),
            (
                review
                for batch in batched(list(households))
                for review in Assessment.objects.filter(household__code__in=batch).values_list(
                    "commune_review", flat=True
                )
            ),
        ),
    )
    reviews = {
        (review.commune_id, review.cycle.year): review
        for review in CommuneReview.objects.filter(commune__in=communes).select_related("cycle", "commune")
    }
    # Checked once a village, not once a household.
    enterable = {
        code: village
        for code, village in villages.items()
        if village.parent is not None and access.can_enter_answers(user, village.parent)
    }
    for household in households.values():
        village = enterable.get(household.village_code)
        if village is None or village.parent is None:
            report.add(household.row, "village_code", household.village_code, str(UNKNOWN_VILLAGE))
            continue
        review = reviews.get((village.parent.pk, int(household.year))) if household.year.isdigit() else None
        if review is None or review.state not in ENTRY_STATES:
            report.add(
                household.row, "review_year", household.year, str(NO_OPEN_REVIEW).format(year=household.year)
            )
            continue
        household.village, household.review = village, review
        try:
            household.area = AREA_VALUES.choice_set().resolve(household.area)
        except ChoiceError as error:
            report.add(household.row, "area", household.area, error.message(reader_language()))


def _check_members(user: User, households: Mapping[str, HouseholdRows], report: ValidationReport) -> None:
    seen: dict[str, tuple[int, str]] = {}
    for household in households.values():
        if household.members_kept:
            continue
        heads = household_rules.head_count_problem([member.relation_to_head for member in household.members])
        if heads is not None and not household.has_invalid_member:
            report.add(household.row, "relation_to_head", "", heads.in_language(reader_language()))
        for member in household.members:
            if not member.identity_number:
                continue
            earlier = seen.setdefault(member.identity_number, (member.row, household.code))
            if earlier[0] != member.row:
                report.add(
                    member.row,
                    "identity_number",
                    masked_identity(member.identity_number),
                    str(SAME_IDENTITY_IN_FILE).format(row=earlier[0], code=earlier[1]),
                )
    digest_of = identity.identity_digests(seen)
    for household in households.values():
        for member in household.members:
            if member.identity_number:
                member.identity_digest = digest_of[member.identity_number]
    digests = {digest_of[number]: (number, code) for number, (_row, code) in seen.items()}
    clashes = [
        (digest, stored_code)
        for digest, stored_code in _stored_identities(list(digests))
        if stored_code != digests[digest][1]
    ]
    # A household the user may not see is not named, nor where it is (no identity-number oracle).
    visible = _visible_household_codes(user, {stored_code for _digest, stored_code in clashes})
    for digest, stored_code in clashes:
        number = digests[digest][0]
        reason = (
            str(SAME_IDENTITY_STORED).format(code=stored_code)
            if stored_code in visible
            else str(IDENTITY_TAKEN_ELSEWHERE)
        )
        report.add(seen[number][0], "identity_number", masked_identity(number), reason)


def _visible_household_codes(user: User, codes: set[str]) -> set[str]:
    if not codes:
        return set()
    households = access.restrict_households(Household.objects.filter(code__in=codes), user)
    return set(households.values_list("code", flat=True))


def _stored_identities(digests: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(digest, household code) of the current members with one of ``digests``. In SQL: the ORM prepares
    each of a large file's hundreds of thousands of digests one by one, which took longer than the queries."""
    quote = connection.ops.quote_name
    query = (
        f"SELECT member_row.{column_name(Member, 'identity_digest')}, household_row.{column_name(Household, 'code')} "
        f"FROM {quote(Member._meta.db_table)} member_row JOIN {quote(Household._meta.db_table)} household_row "
        f"ON household_row.{column_name(Household, 'id')} = member_row.{column_name(Member, 'household')} "
        f"WHERE member_row.{column_name(Member, 'left_on')} IS NULL "
        f"AND member_row.{column_name(Member, 'identity_digest')} IN ({{keys}})"
    )
    with connection.cursor() as cursor:
        for batch in batched(digests):
            cursor.execute(query.format(keys=", ".join(["%s"] * len(batch))), batch)
            yield from cursor.fetchall()


def questionnaire_columns(user: User) -> tuple[tuple[str, str], ...]:
    """The answer columns of the standards of the reviews open to ``user``, with their Vietnamese labels."""
    open_reviews = access.restrict_by_unit(
        CommuneReview.objects.filter(state__in=ENTRY_STATES), user, "commune"
    )
    identifiers = sorted(set(open_reviews.values_list("cycle__standard_identifier", flat=True)))
    columns: dict[str, str] = {}
    for identifier in identifiers:
        rule = classification.standard(identifier)
        for name in classification.answer_fields(identifier):
            columns.setdefault(
                name, rule.field(name).label.vi if name in {f.name for f in rule.all_fields} else name
            )
    return tuple(columns.items())


def questionnaire_plan(*, user: User, rows: Rows, answers_only: frozenset[str] = frozenset()) -> ImportPlan:
    """What the questionnaire's ``rows`` would change. The households of ``answers_only`` (codes of
    registered households) change only as the web's answers form changes them: their answers, area and
    income; their village, address and members are kept as stored and their member columns not read."""
    plan = ImportPlan()
    report = plan.report
    present = set(rows[0]) if rows else set()
    answer_columns = [column for column in present if column not in COLUMNS]
    households = group_households(rows, answer_columns, report, answers_only)
    _keep_stored(user, households, report)
    _place(user, households, report)
    _check_members(user, households, report)
    # Households are classified by row, so all those under one standard go to the engine together.
    by_standard: dict[str, list[HouseholdRows]] = defaultdict(list)
    for household in households.values():
        if household.review is not None:
            by_standard[household.review.cycle.standard_identifier].append(household)
    results = {}
    for identifier, group in by_standard.items():
        known = classification.known_answer_columns(identifier)
        for household in group:
            household.answers = {name: text for name, text in household.answers.items() if name in known}
        answers = [{"area": h.area, "income_per_capita_month": h.income, **h.answers} for h in group]
        classified, answer_report = classification.classify_rows(identifier, answers)
        for problem in answer_report:
            row = group[problem.row - 1].row if problem.row else 1
            report.add(row, problem.field, problem.value, problem.reason)
        results.update({household.code: result for household, result in zip(group, classified, strict=False)})
    if not report.ok:
        return ImportPlan(report=report)
    return _diff(households, results, plan)


def _diff(
    households: Mapping[str, HouseholdRows], results: Mapping[str, classification.Result], plan: ImportPlan
) -> ImportPlan:
    database.rows_lock(
        Household,
        (
            pk
            for codes in batched(list(households))
            for pk in Household.objects.filter(code__in=codes).values_list("pk", flat=True)
        ),
    )
    stored = {
        code: StoredHousehold(pk, village_id, commune_id, address, area, f"{village_name} ({village_code})")
        for batch in batched(list(households))
        for pk, code, village_id, commune_id, address, area, village_name, village_code in Household.objects.filter(
            code__in=batch
        ).values_list(
            "pk",
            "code",
            "village_id",
            "village__parent_id",
            "address",
            "area",
            "village__name",
            "village__code",
        )
    }
    stored_pks = [household.pk for household in stored.values()]
    compared = [household.pk for code, household in stored.items() if not households[code].members_kept]
    members: dict[int, list[StoredMember]] = defaultdict(list)
    for batch in batched(compared):
        for pk, household_id, encrypted, *key in (
            Member.objects.filter(household__in=batch, left_on__isnull=True)
            .order_by("pk")
            .values_list("pk", "household_id", "identity_encrypted", *MEMBER_KEY_FIELDS)
        ):
            members[household_id].append(StoredMember(pk, tuple(key), encrypted))
    years = {household.review.cycle.year for household in households.values() if household.review is not None}
    # A household has one assessment a year: the stored one of the file's year, in whichever cycle.
    stored_assessments = {
        (year, household_id): (cycle_id, (pk, answers, income))
        for batch in batched(stored_pks)
        for pk, cycle_id, year, household_id, answers, income in Assessment.objects.filter(
            household__in=batch, year__in=years
        ).values_list("pk", "cycle_id", "year", "household_id", "answers", "income_per_capita_month")
    }
    assessments: dict[tuple[int, int], StoredAssessment] = {
        (cycle_id, household_id): assessment
        for (_year, household_id), (cycle_id, assessment) in stored_assessments.items()
    }
    new_households: list[HouseholdRows] = []
    changes: list[HouseholdChange] = []
    collector = ChangeCollector()
    for household in households.values():
        existing = stored.get(household.code)
        if existing is None:
            new_households.append(household)
            collector.added(household)
            continue
        assert household.review is not None
        assert household.village is not None
        if existing.commune_id != household.village.parent_id:
            plan.report.add(household.row, "household_code", household.code, str(HOUSEHOLD_ELSEWHERE))
            continue
        stored_assessment = stored_assessments.get((household.review.cycle.year, existing.pk))
        if stored_assessment is not None and stored_assessment[0] != household.review.cycle_id:
            reason = str(ASSESSED_IN_ANOTHER_REVIEW).format(year=household.review.cycle.year)
            plan.report.add(household.row, "household_code", household.code, reason)
            continue
        assessment = assessments.get((household.review.cycle_id, existing.pk))
        answers = typed_answers(household)
        stored_members = members.get(existing.pk, [])
        same = (
            existing.village_id == household.village.pk
            and existing.address == household.address
            and existing.area == household.area
            and (
                household.members_kept
                or [m.key() for m in household.members] == [member.key for member in stored_members]
            )
            and assessment is not None
            and assessment[1] == answers
            and assessment[2] == int(household.income)
        )
        if same:
            plan.unchanged += 1
            continue
        change = household_change(household, existing, stored_members, assessment, answers)
        if not change.writes:
            plan.unchanged += 1  # members in another order, or some missing: kept unless chosen otherwise
            if not change.missing_members:
                continue
        collector.changed(change)
        changes.append(change)
    if not plan.report.ok:
        return ImportPlan(report=plan.report)

    def write() -> None:
        # What the plan locked cannot change under it; what did not exist yet can: a household code or
        # an identity number that another commune's import or entry wrote meanwhile.
        try:
            write_households(
                new_households, changes, results, assessments, remove_missing=plan.remove_missing
            )
        except IntegrityError as error:
            raise ApplicationError(str(CHANGED_MEANWHILE)) from error

    counts = collector.counts
    plan.created, plan.updated, plan.write = len(new_households), counts["households_changed"], write
    plan.changes, plan.change_counts, plan.digest = collector.entries, dict(counts), collector.digest
    plan.missing, plan.missing_must_go = counts["members_missing"], counts["heads_missing"] > 0
    return plan
