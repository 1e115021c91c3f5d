"""Reading the questionnaire file: its rows grouped into households with their members, each cell
checked and resolved to what it stands for, and the answers typed as the standard stores them."""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TypeVar

from vungcao.common.bounds import column_length, text_problem
from vungcao.common.importing import Rows
from vungcao.common.language import reader_language
from vungcao.engine import households as rules
from vungcao.engine.choices import YES, YES_NO, ChoiceError, ChoiceSet
from vungcao.engine.numbers import NumberError, parse_integer, parse_number, parse_vnd
from vungcao.engine.tabular import ValidationReport
from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry import classification, identity
from vungcao.registry.fields import choice_sets
from vungcao.registry.models import CommuneReview, Household, Member
from vungcao.registry.services.questionnaire.columns import (
    DIFFERS_FROM_FIRST_ROW,
    REQUIRED,
    UNKNOWN_ETHNIC_GROUP,
)

# The columns' lengths: a longer text is a problem of its row, never an error of the database's.
CODE_LENGTH = column_length(Household, "code")
ADDRESS_LENGTH = column_length(Household, "address")
NAME_LENGTH = column_length(Member, "full_name")


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
    # Only the answers change (a phone's answers for a registered household): its village, address and
    # members are kept as stored, its member columns not read.
    members_kept: bool = False
    review: CommuneReview | None = None
    village: AdministrativeUnit | None = None


# Answers repeat the same few words (có, không …): fold each once.
folded = lru_cache(maxsize=4096)(fold)

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


def _choices(choices: ChoiceSet, language: str) -> _Resolutions[tuple[str | None, str]]:
    """A choice column's texts to their codes and no problem, or None and the reason in ``language``."""

    def resolve(text: str) -> tuple[str | None, str]:
        try:
            return choices.resolve(text), ""
        except ChoiceError as error:
            return None, error.message(language)

    return _Resolutions(resolve)


def _birth_year(text: str, language: str) -> tuple[int, str]:
    """The year and no problem, or 0 and what is wrong with the text, in ``language``."""
    try:
        year = parse_integer(text, maximum=None, language=language)
    except NumberError as error:
        return 0, error.message(language)
    wrong = rules.birth_year_problem(year, this_year=datetime.date.today().year)
    return year, "" if wrong is None else wrong.in_language(language)


def masked_identity(number: str) -> str:
    """An identity number as a problem shows it: masked, since problems are kept with the import's record
    after its rows are gone; the row and the last digits find it in the file."""
    return identity.masked(number[-3:])


_MEMBER_CHOICES = ("sex", "relation_to_head", "schooling", "work", "health_insurance", "disability")


class _MemberReader:
    """Reads and checks the member columns of rows, each column's texts resolved once per file."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        self.language = language = reader_language()
        sets = choice_sets()
        ethnic = sets["ethnic_group"]
        self.ethnic_groups = _Resolutions(lambda text: ethnic.get(text.zfill(2) if text.isdigit() else text))
        self.choices = {column: _choices(sets[column], language) for column in _MEMBER_CHOICES}
        self.birth_years = _Resolutions(lambda text: _birth_year(text, language))

    def read(self, number: int, row: Mapping[str, str]) -> MemberRow | None:
        """The row's member, or None when a cell is wrong (each problem reported)."""
        report, get = self.report, row.get
        problems_before = len(report)
        name = " ".join((get("member_name") or "").split())
        if not name:
            report.add(number, "member_name", "", str(REQUIRED))
        elif (too_long := text_problem(name, NAME_LENGTH, one_line=True)) is not None:
            report.add(number, "member_name", name, too_long)
        resolved: dict[str, str] = {}
        for column in _MEMBER_CHOICES:
            text = get(column) or ""
            code, wrong = self.choices[column][text]
            if code is None:
                report.add(number, column, text.strip(), wrong)
            else:
                resolved[column] = code
        year_text = get("birth_year") or ""
        birth_year, wrong_year = self.birth_years[year_text]
        if wrong_year:
            report.add(number, "birth_year", year_text.strip(), wrong_year)
        ethnic_text = (get("ethnic_group") or "").strip()
        ethnic_group = self.ethnic_groups[ethnic_text]
        if ethnic_group is None:
            report.add(number, "ethnic_group", ethnic_text, str(UNKNOWN_ETHNIC_GROUP))
        identity_number = identity.normalise(get("identity_number") or "")
        wrong_identity = rules.identity_number_problem(identity_number)
        if wrong_identity is not None:
            shown = masked_identity(identity_number)
            report.add(number, "identity_number", shown, wrong_identity.in_language(self.language))
        if len(report) > problems_before:
            return None
        return MemberRow(
            number,
            name,
            resolved["sex"],
            birth_year,
            str(ethnic_group),
            resolved["relation_to_head"],
            identity_number,
            resolved["schooling"],
            resolved["health_insurance"] == YES,
            resolved["disability"] == YES,
            resolved["work"],
        )


def _income(text: str) -> str:
    """An income as written (``"1.200.000"``, ``"1,2 triệu"``) as plain digits; left as written when it
    is not an amount, for the standard's validation to report."""
    try:
        return str(parse_vnd(text))
    except NumberError:
        return text


def group_households(
    rows: Rows,
    answer_columns: Sequence[str],
    report: ValidationReport,
    answers_only: frozenset[str] = frozenset(),
) -> dict[str, HouseholdRows]:
    """Households in file order, each with its members (none read for the codes in ``answers_only``);
    rows that disagree with the first are reported."""
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
        if (wrong_code := text_problem(code, CODE_LENGTH, one_line=True)) is not None:
            report.add(number, "household_code", code, wrong_code)
            continue
        household = households.get(code)
        if household is None:
            first = firsts[code] = tuple([(get(column) or "").strip() for column in repeated])
            year, village_code, area, income, address = first[:5]
            if (wrong_address := text_problem(address, ADDRESS_LENGTH)) is not None:
                report.add(number, "address", address, wrong_address)
            household = households[code] = HouseholdRows(
                row=number,
                code=code,
                year=year,
                village_code=village_code,
                address=address,
                area=area,
                income=_income(income),
                answers=dict(zip(answer_columns, first[5:], strict=True)),
                members_kept=code in answers_only,
            )
        elif tuple(map(get, repeated)) != (first := firsts[code]):  # most rows repeat the first exactly
            for column, value in zip(repeated, first, strict=True):
                text = (get(column) or "").strip()
                if text and text != value:
                    report.add(number, column, text, str(DIFFERS_FROM_FIRST_ROW).format(row=household.row))
        if household.members_kept:
            continue
        member = members.read(number, row)
        if member is None:
            household.has_invalid_member = True
        else:
            household.members.append(member)
    return households


def _integer(text: str) -> int:
    return parse_integer(text, negative=True, maximum=None)


def _number(text: str) -> float:
    return float(parse_number(text, negative=True, maximum=None))


def _boolean(text: str) -> bool:
    return YES_NO.resolve(text) == YES


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


def typed_answers(household: HouseholdRows) -> dict[str, object]:
    """Answers as stored, typed by the standard (they passed the engine's validation)."""
    assert household.review is not None
    converters = _answer_converters(household.review.cycle.standard_identifier)
    # The texts were stripped when the rows were grouped.
    return {
        name: converters[name](text) if text else None for name, text in sorted(household.answers.items())
    }
