"""The money dashboard and its export as a report workbook; thin."""

import datetime
from fractions import Fraction

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.report_workbooks import XLSX
from vungcao.engine import money
from vungcao.programs import charts, money_report
from vungcao.programs.forms import DashboardForm
from vungcao.programs.selectors import dashboard as dashboard_selectors
from vungcao.programs.selectors import money as money_selectors


def _dashboard(request: HttpRequest) -> tuple[DashboardForm, dashboard_selectors.Dashboard]:
    user = access.request_user(request)
    form = DashboardForm(request.GET or None)
    params = form.defaults()
    try:
        scope = money_selectors.money_scope_get(
            user=user,
            era=str(params["era"]),
            unit_code=str(params["unit"]) or dashboard_selectors.default_unit_code(user=user),
            from_year=int(str(params["from_year"])),
            to_year=int(str(params["to_year"])),
            component_code=str(params["component"]) if params["component"] else None,
            on_date=params["on"],  # type: ignore[arg-type]
        )
    except NotFoundError as error:
        raise Http404(_("No such unit, or it is outside your scope.")) from error
    except ApplicationError as error:
        raise Http404(error.message) from error
    on = scope.on_date or datetime.date.today()
    threshold = Fraction(int(str(params["threshold"])), 100)
    return form, dashboard_selectors.money_dashboard(user=user, scope=scope, threshold=threshold, on=on)


def _charts(board: dashboard_selectors.Dashboard) -> dict[str, object]:
    months = sorted(key for key in board.by_month if isinstance(key, tuple))
    return {
        "month_chart": charts.grouped_bars(
            categories=[f"{month:02d}/{year}" for year, month in months],
            series=[
                charts.Series(_("Allocated"), [board.by_month[m].allocated for m in months]),
                charts.Series(_("Disbursed"), [board.by_month[m].disbursed for m in months]),
            ],
            title=_("Allocation and disbursement by month of the document"),
            unit_label=_("billion VND"),
        ),
        "source_chart": charts.horizontal_bars(
            rows=[
                charts.BarRow(line.name, line.totals.allocated, line.totals.disbursed, _rate(line.totals))
                for line in board.by_source
            ],
            title=_("By capital source"),
            value_label=_("Allocated"),
            secondary_label=_("Disbursed"),
        ),
        "component_chart": charts.horizontal_bars(
            rows=[
                charts.BarRow(line.name, line.totals.allocated, line.totals.disbursed, _rate(line.totals))
                for line in board.by_component
            ],
            title=_("By component"),
            value_label=_("Allocated"),
            secondary_label=_("Disbursed"),
        ),
    }


def _rate(totals: money.MoneyTotals) -> str:
    rate = money.percent(totals.disbursement_rate)
    return "—" if rate is None else f"{rate}%".replace(".", ",")


@login_required
def money_dashboard(request: HttpRequest) -> HttpResponse:
    form, board = _dashboard(request)
    context = {
        "form": form,
        "board": board,
        "unit": board.scope.unit,
        "can_see_country": access.is_national(access.request_user(request)),
        "budget_share": money.percent(board.totals.budget_share),
        "leverage": money.rounded(board.totals.leverage),
        "disbursement_rate": money.percent(board.totals.disbursement_rate),
        "export_query": request.GET.urlencode(),
        **_charts(board),
    }
    return render(request, "programs/dashboard.html", context)


@login_required
def money_dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's tables (by component, by unit, by capital source) as a report workbook, in the
    reader's language (``programs.money_report``). Written in the request: on the demo data the whole
    country's takes 0.8-1.9 s, nearly all of it the dashboard's own queries (the workbook 0.1 s). With
    100,000 money records those queries take 8-9 s for the country (0.4 s for a province): at national
    scale this export must become a background task, as the household export is."""
    _form, board = _dashboard(request)
    content = money_report.money_workbook(board=board, user=access.request_user(request))
    scope = board.scope
    response = HttpResponse(content, content_type=XLSX)
    unit_code = scope.unit.code or "VN"
    filename = f"money-{scope.unit.era}-{unit_code}-{scope.from_year}-{scope.to_year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
