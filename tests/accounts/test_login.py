"""Logging in: lockout after repeated failures (one username from one address, one username from many
addresses, one address across usernames), Django's password validators, the language switch."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.conftest import PASSWORD
from vungcao.accounts import services
from vungcao.accounts.models import Role, User
from vungcao.common.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_a_correct_password_logs_in_and_opens_the_unit_browser(commune_officer) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": commune_officer.username, "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/")["Location"] == "/units/"  # national roles go to the national dashboard


def test_repeated_failures_lock_the_account_even_for_the_right_password(commune_officer) -> None:
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": commune_officer.username, "password": "wrong-password-1"}
        )
    response = client.post("/accounts/login/", {"username": commune_officer.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def fail(username: str, address: str) -> None:
    Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": "wrong-password-1"}
    )


def log_in(username: str, address: str) -> int:
    return (
        Client(REMOTE_ADDR=address)
        .post("/accounts/login/", {"username": username, "password": PASSWORD})
        .status_code
    )


def test_password_spraying_from_one_address_across_usernames_locks_the_address(commune_officer) -> None:
    limit = settings.LOCKOUT_FAILURE_LIMITS["ip_address"]
    assert limit > settings.AXES_FAILURE_LIMIT
    for number in range(limit - 1):
        fail(f"guessed-user-{number}", "203.0.113.7")
    assert log_in(commune_officer.username, "203.0.113.8") == 302
    fail("guessed-user-last", "203.0.113.7")
    assert log_in(commune_officer.username, "203.0.113.7") == 429
    assert log_in(commune_officer.username, "203.0.113.8") == 302


def test_one_username_tried_from_many_addresses_is_locked(commune_officer, analyst) -> None:
    limit = settings.LOCKOUT_FAILURE_LIMITS["username"]
    assert limit > settings.AXES_FAILURE_LIMIT
    for number in range(limit):
        fail(commune_officer.username, f"198.51.100.{number + 1}")
    assert log_in(commune_officer.username, "198.51.100.200") == 429
    assert log_in(analyst.username, "198.51.100.200") == 302


def test_an_office_behind_one_address_may_mistype_more_often_than_one_user(commune_officer, analyst) -> None:
    """Below every limit: four mistakes by each of two users from one address lock nobody."""
    for username in (commune_officer.username, analyst.username):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            fail(username, "192.0.2.10")
    assert log_in(commune_officer.username, "192.0.2.10") == 302


@pytest.mark.parametrize("password", ["short", "password123", "1234567890123", "bache-officer-x"])
def test_weak_passwords_are_refused_and_no_user_is_made(password: str) -> None:
    with pytest.raises(ApplicationError):
        services.user_create(username="bache-officer-x", password=password, role=Role.AGGREGATE_VIEWER)
    assert not User.objects.filter(username="bache-officer-x").exists()


def test_a_commune_officer_needs_a_commune_scope(province_officer) -> None:
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.user_create(username="no-scope", password=PASSWORD, role=Role.COMMUNE_OFFICER, scope=None)
    assert refused.value.message == (
        "The role Commune officer must be scoped to a unit of level Commune of the current era."
    )
    with pytest.raises(ApplicationError):
        services.user_create(
            username="wrong-scope", password=PASSWORD, role=Role.COMMUNE_OFFICER, scope=province_officer.scope
        )
    assert not User.objects.filter(username__in=["no-scope", "wrong-scope"]).exists()


def test_pages_are_vietnamese_by_default_and_english_with_one_click(client: Client, analyst) -> None:
    client.force_login(analyst, backend="django.contrib.auth.backends.ModelBackend")
    assert '<html lang="vi">' in client.get("/units/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    page = client.get("/units/").content.decode()
    assert '<html lang="en">' in page
    assert "Administrative units" in page


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client: Client, analyst) -> None:
    client.force_login(analyst, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/units/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert '<html lang="en">' in client.get("/units/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
