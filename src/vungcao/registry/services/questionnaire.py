"""The commune questionnaire file: households, their members and their answers, one row per member.

Household columns (review year, code, village, address, area, income and the answers the review's
standard reads) are read from a household's first row and must not differ on its other rows. The
whole file is checked before anything is written; then households, members and assessments are
written at once. Importing the same file again finds every household unchanged.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, TypeVar, cast

from django.db import IntegrityError, connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.common.errors import ApplicationError
from vungcao.common.importing import ImportPlan, Rows
from vungcao.engine.poverty.validation import TRUE_WORDS
from vungcao.engine.tabular import ValidationReport
from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.registry import classification, identity
from vungcao.registry.models import Assessment, CommuneReview, Household, HouseholdEvent, Member
from vungcao.registry.reference import ethnic_groups
from vungcao.registry.services.assessments import ASSESSED_IN_ANOTHER_REVIEW, assessment_values
from vungcao.registry.services.households import IDENTITY_TAKEN_ELSEWHERE
from vungcao.registry.services.reviews import ENTRY_STATES

HOUSEHOLD_COLUMNS = (
    "review_year",
    "household_code",
    "village_code",
    "address",
    "area",
    "income_per_capita_month",
)
MEMBER_COLUMNS = (
    "member_name",
    "sex",
    "birth_year",
    "ethnic_group",
    "relation_to_head",
    "identity_number",
    "schooling",
    "health_insurance",
    "disability",
    "work",
)
COLUMNS = HOUSEHOLD_COLUMNS + MEMBER_COLUMNS
OPTIONAL_COLUMNS = frozenset(
    {"address", "identity_number", "schooling", "health_insurance", "disability", "work"}
)
LABELS = {
    "review_year": gettext_lazy("Review year"),
    "household_code": gettext_lazy("Household code"),
    "village_code": gettext_lazy("Village code"),
    "address": gettext_lazy("Address"),
    "area": gettext_lazy("Area (rural/urban)"),
    "income_per_capita_month": gettext_lazy("Income per person per month (VND)"),
    "member_name": gettext_lazy("Member's full name"),
    "sex": gettext_lazy("Sex"),
    "birth_year": gettext_lazy("Year of birth"),
    "ethnic_group": gettext_lazy("Ethnic group"),
    "relation_to_head": gettext_lazy("Relation to the head"),
    "identity_number": gettext_lazy("Identity number"),
    "schooling": gettext_lazy("Schooling"),
    "health_insurance": gettext_lazy("Health insurance"),
    "disability": gettext_lazy("Disability"),
    "work": gettext_lazy("Work"),
}

# Values as officials write them, folded (no diacritics, lower case), to the stored codes.
SEX_VALUES = {"male": "male", "nam": "male", "female": "female", "nu": "female"}
AREA_VALUES = {"rural": "rural", "nong thon": "rural", "urban": "urban", "thanh thi": "urban"}
RELATION_VALUES = {
    **{choice: choice for choice in Member.Relation.values},
    "chu ho": "head",
    "vo": "spouse",
    "chong": "spouse",
    "vo/chong": "spouse",
    "con": "child",
    "bo": "parent",
    "cha": "parent",
    "me": "parent",
    "bo/me": "parent",
    "chau": "grandchild",
    "anh": "sibling",
    "chi": "sibling",
    "em": "sibling",
    "anh/chi/em": "sibling",
    "khac": "other",
}
BOOLEAN_VALUES = {
    "": False,
    "0": False,
    "khong": False,
    "no": False,
    "false": False,
    "1": True,
    "co": True,
    "x": True,
    "yes": True,
    "true": True,
}
SCHOOLING_VALUES = {choice: choice for choice in Member.Schooling.values}
WORK_VALUES = {choice: choice for choice in Member.Work.values}
_SCHOOLING_OR_BLANK = {"": "", **SCHOOLING_VALUES}
_WORK_OR_BLANK = {"": "", **WORK_VALUES}
TEMPLATE_CHOICES = (
    ("area", ("nông thôn", "thành thị")),
    ("sex", ("nam", "nữ")),
    ("relation_to_head", ("chủ hộ", "vợ/chồng", "con", "bố/mẹ", "cháu", "anh/chị/em", "khác")),
    ("health_insurance", ("có", "không")),
    ("disability", ("có", "không")),
    ("schooling", tuple(Member.Schooling.values)),
    ("work", tuple(Member.Work.values)),
)
EXAMPLE = (
    "2025",
    "06970-001-0001",
    "06970-001",
    "Thôn Khe Giấy",
    "nông thôn",
    "1200000",
    "Hoàng Văn A",
    "nam",
    "1980",
    "09",
    "chủ hộ",
    "022080001234",
    "primary",
    "có",
    "không",
    "own_farm",
)

UNKNOWN_VALUE = gettext_lazy("Not one of: {values}.")
NOT_A_NUMBER = gettext_lazy("Not a whole number.")
BORN_IN_FUTURE = gettext_lazy("A member cannot be born in the future.")
BORN_TOO_EARLY = gettext_lazy("A year of birth before 1900 is not plausible.")
REQUIRED = gettext_lazy("This column is required.")
UNKNOWN_VILLAGE = gettext_lazy("No open village with this code in a commune you may change.")
NO_OPEN_REVIEW = gettext_lazy("The commune has no review of {year} open for entry.")
DIFFERS_FROM_FIRST_ROW = gettext_lazy("Differs from the household's first row ({row}).")
NOT_ONE_HEAD = gettext_lazy("A household has exactly one head; this one has {count}.")
SAME_IDENTITY_IN_FILE = gettext_lazy("The same identity number is on row {row}, in household {code}.")
SAME_IDENTITY_STORED = gettext_lazy("This identity number already belongs to a member of household {code}.")
BAD_IDENTITY = gettext_lazy("An identity number has 9 or 12 digits.")
UNKNOWN_ETHNIC_GROUP = gettext_lazy("Unknown ethnic group; write its code (01–54) or its name.")
HOUSEHOLD_ELSEWHERE = gettext_lazy("This household code belongs to a household of another commune.")
CHANGED_MEANWHILE = gettext_lazy(
    "Another import or entry registered some of these households or identity numbers while this file was "
    "being applied; nothing was written. Preview the file again."
)


@dataclass(slots=True)
class MemberRow:
    row: int
    full_name: str
    sex: str
    birth_year: int
    ethnic_group: str
    relation_to_head: str
    identity_number: str
    schooling: str
    has_health_insurance: bool
    has_disability: bool
    work: str
    # The keyed digest of ``identity_number``, set once the file's numbers are digested together.
    identity_digest: str = ""

    def digest(self) -> str:
        if self.identity_number and not self.identity_digest:
            self.identity_digest = identity.identity_digest(self.identity_number)
        return self.identity_digest

    def key(self) -> tuple[object, ...]:
        return (
            self.full_name,
            self.sex,
            self.birth_year,
            self.ethnic_group,
            self.relation_to_head,
            self.digest(),
            self.schooling,
            self.has_health_insurance,
            self.has_disability,
            self.work,
        )


@dataclass
class HouseholdRows:
    row: int
    code: str
    year: str
    village_code: str
    address: str
    area: str
    income: str
    answers: dict[str, str]
    members: list[MemberRow] = field(default_factory=list)
    has_invalid_member: bool = False
    review: CommuneReview | None = None
    village: AdministrativeUnit | None = None


Item = TypeVar("Item")
# Keys per query: under SQLite's limit on parameters (32,766 since 3.32), few queries for a large file.
BATCH = 10_000
# After writing this many households, refresh PostgreSQL's statistics of the registry's tables (as
# autovacuum would, later): with the tables' sizes unknown, the next plan of the file reads them whole.
ANALYZE_AFTER = 10_000


def _batched(values: Sequence[Item], size: int = BATCH) -> Iterator[Sequence[Item]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _ethnic_lookup() -> dict[str, str]:
    lookup = {}
    for group in ethnic_groups().values():
        lookup[group.code] = group.code
        lookup[fold(group.name_vi)] = group.code
        lookup[fold(group.name_vi).replace("-", " ")] = group.code
        lookup[fold(group.name_en)] = group.code
    lookup.update({"mong": "08", "h'mong": "08", "khmer": "05", "kho me": "05"})
    return lookup


# Answers repeat the same few words (có, không …): fold each once.
_fold = lru_cache(maxsize=4096)(fold)

Resolved = TypeVar("Resolved")


class _Resolutions(dict[str, Resolved]):
    """Cell text → what it stands for, worked out once per distinct text of a file: a file repeats the
    same few words and numbers (nam, nữ, chủ hộ, có, 1984 …) in every row. Kept for one file only, so
    a file of arbitrary texts cannot fill it for the next."""

    def __init__(self, resolve: Callable[[str], Resolved]) -> None:
        super().__init__()
        self.resolve = resolve

    def __missing__(self, text: str) -> Resolved:
        resolved = self[text] = self.resolve(text)
        return resolved


def _choices(values: Mapping[str, Item]) -> _Resolutions[Item | None]:
    """A choice column's texts to their stored values (None for a text that is none of them)."""
    return _Resolutions(lambda text: values.get(_fold(text.strip())))


