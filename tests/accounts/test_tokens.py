"""Making API tokens on the account page and from the command line: the user chooses the access and the
lifetime; read-only and 90 days are offered first."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.conftest import client_for
from vungcao.accounts import services
from vungcao.accounts.models import ApiToken
from vungcao.accounts.tokens import token_digest
from vungcao.common.errors import ApplicationError

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
SECONDS = datetime.timedelta(seconds=5)


def test_the_page_offers_read_only_and_90_days_first(analyst) -> None:
    page = client_for(analyst).get("/accounts/me/").content.decode()
    assert '<option value="read_only" selected>' in page
    assert '<option value="90" selected>' in page


def test_the_page_makes_a_token_with_the_access_and_lifetime_chosen(analyst) -> None:
    response = client_for(analyst).post(
        "/accounts/me/", {"name": "nightly sync", "scope": "read_write", "lifetime_days": "30"}
    )
    token = ApiToken.objects.get(user=analyst)
    assert (response.status_code, token.name, token.scope) == (200, "nightly sync", ApiToken.Scope.READ_WRITE)
    assert token.expires_at - token.created_at == pytest.approx(30 * DAY, abs=SECONDS)
    assert token.digest == token_digest(response.context["new_secret"])


def test_the_page_refuses_a_lifetime_it_does_not_offer_and_makes_nothing(analyst) -> None:
    response = client_for(analyst).post(
        "/accounts/me/", {"name": "forever", "scope": "read_only", "lifetime_days": "36500"}
    )
    assert (response.status_code, response.context["new_secret"]) == (200, None)
    assert response.context["form"].errors["lifetime_days"]
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_shown_as_expired_without_a_revoke_button(analyst) -> None:
    token, _secret = services.api_token_create(user=analyst, name="old export", lifetime_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at - DAY)
    client = client_for(analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/me/"})
    page = client.get("/accounts/me/").content.decode()
    assert "expired" in page
    assert f"/accounts/me/tokens/{token.pk}/revoke/" not in page


@pytest.mark.parametrize("days", [0, 366])
def test_the_service_refuses_a_lifetime_out_of_range(analyst, days: int) -> None:
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.api_token_create(user=analyst, name="x", lifetime_days=days)
    assert refused.value.message == "A token lives from 1 to 365 days."
    assert not ApiToken.objects.exists()


def test_the_service_refuses_an_unknown_scope(analyst) -> None:
    with pytest.raises(ApplicationError):
        services.api_token_create(user=analyst, name="x", scope="admin")
    assert not ApiToken.objects.exists()


def test_the_command_makes_a_read_only_90_day_token_unless_told_otherwise(analyst) -> None:
    output = io.StringIO()
    call_command("api_token_create", analyst.username, "export", stdout=output, stderr=io.StringIO())
    token = ApiToken.objects.get(user=analyst)
    assert token.digest == token_digest(output.getvalue().strip())
    assert token.scope == ApiToken.Scope.READ_ONLY
    assert token.expires_at - token.created_at == pytest.approx(90 * DAY, abs=SECONDS)


def test_the_command_takes_the_scope_and_the_days(analyst) -> None:
    call_command(
        "api_token_create",
        analyst.username,
        "sync",
        "--scope",
        "read_write",
        "--days",
        "7",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    token = ApiToken.objects.get(user=analyst)
    assert token.scope == ApiToken.Scope.READ_WRITE
    assert token.expires_at - token.created_at == pytest.approx(7 * DAY, abs=SECONDS)


def test_the_command_refuses_a_lifetime_out_of_range_and_makes_nothing(analyst) -> None:
    with pytest.raises(CommandError):
        call_command("api_token_create", analyst.username, "x", "--days", "1000", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_another_users_token_is_not_found_and_stays_active(analyst, commune_officer) -> None:
    token, _secret = services.api_token_create(user=analyst, name="analyst's")
    response = client_for(commune_officer).post(f"/accounts/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_owner_revokes_a_token(analyst) -> None:
    token, _secret = services.api_token_create(user=analyst, name="old")
    response = client_for(analyst).post(f"/accounts/me/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, "/accounts/me/")
    assert token.revoked_at is not None
