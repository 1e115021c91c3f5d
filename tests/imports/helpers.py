"""Run a file through the import preview (and apply it when clean), as the command does; or through the
pages, with their background tasks run as the worker runs them."""

import io

from django.conf import settings
from django.http import HttpResponse
from django.test import Client, TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from vungcao.accounts.models import User
from vungcao.accounts.services import system_actor
from vungcao.imports import services
from vungcao.imports.models import ImportBatch


def preview(
    kind: str, content: str | bytes, filename: str = "file.csv", user: User | None = None
) -> ImportBatch:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return services.import_preview(
        user=user or system_actor(), kind=kind, stream=io.BytesIO(data), filename=filename
    )


def preview_and_apply(
    kind: str, content: str | bytes, filename: str = "file.csv", user: User | None = None
) -> ImportBatch:
    batch = preview(kind, content, filename, user)
    assert batch.status == ImportBatch.Status.READY, batch.problems
    return services.import_apply(user=user or system_actor(), batch=batch)


def problems(batch: ImportBatch) -> list[tuple[int, str, str, str]]:
    return sorted((p["row"], p["field"], p["value"], p["reason"]) for p in batch.problems)


# --- Through the pages, with the background tasks -----------------------------------------------------


def english(client: Client) -> Client:
    """The client with English chosen in the header's switch (the pages are Vietnamese otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def run_tasks() -> int:
    """Run every queued task as ``vungcao db_worker`` does (claim it, then its ``run_task``), inside the
    test's transaction; the number run. (``test_tasks`` runs the real worker command and process.)"""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def committed_post(client: Client, url: str, data: dict[str, object] | None = None) -> HttpResponse:
    """POST as the page does, then run what it left for after its commit (queueing its task), as a real
    commit would: the test's transaction is never committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    return response  # type: ignore[return-value]


def upload(client: Client, kind: str, content: str | bytes, filename: str = "file.csv") -> HttpResponse:
    """Upload a file on the import page (its reading queued, not run)."""
    stream = io.BytesIO(content.encode("utf-8") if isinstance(content, str) else content)
    stream.name = filename
    return committed_post(client, f"/imports/new/{kind}/", {"file": stream})


def uploaded(client: Client, kind: str, content: str | bytes, filename: str = "file.csv") -> ImportBatch:
    """Upload a file on the import page and let the worker read it: the batch as the page then shows it."""
    response = upload(client, kind, content, filename)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_tasks()
    return ImportBatch.objects.get(pk=response["Location"].strip("/").split("/")[-1])


def applied(client: Client, batch: ImportBatch) -> ImportBatch:
    """Press the apply button and let the worker apply the file: the batch as it then is."""
    committed_post(client, f"/imports/{batch.pk}/apply/")
    run_tasks()
    batch.refresh_from_db()
    return batch