def _birth_year(text: str) -> tuple[int, str]:
    """The year and no problem, or 0 and what is wrong with the text."""
    text = text.strip()
    if not text.isdigit():
        return 0, str(NOT_A_NUMBER)
    year = int(text)
    if year > datetime.date.today().year:
        return year, str(BORN_IN_FUTURE)
    if year < 1900:
        return year, str(BORN_TOO_EARLY)
    return year, ""


class _MemberReader:
    """Reads and checks the member columns of rows, each column's texts resolved once per file."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        ethnic = _ethnic_lookup()

        def ethnic_group(text: str) -> str | None:
            text = text.strip()
            return ethnic.get(text.zfill(2) if text.isdigit() else _fold(text))

        self.ethnic_groups = _Resolutions(ethnic_group)
        self.sexes = _choices(SEX_VALUES)
        self.relations = _choices(RELATION_VALUES)
        self.birth_years = _Resolutions(_birth_year)
        self.schooling = _choices(_SCHOOLING_OR_BLANK)
        self.work = _choices(_WORK_OR_BLANK)
        self.yes_no = _choices(BOOLEAN_VALUES)

    def _unknown(self, number: int, column: str, text: str, values: Mapping[str, object]) -> None:
        shown = sorted({key for key in values if key})
        self.report.add(number, column, text.strip(), str(UNKNOWN_VALUE).format(values=", ".join(shown)))

    def read(self, number: int, row: Mapping[str, str]) -> MemberRow | None:
        """The row's member, or None when a cell is wrong (each problem reported)."""
        report, get = self.report, row.get
        problems_before = len(report)
        name = " ".join((get("member_name") or "").split())
        if not name:
            report.add(number, "member_name", "", str(REQUIRED))
        sex_text = get("sex") or ""
        sex = self.sexes[sex_text]
        if sex is None:
            self._unknown(number, "sex", sex_text, SEX_VALUES)
        relation_text = get("relation_to_head") or ""
        relation = self.relations[relation_text]
        if relation is None:
            self._unknown(number, "relation_to_head", relation_text, RELATION_VALUES)
        year_text = get("birth_year") or ""
        birth_year, wrong_year = self.birth_years[year_text]
        if wrong_year:
            report.add(number, "birth_year", year_text.strip(), wrong_year)
        ethnic_text = get("ethnic_group") or ""
        ethnic_group = self.ethnic_groups[ethnic_text]
        if ethnic_group is None:
            report.add(number, "ethnic_group", ethnic_text.strip(), str(UNKNOWN_ETHNIC_GROUP))
        identity_text = get("identity_number") or ""
        identity_number = identity.normalise(identity_text)
        if identity_number and not (identity_number.isdigit() and len(identity_number) in (9, 12)):
            report.add(number, "identity_number", _shown(identity_number), str(BAD_IDENTITY))
        schooling_text = get("schooling") or ""
        schooling = self.schooling[schooling_text]
        if schooling is None:
            self._unknown(number, "schooling", schooling_text, _SCHOOLING_OR_BLANK)
        work_text = get("work") or ""
        work = self.work[work_text]
        if work is None:
            self._unknown(number, "work", work_text, _WORK_OR_BLANK)
        insurance_text = get("health_insurance") or ""
        insurance = self.yes_no[insurance_text]
        if insurance is None:
            self._unknown(number, "health_insurance", insurance_text, BOOLEAN_VALUES)
        disability_text = get("disability") or ""
        disability = self.yes_no[disability_text]
        if disability is None:
            self._unknown(number, "disability", disability_text, BOOLEAN_VALUES)
        if len(report) > problems_before:
            return None
        return MemberRow(
            number,
            name,
            str(sex),
            birth_year,
            str(ethnic_group),
            str(relation),
            identity_number,
            str(schooling),
            bool(insurance),
            bool(disability),
            str(work),
        )


