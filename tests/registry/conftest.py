"""A Quảng Ninh review of 2025 (standard vn-2022-2025) open in Ba Chẽ, with two villages; three approved
reviews of Ba Chẽ (2023 → 2024 → 2025) whose households move into and out of poverty."""

import datetime
from collections.abc import Callable, Iterable

import pytest

from tests.conftest import BA_CHE, QUANG_NINH, current_unit, households_update
from tests.imports.helpers import preview_and_apply
from vungcao.accounts.models import User
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.services import villages
from vungcao.registry import classification
from vungcao.registry.models import CommuneReview, Household, ReviewCycle
from vungcao.registry.services import reviews
from vungcao.registry.services.households import MemberData, household_create

STANDARD = "vn-2022-2025"
INDICATORS = [indicator.identifier for indicator in classification.standard(STANDARD).indicators]


@pytest.fixture
def ba_che_villages(administrator: User) -> list[AdministrativeUnit]:
    commune = current_unit(BA_CHE)
    return [
        villages.village_create(user=administrator, commune=commune, name=name)
        for name in ("Thôn Khe Giấy", "Thôn Làng Cổng")
    ]


@pytest.fixture
def cycle_2025(administrator: User, ba_che_villages: list[AdministrativeUnit]) -> ReviewCycle:
    return reviews.review_cycle_open(
        user=administrator, province=current_unit(QUANG_NINH), year=2025, standard_identifier=STANDARD
    )


@pytest.fixture
def ba_che_review(cycle_2025: ReviewCycle) -> CommuneReview:
    return cycle_2025.communes.get(commune__code=BA_CHE)


def recorded(deprived: Iterable[str]) -> dict[str, str]:
    """Answers as the reviewer's recorded yes/no for every indicator (``deprived__<indicator>``)."""
    chosen = set(deprived)
    return {f"deprived__{indicator}": "có" if indicator in chosen else "không" for indicator in INDICATORS}


QuestionnaireRow = Callable[..., dict[str, str]]


@pytest.fixture
def questionnaire_row() -> QuestionnaireRow:
    def row(
        household: str,
        member: str,
        *,
        village: str = "06970-001",
        income: int = 1_200_000,
        deprived: Iterable[str] = (),
        relation: str = "chủ hộ",
        birth_year: str = "1980",
        identity_number: str = "",
        ethnic_group: str = "09",
        area: str = "nông thôn",
        year: str = "2025",
    ) -> dict[str, str]:
        return {
            "review_year": year,
            "household_code": household,
            "village_code": village,
            "address": "",
            "area": area,
            "income_per_capita_month": str(income),
            "member_name": member,
            "sex": "nam",
            "birth_year": birth_year,
            "ethnic_group": ethnic_group,
            "relation_to_head": relation,
            "identity_number": identity_number,
            **recorded(deprived),
        }

    return row


def csv_text(rows: list[dict[str, str]]) -> str:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(row[column] for column in header) for row in rows]
    return "\n".join(lines) + "\n"


POOR = {"income": 1_000_000, "deprived": ("employment", "nutrition", "latrine")}
NEAR_POOR = {"income": 1_000_000, "deprived": ("employment",)}
NOT_POOR = {"income": 5_000_000, "deprived": ()}

# household → status in 2023, 2024, 2025 (None: not assessed that year)
HISTORY = {
    "A": (POOR, NOT_POOR, POOR),  # escaped in 2024, fell back in 2025
    "B": (None, POOR, NEAR_POOR),  # escaped and became near-poor
    "C": (None, POOR, POOR),  # stayed poor
    "D": (None, NOT_POOR, POOR),  # fell into poverty for the first time
    "E": (None, None, NOT_POOR),  # new in 2025
    "F": (None, NEAR_POOR, None),  # dissolved before 2025
    "G": (None, NEAR_POOR, NEAR_POOR),  # stayed near-poor: no flow
    "H": (POOR, POOR, None),  # not assessed in 2025 but not dissolved: no flow
}


def history_imported(
    year: int, position: int, *, province_officer: User, commune_officer: User, row: QuestionnaireRow
) -> ReviewCycle:
    """Quảng Ninh's review of ``year`` opened, and Ba Chẽ's households of ``HISTORY`` assessed in it as they
    were in the history's ``position``."""
    cycle = reviews.review_cycle_open(
        user=province_officer, province=current_unit(QUANG_NINH), year=year, standard_identifier=STANDARD
    )
    rows = [
        row(code, f"Chủ hộ {code}", year=str(year), **history[position])
        for code, history in HISTORY.items()
        if history[position] is not None
    ]
    preview_and_apply("questionnaire", csv_text(rows), user=commune_officer)
    return cycle


def ba_che_approved(cycle: ReviewCycle, *, province_officer: User, commune_officer: User) -> None:
    review = cycle.communes.get(commune__code=BA_CHE)
    reviews.commune_review_submit(user=commune_officer, review=review)
    reviews.commune_review_approve(user=province_officer, review=review)


@pytest.fixture
def three_years(
    administrator, province_officer, commune_officer, ba_che_villages, questionnaire_row: QuestionnaireRow
) -> dict[int, ReviewCycle]:
    officers = {"province_officer": province_officer, "commune_officer": commune_officer}
    cycles = {}
    for position, year in enumerate((2023, 2024, 2025)):
        cycles[year] = history_imported(year, position, row=questionnaire_row, **officers)
        if year == 2024:
            households_update("F", dissolved_on=datetime.date(2024, 12, 1))
        ba_che_approved(cycles[year], **officers)
    return cycles


@pytest.fixture
def family(commune_officer: User, ba_che_villages: list[AdministrativeUnit]) -> Household:
    """A family of four in Ba Chẽ's first village, registered by its commune officer."""
    return household_create(
        user=commune_officer,
        village=ba_che_villages[0],
        code="06970-001-0001",
        area="rural",
        members=[
            MemberData("Triệu Văn Pao", "male", 1955, "09", "head", identity_number="022055000111"),
            MemberData("Triệu Văn Sinh", "male", 1980, "09", "child", identity_number="022080000222"),
            MemberData("Bàn Thị Mai", "female", 1983, "09", "other"),
            MemberData("Triệu Văn Tài", "male", 2008, "09", "grandchild"),
        ],
    )
