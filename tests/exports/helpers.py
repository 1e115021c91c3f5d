"""Exports as their pages start them, with their background task run as the worker runs it."""

from urllib.parse import urlencode

from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client

from tests.imports.helpers import committed_post, run_tasks
from vungcao.exports.models import Export, ExportPiece


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
    return download(client, export)


def download(client: Client, export: Export) -> HttpResponse:
    """The export's download as the browser receives it: a refusal as it is, a file (streamed, one piece
    at a time) read to its end, with its headers."""
    response = client.get(f"/exports/{export.pk}/download/")
    if not isinstance(response, StreamingHttpResponse):
        return response
    received = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
    for header, value in response.items():
        received[header] = value
    return received


def sealed_pieces(export: Export) -> list[bytes]:
    """The export's file as it is kept: its sealed pieces, in order (none once it expired)."""
    pieces = ExportPiece.objects.filter(export=export).order_by("number").values_list("content", flat=True)
    return [bytes(piece) for piece in pieces]
