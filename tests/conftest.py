"""Shared fixtures: the real units are loaded once per test database; users of every role."""

from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role, User
from vungcao.common.rollups import declared_rollups, rollup_differences
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs import shipped
from vungcao.programs.models import CapitalSource, Component, Programme
from vungcao.registry.checks import households_in_their_villages_provinces
from vungcao.registry.models import Household
from vungcao.registry.rollups import review_rollups_refresh, reviews_of_households

PASSWORD = "test-Password-2026"

# Real units used throughout: Quảng Ninh (22) with its communes Ba Chẽ (06970) and Tiên Yên (06862);
# Điện Biên (11) with Mường Phăng (03325).
QUANG_NINH, BA_CHE, TIEN_YEN = "22", "06970", "06862"
DIEN_BIEN, MUONG_PHANG = "11", "03325"
# Units a report form is asked for out of scope, by whom: (role, unit code or "country").
FORM_UNITS_OUT_OF_SCOPE = [
    ("commune", QUANG_NINH),  # a commune's officer asks for the province
    ("commune", "country"),
    ("commune", TIEN_YEN),  # another commune
    ("province", DIEN_BIEN),  # another province
    ("province", "country"),
]

# Two writes at once are tested where rows are locked: on PostgreSQL (whose run CI makes mandatory), each
# test in transactions of its own; SQLite runs one write transaction at a time by design.
ROW_LOCK_TESTS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite runs one write transaction at a time by design",
    ),
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    with django_db_blocker.unblock():
        call_command("load_units")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Tests create many users; the production hasher's deliberate slowness only slows the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_snapshot_writes_queued(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A SNAPSHOT_DIRECTORY in the developer's environment must not make every approval of the suite
    queue a write into it (the tests of that behaviour turn it on), nor the demo write its snapshot there:
    each test has a directory of its own."""
    settings.SNAPSHOT_WRITE_AFTER_DECISIONS = False
    settings.SNAPSHOT_DIRECTORY = tmp_path_factory.mktemp("snapshot")


DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_serialized_rollback"})


@pytest.fixture(autouse=True)
def rollups_exact(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that wrote to a database, the rollups equal a count of their records: whatever
    the test did through the services (an answer recorded, a file or a phone's submission applied, the
    demo written, two writers at once), every write path keeps them exact (``common.rollups``)."""
    if not _uses_database(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before this fixture, so torn down after it
    yield
    differences = [line for rollup in declared_rollups() for line in rollup_differences(rollup)]
    assert not differences, "rollups differ from their records:\n" + "\n".join(differences)


@pytest.fixture(autouse=True)
def household_provinces_exact(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that wrote to a database, each household holds its village's province: every
    write of a household's village keeps it (``registry.Household.province``)."""
    if not _uses_database(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    problems = list(households_in_their_villages_provinces())
    assert not problems, problems


def _uses_database(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES.intersection(request.fixturenames)
    )


def households_update(code: str, **values: object) -> None:
    """Change a household past the services (a fixture's shortcut, with no event recorded), then count
    the rollups of its reviews again, as a bulk load does."""
    households = Household.objects.filter(code=code)
    if isinstance(village := values.get("village"), AdministrativeUnit):
        values["province_id"] = tree.province_ids([village])[village.pk]
    households.update(**values)
    pks = list(households.values_list("pk", flat=True))
    review_rollups_refresh(reviews_of_households(pks), households=pks)


@pytest.fixture
def units_loaded(transactional_db: None) -> None:
    """Transactional tests flush the database after themselves, so load the units when they are gone."""
    if not AdministrativeUnit.objects.exists():
        call_command("load_units", verbosity=0)


@pytest.fixture
def reference_data_loaded(units_loaded: None) -> None:
    """The programmes and capital sources the migrations ship, loaded again after a transactional
    test's flush (loading is idempotent)."""
    shipped.capital_sources_load(CapitalSource)
    shipped.programmes_load(Programme, Component)


def current_unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.CURRENT, code=code)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str, role: str, scope_code: str | None = None) -> User:
        scope = current_unit(scope_code) if scope_code else None
        return account_services.user_create(username=username, password=PASSWORD, role=role, scope=scope)

    return make


@pytest.fixture
def commune_officer(make_user: Callable[..., User]) -> User:
    return make_user("bache-officer", Role.COMMUNE_OFFICER, BA_CHE)


@pytest.fixture
def province_officer(make_user: Callable[..., User]) -> User:
    return make_user("quangninh-officer", Role.PROVINCE_OFFICER, QUANG_NINH)


@pytest.fixture
def analyst(make_user: Callable[..., User]) -> User:
    return make_user("ministry-analyst", Role.MINISTRY_ANALYST)


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    return make_user("system-admin", Role.ADMINISTRATOR)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
