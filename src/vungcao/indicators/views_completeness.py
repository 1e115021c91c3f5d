"""Reporting completeness pages: the periods a user may read, and one period's units by status; thin:
parse, read, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.common.errors import NotFoundError
from vungcao.engine.indicators.calendar import ReportSubject
from vungcao.engine.indicators.completeness import ReportStatus
from vungcao.indicators.selectors.completeness import (
    period_completeness,
    reporting_period_get,
    reporting_period_list,
    reporting_period_titles,
)

NOT_FOUND = gettext_lazy("No such reporting period, or it is outside your scope.")
# The order statuses are shown in: what needs a reminder first.
STATUS_ORDER = (ReportStatus.MISSING, ReportStatus.LATE, ReportStatus.NOT_DUE, ReportStatus.REPORTED)


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    """``?period=<id>``: who has reported in that period; without it, the periods the user may read."""
    user = access.request_user(request)
    asked = request.GET.get("period", "")
    if not asked:
        periods = list(reporting_period_list(user=user))
        return render(
            request,
            "indicators/completeness_list.html",
            {"periods": periods, "titles": reporting_period_titles(user=user, periods=periods)},
        )
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
