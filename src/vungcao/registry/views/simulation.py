"""The policy simulation's page: the households of the user's scope reclassified under another standard."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError
from vungcao.common.language import reader_language
from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.simulation import Simulation
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Era, Level
from vungcao.registry.forms.simulation import PolicySimulationForm
from vungcao.registry.selectors import simulation as simulation_selectors

GROUPING_LABELS = {
    "province_code": gettext_lazy("Province"),
    "head_ethnic_group": gettext_lazy("Ethnic group of the head"),
    "ethnic_minority": gettext_lazy("Ethnic minority"),
}


def _status_names(result: Simulation) -> dict[str, str]:
    """Each status's name in the reader's language, the alternative standard's name last (it wins)."""
    language = reader_language()
    names = {}
    for identifier in (*result.current_standards, result.standard):
        for rule in get_standard(identifier).statuses:
            names[rule.status] = rule.label.in_language(language)
    return names


def _transition_table(result: Simulation) -> tuple[list[str], list[tuple[str, list[int], int]]]:
    """Simulated statuses (columns) and, per registry status, its households in each and in all."""
    simulated = [
        rule.status
        for rule in get_standard(result.standard).statuses
        if any(then == rule.status for _now, then in result.total.transitions)
    ]
    order = [
        rule.status for identifier in result.current_standards for rule in get_standard(identifier).statuses
    ]
    present = {now for now, _then in result.total.transitions}
    current = sorted(
        present, key=lambda status: (order.index(status) if status in order else len(order), status)
    )
    rows = []
    for now in current:
        counts = [result.total.transitions.get((now, then), 0) for then in simulated]
        rows.append((now, counts, sum(counts)))
    return simulated, rows


@login_required
def policy_simulation(request: HttpRequest) -> HttpResponse:
    """Every household of the user's scope in the snapshot reclassified under the standard chosen."""
    user = access.request_user(request)
    if not simulation_selectors.can_simulate_policy(user):
        raise Http404(_("The policy simulation shows the figures of a province or of the country."))
    form = PolicySimulationForm(request.GET or None)
    if form.is_valid():
        # The fields the chosen standard reads and the snapshot lacks: one field of the form each.
        standard = get_standard(form.cleaned_data["standard"])
        missing = simulation_selectors.policy_simulation_missing_fields(
            user=user, standard_identifier=standard.identifier, year=form.cleaned_data["year"]
        )
        form = PolicySimulationForm(request.GET, standard=standard, missing_fields=missing)
    context: dict[str, object] = {
        "form": form,
        "snapshot_age": simulation_selectors.policy_simulation_snapshot_age(user=user),
    }
    if form.is_valid():
        try:
            result = simulation_selectors.policy_simulation(
                user=user,
                standard_identifier=form.cleaned_data["standard"],
                cutoff=form.cleaned_data["k"],
                year=form.cleaned_data["year"],
                assumptions=form.cleaned_data["assumptions"],
            )
        except ApplicationError as error:
            context["error"] = error.message
        else:
            provinces = {
                unit.code: unit.name
                for unit in geo_selectors.unit_list(user=user, era=Era.CURRENT, level=Level.PROVINCE)
            }
            simulated, rows = _transition_table(result)
            context.update(
                result=result,
                assumed=[text.in_language(reader_language()) for text in result.assumed],
                status_names=_status_names(result),
                simulated_statuses=simulated,
                transition_rows=rows,
                province_names=provinces,
                groupings=[
                    (grouping, GROUPING_LABELS[grouping], sorted(groups.items()))
                    for grouping, groups in result.groups.items()
                ],
            )
    return render(request, "registry/policy_simulation.html", context)
