"""The money export as every role reads it: the numbering and names a province officer typed for the
province's own programme come back as text, never as formulas; amounts stay numbers."""

import pytest

from tests.common.hostile import CONTROLS, CONTROLS_KEPT, formula_free_texts
from tests.common.reports import read_report
from tests.conftest import BA_CHE, QUANG_NINH, client_for, current_unit
from tests.exports.helpers import exported_file
from tests.programs.helpers import record
from vungcao.programs.services import programmes

pytestmark = pytest.mark.django_db
Spec = programmes.ComponentSpec


@pytest.fixture
def typed_programme(province_officer) -> None:
    programmes.programme_define(
        user=province_officer,
        province=current_unit(QUANG_NINH),
        code="NQ06",
        name_vi='=HYPERLINK("http://x","y")',
        start_year=2021,
        end_year=2025,
        components=[
            Spec("MT1", '=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)"),
            Spec("MT2", CONTROLS, "", "-2"),
            Spec("MT3", "+1+1", "", "=1+1"),
        ],
    )
    for component, amount in (("22-NQ06-MT1", 1_000), ("22-NQ06-MT2", 2_000), ("22-NQ06-MT3", 3_000)):
        record("allocation", 2024, BA_CHE, amount, component=component)


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        ("commune_officer", BA_CHE),
        ("province_officer", QUANG_NINH),
        ("analyst", QUANG_NINH),
        ("aggregate_viewer", QUANG_NINH),
        ("administrator", QUANG_NINH),
    ],
)
def test_every_role_exports_typed_names_as_text(request, make_user, role, unit, typed_programme) -> None:
    user = make_user("viewer", role) if role == "aggregate_viewer" else request.getfixturevalue(role)
    # When the role exports the money dashboard
    query = {"unit": unit, "from_year": 2024, "to_year": 2024}
    response = exported_file(client_for(user), query, kind="money")
    # Then the file opens, holds no formula, and the components read as typed (less control characters)
    assert response.status_code == 200
    texts = formula_free_texts(response.content)
    assert {
        '@SUM(A1) — =HYPERLINK("http://x","y")',
        f"-2 — {CONTROLS_KEPT}",
        "=1+1 — +1+1",
        "22-NQ06-MT1",
    } <= set(texts)

    by_component = read_report(response.content, 0)
    assert sorted((row[0], row[3]) for row in by_component.rows) == [
        ("22-NQ06-MT1", 1_000),
        ("22-NQ06-MT2", 2_000),
        ("22-NQ06-MT3", 3_000),
    ]
