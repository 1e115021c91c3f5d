"""The household export as the list page starts it, with its background task run as the worker runs it."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.test import Client

from tests.imports.helpers import committed_post, run_tasks
from vungcao.registry.models import HouseholdExport


def export_started(client: Client, query: dict[str, object] | None = None) -> HttpResponse:
    """Press the list page's export button with the list's filter (its task queued, not run)."""
    return committed_post(client, "/registry/household-exports/?" + urlencode(query or {}))


def exported(client: Client, query: dict[str, object] | None = None) -> HouseholdExport:
    """Start an export and let the worker write it: the export as its page then shows it."""
    response = export_started(client, query)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_tasks()
    return HouseholdExport.objects.get(pk=response["Location"].strip("/").split("/")[-1])


def exported_file(client: Client, query: dict[str, object] | None = None) -> HttpResponse:
    """Start an export, let the worker write it, and download the file."""
    export = exported(client, query)
    assert export.status == HouseholdExport.Status.READY, export.error
    return client.get(f"/registry/household-exports/{export.pk}/download/")
