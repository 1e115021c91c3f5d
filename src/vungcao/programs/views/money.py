"""The money dashboard; thin. Its export is the exports app's (``exports.views.money_export``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.engine import money
from vungcao.programs import charts, money_report
from vungcao.programs.forms import DashboardForm
from vungcao.programs.selectors import dashboard as dashboard_selectors


def _dashboard(request: HttpRequest) -> tuple[DashboardForm, dashboard_selectors.Dashboard]:
    form = DashboardForm(request.GET or None)
    try:
        return form, money_report.money_board(user=access.request_user(request), form=form)
    except NotFoundError as error:
        raise Http404(_("No such unit, or it is outside your scope.")) from error
    except ApplicationError as error:
        raise Http404(error.message) from error


def _charts(board: dashboard_selectors.Dashboard) -> dict[str, object]:
    months = sorted(key for key in board.by_month if isinstance(key, tuple))
    return {
        "month_chart": charts.money_by_month(
            months=[f"{month:02d}/{year}" for year, month in months],
            allocated=[board.by_month[m].allocated for m in months],
            disbursed=[board.by_month[m].disbursed for m in months],
        ),
        "source_chart": charts.money_bars(
            rows=[charts.item_row(line.name, line.totals) for line in board.by_source],
            title=_("By capital source"),
        ),
        "component_chart": charts.money_bars(
            rows=[charts.item_row(line.name, line.totals) for line in board.by_component],
            title=_("By component"),
        ),
    }


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
