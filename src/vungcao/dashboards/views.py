"""The national dashboard (toàn quốc) and a province's, for the ministry; thin: parse, read, render."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.dashboards import charts, figures, tiles
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Era, Level
from vungcao.geo.selectors_maps import choropleth_svg
from vungcao.indicators.selectors.completeness import province_reporting, reporting_period_titles
from vungcao.registry.selectors import national as poverty_selectors

NOT_FOUND = gettext_lazy("No such province, or it is outside your scope.")


class DashboardForm(forms.Form):
    era = forms.ChoiceField(label=gettext_lazy("Provinces"), choices=Era.choices, required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False)
    measure = forms.ChoiceField(
        label=gettext_lazy("Map shows"),
        choices=[(key, measure.label) for key, measure in figures.MEASURES.items()],
        required=False,
    )


def _parameters(request: HttpRequest) -> tuple[DashboardForm, str, int, figures.Measure]:
    user = access.request_user(request)
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    era = data.get("era") or Era.CURRENT
    year = data.get("year") or figures.default_year(user=user)
    return form, era, year, figures.MEASURES[data.get("measure") or "poverty"]


def _years(user: User, year: int) -> list[int]:
    """The years the filter offers, latest first: those of a review, and the year shown (a year of money
    recorded without a review, opened by a link)."""
    return sorted({*poverty_selectors.review_years(user=user), year}, reverse=True)


def _query(**values: str | int) -> str:
    query = urlencode({key: value for key, value in values.items() if value != ""})
    return f"?{query}" if query else ""


def home(request: HttpRequest) -> HttpResponse:
    """The national dashboard for national users (the ministry's first question is the country); the
    administrative units for everyone else, as before."""
    user = access.request_user(request)
    return redirect("dashboards:national" if access.is_national(user) else "geo:unit-browser")


@login_required
def national_dashboard(request: HttpRequest) -> HttpResponse:
    """Poverty and money by province of either era, with a tile-grid map; a scoped user is sent to their
    province's dashboard."""
    user = access.request_user(request)
    if not access.is_national(user):
        province = access.scope_province(user)
        if province is None:
            raise Http404(NOT_FOUND)
        return redirect(
            reverse("dashboards:province", args=[province.era, province.code]) + _query(**request.GET.dict())
        )
    form, era, year, measure = _parameters(request)
    board = figures.national_board(user=user, era=era, year=year)
    grid = tiles.province_grid(era)
    problems = tiles.grid_problems(grid, (row.unit.code for row in board.rows))
    links = {
        row.unit.code: reverse("dashboards:province", args=[era, row.unit.code])
        + _query(year=year, measure=measure.key)
        for row in board.rows
    }
    values = {row.unit.code: row.value(measure) for row in board.rows}
    context = {
        "form": form,
        "era": era,
        "year": year,
        "measure": measure,
        "measures": figures.MEASURES.values(),
        "eras": Era.choices,
        "years": _years(user, year),
        "board": board,
        "links": links,
        "pending": board.total.pending,
        "tile_map": None if problems else charts.tile_map(grid, values=values, links=links, measure=measure),
        "tile_problems": problems,
        "boundary_map": choropleth_svg(
            user=user,
            units=[row.unit for row in board.rows],
            values={code: None if value is None else value / 100 for code, value in values.items()},
            title=str(measure.description),
        ),
        "over_years_chart": charts.over_years_chart(board.over_years),
        **charts.money_charts_of(board.rows, board.by_source),
        "money_link": reverse("programs:dashboard") + _query(era=era, unit="", from_year=year, to_year=year),
    }
    return render(request, "dashboards/national.html", context)


@login_required
def province_dashboard(request: HttpRequest, era: str, code: str) -> HttpResponse:
    """A province's communes (of the reviews, carried by the crosswalk for a former province): state,
    rates and money, a grid of the communes and links to each commune's unit, review and money pages."""
    user = access.request_user(request)
    try:
        province = geo_selectors.unit_get(user=user, era=era, code=code)
    except NotFoundError as error:
        # A commune officer's province: its name is the way to their commune; its figures are theirs.
        own = access.scope_province(user)
        if own is None or (own.era, own.code) != (era, code):
            raise Http404(NOT_FOUND) from error
        province = own
    if province.level != Level.PROVINCE:
        raise Http404(NOT_FOUND)
    form, _era, year, measure = _parameters(request)
    board = figures.province_board(user=user, province=province, year=year)
    values = {row.unit.code: row.value(measure) for row in board.rows}
    links = {row.unit.code: f"#commune-{row.unit.code}" for row in board.rows}
    reporting = province_reporting(user=user, province=province)
    context = {
        "form": form,
        "year": year,
        "measure": measure,
        "measures": figures.MEASURES.values(),
        "years": _years(user, year),
        "board": board,
        "province": province,
        # A commune officer reaches their province's dashboard, not its unit page.
        "province_unit_visible": access.can_view_unit(user, province),
        "is_national": access.is_national(user),
        "narrower_scope": user.scope if user.scope is not None and user.scope.pk != province.pk else None,
        "national_link": reverse("dashboards:national") + _query(era=era, year=year, measure=measure.key),
        "tile_map": charts.tile_map(
            charts.commune_grid(board.rows), values=values, links=links, measure=measure
        ),
        "boundary_map": choropleth_svg(
            user=user,
            units=[row.unit for row in board.rows],
            values={code: None if value is None else value / 100 for code, value in values.items()},
            title=str(measure.description),
        ),
        **charts.money_charts_of(board.rows, board.by_source),
        "money_link": reverse("programs:dashboard")
        + _query(era=province.era, unit=province.code, from_year=year, to_year=year),
        "reporting": reporting,
        "reporting_titles": reporting_period_titles(user=user, periods=[found.period for found in reporting]),
    }
    return render(request, "dashboards/province.html", context)
