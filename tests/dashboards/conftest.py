"""A small country for the dashboards, with every figure known by hand.

Tuyên Quang (08) from 1 July 2025 took in the former Hà Giang (02). Three of its communes are reviewed:
Phường Hà Giang 2 (00691, kept the code of a Hà Giang ward), Phường Nông Tiến (02212, a Tuyên Quang ward)
and Phường Minh Xuân (02215, from the Tuyên Quang ward 02215; the test adds half of the Hà Giang ward
00694 into it, so it came from both former provinces: shares 1 and 0.5, read backwards 2/3 and 1/3).
Quảng Ninh (22): Ba Chẽ approved, Tiên Yên only submitted (not counted).

                      assessed  poor  near-poor
    00691 (from 02)          4     1          1
    02212 (from 08)          2     2          0
    02215 (08 ⅔, 02 ⅓)       3     0          3
    06970 Ba Chẽ             5     1          0
    06862 Tiên Yên           2     2          0     submitted: not counted
"""

from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.conftest import BA_CHE, TIEN_YEN
from tests.programs.helpers import household, record
from vungcao.accounts.models import Role, User
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era
from vungcao.registry.models import CommuneReview

HA_GIANG_2, NONG_TIEN, MINH_XUAN = "00691", "02212", "02215"
YEAR = 2024

COUNTS = {  # commune: (not poor, poor, near-poor)
    HA_GIANG_2: (2, 1, 1),
    NONG_TIEN: (0, 2, 0),
    MINH_XUAN: (0, 0, 3),
    BA_CHE: (4, 1, 0),
    TIEN_YEN: (0, 2, 0),
}


@pytest.fixture
def small_country(db: None) -> None:
    for commune, (not_poor, poor, near_poor) in COUNTS.items():
        statuses = ["not_poor"] * not_poor + ["poor"] * poor + ["near_poor"] * near_poor
        for number, status in enumerate(statuses):
            household(f"T-{commune}-{number}", commune, {YEAR: (status, set())})
    CommuneReview.objects.filter(commune__code=TIEN_YEN).update(state=CommuneReview.State.SUBMITTED)
    old_ward = AdministrativeUnit.objects.get(era=Era.PRE2025, code="00694")
    CrosswalkLink.objects.filter(old_unit=old_ward).update(share=Decimal("0.5"))
    CrosswalkLink.objects.create(
        old_unit=old_ward,
        new_unit=AdministrativeUnit.objects.get(era=Era.CURRENT, code=MINH_XUAN),
        share=Decimal("0.5"),
        provenance=CrosswalkLink.Provenance.OFFICIAL_IMPORT,
    )
    record("allocation", YEAR, BA_CHE, 1_000_000_000)
    record("disbursement", YEAR, BA_CHE, 400_000_000)
    record("allocation", YEAR, NONG_TIEN, 500_000_000, source="socialised")
    record("allocation", YEAR - 1, NONG_TIEN, 7_000_000_000)  # another year: not counted


@pytest.fixture
def viewer(make_user: Callable[..., User]) -> User:
    return make_user("aggregate-viewer", Role.AGGREGATE_VIEWER)
