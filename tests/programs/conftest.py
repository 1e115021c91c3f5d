"""What several money tests are given."""

from decimal import Decimal

import pytest

from tests.conftest import BA_CHE, TIEN_YEN
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era


@pytest.fixture
def thanh_son_split(db: None) -> None:
    """Given (for the test): 40% of old Xã Thanh Sơn (06973) went into Ba Chẽ, 60% into Tiên Yên."""
    old = AdministrativeUnit.objects.get(era=Era.PRE2025, code="06973")
    for code, share in ((BA_CHE, "0.4"), (TIEN_YEN, "0.6")):
        CrosswalkLink.objects.create(
            old_unit=old,
            new_unit=AdministrativeUnit.objects.get(era=Era.CURRENT, code=code),
            share=Decimal(share),
            provenance=CrosswalkLink.Provenance.OFFICIAL_IMPORT,
        )
