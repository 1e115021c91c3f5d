"""Exports: started from the page whose data they write (the household list, the money dashboard), written
by a background task, followed on their own page, downloaded by their user alone. Thin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.report_workbooks import XLSX
from vungcao.exports import selectors, services
from vungcao.exports.models import Export
from vungcao.exports.writers import WRITERS
from vungcao.programs import money_report
from vungcao.programs.forms import DashboardForm
from vungcao.registry.services.personal_data_reads import household_filter_values, request_address
from vungcao.registry.views.lookups import household_filter_form, household_filters, require_microdata

# How often the export page asks for news of an export being written.
POLL_SECONDS = 2


def _started(request: HttpRequest, kind: str, parameters: dict[str, object]) -> HttpResponse:
    try:
        export = services.export_start(user=access.request_user(request), kind=kind, parameters=parameters)
    except ApplicationError as error:
        raise Http404(error.message) from error
    return redirect("exports:detail", export_id=export.pk)


@login_required
@require_POST
def household_export(request: HttpRequest) -> HttpResponse:
    """Export the household list with the list page's filter (in the query string, as the page has it)."""
    require_microdata(request)
    filters = household_filters(request, household_filter_form(request))
    return _started(request, Export.Kind.HOUSEHOLDS, household_filter_values(filters))


@login_required
@require_POST
def money_export(request: HttpRequest) -> HttpResponse:
    """Export the money dashboard's tables as a report, with the dashboard's choices (in the query
    string), refused as the dashboard refuses them."""
    try:
        parameters = money_report.money_report_parameters(
            user=access.request_user(request), form=DashboardForm(request.GET or None)
        )
    except NotFoundError as error:
        raise Http404(_("No such unit, or it is outside your scope.")) from error
    except ApplicationError as error:
        raise Http404(error.message) from error
    return _started(request, Export.Kind.MONEY, parameters)


def _export(request: HttpRequest, export_id: object) -> Export:
    try:
        return selectors.export_get(user=access.request_user(request), export_id=str(export_id))
    except NotFoundError as error:
        raise Http404(_("No such export, or it is not yours.")) from error


@login_required
def export_detail(request: HttpRequest, export_id: object) -> HttpResponse:
    """The export: its progress while the task writes it, then its download. htmx asks again every few
    seconds while it is written and swaps in only the ``#export`` part."""
    export = services.export_check_stalled(export=_export(request, export_id))
    writer = WRITERS[export.kind]
    context = {
        "export": export,
        "poll_seconds": POLL_SECONDS,
        "retention_hours": services.RETENTION_HOURS,
        "choices": writer.choices(access.request_user(request), export.parameters),
        "back": writer.back(export.parameters),
        "personal_data": writer.personal_data,
    }
    partial = request.headers.get("HX-Request")
    return render(request, "exports/_export.html" if partial else "exports/export.html", context)


@login_required
def export_download(request: HttpRequest, export_id: object) -> HttpResponseBase:
    """The written file, for the user who asked for it alone; its download recorded as its kind says."""
    export = _export(request, export_id)
    try:
        file = services.export_file(
            user=access.request_user(request), export=export, address=request_address(request)
        )
    except NotFoundError as error:
        raise Http404(_("No such export, or it is not yours.")) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("exports:detail", export_id=export.pk)
    response = StreamingHttpResponse(file.pieces, content_type=XLSX)
    response["Content-Length"] = str(file.size)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
