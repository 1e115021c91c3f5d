"""The user-management pages: who may open and post what, the scope picker, and what is written."""

import re

import pytest
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from tests.accounts.conftest import changes_of
from tests.conftest import BA_CHE, DIEN_BIEN, MUONG_PHANG, PASSWORD, QUANG_NINH, TIEN_YEN, client_for
from vungcao.accounts import services
from vungcao.accounts.models import Role, User, UserChange
from vungcao.accounts.views.scope_picker import SCOPE_CHOOSE, SCOPE_NO_MATCH

pytestmark = pytest.mark.django_db

USERS, NEW, CHANGES, SCOPES = (
    "/accounts/users/",
    "/accounts/users/new/",
    "/accounts/users/changes/",
    "/accounts/users/scopes/",
)
ADMINISTRATORS = ["national_admin", "province_admin"]
OTHERS = ["province_officer", "commune_officer", "analyst", "viewer"]
BA_CHE_PATH = "Xã Ba Chẽ · Tỉnh Quảng Ninh (06970)"


def detail(username: str, action: str = "") -> str:
    return f"/accounts/users/u/{username}/" + (f"{action}/" if action else "")


def snapshot() -> tuple[list[tuple[object, ...]], int]:
    return list(User.objects.order_by("pk").values_list()), UserChange.objects.count()


def new_user(**overrides: str) -> dict[str, str]:
    return {
        "username": "new-officer",
        "full_name": "Nguyễn Thị Lan",
        "email": "lan@example.vn",
        "role": Role.COMMUNE_OFFICER,
        "scope": BA_CHE,
        "password": "",
        "save": "1",
        **overrides,
    }


# --- Who may open what -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ADMINISTRATORS + OTHERS)
def test_the_pages_open_for_administrators_alone(roles, kind: str) -> None:
    client = client_for(roles[kind])
    expected = 200 if kind in ADMINISTRATORS else 403
    for url in (USERS, NEW, CHANGES, f"{SCOPES}?scope=ba"):
        assert client.get(url).status_code == expected, url
    target = roles["commune_officer"].username
    # A user's page is "not found" to a non-administrator: it tells nothing of whether the user exists.
    assert client.get(detail(target)).status_code == (200 if kind in ADMINISTRATORS else 404)
    nav = client.get("/accounts/me/").content.decode()
    assert ('href="/accounts/users/"' in nav) is (kind in ADMINISTRATORS)


@pytest.mark.parametrize("kind", OTHERS)
def test_other_roles_change_nobody(roles, kind: str) -> None:
    client = client_for(roles[kind])
    target = roles["province_officer"].username
    before = snapshot()
    assert client.post(NEW, new_user()).status_code == 403
    # A user's page answers "not found" to anyone but an administrator who manages them.
    for action in ("deactivate", "password"):
        assert client.post(detail(target, action)).status_code == 404
    assert (
        client.post(detail(target), {"role": Role.ADMINISTRATOR, "scope": "", "save": "1"}).status_code == 404
    )
    assert snapshot() == before


def test_the_province_administrator_lists_the_officers_of_the_province_alone(roles, elsewhere) -> None:
    body = client_for(roles["province_admin"]).get(USERS).content.decode()
    listed = set(re.findall(r'href="/accounts/users/u/([^/]+)/"', body))
    assert listed == {"qn-admin", "quangninh-officer", "bache-officer"}
    national = set(
        re.findall(
            r'href="/accounts/users/u/([^/]+)/"',
            client_for(roles["national_admin"]).get(USERS).content.decode(),
        )
    )
    assert {"ministry-analyst", "dienbien-officer", "db-admin", "qn-admin"} <= national
    assert "system" not in national


def test_out_of_reach_users_are_not_found_like_missing_ones(roles, elsewhere) -> None:
    client = client_for(roles["province_admin"])
    before = snapshot()
    missing = client.get(detail("no-such-user"))
    assert missing.status_code == 404
    for username in ("dienbien-officer", "db-admin", "system-admin", "ministry-analyst", "donor-viewer"):
        assert client.get(detail(username)).status_code == 404
        for action in ("deactivate", "reactivate", "password"):
            assert client.post(detail(username, action)).status_code == 404
        posted = client.post(detail(username), {"role": Role.COMMUNE_OFFICER, "scope": BA_CHE, "save": "1"})
        assert posted.status_code == 404
        assert posted.content == client.post(detail("no-such-user"), {"save": "1"}).content
    assert snapshot() == before


# --- Creating ---------------------------------------------------------------------------------------


