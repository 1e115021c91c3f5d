"""``vungcao demo --no-serve`` prepares everything and upgrades in place when run again; served, the demo
runs a task worker beside the server and stops it with the server."""

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from vungcao.accounts.models import User
from vungcao.demo.management.commands import demo as demo_command
from vungcao.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_VILLAGES, VUNGCAO, demo_worker_running
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Level
from vungcao.programs.models import MoneyRecord
from vungcao.registry.models import Household

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        AdministrativeUnit.objects.count(),
        CrosswalkLink.objects.count(),
        Household.objects.count(),
        MoneyRecord.objects.count(),
    )


def test_demo_twice_creates_nothing_twice() -> None:
    output = io.StringIO()
    small = ["--no-serve", "--households-per-commune", "12", "--communes-per-province", "1"]
    call_command("demo", *small, stdout=output)
    first = counts()
    call_command("demo", *small, stdout=io.StringIO())
    assert counts() == first
    assert first[0] == len(DEMO_ACCOUNTS) + 1  # and the system actor, who made the demo's villages
    demo_villages = {name for names in DEMO_VILLAGES.values() for name, _kind in names}
    assert demo_villages <= set(
        AdministrativeUnit.objects.filter(level=Level.VILLAGE).values_list("name", flat=True)
    )
    assert Household.objects.filter(is_synthetic=False).count() == 0
    assert Household.objects.filter(is_synthetic=True).exists()
    text = output.getvalue()
    assert DEMO_PASSWORD in text
    assert all(account.username in text for account in DEMO_ACCOUNTS)
    assert User.objects.get(username="bache").check_password(DEMO_PASSWORD)


@pytest.fixture(scope="module")
def worker_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database of the workers' own: they are other processes, which cannot see the test's."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    environment = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-c", VUNGCAO, "migrate", "-v0"], check=True, timeout=300, env=environment
    )
    return url


def catches_sigterm(pid: int, within: float) -> bool:
    """Whether the process has set its own SIGTERM handler (Linux's /proc says which signals it catches):
    the worker is then past its start, and stops gracefully when asked. Under load its start (Python,
    Django) takes seconds, and a SIGTERM before it would kill it where it stands."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/status") as status:
            caught = next(line for line in status if line.startswith("SigCgt:")).split()[1]
        if int(caught, 16) & (1 << (signal.SIGTERM - 1)):
            return True
        time.sleep(0.2)
    return False


def test_the_demo_worker_runs_beside_the_server_and_stops_with_it(worker_database, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", worker_database)
    # When the demo's worker is started
    with demo_worker_running() as worker:
        assert catches_sigterm(worker.pid, within=60)
        time.sleep(1)
        # Then it keeps running, waiting for tasks
        assert worker.poll() is None
    # and when the server stops, it is stopped too, gracefully (nothing in hand)
    assert worker.returncode == 0


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def test_the_demo_worker_ends_when_the_demo_ends_abruptly(worker_database, monkeypatch) -> None:
    """The development server leaves with ``os._exit`` when its port is taken, past any ``finally``."""
    monkeypatch.setenv("DATABASE_URL", worker_database)
    script = (
        "import os, time, django; django.setup()\n"
        "from vungcao.demo.services import demo_worker_running\n"
        "worker = demo_worker_running().__enter__(); print(worker.pid, flush=True)\n"
        "time.sleep(2); os._exit(1)\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert finished.returncode == 1, finished.stderr
    assert gone(int(finished.stdout.split()[0]), within=15)


def test_the_demo_serves_only_while_its_worker_runs(monkeypatch) -> None:
    events: list[str] = []

    @contextmanager
    def worker_running() -> Iterator[SimpleNamespace]:
        events.append("worker started")
        yield SimpleNamespace(pid=4242)
        events.append("worker stopped")

    def call_command_or_serve(name: str, *args: object, **options: object) -> None:
        if name == "runserver":
            events.append(f"serving on {args[0]}")
        else:
            call_command(name, *args, **options)

    monkeypatch.setattr(demo_command.services, "demo_worker_running", worker_running)
    monkeypatch.setattr(demo_command, "call_command", call_command_or_serve)
    output = io.StringIO()
    call_command("demo", "--households-per-commune", "12", "--communes-per-province", "1", stdout=output)
    assert events == ["worker started", "serving on 127.0.0.1:8000", "worker stopped"]
    assert "Background task worker started (process 4242)" in output.getvalue()
