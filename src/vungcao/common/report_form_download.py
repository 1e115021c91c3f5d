"""A filled report form as the file the user asked for (XLSX or PDF), for every app's form pages."""

from collections.abc import Callable

from django.http import HttpResponse

from vungcao.common.report_form_pdf import form_pdf
from vungcao.common.report_form_workbook import form_workbook
from vungcao.common.report_workbooks import XLSX
from vungcao.engine.report_forms import FilledForm

COUNTRY_CODE = "country"  # the unit code of a form of the whole country, in the forms' addresses
OUTPUTS: dict[str, tuple[str, Callable[[FilledForm], bytes]]] = {
    "xlsx": (XLSX, form_workbook),
    "pdf": ("application/pdf", form_pdf),
}


def form_download(filled: FilledForm, *, output: str, filename: str) -> HttpResponse:
    """``filled`` drawn as ``output`` (a key of :data:`OUTPUTS`), as an attachment named ``filename``
    plus the output's extension."""
    content_type, render = OUTPUTS[output]
    response = HttpResponse(render(filled), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{output}"'
    return response
