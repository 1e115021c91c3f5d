"""Household exports: started from the list page, written by a background task, downloaded by their user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.registry.models import HouseholdExport
from vungcao.registry.selectors import exports as export_selectors
from vungcao.registry.services import exports as export_services
from vungcao.registry.services import personal_data_reads as read_services
from vungcao.registry.views.lookups import household_filter_form, household_filters, require_microdata

# How often the export page asks for news of an export being written.
POLL_SECONDS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def household_export(request: HttpRequest) -> HttpResponse:
    """Start an export of the filtered household list (the filter in the query string, as the list page
    has it): a background task writes the file; the export's page follows it."""
    require_microdata(request)
    filters = household_filters(request, household_filter_form(request))
    try:
        export = export_services.household_export_start(user=access.request_user(request), filters=filters)
    except ApplicationError as error:
        raise Http404(error.message) from error
    return redirect("registry:household-export-detail", export_id=export.pk)


def _export(request: HttpRequest, export_id: object) -> HouseholdExport:
    try:
        return export_selectors.household_export_get(
            user=access.request_user(request), export_id=str(export_id)
        )
    except NotFoundError as error:
        raise Http404(_("No such export, or it is not yours.")) from error


@login_required
def household_export_detail(request: HttpRequest, export_id: object) -> HttpResponse:
    """The export: its progress while the task writes it, then its download. htmx asks again every few
    seconds while it is written and swaps in only the ``#export`` part."""
    export = export_services.household_export_check_stalled(export=_export(request, export_id))
    context = {
        "export": export,
        "poll_seconds": POLL_SECONDS,
        "retention_hours": export_services.RETENTION_HOURS,
        "filters": export_selectors.household_filter_labels(
            user=access.request_user(request), values=export.filters
        ),
    }
    partial = request.headers.get("HX-Request")
    template = "registry/_household_export.html" if partial else "registry/household_export.html"
    return render(request, template, context)


@login_required
def household_export_download(request: HttpRequest, export_id: object) -> HttpResponse:
    """The written file, for the user who asked for it alone; its read recorded now."""
    export = _export(request, export_id)
    try:
        content = export_services.household_export_file(
            user=access.request_user(request), export=export, address=read_services.request_address(request)
        )
    except NotFoundError as error:
        raise Http404(_("No such export, or it is not yours.")) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("registry:household-export-detail", export_id=export.pk)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="households-{stamp}.xlsx"'
    return response