def test_the_province_administrator_creates_an_officer_with_a_generated_password_shown_once(roles) -> None:
    client = client_for(roles["province_admin"])
    response = client.post(NEW, new_user())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = re.search(r'id="new-password">([^<]+)<', response.content.decode()).group(1)  # type: ignore[union-attr]
    user = User.objects.get(username="new-officer")
    assert (user.role, user.scope.code, user.email, user.first_name) == (  # type: ignore[union-attr]
        Role.COMMUNE_OFFICER,
        BA_CHE,
        "lan@example.vn",
        "Nguyễn Thị Lan",
    )
    assert user.check_password(password)
    assert user.must_change_password
    assert changes_of(user) == [("created", "", "new-officer", "qn-admin")]
    assert password not in client.get(detail("new-officer")).content.decode()

    # At first login the new officer is sent to change the password; changing it is recorded.
    officer = Client()
    login = officer.post("/accounts/login/", {"username": "new-officer", "password": password})
    assert login["Location"] == "/accounts/me/password/"
    # Until it is changed, every other page leads back to the change page; logging out still works.
    for page in ("/", "/registry/households/", "/accounts/me/", "/programs/"):
        assert officer.get(page)["Location"] == "/accounts/me/password/"
    assert officer.get("/accounts/me/password/").status_code == 200
    changed = officer.post(
        "/accounts/me/password/",
        {"old_password": password, "new_password1": PASSWORD + "x", "new_password2": PASSWORD + "x"},
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert changes_of(user)[-1] == ("password_changed", "", "", "new-officer")
    assert officer.get("/accounts/me/").status_code == 200


def test_a_chosen_password_is_checked_by_the_validators_and_nothing_is_written(roles) -> None:
    client = client_for(roles["province_admin"])
    before = snapshot()
    response = client.post(NEW, new_user(password="12345678"))
    assert response.status_code == 200
    with translation.override(response["Content-Language"]):
        with pytest.raises(ValidationError) as refused:
            validate_password("12345678", User(username="new-officer"))
        assert all(escape(message) in response.content.decode() for message in refused.value.messages)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        (Role.ADMINISTRATOR, "", "assign"),  # a national administrator
        (Role.MINISTRY_ANALYST, "", "role"),  # a national role: not among the roles offered
        (Role.PROVINCE_OFFICER, "", "assign"),  # the whole country
        (Role.PROVINCE_OFFICER, DIEN_BIEN, "scope"),  # another province: as if it did not exist
        (Role.COMMUNE_OFFICER, MUONG_PHANG, "scope"),
    ],
)
def test_the_province_administrator_cannot_create_above_or_outside(
    roles, role: str, scope: str, message: str
) -> None:
    client = client_for(roles["province_admin"])
    before = snapshot()
    response = client.post(NEW, new_user(role=role, scope=scope))
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override(response["Content-Language"]):
        expected = {
            "role": "",
            "assign": str(services.ROLE_NOT_ALLOWED).format(role=Role(role).label),
            "scope": str(SCOPE_NO_MATCH),
        }[message]
        if message == "role":
            expected = str(forms.ChoiceField.default_error_messages["invalid_choice"]).split("%")[0]
    assert escape(expected) in body
    assert snapshot() == before


def test_a_name_is_never_saved_the_matches_are_shown_to_choose_from(roles) -> None:
    client = client_for(roles["province_admin"])
    before = snapshot()
    response = client.post(NEW, new_user(scope="ba chẽ"))
    body = response.content.decode()
    assert str(SCOPE_CHOOSE) in body
    assert f'name="scope_pick" value="{BA_CHE}"' in body
    assert snapshot() == before
    # Picking the match (without JavaScript: a button of the form) puts its code in the box, unsaved.
    picked = client.post(NEW, {**new_user(scope="ba chẽ"), "scope_pick": BA_CHE}).content.decode()
    assert f'value="{BA_CHE}"' in picked
    assert BA_CHE_PATH in picked
    assert snapshot() == before


# --- The scope picker --------------------------------------------------------------------------------


def picker_codes(client: Client, term: str) -> list[str]:
    body = client.get(SCOPES, {"scope": term}).content.decode()
    return re.findall(r'name="scope_pick" value="(\w+)"', body) or re.findall(r"\((\w+)\)</strong>", body)


