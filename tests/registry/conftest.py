"""A Quảng Ninh review of 2025 (standard vn-2022-2025) open in Ba Chẽ, with two villages."""

from collections.abc import Callable, Iterable

import pytest

from tests.conftest import BA_CHE, QUANG_NINH, current_unit
from vungcao.accounts.models import User
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.services import villages
from vungcao.registry import classification
from vungcao.registry.models import CommuneReview, ReviewCycle
from vungcao.registry.services import reviews

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
