"""Pages of indicators and targets; thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.charts import Chart, Kind, Series, chart_figure
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.language import reader_language
from vungcao.common.report_workbooks import XLSX
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators import forms, workbooks
from vungcao.indicators.models import IndicatorValue, Target, UnitGroup
from vungcao.indicators.selectors import figures as figure_selectors
from vungcao.indicators.selectors import pages
from vungcao.indicators.selectors import plans as plan_selectors
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.groups import groups_for_targets
from vungcao.indicators.services import indicator_value_enter
from vungcao.indicators.services.targets import target_create
from vungcao.programs.views.forms import submit

NOT_FOUND = gettext_lazy("No such unit, or it is outside your scope.")
MOST_CHART_SERIES = 10


def _unit(user: User, era: str, code: str) -> AdministrativeUnit:
    try:
        return figure_selectors.figures_unit_get(user=user, era=era, unit_code=code)
    except NotFoundError as error:
        raise Http404(str(NOT_FOUND)) from error


def _page(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    """A page of the app, with what its navigation offers the user."""
    user = access.request_user(request)
    actions = {
        "can_enter": access.can_enter_indicator_values_somewhere(user),
        "can_set_targets": access.can_set_targets_somewhere(user),
        "can_see_groups": access.can_see_unit_groups(user),
    }
    return render(request, template, actions | context)


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _catalogue, sections = pages.catalogue_sections(user=access.request_user(request))
    return _page(request, "indicators/catalogue.html", {"sections": sections})


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    catalogue, sections = pages.catalogue_sections(user=user)
    entry = next((one for section in sections for one in section.entries if one.code == code), None)
    if entry is None:
        raise Http404(_("No such indicator."))
    readers = [catalogue.get(other.code) for other in catalogue if code in other.references]
    context = {
        "entry": entry,
        "indicator": entry.indicator,
        "formula": pages.formula_in_words(entry.indicator, catalogue),
        "parts": [catalogue.get(part) for part in entry.indicator.references if part in catalogue],
        "readers": readers,
    }
    return _page(request, "indicators/indicator_detail.html", context)


@login_required
def scorecard(request: HttpRequest, era: str, code: str) -> HttpResponse:
    user = access.request_user(request)
    unit = _unit(user, era, code)
    card = pages.scorecard(user=user, unit=unit)
    other_era = Era.PRE2025 if unit.era == Era.CURRENT else Era.CURRENT
    links = (
        geo_selectors.unit_predecessors(user=user, unit=unit)
        if unit.era == Era.CURRENT
        else geo_selectors.unit_successors(user=user, unit=unit)
    )
    other_units = [link.old_unit if unit.era == Era.CURRENT else link.new_unit for link in links]
    context = {"card": card, "unit": unit, "other_era": Era(other_era).label, "other_units": other_units}
    return _page(request, "indicators/scorecard.html", context)


def _exploration(request: HttpRequest) -> tuple[forms.ExplorerForm, pages.Exploration | None, str]:
    """The explorer's question as asked (defaults filled) and its answer, or the reason it has none."""
    user = access.request_user(request)
    form = forms.ExplorerForm(request.GET)
    asked = form.cleaned_data if form.is_valid() else {}
    era = asked.get("era") or Era.CURRENT
    to_year = asked.get("to_year") or pages.this_year()
    from_year = asked.get("from_year") or to_year - 9
    code = asked.get("indicator") or "poverty_rate"
    unit_code = asked.get("unit") or (
        user.scope.code if user.scope is not None and era == user.scope.era else ""
    )
    if not unit_code and not access.is_national(user):
        first = geo_selectors.unit_list(user=user, era=era).order_by("depth", "code").first()
        unit_code = first.code if first is not None else ""
    unit = _unit(user, era, unit_code)
    form = forms.ExplorerForm(
        {
            "indicator": code,
            "era": era,
            "unit": unit.code if unit.pk else "",
            "from_year": from_year,
            "to_year": to_year,
            "pivot": asked.get("pivot", False),
        }
    )
    form.is_valid()
    try:
        years = figure_selectors.years_between(from_year, to_year)
        return form, pages.exploration(user=user, indicator_code=code, unit=unit, years=years), ""
    except ApplicationError as error:
        return form, None, error.message


def _series(label: str, cells: list[pages.Cell]) -> Series:
    return Series(label, [None if one.value is None else float(one.value) for one in cells])


def _line_chart(found: pages.Exploration, series: list[Series]) -> SafeString:
    """The indicator's ``series`` over the years of ``found``, in its unit and decimals."""
    language = reader_language()
    indicator = found.indicator
    return chart_figure(
        Chart(
            Kind.LINE,
            indicator.name.in_language(language),
            [str(year) for year in found.years],
            series,
            unit=indicator.unit.label.in_language(language),
            places=indicator.shown_decimals,
        )
    )


