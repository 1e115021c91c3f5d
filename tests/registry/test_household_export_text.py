"""The household export as every role that may export reads it: codes, villages and addresses typed by
officers come back as text, never as formulas, and a control character in an address breaks nothing."""

import pytest

from tests.common.hostile import CONTROLS, CONTROLS_KEPT, formula_free_texts
from tests.common.reports import read_report
from tests.conftest import BA_CHE, client_for, current_unit
from tests.exports.helpers import exported_file
from vungcao.geo.services import villages
from vungcao.registry.services.households import MemberData, household_create

pytestmark = pytest.mark.django_db

# (household code, address as typed, address as read back from the export)
TYPED = [
    ('=HYPERLINK("http://x","y")', "+1+1", "+1+1"),
    ("-2", "@SUM(A1)", "@SUM(A1)"),
    ("@SUM(A1)", "=1+1", "=1+1"),
    ("+1+1", CONTROLS, CONTROLS_KEPT),
    ("06970-001-0005", "Khe Giấy\t=1+1\r\nlô 2", "Khe Giấy\t=1+1\nlô 2"),
]
VILLAGE = '=HYPERLINK("http://x","Thôn")'


@pytest.fixture
def typed_households(administrator, commune_officer) -> None:
    village = villages.village_create(user=administrator, commune=current_unit(BA_CHE), name=VILLAGE)
    for code, address, _read in TYPED:
        household_create(
            user=commune_officer,
            village=village,
            code=code,
            area="rural",
            address=address,
            members=[MemberData("Lò Văn\x0b Hặc", "male", 1970, "03", "head")],
        )


@pytest.mark.parametrize("role", ["commune_officer", "province_officer", "analyst", "administrator"])
def test_every_role_exports_typed_text_as_text(request, role, typed_households) -> None:
    # When each role that may see households exports the list
    response = exported_file(client_for(request.getfixturevalue(role)))
    # Then the file opens, holds no formula, and each household reads as typed (less control characters)
    assert response.status_code == 200
    texts = formula_free_texts(response.content)
    rows = read_report(response.content).rows
    assert sorted(row[1:5] for row in rows) == sorted(
        (code, VILLAGE, "Xã Ba Chẽ", read) for code, _typed, read in TYPED
    )
    assert all(text.isprintable() or text in {read for *_rest, read in TYPED} for text in texts)
