"""Upload → preview (counts and every problem) → apply; thin views over imports.services. Reading and
applying run as background tasks: the views queue them and the detail page follows the batch (htmx polls
its ``#batch`` part) until the work ends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.importing import MAX_CHANGES, Importer
from vungcao.imports import background, changes, problem_sheets, selectors, services, spreadsheets
from vungcao.imports.forms import UploadForm
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# How often the detail page asks for news of a batch being read or applied.
POLL_SECONDS = 2
NOT_OFFERED = gettext_lazy(
    "Files of this kind ({label}) are not uploaded here: they are imported from their own page."
)


def _importer(request: HttpRequest, kind: str) -> Importer:
    try:
        return services.importer_for(user=access.request_user(request), kind=kind)
    except ApplicationError as error:
        raise Http404(error.message) from error


def _offered_importer(request: HttpRequest, kind: str) -> Importer | None:
    """The importer of a kind this page offers; None, the user told why, for one imported from its own page."""
    importer = _importer(request, kind)
    if importer.offered:
        return importer
    messages.error(request, str(NOT_OFFERED).format(label=importer.label))
    return None


def _batch(request: HttpRequest, batch_id: object) -> ImportBatch:
    try:
        return selectors.import_batch_get(user=access.request_user(request), batch_id=str(batch_id))
    except NotFoundError as error:
        raise Http404(_("No such import.")) from error


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    allowed = [
        importer for importer in importers().values() if importer.offered and importer.may_import(user)
    ]
    batches = selectors.import_batch_list(user=user)[:50]
    labels = {kind: importer.label for kind, importer in importers().items()}
    return render(
        request, "imports/import_list.html", {"importers": allowed, "batches": batches, "labels": labels}
    )


@login_required
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _offered_importer(request, kind)
    if importer is None:
        return redirect("imports:list")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = background.import_upload(
                user=access.request_user(request), kind=kind, stream=upload, filename=upload.name
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            return redirect("imports:detail", batch_id=batch.pk)
    context = {
        "importer": importer,
        # Each column by its label in the reader's language (a file may head it so, or by its name).
        "columns": [(column, importer.labels.get(column)) for column in importer.columns],
        "form": form,
        "retention_hours": services.RETENTION_HOURS,
    }
    return render(request, "imports/import_upload.html", context)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _offered_importer(request, kind)
    if importer is None:
        return redirect("imports:list")
    extra = importer.extra_columns(access.request_user(request)) if importer.extra_columns else ()
    response = HttpResponse(spreadsheets.template_workbook(importer, extra), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="vungcao-{kind}-template.xlsx"'
    return response


@login_required
def import_detail(request: HttpRequest, batch_id: object) -> HttpResponse:
    """The batch: its progress while a task works on it, then its preview or result. htmx asks again
    every few seconds while work is under way and swaps in only the ``#batch`` part."""
    batch = background.import_batch_check_stalled(batch=_batch(request, batch_id))
    show = request.GET.get("show", "all")
    if show not in changes.SHOWN_KINDS:
        show = "all"
    context = {
        "batch": batch,
        "importer": importers().get(batch.kind),
        "counts": batch.change_counts,
        "show": show,
        # Shown while the preview waits to be confirmed (not polled while work is under way).
        "changes": (
            changes.import_batch_changes(batch=batch, user=access.request_user(request), show=show)
            if batch.status == ImportBatch.Status.READY
            else []
        ),
        "change_kinds": changes.change_kinds(batch.change_counts),
        "changes_capped": changes.changes_capped(batch.change_counts),
        "max_changes": MAX_CHANGES,
        "problems": selectors.import_batch_problems(batch=batch),
        "steps": selectors.import_batch_steps(batch=batch),
        "retention_hours": services.RETENTION_HOURS,
        "poll_seconds": POLL_SECONDS,
    }
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "imports/_batch.html" if partial else "imports/import_detail.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, batch_id: object) -> HttpResponse:
    """Apply a preview as confirmed: the button pressed names the choice made about the records missing
    from the file (``missing=remove`` records them as removed; anything else keeps them)."""
    batch = _batch(request, batch_id)
    try:
        background.import_apply_queue(
            user=access.request_user(request),
            batch=batch,
            remove_missing=request.POST.get("missing") == "remove",
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("imports:detail", batch_id=batch.pk)


@login_required
def import_problems(request: HttpRequest, batch_id: object) -> HttpResponse:
    """The problems of the user's refused file as a report workbook, in the reader's language."""
    batch = _batch(request, batch_id)
    content = problem_sheets.problems_workbook(
        batch=batch,
        importer=importers().get(batch.kind),
        problems=selectors.import_batch_problems(batch=batch),
        user=access.request_user(request),
    )
    response = HttpResponse(content, content_type=XLSX)
    # The file's name as uploaded (any character, a quote too), encoded as the header allows.
    response["Content-Disposition"] = (
        content_disposition_header(True, f"problems-{batch.filename}.xlsx") or ""
    )
    return response
