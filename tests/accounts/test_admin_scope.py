"""An administrator gives a user a scope by the unit's official code or name, never by a database id."""

import pytest

from tests.conftest import BA_CHE, client_for, current_unit
from vungcao.accounts.admin import VungCaoUserAdmin
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services import villages

pytestmark = pytest.mark.django_db


def scope_choices(client, term: str) -> list[str]:
    response = client.get(
        "/admin/autocomplete/",
        {"term": term, "app_label": "accounts", "model_name": "user", "field_name": "scope"},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_scope_is_chosen_among_current_provinces_and_communes_by_code_or_name(make_user) -> None:
    admin = make_user("root", "administrator")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = client_for(admin)
    # The code 06970 is Ba Chẽ's in both eras; only the current commune can be a scope.
    assert AdministrativeUnit.objects.filter(code=BA_CHE).count() == 2
    assert scope_choices(client, BA_CHE) == ["Xã Ba Chẽ (06970)"]
    assert scope_choices(client, "ba che") == scope_choices(client, "Ba Chẽ") == ["Xã Ba Chẽ (06970)"]
    villages.village_create(user=admin, commune=current_unit(BA_CHE), name="Thôn Khe Giấy")
    assert scope_choices(client, "Khe Giấy") == []  # a village is no scope
    assert all(
        AdministrativeUnit.objects.get(era=Era.CURRENT, code=text.rsplit("(", 1)[1].rstrip(")")).level
        in {"province", "commune"}
        for text in scope_choices(client, "Quảng")
    )


def test_the_user_form_offers_no_raw_id_box_for_the_scope() -> None:
    assert "scope" not in VungCaoUserAdmin.raw_id_fields
    assert "scope" in VungCaoUserAdmin.autocomplete_fields
