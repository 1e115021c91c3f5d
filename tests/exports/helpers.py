"""Exports as their pages start them, with their background task run as the worker runs it."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.test import Client

from tests.imports.helpers import committed_post, run_tasks
from vungcao.exports.models import Export


def export_started(
    client: Client, query: dict[str, object] | None = None, kind: str = "households"
) -> HttpResponse:
    """Press the export button of the household list (or of the money dashboard, ``kind="money"``) with
    the page's query (its task queued, not run)."""
    return committed_post(client, f"/exports/{kind}/?" + urlencode(query or {}))


def exported(client: Client, query: dict[str, object] | None = None, kind: str = "households") -> Export:
    """Start an export and let the worker write it: the export as its page then shows it."""
    response = export_started(client, query, kind)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_tasks()
    return Export.objects.get(pk=response["Location"].strip("/").split("/")[-1])


def exported_file(
    client: Client, query: dict[str, object] | None = None, kind: str = "households"
) -> HttpResponse:
    """Start an export, let the worker write it, and download the file."""
    export = exported(client, query, kind)
    assert export.status == Export.Status.READY, export.error
    return client.get(f"/exports/{export.pk}/download/")
