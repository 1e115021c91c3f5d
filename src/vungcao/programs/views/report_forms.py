"""The programme's implementation report as files (báo cáo thực hiện, XLSX or PDF), and the links to them
on the money dashboard."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError
from vungcao.common.language import reader_language
from vungcao.common.report_form_download import COUNTRY_CODE, OUTPUTS, form_download
from vungcao.programs.models import Programme
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors.dashboard import Dashboard
from vungcao.programs.selectors.report_forms import form_definitions, report_form_fill


@login_required
def programme_report_form(
    request: HttpRequest,
    programme_code: str,
    era: str,
    unit_code: str,
    from_year: int,
    to_year: int,
    identifier: str,
    output: str,
) -> HttpResponse:
    """One form of a programme's report for a unit (or the country) and years, as a file. Scoped as the
    money dashboard: a unit the user may not open, or the country for anyone but national users, is "not
    found"; every role that may open the dashboard may download."""
    user = access.request_user(request)
    if output not in OUTPUTS or identifier not in form_definitions():
        raise Http404(_("No such form."))
    try:
        scope = money_selectors.money_scope_get(
            user=user,
            era=era,
            unit_code="" if unit_code == COUNTRY_CODE else unit_code,
            from_year=from_year,
            to_year=to_year,
            programme_code=programme_code,
        )
    except ApplicationError as error:  # NotFoundError too
        raise Http404(_("No such unit, or it is outside your scope.")) from error
    filled = report_form_fill(user=user, identifier=identifier, scope=scope, language=reader_language())
    years = str(from_year) if from_year == to_year else f"{from_year}-{to_year}"
    filename = f"bao-cao-{filled.definition.number}-{identifier}-{programme_code}-{unit_code}-{years}"
    return form_download(filled, output=output, filename=filename)


@dataclass(frozen=True)
class ReportLink:
    programme: str  # the programme's code
    title: str
    xlsx: str
    pdf: str


def report_links(board: Dashboard) -> list[ReportLink]:
    """The report's links for the dashboard's unit and years, one pair per form of each programme whose
    money the dashboard shows (or of the component chosen)."""
    scope = board.scope
    codes = [line.code for line in board.by_component]
    if scope.component is not None:
        codes.append(scope.component.code)
    programmes = Programme.objects.filter(components__code__in=codes).distinct().order_by("code")
    unit_code = COUNTRY_CODE if scope.is_country else scope.unit.code
    language = reader_language()
    links = []
    for programme in programmes:
        for identifier, definition in sorted(form_definitions().items(), key=lambda item: item[1].number):
            arguments = [
                programme.code,
                scope.unit.era,
                unit_code,
                scope.from_year,
                scope.to_year,
                identifier,
            ]
            links.append(
                ReportLink(
                    programme.name,
                    # The form's title as a sentence (the form itself writes it in capitals, as filed).
                    definition.title.in_language(language).capitalize(),
                    reverse("programs:report-form", args=[*arguments, "xlsx"]),
                    reverse("programs:report-form", args=[*arguments, "pdf"]),
                )
            )
    return links