def _group(rows: Rows, answer_columns: Sequence[str], report: ValidationReport) -> dict[str, HouseholdRows]:
    """Households in file order, each with its members; rows that disagree with the first are reported."""
    members = _MemberReader(report)
    # The household's cells, which its later rows repeat or leave blank, in the order differences are listed.
    repeated = ("review_year", "village_code", "area", "income_per_capita_month", "address", *answer_columns)
    households: dict[str, HouseholdRows] = {}
    firsts: dict[str, tuple[str, ...]] = {}
    for number, row in enumerate(rows, start=2):
        get = row.get
        code = (get("household_code") or "").strip()
        if not code:
            report.add(number, "household_code", "", str(REQUIRED))
            continue
        household = households.get(code)
        if household is None:
            first = firsts[code] = tuple([(get(column) or "").strip() for column in repeated])
            year, village_code, area, income, address = first[:5]
            household = households[code] = HouseholdRows(
                row=number,
                code=code,
                year=year,
                village_code=village_code,
                address=address,
                area=area,
                income=income,
                answers=dict(zip(answer_columns, first[5:], strict=True)),
            )
        elif tuple(map(get, repeated)) != (first := firsts[code]):  # most rows repeat the first exactly
            for column, value in zip(repeated, first, strict=True):
                text = (get(column) or "").strip()
                if text and text != value:
                    report.add(number, column, text, str(DIFFERS_FROM_FIRST_ROW).format(row=household.row))
        member = members.read(number, row)
        if member is None:
            household.has_invalid_member = True
        else:
            household.members.append(member)
    return households


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
    database.rows_lock(
        CommuneReview, CommuneReview.objects.filter(commune__in=communes).values_list("pk", flat=True)
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
        area = AREA_VALUES.get(_fold(household.area))
        if area is None:
            report.add(
                household.row,
                "area",
                household.area,
                str(UNKNOWN_VALUE).format(values="nông thôn, thành thị"),
            )
        else:
            household.area = area


def _check_members(user: User, households: Mapping[str, HouseholdRows], report: ValidationReport) -> None:
    seen: dict[str, tuple[int, str]] = {}
    for household in households.values():
        heads = sum(member.relation_to_head == Member.Relation.HEAD for member in household.members)
        if heads != 1 and not household.has_invalid_member:
            report.add(household.row, "relation_to_head", "", str(NOT_ONE_HEAD).format(count=heads))
        for member in household.members:
            if not member.identity_number:
                continue
            earlier = seen.setdefault(member.identity_number, (member.row, household.code))
            if earlier[0] != member.row:
                report.add(
                    member.row,
                    "identity_number",
                    _shown(member.identity_number),
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
        report.add(seen[number][0], "identity_number", _shown(number), reason)


def _shown(number: str) -> str:
    """An identity number as a problem shows it: masked, since problems are kept with the import's record
    after its rows are gone; the row and the last digits find it in the file."""
    return identity.masked(number[-3:])


def _visible_household_codes(user: User, codes: set[str]) -> set[str]:
    if not codes:
        return set()
    households = access.restrict_households(Household.objects.filter(code__in=codes), user)
    return set(households.values_list("code", flat=True))


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(str(cast("models.Field[Any, Any]", model._meta.get_field(name)).column))


def _stored_identities(digests: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(digest, household code) of the current members with one of ``digests``. In SQL: the ORM prepares
    each of a large file's hundreds of thousands of digests one by one, which took longer than the queries."""
    quote = connection.ops.quote_name
    query = (
        f"SELECT member_row.{_column(Member, 'identity_digest')}, household_row.{_column(Household, 'code')} "
        f"FROM {quote(Member._meta.db_table)} member_row JOIN {quote(Household._meta.db_table)} household_row "
        f"ON household_row.{_column(Household, 'id')} = member_row.{_column(Member, 'household')} "
        f"WHERE member_row.{_column(Member, 'left_on')} IS NULL "
        f"AND member_row.{_column(Member, 'identity_digest')} IN ({{keys}})"
    )
    with connection.cursor() as cursor:
        for batch in _batched(digests):
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


def questionnaire_plan(*, user: User, rows: Rows) -> ImportPlan:
    plan = ImportPlan()
    report = plan.report
    present = set(rows[0]) if rows else set()
    answer_columns = [column for column in present if column not in COLUMNS]
    households = _group(rows, answer_columns, report)
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


@dataclass(frozen=True)
class _Stored:
    """What planning needs of a stored household (read as values, not as model instances)."""

    pk: int
    village_id: int
    commune_id: int | None
    address: str
    area: str


# A stored member: its primary key and the values the file's member is compared with (``MemberRow.key``).
_StoredMember = tuple[int, tuple[object, ...]]
# A stored assessment: its primary key, answers and income.
_StoredAssessment = tuple[int, dict[str, object], int]


def _diff(
    households: Mapping[str, HouseholdRows], results: Mapping[str, classification.Result], plan: ImportPlan
) -> ImportPlan:
    database.rows_lock(
        Household,
        (
            pk
            for codes in _batched(list(households))
            for pk in Household.objects.filter(code__in=codes).values_list("pk", flat=True)
        ),
    )
    stored = {
        code: _Stored(pk, village_id, commune_id, address, area)
        for batch in _batched(list(households))
        for pk, code, village_id, commune_id, address, area in Household.objects.filter(
            code__in=batch
        ).values_list("pk", "code", "village_id", "village__parent_id", "address", "area")
    }
    stored_pks = [household.pk for household in stored.values()]
    members: dict[int, list[_StoredMember]] = defaultdict(list)
    for batch in _batched(stored_pks):
        for pk, household_id, *key in (
            Member.objects.filter(household__in=batch, left_on__isnull=True)
            .order_by("pk")
            .values_list("pk", "household_id", *MEMBER_KEY_FIELDS)
        ):
            members[household_id].append((pk, tuple(key)))
    years = {household.review.cycle.year for household in households.values() if household.review is not None}
    # A household has one assessment a year: the stored one of the file's year, in whichever cycle.
    stored_assessments = {
        (year, household_id): (cycle_id, (pk, answers, income))
        for batch in _batched(stored_pks)
        for pk, cycle_id, year, household_id, answers, income in Assessment.objects.filter(
            household__in=batch, year__in=years
        ).values_list("pk", "cycle_id", "year", "household_id", "answers", "income_per_capita_month")
    }
    assessments: dict[tuple[int, int], _StoredAssessment] = {
        (cycle_id, household_id): assessment
        for (_year, household_id), (cycle_id, assessment) in stored_assessments.items()
    }
    new_households: list[HouseholdRows] = []
    changed: list[tuple[HouseholdRows, _Stored]] = []
    for household in households.values():
        existing = stored.get(household.code)
        if existing is None:
            new_households.append(household)
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
        same = (
            existing.village_id == household.village.pk
            and existing.address == household.address
            and existing.area == household.area
            and [m.key() for m in household.members] == [key for _pk, key in members.get(existing.pk, [])]
            and assessment is not None
            and assessment[1] == _typed_answers(household)
            and assessment[2] == int(household.income)
        )
        if same:
            plan.unchanged += 1
        else:
            changed.append((household, existing))
    if not plan.report.ok:
        return ImportPlan(report=plan.report)

    def write() -> None:
        # What the plan locked cannot change under it; what did not exist yet can: a household code or
        # an identity number that another commune's import or entry wrote meanwhile.
        try:
            _write(new_households, changed, results, assessments, members)
        except IntegrityError as error:
            raise ApplicationError(str(CHANGED_MEANWHILE)) from error

    plan.created, plan.updated, plan.write = len(new_households), len(changed), write
    return plan


# The member's fields compared with the file, in the order of ``MemberRow.key``.
MEMBER_KEY_FIELDS = (
    "full_name",
    "sex",
    "birth_year",
    "ethnic_group",
    "relation_to_head",
    "identity_digest",
    "schooling",
    "has_health_insurance",
    "has_disability",
    "work",
)


def _integer(text: str) -> int:
    return int(float(text.replace(",", ".")))


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _boolean(text: str) -> bool:
    return _fold(text) in TRUE_WORDS


def _text(text: str) -> str:
    return text


_CONVERTERS: Mapping[str, Callable[[str], object]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
}


@cache
def _answer_converters(identifier: str) -> Mapping[str, Callable[[str], object]]:
    """Each answer column of the standard to the function typing its (validated) text."""
    return {
        name: _CONVERTERS.get(kind, _text)
        for name, kind in classification.known_answer_columns(identifier).items()
    }


def _typed_answers(household: HouseholdRows) -> dict[str, object]:
    """Answers as stored, typed by the standard (they passed the engine's validation)."""
    assert household.review is not None
    converters = _answer_converters(household.review.cycle.standard_identifier)
    # The texts were stripped when the rows were grouped.
    return {
        name: converters[name](text) if text else None for name, text in sorted(household.answers.items())
    }


def _head_group(rows: HouseholdRows) -> str:
    return next(
        member.ethnic_group for member in rows.members if member.relation_to_head == Member.Relation.HEAD
    )


def _insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert rows of values ready for the database (dates and JSON adapted) into ``model``'s table, as
    ``bulk_create`` would but without building model instances: an import writes hundreds of thousands
    of rows, and the ORM's per-field work would be most of the time. COPY on PostgreSQL."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(_column(model, column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor: its errors are turned into Django's (IntegrityError) by hand.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        for batch in _batched(list(rows), 5000):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # type: ignore[arg-type]


def _write(
    new_households: Sequence[HouseholdRows],
    changed: Sequence[tuple[HouseholdRows, _Stored]],
    results: Mapping[str, classification.Result],
    assessments: Mapping[tuple[int, int], _StoredAssessment],
    members: Mapping[int, list[_StoredMember]],
) -> None:
    today = datetime.date.today()
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    day = connection.ops.adapt_datefield_value(today)
    _insert(
        Household,
        (
            "created_at",
            "updated_at",
            "code",
            "village_id",
            "address",
            "area",
            "head_ethnic_group",
            "is_synthetic",
        ),
        (
            (stamp, stamp, rows.code, rows.village.pk, rows.address, rows.area, _head_group(rows), False)  # type: ignore[union-attr]
            for rows in new_households
        ),
    )
    ids = {
        code: pk
        for batch in _batched([rows.code for rows in new_households])
        for code, pk in Household.objects.filter(code__in=batch).values_list("code", "pk")
    }
    created = [(rows, ids[rows.code]) for rows in new_households]
    _insert(
        HouseholdEvent,
        ("created_at", "updated_at", "household", "kind", "happened_on", "to_village", "note"),
        (
            (stamp, stamp, pk, HouseholdEvent.Kind.CREATED.value, day, rows.village.pk, "")  # type: ignore[union-attr]
            for rows, pk in created
        ),
    )
    instances: dict[int, Household] = {}
    for batch in _batched([stored.pk for _rows, stored in changed]):
        instances.update(Household.objects.in_bulk(batch))
    updated = []
    leaving: list[int] = []
    pairs = list(created)
    for rows, stored in changed:
        household = instances[stored.pk]
        household.village, household.address, household.area = rows.village, rows.address, rows.area  # type: ignore[assignment]
        household.head_ethnic_group, household.updated_at = _head_group(rows), now
        updated.append(household)
        before = members.get(stored.pk, [])
        if [m.key() for m in rows.members] != [key for _pk, key in before]:
            leaving.extend(pk for pk, _key in before)
            pairs.append((rows, stored.pk))
    Household.objects.bulk_update(
        updated, ["village", "address", "area", "head_ethnic_group", "updated_at"], batch_size=5000
    )
    for batch in _batched(leaving):
        Member.objects.filter(pk__in=batch).update(left_on=today)
    # The members' digests were made while planning, to find the numbers already stored.
    encrypted = identity.encrypt_many(
        member.identity_number for rows, _pk in pairs for member in rows.members if member.identity_number
    )
    _insert(
        Member,
        (
            "created_at",
            "updated_at",
            "household",
            "full_name",
            "sex",
            "birth_year",
            "ethnic_group",
            "relation_to_head",
            "identity_digest",
            "identity_encrypted",
            "identity_last_digits",
            "schooling",
            "has_health_insurance",
            "has_disability",
            "work",
        ),
        (
            (
                stamp,
                stamp,
                pk,
                member.full_name,
                member.sex,
                member.birth_year,
                member.ethnic_group,
                member.relation_to_head,
                member.digest(),
                encrypted.get(member.identity_number, ""),
                member.identity_number[-3:],
                member.schooling,
                member.has_health_insurance,
                member.has_disability,
                member.work,
            )
            for rows, pk in pairs
            for member in rows.members
        ),
    )
    to_create: list[tuple[object, ...]] = []
    to_update: dict[int, dict[str, object]] = {}
    for rows, pk in [*created, *((rows, stored.pk) for rows, stored in changed)]:
        review = rows.review
        assert review is not None
        identifier = review.cycle.standard_identifier
        answers = _typed_answers(rows)
        result = assessment_values(results[rows.code], identifier)
        existing = assessments.get((review.cycle_id, pk))
        if existing is None:
            to_create.append(
                (
                    stamp,
                    stamp,
                    review.cycle_id,
                    review.cycle.year,
                    pk,
                    review.pk,
                    rows.area,
                    int(rows.income),
                    json.dumps(answers),  # the JSON text the field writes, which both databases take
                    *(result[name] for name in ASSESSMENT_RESULT_FIELDS),
                )
            )
        else:
            to_update[existing[0]] = {
                "commune_review": review,
                "area": rows.area,
                "income_per_capita_month": int(rows.income),
                "answers": answers,
                **result,
                "updated_at": now,
            }
    _insert(
        Assessment,
        (
            "created_at",
            "updated_at",
            "cycle",
            "year",
            "household",
            "commune_review",
            "area",
            "income_per_capita_month",
            "answers",
            *ASSESSMENT_RESULT_FIELDS,
        ),
        to_create,
    )
    stale: dict[int, Assessment] = {}
    for batch in _batched(list(to_update)):
        stale.update(Assessment.objects.in_bulk(batch))
    for pk, values in to_update.items():
        for name, value in values.items():
            setattr(stale[pk], name, value)
    Assessment.objects.bulk_update(
        list(stale.values()),
        [
            "commune_review",
            "area",
            "income_per_capita_month",
            "answers",
            *ASSESSMENT_RESULT_FIELDS,
            "updated_at",
        ],
        batch_size=2000,
    )
    if connection.vendor == "postgresql" and len(new_households) + len(changed) >= ANALYZE_AFTER:
        tables = (Household, HouseholdEvent, Member, Assessment)
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE " + ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
            )


# The fields of ``assessment_values``, in its order.
ASSESSMENT_RESULT_FIELDS = (
    "status",
    "deprivation_count",
    "deprived_mask",
    "income_threshold",
    "standard_identifier",
    "standard_digest",
)