def test_the_picker_offers_only_units_inside_the_administrators_scope(roles) -> None:
    province_admin, national_admin = client_for(roles["province_admin"]), client_for(roles["national_admin"])
    assert picker_codes(province_admin, BA_CHE) == [BA_CHE]  # an official code selects exactly that commune
    assert picker_codes(province_admin, "ba che") == [BA_CHE]
    assert picker_codes(province_admin, QUANG_NINH) == [QUANG_NINH]
    assert picker_codes(province_admin, TIEN_YEN) == [TIEN_YEN]
    for term in (DIEN_BIEN, MUONG_PHANG, "Mường Phăng", "dien bien"):
        response = province_admin.get(SCOPES, {"scope": term})
        assert picker_codes(province_admin, term) == []
        assert str(SCOPE_NO_MATCH) in response.content.decode()
    assert picker_codes(national_admin, MUONG_PHANG) == [MUONG_PHANG]
    assert DIEN_BIEN in picker_codes(national_admin, "dien bien")


def test_typing_a_code_shows_the_full_path_before_saving(roles) -> None:
    body = client_for(roles["province_admin"]).get(SCOPES, {"scope": BA_CHE}).content.decode()
    assert f'<strong id="scope-chosen">{BA_CHE_PATH}</strong>' in body
    picked = (
        client_for(roles["province_admin"]).get(SCOPES, {"scope": BA_CHE, "scope_pick": "1"}).content.decode()
    )
    assert f'name="scope" id="id_scope" value="{BA_CHE}"' in picked


# --- Changing -----------------------------------------------------------------------------------------


def test_rescoping_deactivating_and_resetting_from_the_pages_are_recorded(roles) -> None:
    client, officer = client_for(roles["province_admin"]), roles["commune_officer"]
    assert (
        client.post(
            detail(officer.username), {"role": Role.COMMUNE_OFFICER, "scope": TIEN_YEN, "save": "1"}
        ).status_code
        == 302
    )
    assert client.post(detail(officer.username, "deactivate")).status_code == 302
    assert client.post(detail(officer.username, "reactivate")).status_code == 302
    reset = client.post(detail(officer.username, "password"), {"password": ""})
    assert reset.status_code == 200
    assert [change[0] for change in changes_of(officer)] == [
        "created",
        "scope_changed",
        "deactivated",
        "reactivated",
        "password_reset",
    ]
    listed = client.get(CHANGES).content.decode()
    assert "Xã Tiên Yên · Tỉnh Quảng Ninh (06862)" in listed


def test_the_change_list_of_a_province_shows_nothing_of_another(roles, elsewhere) -> None:
    services.user_deactivate(actor=roles["national_admin"], user_id=elsewhere["commune"].pk)
    body = client_for(roles["province_admin"]).get(CHANGES).content.decode()
    assert "muongphang-officer" not in body
    assert "muongphang-officer" in client_for(roles["national_admin"]).get(CHANGES).content.decode()


def test_an_administrator_sees_their_own_account_without_the_forms_changing_it(roles) -> None:
    body = client_for(roles["province_admin"]).get(detail("qn-admin")).content.decode()
    assert "/deactivate/" not in body
    assert 'name="save"' not in body


def test_changes_in_django_admin_go_through_the_services_and_are_recorded(roles) -> None:
    client, officer = client_for(roles["national_admin"]), roles["province_officer"]
    url = f"/admin/accounts/user/{officer.pk}/change/"
    form = {
        "username": officer.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": Role.ADMINISTRATOR,
        "scope": officer.scope_id,
        "is_active": "",
    }
    assert client.post(url, form).status_code == 302
    officer.refresh_from_db()
    assert (officer.role, officer.is_active, officer.is_superuser) == (Role.ADMINISTRATOR, False, False)
    assert [change[0::3] for change in changes_of(officer)] == [
        ("created", "system"),
        ("role_changed", "system-admin"),
        ("deactivated", "system-admin"),
    ]
    before = snapshot()
    own = client.post(
        f"/admin/accounts/user/{roles['national_admin'].pk}/change/",
        {**form, "username": "system-admin", "role": Role.COMMUNE_OFFICER, "scope": "", "is_active": "on"},
    )
    assert own.status_code == 200
    assert snapshot() == before


def test_a_user_added_in_django_admin_is_created_by_the_service_and_recorded(roles) -> None:
    client = client_for(roles["national_admin"])
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "from-admin",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": Role.COMMUNE_OFFICER,
            "scope": roles["commune_officer"].scope_id,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="from-admin")
    assert (user.role, user.scope, user.must_change_password) == (
        Role.COMMUNE_OFFICER,
        roles["commune_officer"].scope,
        True,
    )
    assert changes_of(user) == [("created", "", "from-admin", "system-admin")]
