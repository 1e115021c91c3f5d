"""The province's wording of its review's phone form: the cycle's workbook to download, and the page
that takes it back reworded (``services.wording``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, ImportRefusedError
from vungcao.common.file_limits import MEGABYTE
from vungcao.field_capture import selectors, xforms
from vungcao.field_capture.forms import WordingUploadForm
from vungcao.field_capture.services import wording as wording_services
from vungcao.field_capture.xlsform import xlsform_workbook
from vungcao.imports.views import XLSX
from vungcao.registry.views.lookups import review_cycle_or_404


@login_required
def cycle_xlsform(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The cycle's form as an XLSForm workbook, in the province's wording."""
    cycle = review_cycle_or_404(request, cycle_id)
    form = xforms.cycle_xlsform(cycle=cycle, wording=xforms.cycle_wording(cycle))
    response = HttpResponse(xlsform_workbook(form), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{form.settings["form_id"]}.xlsx"'
    return response


@login_required
def form_wording(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The form's wording: the workbook to download, and for the province's officers the upload of a
    reworded one (its problems by row when refused) or the way back to the standard's wording."""
    user = access.request_user(request)
    cycle = review_cycle_or_404(request, cycle_id)
    form = WordingUploadForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                wording_services.form_wording_remove(user=user, cycle=cycle)
                messages.success(request, _("The form is worded as the standard words it again."))
                return redirect("field_capture:form-wording", cycle_id=cycle.pk)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                kept = wording_services.form_wording_upload(
                    user=user, cycle=cycle, stream=upload, filename=upload.name
                )
                messages.success(
                    request,
                    _("The province's wording is taken: every commune's form has a new version.")
                    if kept
                    else _("The workbook words the form as the standard does: the form is as generated."),
                )
                return redirect("field_capture:form-wording", cycle_id=cycle.pk)
        except ImportRefusedError as error:
            messages.error(request, error.message)
            problems = error.report
        except ApplicationError as error:
            messages.error(request, error.message)
    context = {
        "cycle": cycle,
        "wording": selectors.form_wording_get(cycle=cycle),
        "can_reword": access.can_decide_review(user, cycle.province),
        "form": form,
        "problems": problems,
        "limit_megabytes": wording_services.MAX_WORDING_BYTES // MEGABYTE,
    }
    return render(request, "field_capture/form_wording.html", context)
