"""Scope: a commune officer sees only the commune, its villages and the old units it came from.

Every page and endpoint that shows units is tried as an out-of-scope user: pages, API list,
detail, search, crosswalk and counts.
"""

import pytest

from tests.conftest import BA_CHE, MUONG_PHANG, QUANG_NINH, TIEN_YEN, client_for, current_unit
from vungcao.accounts import access
from vungcao.accounts.models import Role, User
from vungcao.geo import selectors, tree
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.geo.selectors_tree import unit_tree
from vungcao.geo.services import villages
from vungcao.indicators.models import UnitGroup

pytestmark = pytest.mark.django_db

OUT_OF_SCOPE_PAGES = [
    f"/units/current/{MUONG_PHANG}/",
    f"/units/current/{TIEN_YEN}/",
    f"/units/current/{QUANG_NINH}/",
    "/units/pre2025/02/",
]
OUT_OF_SCOPE_API = [
    f"/api/v1/units/current/{MUONG_PHANG}",
    f"/api/v1/units/current/{TIEN_YEN}",
    f"/api/v1/units/current/{QUANG_NINH}",
    "/api/v1/units/pre2025/02",
]


@pytest.mark.parametrize("url", OUT_OF_SCOPE_PAGES)
def test_commune_officer_gets_404_for_pages_of_units_outside_the_commune(commune_officer, url: str) -> None:
    assert client_for(commune_officer).get(url).status_code == 404


@pytest.mark.parametrize("url", OUT_OF_SCOPE_API)
def test_commune_officer_gets_404_from_the_api_for_units_outside_the_commune(
    commune_officer, url: str
) -> None:
    assert client_for(commune_officer).get(url).status_code == 404


def test_commune_officer_lists_only_the_commune_and_the_old_communes_it_came_from(commune_officer) -> None:
    body = client_for(commune_officer).get("/api/v1/units?limit=1000").json()
    assert sorted((item["era"], item["code"]) for item in body["items"]) == [
        (Era.CURRENT, BA_CHE),
        (Era.PRE2025, BA_CHE),
    ]
    assert body["count"] == 2


def test_commune_officer_search_and_counts_never_reach_other_communes(commune_officer) -> None:
    client = client_for(commune_officer)
    assert client.get("/api/v1/units?search=muong phang").json()["count"] == 0
    assert client.get("/api/v1/units?search=quang ninh").json()["count"] == 0
    assert client.get("/api/v1/units?era=current&level=commune").json()["count"] == 1
    assert selectors.level_counts(user=commune_officer)[0].total == 1
    page = client.get("/units/?q=xa&era=current")
    assert page.status_code == 200
    assert "Mường Phăng" not in page.content.decode()


def test_commune_officer_sees_only_links_into_the_commune(commune_officer) -> None:
    client = client_for(commune_officer)
    assert client.get("/api/v1/crosswalk?era=pre2025&code=02").json()["count"] == 0
    body = client.get("/api/v1/crosswalk").json()
    assert {item["new_code"] for item in body["items"]} == {BA_CHE}


def test_commune_officer_cannot_change_another_communes_villages(commune_officer, administrator) -> None:
    other = current_unit(MUONG_PHANG)
    villages.village_create(user=administrator, commune=other, name="Bản Che Căn")
    client = client_for(commune_officer)
    response = client.post(
        f"/units/current/{MUONG_PHANG}/villages/", {"name": "Bản X", "division_type": "bản"}
    )
    assert response.status_code == 404
    assert client.post(f"/units/current/{MUONG_PHANG}-001/rename/", {"name": "Bản Y"}).status_code == 404
    assert sorted(other.children.values_list("name", flat=True)) == ["Bản Che Căn"]


def test_commune_officer_sees_the_communes_villages(commune_officer) -> None:
    villages.village_create(user=commune_officer, commune=current_unit(BA_CHE), name="Thôn Khe Giấy")
    body = client_for(commune_officer).get("/api/v1/units?level=village").json()
    assert [item["code"] for item in body["items"]] == [f"{BA_CHE}-001"]


