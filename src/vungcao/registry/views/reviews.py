"""Pages of the poverty review: the list of reviews, a province's dashboard, a commune's review and its steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError
from vungcao.common.language import reader_language
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.geo.selectors_maps import choropleth_svg
from vungcao.registry import classification
from vungcao.registry.charts import poverty_rates_chart
from vungcao.registry.forms import OpenReviewForm, ReasonForm
from vungcao.registry.models import CommuneReview, Household, ReviewCycle
from vungcao.registry.selectors import results, reviews, simulation
from vungcao.registry.services import reviews as review_services
from vungcao.registry.views.lookups import PAGE_SIZE, commune_review_or_404, review_cycle_or_404
from vungcao.registry.views.report_forms import unit_forms

# How many of the households not yet assessed the submission's confirmation lists (all are on the
# commune's review page, page by page).
UNASSESSED_LISTED = 100


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    cycles = list(reviews.review_cycle_list(user=user))
    rows = [
        (cycle, reviews.cycle_states(cycle=cycle), classification.standard(cycle.standard_identifier).name)
        for cycle in cycles
    ]
    province = user.scope if user.scope is not None and user.scope.level == "province" else None
    can_open = province is not None and access.can_decide_review(user, province)
    context = {
        "rows": rows,
        "form": OpenReviewForm(),
        "can_open": can_open,
        "can_see_reads": access.can_see_personal_data_reads(user),
        "can_view_households": access.can_view_households(user),
        "can_simulate_policy": simulation.can_simulate_policy(user),
    }
    return render(request, "registry/review_list.html", context)


@login_required
@require_POST
def review_open(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    form = OpenReviewForm(request.POST)
    if not form.is_valid() or user.scope is None:
        messages.error(request, _("Give the year of the review."))
        return redirect("registry:review-list")
    try:
        cycle = review_services.review_cycle_open(
            user=user,
            province=user.scope,
            year=form.cleaned_data["year"],
            standard_identifier=form.cleaned_data["standard"] or None,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("registry:review-list")
    messages.success(request, _("The review of {year} is open in every commune.").format(year=cycle.year))
    return redirect("registry:review-dashboard", cycle_id=cycle.pk)


@login_required
def review_dashboard(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The province's view of a review: communes by state, rates by commune and ethnic group, over years, map."""
    user = access.request_user(request)
    cycle = review_cycle_or_404(request, cycle_id)
    figures = results.review_results(user=user, cycle=cycle)
    over_years = figures.over_years
    chart = poverty_rates_chart(
        title=_("Poverty and near-poverty rates, {province}").format(province=cycle.province.name),
        years=[rate.key for rate in over_years],
        poverty_rates=[rate.poverty_rate for rate in over_years],
        near_poverty_rates=[rate.near_poverty_rate for rate in over_years],
    )
    by_commune = figures.by_commune
    earlier = (
        ReviewCycle.objects.filter(province=cycle.province, year__lt=cycle.year).order_by("-year").first()
    )
    context = {
        "cycle": cycle,
        "standard": classification.standard(cycle.standard_identifier),
        "states": reviews.cycle_states(cycle=cycle),
        "communes": reviews.commune_review_list(user=user, cycle=cycle),
        "total": figures.total,
        "by_commune": by_commune,
        "by_ethnic_group": figures.by_ethnic_group,
        "chart": chart,
        "map": _map(request, cycle, by_commune),
        "earlier": earlier,
        "can_decide": access.can_decide_review(user, cycle.province),
        "can_view_households": access.can_view_households(user),
        "report_forms": unit_forms(user=user, year=cycle.year, units=_form_units(user, cycle)),
    }
    return render(request, "registry/review_dashboard.html", context)


def _form_units(user: User, cycle: ReviewCycle) -> list[AdministrativeUnit | None]:
    """The units whose summary forms the dashboard offers: the country, the province, and the commune
    of a commune's user (``unit_forms`` keeps those the user may open)."""
    commune = user.scope if user.scope is not None and user.scope.level == Level.COMMUNE else None
    return [None, cycle.province, *([commune] if commune is not None else [])]


def _map(request: HttpRequest, cycle: ReviewCycle, by_commune: list[results.Rate]) -> str | None:
    """The choropleth of the poverty rate by commune, when boundaries are loaded."""
    units = geo_selectors.unit_list(
        user=access.request_user(request), era=Era.CURRENT, parent_code=cycle.province.code
    )
    values = {rate.key: rate.poor / rate.assessed for rate in by_commune if rate.assessed}
    return choropleth_svg(
        user=access.request_user(request),
        units=units,
        values=values,
        title=_("Poverty rate by commune"),
        legend_title=_("Poor households, per cent of those assessed"),
    )


