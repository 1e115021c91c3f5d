"""The real thing: committed requests queue tasks in the database backend's table, and the worker command
(``vungcao db_worker --batch``: run what is queued, then stop) runs them, in this process on SQLite and
PostgreSQL, and in a process of its own on PostgreSQL (an in-memory SQLite test database cannot be
shared with another process)."""

import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.conftest import BA_CHE, client_for, current_unit
from tests.imports.helpers import english
from vungcao.demo.services import VUNGCAO
from vungcao.imports.models import ImportBatch

VILLAGES = f"commune_code,name,type\n{BA_CHE},Thôn Làng Cổng,thôn\n{BA_CHE},Thôn Khe Giấy,\n"
pytestmark = pytest.mark.django_db(transaction=True)

WORKER = ("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
Status = ImportBatch.Status


@pytest.fixture
def signals_kept() -> Iterator[None]:
    """The worker command takes over SIGINT and SIGTERM to stop gracefully; give them back afterwards."""
    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


def run_worker_here() -> None:
    call_command(*WORKER, verbosity=0)


def run_worker_process() -> None:
    settings = connection.settings_dict
    url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{key: settings.get(key) or "" for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
    )
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "vungcao.settings_development",
    }
    finished = subprocess.run(
        [sys.executable, "-c", VUNGCAO, *WORKER, "--verbosity", "1"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert "No more tasks to run" in finished.stdout + finished.stderr


WORKERS = [
    pytest.param(run_worker_here, id="worker-command-in-process"),
    pytest.param(run_worker_process, id="worker-process"),
]


@pytest.mark.parametrize("run_worker", WORKERS)
def test_an_upload_and_an_apply_committed_are_run_by_the_worker(
    run_worker, units_loaded, make_user, signals_kept
) -> None:
    if run_worker is run_worker_process and connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share: PostgreSQL")
    officer = make_user("bache-worker", "commune_officer", BA_CHE)
    client = english(client_for(officer))
    # Given a file uploaded (committed: its reading is queued in the tasks table)
    upload = io.BytesIO(VILLAGES.encode())
    upload.name = "villages.csv"
    response = client.post("/imports/new/villages/", {"file": upload})
    batch = ImportBatch.objects.get(pk=response["Location"].strip("/").split("/")[-1])
    assert (batch.status, DBTaskResult.objects.ready().count()) == (Status.READING, 1)
    # When the worker runs what is queued, then the preview is ready
    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, bytes(batch.upload)) == (Status.READY, 2, b"")
    # When the apply is pressed and the worker runs again, then the file is written
    client.post(f"/imports/{batch.pk}/apply/")
    assert DBTaskResult.objects.ready().count() == 1
    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.error) == (Status.APPLIED, 2, "")
    assert sorted(current_unit(BA_CHE).children.values_list("name", flat=True)) == [
        "Thôn Khe Giấy",
        "Thôn Làng Cổng",
    ]
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "The file was applied." in page
