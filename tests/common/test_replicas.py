"""Read-only replicas (``common.replicas``, ``accounts.middleware.ReplicaReadsMiddleware``): which reads go
to a replica, and whose. The aliases are only named here: the router decides, no replica is opened."""

from collections.abc import Callable

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from vungcao.accounts.middleware import (
    READ_OWN_WRITES_COOKIE,
    READ_OWN_WRITES_SECONDS,
    ReplicaReadsMiddleware,
)
from vungcao.accounts.models import Role, User
from vungcao.common.replicas import ReplicaRouter, replica_reads
from vungcao.exports.models import Export
from vungcao.geo.models import AdministrativeUnit
from vungcao.indicators.models import IndicatorValue
from vungcao.programs.models import MoneyTotal
from vungcao.registry.models import Household, ReviewCount

REPLICAS = ("replica_1", "replica_2")
router = ReplicaRouter()


@override_settings(DATABASE_REPLICAS=REPLICAS)
@pytest.mark.parametrize("model", [Household, ReviewCount, IndicatorValue, MoneyTotal, AdministrativeUnit])
def test_a_figures_records_are_read_from_a_replica_while_replica_reads_are_on(model: type) -> None:
    assert router.db_for_read(model) is None
    with replica_reads():
        assert router.db_for_read(model) in REPLICAS
        assert router.db_for_write(model) is None
    assert router.db_for_read(model) is None


@override_settings(DATABASE_REPLICAS=REPLICAS)
@pytest.mark.parametrize("model", [User, Export])
def test_accounts_and_exports_are_always_read_from_the_primary(model: type) -> None:
    with replica_reads():
        assert router.db_for_read(model) is None


@pytest.mark.django_db
@override_settings(DATABASE_REPLICAS=REPLICAS)
def test_a_read_inside_a_transaction_of_the_primary_stays_on_the_primary() -> None:
    """A read that decides a write (inside the write's transaction) reads what the write will change."""
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Household) is None


def test_without_replicas_every_read_is_the_primarys() -> None:
    with replica_reads():
        assert router.db_for_read(Household) is None


@override_settings(DATABASE_REPLICAS=REPLICAS)
def test_a_replica_is_never_migrated_and_its_rows_relate_to_the_primarys() -> None:
    assert router.allow_migrate("replica_1", "registry") is False
    assert router.allow_migrate("default", "registry") is None
    unit, household = AdministrativeUnit(), Household()
    unit._state.db, household._state.db = "replica_2", "default"
    assert router.allow_relation(unit, household) is True


def _read_on(request: HttpRequest) -> str:
    """Where the page's reads of households would go."""
    return router.db_for_read(Household) or "default"


def _answered(user: User, method: str = "get", cookies: dict[str, str] | None = None) -> HttpResponse:
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    request.COOKIES.update(cookies or {})
    view: Callable[[HttpRequest], HttpResponse] = lambda request: HttpResponse(_read_on(request))  # noqa: E731
    return ReplicaReadsMiddleware(view)(request)


@override_settings(DATABASE_REPLICAS=REPLICAS)
@pytest.mark.parametrize(
    ("role", "replica"),
    [
        (Role.MINISTRY_ANALYST, True),
        (Role.AGGREGATE_VIEWER, True),
        (Role.PROVINCE_OFFICER, False),
        (Role.COMMUNE_OFFICER, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_analysts_and_viewers_pages_read_a_replica_officers_the_primary(role: str, replica: bool) -> None:
    response = _answered(User(username="someone", role=role))
    assert (response.content.decode() in REPLICAS) is replica


@override_settings(DATABASE_REPLICAS=REPLICAS)
def test_after_a_write_the_user_reads_the_primary_for_a_while() -> None:
    """Given an analyst who saves a form (a POST), then the response marks their browser to read from the
    primary for 30 seconds, and their next page (the one the form leads to) does."""
    analyst = User(username="analyst", role=Role.MINISTRY_ANALYST)
    posted = _answered(analyst, "post")
    assert posted.content.decode() == "default"
    cookie = posted.cookies[READ_OWN_WRITES_COOKIE]
    assert (cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (
        READ_OWN_WRITES_SECONDS,
        True,
        "Lax",
    )

    assert _answered(analyst, cookies={READ_OWN_WRITES_COOKIE: "1"}).content.decode() == "default"
    assert _answered(analyst).content.decode() in REPLICAS


def test_without_replicas_nothing_is_marked() -> None:
    posted = _answered(User(username="analyst", role=Role.MINISTRY_ANALYST), "post")
    assert READ_OWN_WRITES_COOKIE not in posted.cookies