def _status_counts(cycle: ReviewCycle, progress: reviews.ReviewProgress) -> list[tuple[str, int]]:
    """How many households the review has classified in each status of its standard, labelled."""
    rule = classification.standard(cycle.standard_identifier)
    return [
        (status.label.in_language(reader_language()), progress.by_status.get(status.status, 0))
        for status in rule.statuses
    ]


def _can_submit(user: User, review: CommuneReview) -> bool:
    return access.can_enter_answers(user, review.commune) and review.state in review_services.ENTRY_STATES


@login_required
def commune_review(request: HttpRequest, cycle_id: int, commune_code: str) -> HttpResponse:
    """A commune's review: its completeness (with the households not yet assessed, for the roles that
    may open them), its steps for the user's role, and its history."""
    user = access.request_user(request)
    cycle = review_cycle_or_404(request, cycle_id)
    review = commune_review_or_404(request, cycle, commune_code)
    can_submit = _can_submit(user, review)
    can_decide = access.can_decide_review(user, cycle.province)
    # Once approved, the households registered since are not the review's to assess.
    unassessed = Paginator(
        reviews.commune_review_unassessed(user=user, review=review)
        if review.state != CommuneReview.State.APPROVED
        else Household.objects.none(),
        PAGE_SIZE,
    )
    progress = reviews.commune_review_progress(review=review)
    context = {
        "cycle": cycle,
        "review": review,
        "progress": progress,
        "status_counts": _status_counts(cycle, progress),
        "unassessed": unassessed.get_page(request.GET.get("page")),
        "events": reviews.commune_review_events(review=review),
        "can_enter": can_submit,
        "can_recall": review.state == CommuneReview.State.SUBMITTED
        and access.can_enter_answers(user, review.commune)
        and not can_decide,
        "can_decide": can_decide,
        "can_view_households": access.can_view_households(user),
        "reason_form": ReasonForm(),
        "states": CommuneReview.State,
        "report_forms": unit_forms(user=user, year=cycle.year, units=[review.commune]),
    }
    return render(request, "registry/commune_review.html", context)


def _submit_confirmation(request: HttpRequest, cycle: ReviewCycle, review: CommuneReview) -> HttpResponse:
    """The step before submitting: the completeness, the households not yet assessed (the first ones),
    and a form that submits for good; plain HTML, so it works without JavaScript."""
    user = access.request_user(request)
    unassessed = reviews.commune_review_unassessed(user=user, review=review)
    progress = reviews.commune_review_progress(review=review)
    context = {
        "cycle": cycle,
        "review": review,
        "progress": progress,
        "status_counts": _status_counts(cycle, progress),
        "unassessed": unassessed[:UNASSESSED_LISTED],
        "listed": UNASSESSED_LISTED,
        "can_view_households": access.can_view_households(user),
    }
    return render(request, "registry/commune_review_submit.html", context)


@login_required
@require_POST
def commune_review_action(
    request: HttpRequest, cycle_id: int, commune_code: str, action: str
) -> HttpResponse:
    """One step of the commune's review. Submitting asks first: the commune review page's button leads
    to the confirmation (completeness and the households not yet assessed), whose button confirms."""
    user = access.request_user(request)
    cycle = review_cycle_or_404(request, cycle_id)
    review = commune_review_or_404(request, cycle, commune_code)
    reason = request.POST.get("reason", "")
    steps = {
        "submit": lambda: review_services.commune_review_submit(user=user, review=review),
        "recall": lambda: review_services.commune_review_recall(user=user, review=review, reason=reason),
        "approve": lambda: review_services.commune_review_approve(user=user, review=review),
        "return": lambda: review_services.commune_review_return(user=user, review=review, reason=reason),
        "reopen": lambda: review_services.commune_review_reopen(user=user, review=review, reason=reason),
    }
    if action not in steps:
        raise Http404(action)
    if action == "submit" and request.POST.get("confirmed") != "yes" and _can_submit(user, review):
        return _submit_confirmation(request, cycle, review)
    try:
        done = steps[action]()
        messages.success(
            request,
            _("{commune}: {state}.").format(commune=done.commune.name, state=done.get_state_display()),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("registry:commune-review", cycle_id=cycle.pk, commune_code=commune_code)
