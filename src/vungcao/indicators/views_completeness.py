"""Reporting completeness pages: the periods a user may read, and one period's units by status; thin:
parse, read, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.common.errors import NotFoundError
from vungcao.engine.indicators.calendar import ReportingLevel, ReportSubject
from vungcao.engine.indicators.completeness import ReportStatus
from vungcao.geo.models import Era
from vungcao.indicators.forms_plans import REVIEW, ReportingPeriodForm
from vungcao.indicators.models import ReportingPeriod
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.completeness import (
    period_completeness,
    reporting_period_get,
    reporting_period_list,
    reporting_period_titles,
)
from vungcao.indicators.selectors.pages import this_year
from vungcao.indicators.services.reporting_periods import NOT_ALLOWED_PERIODS, reporting_period_create
from vungcao.indicators.views import _page
from vungcao.programs.views.forms import submit

NOT_FOUND = gettext_lazy("No such reporting period, or it is outside your scope.")
# The order statuses are shown in: what needs a reminder first.
STATUS_ORDER = (ReportStatus.MISSING, ReportStatus.LATE, ReportStatus.NOT_DUE, ReportStatus.REPORTED)


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    """``?period=<id>``: who has reported in that period; without it, the periods the user may read."""
    user = access.request_user(request)
    asked = request.GET.get("period", "")
    if not asked:
        return _period_list(request, _period_form(request) if _may_open(request) else None)
    try:
        period = reporting_period_get(
            user=user, period_id=int(asked) if asked.isdigit() and len(asked) < 19 else 0
        )
    except NotFoundError as error:
        raise Http404(NOT_FOUND) from error
    found = period_completeness(user=user, period=period)
    return render(
        request,
        "indicators/completeness.html",
        {
            "found": found,
            "title": reporting_period_titles(user=user, periods=[period])[period.pk],
            "statuses": [(status, found.counts[status], found.of_status(status)) for status in STATUS_ORDER],
            "is_review": period.subject == ReportSubject.REVIEW,
        },
    )


# Opening a reporting period ------------------------------------------------------------------------------


def _may_open(request: HttpRequest) -> bool:
    """Whether the user opens reporting periods at all (each still checked by its province)."""
    return access.can_set_targets_somewhere(access.request_user(request))


def _period_form(request: HttpRequest, data: QueryDict | None = None) -> ReportingPeriodForm:
    """The form that opens a period: what is asked, for this year, reported by the communes of the user's
    province, by the calendar's deadline — each of them the user may change."""
    user = access.request_user(request)
    province = access.scope_province(user)
    initial = {
        "asked": REVIEW,
        "year": this_year(),
        "level": ReportingLevel.COMMUNE.value,
        "owner_code": province.code if province is not None else "",
        "era": province.era if province is not None else Era.CURRENT,
    }
    return ReportingPeriodForm(
        data,
        initial=initial,
        catalogue=catalogue_for(user=user),
        national=access.can_open_reporting_periods(user, None),
    )


def _period_list(request: HttpRequest, form: ReportingPeriodForm | None) -> HttpResponse:
    """The periods the user may read, latest first; the form that opens one for those who may."""
    user = access.request_user(request)
    periods = list(reporting_period_list(user=user))
    context: dict[str, object] = {
        "periods": periods,
        "titles": reporting_period_titles(user=user, periods=periods),
        "form": form,
    }
    return _page(request, "indicators/completeness_list.html", context)


@login_required
@require_POST
def reporting_period_new(request: HttpRequest) -> HttpResponse:
    """Open a reporting period; refused, the list of periods with each problem under its field."""
    if not _may_open(request):
        raise PermissionDenied(str(NOT_ALLOWED_PERIODS))
    form = _period_form(request, request.POST)
    period = submit(form, reporting_period_create, access.request_user(request))
    if isinstance(period, ReportingPeriod):
        messages.success(request, _("The reporting period was opened."))
        return redirect(reverse("indicators:completeness") + f"?period={period.pk}")
    return _period_list(request, form)


@login_required
def reporting_deadline(request: HttpRequest) -> HttpResponse:
    """The deadline's box prefilled with the calendar's deadline of what is asked (asked by htmx)."""
    if not _may_open(request):
        raise PermissionDenied(str(NOT_ALLOWED_PERIODS))
    form = _period_form(request)
    form.initial.update(
        {name: request.GET[name] for name in ("asked", "year", "level") if name in request.GET}
    )
    form.refresh_deadline()
    return HttpResponse(str(form["deadline"]))
