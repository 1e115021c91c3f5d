"""Logging in: lockout after repeated failures, Django's password validators, the language switch."""

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
    assert (response.status_code, response["Location"]) == (302, "/units/")


def test_repeated_failures_lock_the_account_even_for_the_right_password(commune_officer) -> None:
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": commune_officer.username, "password": "wrong-password-1"}
        )
    response = client.post("/accounts/login/", {"username": commune_officer.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


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