def test_province_officer_sees_the_province_and_its_old_provinces_but_no_other(province_officer) -> None:
    client = client_for(province_officer)
    assert client.get(f"/api/v1/units/current/{QUANG_NINH}").status_code == 200
    assert client.get(f"/api/v1/units/current/{MUONG_PHANG}").status_code == 404
    assert client.get("/api/v1/units?era=current&level=commune").json()["count"] == 54
    assert client.get("/api/v1/units?era=pre2025&level=province").json()["items"][0]["code"] == QUANG_NINH
    assert client.get("/api/v1/units?era=pre2025&level=district").json()["count"] == 13


def test_national_roles_see_everything(analyst) -> None:
    client = client_for(analyst)
    assert client.get("/api/v1/units?era=current&level=commune").json()["count"] == 3321
    assert client.get(f"/api/v1/units/current/{MUONG_PHANG}").status_code == 200


def test_breadcrumbs_name_the_province_without_opening_it(commune_officer) -> None:
    unit = selectors.unit_get(user=commune_officer, era=Era.CURRENT, code=BA_CHE)
    crumbs = selectors.unit_ancestors(user=commune_officer, unit=unit)
    assert [(crumb.unit.code, crumb.openable) for crumb in crumbs] == [(QUANG_NINH, False)]


def test_anonymous_users_are_sent_to_log_in_and_refused_by_the_api(client) -> None:
    response = client.get("/units/")
    assert (response.status_code, response["Location"].startswith("/accounts/login/")) == (302, True)
    assert client.get("/api/v1/units").status_code == 401
    assert client.get("/api/v1/crosswalk").status_code == 401


def test_level_counts_of_a_province_officer(province_officer) -> None:
    counts = {
        (count.era, count.level): count.total for count in selectors.level_counts(user=province_officer)
    }
    assert counts[(Era.CURRENT, Level.COMMUNE)] == 54
    assert counts[(Era.CURRENT, Level.PROVINCE)] == 1


def test_groups_of_units_are_read_in_their_province_and_nationally(
    roles: dict[str, User], elsewhere: dict[str, User]
) -> None:
    """Given a group kept by Quảng Ninh, then its province's officers and administrator and the national
    users read it; a commune's officer (who has none in scope) and Điện Biên's do not, and only those who
    read groups are offered the page."""
    UnitGroup.objects.create(name="Xã khó khăn", owner=current_unit(QUANG_NINH), era=Era.CURRENT)
    users = {**roles, "other_province": elsewhere["province"]}

    reads = {
        name: access.restrict_unit_groups(UnitGroup.objects.all(), user).exists()
        for name, user in users.items()
    }
    offered = {name: access.can_see_unit_groups(user) for name, user in users.items()}

    assert reads == {
        "national_admin": True,
        "province_admin": True,
        "province_officer": True,
        "commune_officer": False,
        "analyst": True,
        "viewer": True,
        "other_province": False,
    }
    assert offered == {**reads, "other_province": True}  # Điện Biên's officer reads Điện Biên's groups


@pytest.mark.parametrize("role", ["analyst", "province", "commune", "no scope"])
@pytest.mark.parametrize(
    "paths",
    [["current/", "pre2025/"], [f"current/{QUANG_NINH}/", f"pre2025/{QUANG_NINH}/"], ["current/11/"]],
)
def test_subtrees_held_in_memory_are_narrowed_as_the_database_narrows_units(
    make_user, role: str, paths: list[str]
) -> None:
    """Given a caller holding the units in memory, then of the subtrees it asks for it keeps exactly the
    units ``restrict_units`` keeps in the database, for every kind of user."""
    user = {
        "analyst": lambda: make_user("subtrees-analyst", Role.MINISTRY_ANALYST),
        "province": lambda: make_user("subtrees-province", Role.PROVINCE_OFFICER, QUANG_NINH),
        "commune": lambda: make_user("subtrees-commune", Role.COMMUNE_OFFICER, BA_CHE),
        "no scope": lambda: User.objects.create(username="subtrees-none", role=Role.PROVINCE_OFFICER),
    }[role]()
    administrator = make_user("subtrees-admin", Role.ADMINISTRATOR)
    villages.village_create(user=administrator, commune=current_unit(BA_CHE), name="Thôn A")
    asked = AdministrativeUnit.objects.filter(tree.in_subtrees(paths))

    kept = {unit.path for unit in unit_tree().subtrees(access.restrict_subtrees(paths, user))}

    assert kept == set(access.restrict_units(asked, user).values_list("path", flat=True))
    outside = role == "no scope" or (role != "analyst" and paths == ["current/11/"])
    assert bool(kept) != outside