@login_required
def explore(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    form, found, problem = _exploration(request)
    catalogue = catalogue_for(user=user)
    chart = None
    if found is not None:
        rows = pages.charted(found.rows, MOST_CHART_SERIES)
        chart = _line_chart(found, [_series(row.name, row.cells) for row in rows])
    context = {
        "form": form,
        "found": found,
        "problem": problem,
        "chart": chart,
        "choices": forms.indicator_choices(catalogue),
        "eras": Era.choices,
        "pivot": form.cleaned_data.get("pivot", False),
        "export_query": urlencode(
            {name: value for name, value in form.cleaned_data.items() if value not in (None, "", False)}
        ),
    }
    return _page(request, "indicators/explore.html", context)


@login_required
def explore_provenance(request: HttpRequest) -> HttpResponse:
    """Where one cell of the explorer came from (asked by htmx when the reader opens it)."""
    user = access.request_user(request)
    year = request.GET.get("year", "")
    if not (year.isdigit() and len(year) == 4):
        raise Http404(_("No such figure."))
    unit = _unit(user, request.GET.get("era") or Era.CURRENT, request.GET.get("unit", ""))
    try:
        found = pages.provenance(
            user=user, indicator_code=request.GET.get("indicator", ""), unit=unit, year=int(year)
        )
    except ApplicationError as error:
        raise Http404(error.message) from error
    return render(request, "indicators/_provenance.html", {"provenance": found, "unit": unit})


@login_required
def explore_export(request: HttpRequest) -> HttpResponse:
    """The explorer's table as a report workbook (written in the request: one indicator, a unit's
    children and at most fifty years is small)."""
    _form, found, problem = _exploration(request)
    if found is None:
        raise Http404(problem)
    content = workbooks.exploration_workbook(found, user=access.request_user(request))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{found.indicator.code}-{found.unit.code or "vn"}.xlsx"'
    )
    return response


def target_form(
    request: HttpRequest, initial: dict[str, object], groups: list[UnitGroup], target: Target | None = None
) -> forms.TargetForm:
    """The form of a new target (or of ``target``, changed), bound to what was sent; its objectives are those
    of the plans of the unit or group chosen (sent, or first shown)."""
    user = access.request_user(request)
    chosen = request.POST or initial
    plans = plan_selectors.plans_for_place(
        user=user,
        era=str(chosen.get("era", "")),
        unit_code=str(chosen.get("unit_code", "")).strip(),
        group_id=str(chosen.get("group", "")),
    )
    return forms.TargetForm(
        request.POST or None,
        initial=initial,
        catalogue=catalogue_for(user=user),
        groups=groups,
        plans=plans,
        target=target,
    )


@login_required
def target_new(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    if not access.can_set_targets_somewhere(user):
        raise PermissionDenied(_("You may not set targets."))
    groups = groups_for_targets(user=user)
    initial: dict[str, object] = {"unit_code": user.scope.code} if user.scope is not None else {}
    # Asked from a group's page, the target is the group's.
    group = next((group for group in groups if str(group.pk) == request.GET.get("group")), None)
    if group is not None:
        initial = {"group": str(group.pk), "era": group.era}
    asked = request.GET.get("objective", "")
    objective = (
        plan_selectors.objective_for_targets(user=user, objective_id=int(asked))
        if asked.isdigit() and len(asked) < 19
        else None
    )
    if objective is not None:  # "add a target to this objective", from the plan's page
        unit = objective.plan.unit
        initial = {"era": unit.era, "unit_code": unit.code, "objective": str(objective.pk)}
    form = target_form(request, initial, groups)
    if request.method == "POST":
        target = submit(form, target_create, user)
        if isinstance(target, Target):
            messages.success(request, _("The target was set."))
            return redirect("indicators:target-detail", target_id=target.pk)
    return _page(request, "indicators/target_new.html", {"form": form})


@login_required
def target_detail(request: HttpRequest, target_id: int) -> HttpResponse:
    user = access.request_user(request)
    try:
        target = figure_selectors.target_get(user=user, target_id=target_id)
    except NotFoundError as error:
        raise Http404(_("No such target.")) from error
    measured = figure_selectors.target_progress(user=user, target=target)
    catalogue = catalogue_for(user=user)
    indicator = catalogue.get(target.indicator)
    chart = None
    if target.unit is not None:
        years = list(range(target.baseline_year, max(target.target_year, pages.this_year()) + 1))
        found = pages.exploration(user=user, indicator_code=target.indicator, unit=target.unit, years=years)
        series = [
            _series(target.unit.name, found.rows[0].cells),
            Series(_("Target"), pages.target_line(measured, years)),
        ]
        chart = _line_chart(found, series)
    context = {
        "target": target,
        "measured": measured,
        "indicator": indicator,
        "chart": chart,
        "can_change": access.can_set_targets(user, target.owner),
    }
    return _page(request, "indicators/target_detail.html", context)


@login_required
def value_new(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    if not access.can_enter_indicator_values_somewhere(user):
        raise PermissionDenied(_("You may not enter indicator values."))
    initial = {"unit_code": user.scope.code, "year": pages.this_year() - 1} if user.scope is not None else {}
    form = forms.IndicatorValueForm(request.POST or None, initial=initial, catalogue=catalogue_for(user=user))
    if request.method == "POST":
        stored = submit(form, indicator_value_enter, user)
        if isinstance(stored, IndicatorValue):
            unit = stored.unit
            messages.success(
                request,
                _("The value of {unit} for {year} was stored.").format(unit=unit.name, year=stored.year),
            )
            return redirect("indicators:scorecard", era=unit.era, code=unit.code)
    return _page(request, "indicators/value_new.html", {"form": form})
