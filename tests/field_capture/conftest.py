"""Quảng Ninh's review of 2025 (standard vn-2022-2025) open in every commune, Ba Chẽ with two villages and
households entered through the questionnaire import."""

import datetime

import pytest
from django.core.cache import cache

from tests.conftest import BA_CHE, households_update
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import (  # noqa: F401 - the fixtures
    QuestionnaireRow,
    ba_che_review,
    ba_che_villages,
    csv_text,
    cycle_2025,
    questionnaire_row,
)
from vungcao.accounts.models import User
from vungcao.registry.models import CommuneReview, ReviewCycle


@pytest.fixture(autouse=True)
def forgotten_credentials() -> None:
    """Each test starts with no verified credentials remembered (the cache lives as long as the process)."""
    cache.clear()


@pytest.fixture
def ba_che_households(
    cycle_2025: ReviewCycle,  # noqa: F811
    commune_officer: User,
    questionnaire_row: QuestionnaireRow,  # noqa: F811
) -> CommuneReview:
    """Three households of Ba Chẽ: two in Khe Giấy (one dissolved since), one in Làng Cổng; members with
    identity numbers. The review, with its cycle and commune."""
    rows = [
        questionnaire_row("06970-001-0001", "Triệu Văn Pao", identity_number="022080001234"),
        questionnaire_row("06970-001-0001", "Triệu Thị Mai", relation="vợ", identity_number="022180004321"),
        questionnaire_row("06970-001-0002", "Lý Văn Sần"),
        questionnaire_row("06970-002-0001", "Đặng Thị Chòi", village="06970-002", area="thành thị"),
    ]
    preview_and_apply("questionnaire", csv_text(rows), user=commune_officer)
    households_update("06970-001-0002", dissolved_on=datetime.date(2025, 6, 1))
    return CommuneReview.objects.select_related("cycle", "commune").get(
        cycle=cycle_2025, commune__code=BA_CHE
    )
