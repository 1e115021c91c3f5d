"""The review's summary forms as files (biểu tổng hợp, XLSX or PDF), and the links to them on its pages."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.common.language import reader_language
from vungcao.common.report_form_pdf import form_pdf
from vungcao.common.report_form_workbook import form_workbook
from vungcao.common.report_workbooks import XLSX
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.geo.names import unit_name_with_kind
from vungcao.registry.selectors.report_forms import COUNTRY, FormScope, form_definitions, report_form_fill

COUNTRY_CODE = "country"
OUTPUTS = {"xlsx": (XLSX, form_workbook), "pdf": ("application/pdf", form_pdf)}


def _unit_or_404(user: User, code: str) -> AdministrativeUnit | None:
    """The commune or province of the current era the user may open, None for the country (national
    users only); "not found" for anything else, so a form out of scope leaks nothing."""
    if code == COUNTRY_CODE:
        if not access.is_national(user):
            raise Http404(_("No such unit, or it is outside your scope."))
        return None
    try:
        unit = geo_selectors.unit_get(user=user, era=Era.CURRENT, code=code)
    except NotFoundError as error:
        raise Http404(_("No such unit, or it is outside your scope.")) from error
    if unit.level not in (Level.PROVINCE, Level.COMMUNE):
        raise Http404(_("No such unit, or it is outside your scope."))
    return unit


@login_required
def report_form(
    request: HttpRequest, year: int, unit_code: str, identifier: str, output: str
) -> HttpResponse:
    """One form of the review of ``year`` for a commune, a province or the country, as a file. Aggregates
    only: every role may download the forms of the units it may open."""
    user = access.request_user(request)
    if output not in OUTPUTS or identifier not in form_definitions():
        raise Http404(_("No such form."))
    unit = _unit_or_404(user, unit_code)
    filled = report_form_fill(
        user=user, identifier=identifier, scope=FormScope(year, unit), language=reader_language()
    )
    content_type, render = OUTPUTS[output]
    response = HttpResponse(render(filled), content_type=content_type)
    filename = f"bieu-{filled.definition.number}-{identifier}-{unit_code}-{year}.{output}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass(frozen=True)
class FormLink:
    number: str
    title: str
    xlsx: str
    pdf: str


@dataclass(frozen=True)
class UnitForms:
    """The forms of one unit (or the country) for a page: the unit's name and a link per form and file."""

    unit: str
    links: list[FormLink]


def unit_forms(*, user: User, year: int, units: list[AdministrativeUnit | None]) -> list[UnitForms]:
    """The form links for each of ``units`` the user may open (None: the country, for national users)."""
    language = reader_language()
    found = []
    for unit in units:
        if unit is None and not access.is_national(user):
            continue
        if unit is not None and not access.can_view_unit(user, unit):
            continue
        code = COUNTRY_CODE if unit is None else unit.code
        name = COUNTRY.in_language(language) if unit is None else unit_name_with_kind(unit)

        def url(identifier: str, output: str, code: str = code) -> str:
            return reverse("registry:report-form", args=[year, code, identifier, output])

        links = [
            FormLink(
                definition.number, definition.title.in_language(language), url(key, "xlsx"), url(key, "pdf")
            )
            for key, definition in sorted(form_definitions().items(), key=lambda item: item[1].number)
        ]
        found.append(UnitForms(name, links))
    return found
