"""Reading the questionnaire file: its rows grouped into households with their members, each cell
checked and resolved to what it stands for, and the answers typed as the standard stores them."""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TypeVar

from vungcao.common.importing import Rows
from vungcao.engine.poverty.validation import TRUE_WORDS
from vungcao.engine.tabular import ValidationReport
from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry import classification, identity
from vungcao.registry.models import CommuneReview
from vungcao.registry.reference import ethnic_groups
from vungcao.registry.services.questionnaire.columns import (
    BAD_IDENTITY,
    BOOLEAN_VALUES,
    BORN_IN_FUTURE,
    BORN_TOO_EARLY,
    DIFFERS_FROM_FIRST_ROW,
    NOT_A_NUMBER,
    RELATION_VALUES,
    REQUIRED,
    SCHOOLING_OR_BLANK,
    SEX_VALUES,
    UNKNOWN_ETHNIC_GROUP,
    UNKNOWN_VALUE,
    WORK_OR_BLANK,
)
from vungcao.registry.services.questionnaire.storage import (
    Item,
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


def _choices(values: Mapping[str, Item]) -> _Resolutions[Item | None]:
    """A choice column's texts to their stored values (None for a text that is none of them)."""
    return _Resolutions(lambda text: values.get(folded(text.strip())))


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


def masked_identity(number: str) -> str:
    """An identity number as a problem shows it: masked, since problems are kept with the import's record
    after its rows are gone; the row and the last digits find it in the file."""
    return identity.masked(number[-3:])


class _MemberReader:
    """Reads and checks the member columns of rows, each column's texts resolved once per file."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        ethnic = _ethnic_lookup()

        def ethnic_group(text: str) -> str | None:
            text = text.strip()
            return ethnic.get(text.zfill(2) if text.isdigit() else folded(text))

        self.ethnic_groups = _Resolutions(ethnic_group)
        self.sexes = _choices(SEX_VALUES)
        self.relations = _choices(RELATION_VALUES)
        self.birth_years = _Resolutions(_birth_year)
        self.schooling = _choices(SCHOOLING_OR_BLANK)
        self.work = _choices(WORK_OR_BLANK)
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
            report.add(number, "identity_number", masked_identity(identity_number), str(BAD_IDENTITY))
        schooling_text = get("schooling") or ""
        schooling = self.schooling[schooling_text]
        if schooling is None:
            self._unknown(number, "schooling", schooling_text, SCHOOLING_OR_BLANK)
        work_text = get("work") or ""
        work = self.work[work_text]
        if work is None:
            self._unknown(number, "work", work_text, WORK_OR_BLANK)
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


def group_households(
    rows: Rows, answer_columns: Sequence[str], report: ValidationReport
) -> dict[str, HouseholdRows]:
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


def _integer(text: str) -> int:
    return int(float(text.replace(",", ".")))


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _boolean(text: str) -> bool:
    return folded(text) in TRUE_WORDS


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
