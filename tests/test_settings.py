"""Settings come from the environment; DEBUG is off unless turned on, and production refuses the demo keys.

Each case starts a fresh Python with only the environment it names (no DEBUG, no keys, no settings module
inherited from the test run), as a deployment would.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

CHECK = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'vungcao.settings'); django.setup()"
)
PRINT_DEBUG = CHECK + "; from django.conf import settings; print(settings.DEBUG)"
CLEARED = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "IDENTITY_NUMBER_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_REPLICA_URLS",
    # Set by the browser tests for Playwright's event loop; never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "production-secret-key-" + "k3y" * 20,
    "IDENTITY_NUMBER_KEY": "production-identity-number-key-" + "1d" * 20,
    "ALLOWED_HOSTS": "vungcao.example.gov.vn",
    "DATABASE_URL": "sqlite:///:memory:",
}


def environment(**variables: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(variables)
    return env


def run_python(code: str, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment(**variables),
        capture_output=True,
        text=True,
        check=False,
    )


def run_vungcao(*arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "vungcao.cli", *arguments]
    return subprocess.run(command, env=environment(**variables), capture_output=True, text=True, check=False)


def test_with_nothing_set_debug_is_off_and_the_demo_secret_key_is_refused() -> None:
    result = run_python(CHECK)
    assert result.returncode == 1
    assert "DEBUG is off but SECRET_KEY is the demo key" in result.stderr


def test_debug_off_with_the_demo_secret_key_refuses_to_start() -> None:
    result = run_python(CHECK, DEBUG="false")
    assert result.returncode == 1
    assert "DEBUG is off but SECRET_KEY is the demo key" in result.stderr


def test_debug_off_without_an_identity_number_key_refuses_to_start() -> None:
    result = run_python(CHECK, DEBUG="false", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode == 1
    assert "IDENTITY_NUMBER_KEY is not set" in result.stderr


def test_debug_off_with_the_demo_identity_number_key_refuses_to_start() -> None:
    from vungcao.settings import DEMO_IDENTITY_NUMBER_KEY

    variables = {**PRODUCTION, "IDENTITY_NUMBER_KEY": DEMO_IDENTITY_NUMBER_KEY}
    result = run_python(CHECK, **variables)
    assert result.returncode == 1
    assert "IDENTITY_NUMBER_KEY is the demo key" in result.stderr


def test_debug_off_with_its_own_keys_starts_with_debug_off() -> None:
    result = run_python(PRINT_DEBUG, **PRODUCTION)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "False\n")


def test_the_development_settings_turn_debug_on_explicitly() -> None:
    result = run_python(PRINT_DEBUG, DJANGO_SETTINGS_MODULE="vungcao.settings_development")
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "True\n")


@pytest.mark.parametrize("command", ["makemigrations", "demo"])
def test_the_demo_and_the_developer_commands_choose_the_development_settings(command: str) -> None:
    result = run_vungcao(command, "--help")
    assert (result.returncode, result.stderr) == (0, "")


def test_a_server_command_with_nothing_set_refuses_to_start() -> None:
    result = run_vungcao("migrate", "--help")
    assert result.returncode == 1
    assert "DEBUG is off but SECRET_KEY is the demo key" in result.stderr


def test_the_deploy_check_is_clean_under_the_production_settings() -> None:
    result = run_vungcao("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_each_sqlite_connection_reads_the_database_through_a_memory_map(tmp_path: Path) -> None:
    """A request's connection starts with an empty page cache; mapped, its reads are the operating
    system's cached pages, not a system call each."""
    pragmas = (
        CHECK + "; from django.db import connection; cursor = connection.cursor(); "
        "print([cursor.execute(f'PRAGMA {name}').fetchone()[0] for name in ('mmap_size', 'journal_mode')])"
    )
    result = run_python(
        pragmas, **{**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'vungcao.sqlite3'}"}
    )
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "[1073741824, 'wal']\n")


PRINT_REPLICAS = (
    CHECK + "; from django.conf import settings; "
    "print(settings.DATABASE_REPLICAS); "
    "print([(settings.DATABASES[a]['HOST'], settings.DATABASES[a]['TEST']['MIRROR']) for a in settings.DATABASE_REPLICAS])"
)


def test_replicas_are_named_by_their_addresses_and_mirror_the_primary_in_tests() -> None:
    replicas = "postgres://vungcao@replica-a:5432/vungcao, postgres://vungcao@replica-b:5432/vungcao"
    result = run_python(
        PRINT_REPLICAS,
        **{**PRODUCTION, "DATABASE_URL": "postgres://vungcao@primary:5432/vungcao"},
        DATABASE_REPLICA_URLS=replicas,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "('replica_1', 'replica_2')",
        "[('replica-a', 'default'), ('replica-b', 'default')]",
    ]


@pytest.mark.parametrize(
    ("primary", "replica", "refusal"),
    [
        ("sqlite:///:memory:", "postgres://vungcao@replica-a/vungcao", "needs a PostgreSQL primary"),
        ("postgres://vungcao@primary/vungcao", "sqlite:///replica.sqlite3", "replica_1 is not a PostgreSQL"),
    ],
)
def test_a_replica_of_anything_but_postgresql_is_refused(primary: str, replica: str, refusal: str) -> None:
    result = run_python(CHECK, **{**PRODUCTION, "DATABASE_URL": primary}, DATABASE_REPLICA_URLS=replica)
    assert result.returncode == 1
    assert refusal in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's settings are PostgreSQL's")
def test_each_postgresql_connection_sets_the_planners_settings() -> None:
    """JIT off and the cost of a read out of order for solid-state storage (``POSTGRESQL_OPTIONS``), on
    the connection the application uses."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()
        cursor.execute("SHOW random_page_cost")
        cost = cursor.fetchone()
    assert (jit, cost) == (("off",), ("1.1",))
