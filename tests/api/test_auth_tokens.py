"""API tokens: they expire, and a read-only token may read but is refused every change.

Given an administrator's tokens, when a script calls the API with one, then an expired or revoked token
gets 401, a read-only token gets 403 on POST/PUT/PATCH/DELETE with nothing written, and a read-and-write
token does what its user may.
"""

import datetime

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from ninja.errors import AuthorizationError

from tests.conftest import QUANG_NINH
from vungcao.accounts import services
from vungcao.accounts.models import ApiToken, User
from vungcao.api.auth import READ_ONLY_TOKEN, BearerToken
from vungcao.registry.models import ReviewCycle

pytestmark = pytest.mark.django_db

OPEN_A_REVIEW = {"province_code": QUANG_NINH, "year": 2025, "standard": "vn-2022-2025"}


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_read_only_token_reads(administrator: User) -> None:
    _token, secret = services.api_token_create(
        user=administrator, name="export", scope=ApiToken.Scope.READ_ONLY
    )
    response = Client().get("/api/v1/units?era=current&level=province", **bearer(secret))
    assert (response.status_code, response.json()["count"]) == (200, 34)


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/review-cycles"), ("put", "/api/v1/review-cycles/1/households/06970-001-0001/answers")],
)
def test_a_read_only_token_is_refused_every_change_and_nothing_is_written(
    administrator: User, method: str, path: str
) -> None:
    _token, secret = services.api_token_create(
        user=administrator, name="export", scope=ApiToken.Scope.READ_ONLY
    )
    response = getattr(Client(), method)(
        path, OPEN_A_REVIEW, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 403
    assert response.json() == {"detail": str(READ_ONLY_TOKEN)}
    assert not ReviewCycle.objects.exists()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_bearer_check_refuses_a_read_only_token_every_changing_method(
    administrator: User, method: str
) -> None:
    _token, secret = services.api_token_create(
        user=administrator, name="export", scope=ApiToken.Scope.READ_ONLY
    )
    request = RequestFactory().generic(method, "/api/v1/anything", **bearer(secret))
    with pytest.raises(AuthorizationError):
        BearerToken()(request)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_the_bearer_check_lets_a_read_only_token_read(administrator: User, method: str) -> None:
    _token, secret = services.api_token_create(
        user=administrator, name="export", scope=ApiToken.Scope.READ_ONLY
    )
    request = RequestFactory().generic(method, "/api/v1/anything", **bearer(secret))
    assert BearerToken()(request) == administrator


def test_a_read_write_token_changes_what_its_user_may(administrator: User) -> None:
    _token, secret = services.api_token_create(
        user=administrator, name="sync", scope=ApiToken.Scope.READ_WRITE
    )
    response = Client().post(
        "/api/v1/review-cycles", OPEN_A_REVIEW, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 201
    assert ReviewCycle.objects.filter(province__code=QUANG_NINH, year=2025).count() == 1


def test_a_token_expires_after_its_lifetime_and_is_then_refused_with_401(administrator: User) -> None:
    token, secret = services.api_token_create(user=administrator, name="short", lifetime_days=30)
    assert token.expires_at - token.created_at == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(seconds=5)
    )
    assert Client().get("/api/v1/units", **bearer(secret)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().get("/api/v1/units", **bearer(secret))
    assert response.status_code == 401
    write = Client().post(
        "/api/v1/review-cycles", OPEN_A_REVIEW, content_type="application/json", **bearer(secret)
    )
    assert write.status_code == 401
    assert not ReviewCycle.objects.exists()


def test_a_token_lives_90_days_unless_told_otherwise(administrator: User) -> None:
    token, _secret = services.api_token_create(user=administrator, name="default")
    assert token.expires_at - token.created_at == pytest.approx(
        datetime.timedelta(days=90), abs=datetime.timedelta(seconds=5)
    )


def test_a_revoked_token_is_refused_with_401(administrator: User) -> None:
    token, secret = services.api_token_create(user=administrator, name="old")
    services.api_token_revoke(user=administrator, token_id=token.pk)
    assert Client().get("/api/v1/units", **bearer(secret)).status_code == 401


def test_the_token_of_an_inactive_user_is_refused_with_401(administrator: User) -> None:
    _token, secret = services.api_token_create(user=administrator, name="left")
    User.objects.filter(pk=administrator.pk).update(is_active=False)
    assert Client().get("/api/v1/units", **bearer(secret)).status_code == 401
