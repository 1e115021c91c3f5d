"""The administration corrects a unit's name and dates, never its place in the tree: a parent or code
changed there would leave the unit's path, and everything under it, where it was."""

import pytest

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, client_for, current_unit
from vungcao.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(make_user):
    root = make_user("root", "administrator")
    root.is_staff = root.is_superuser = True
    root.save()
    return client_for(root)


def test_a_units_name_is_corrected_and_its_place_in_the_tree_is_kept(superuser_client) -> None:
    unit = current_unit(BA_CHE)
    address = f"/admin/geo/administrativeunit/{unit.pk}/change/"
    form = superuser_client.get(address).content.decode()
    assert [field in form for field in ('name="name"', 'name="parent"', 'name="code"')] == [
        True,
        False,
        False,
    ]
    response = superuser_client.post(
        address,
        {
            "name": "Xã Ba Chẽ Mới",
            "division_type": unit.division_type,
            "valid_from": unit.valid_from.isoformat() if unit.valid_from else "",
            "valid_to": "",
            # Not offered by the form; sent anyway.
            "parent": str(current_unit(DIEN_BIEN).pk),
            "code": "99999",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert (unit.name, unit.name_folded, unit.code) == ("Xã Ba Chẽ Mới", "xa ba che moi", BA_CHE)
    assert (unit.parent.code, unit.path) == (QUANG_NINH, f"current/{QUANG_NINH}/{BA_CHE}/")


def test_no_unit_is_added_in_the_administration(superuser_client) -> None:
    count = AdministrativeUnit.objects.count()
    assert superuser_client.get("/admin/geo/administrativeunit/add/").status_code == 403
    superuser_client.post("/admin/geo/administrativeunit/add/", {"code": "99999", "name": "X"})
    assert AdministrativeUnit.objects.count() == count
