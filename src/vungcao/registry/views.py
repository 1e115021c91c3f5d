"""Pages of the registry and the poverty review; thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.common.charts import Series, line_chart
from vungcao.common.errors import ApplicationError, ImportRefusedError, NotFoundError
from vungcao.common.language import reader_language
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Era
from vungcao.geo.selectors_maps import choropleth_svg
from vungcao.registry import classification
from vungcao.registry.forms import (
    CHANGE_LABELS,
    GROUPING_LABELS,
    STATUS_CHOICES,
    HouseholdFilterForm,
    HouseholdForm,
    MemberFormSet,
    MergeForm,
    MoveForm,
    OpenReviewForm,
    ReasonForm,
    SplitForm,
    answers_form,
)
from vungcao.registry.forms.personal_data_reads import PersonalDataReadFilterForm
from vungcao.registry.models import CommuneReview, Household, HouseholdExport, PersonalDataRead, ReviewCycle
from vungcao.registry.selectors import changes as change_selectors
from vungcao.registry.selectors import exports as export_selectors
from vungcao.registry.selectors import households as household_selectors
from vungcao.registry.selectors import personal_data_reads as read_selectors
from vungcao.registry.selectors import results, reviews
from vungcao.registry.selectors.households import HouseholdFilter
from vungcao.registry.services import assessments
from vungcao.registry.services import exports as export_services
from vungcao.registry.services import households as household_services
from vungcao.registry.services import personal_data_reads as read_services
from vungcao.registry.services import reviews as review_services
from vungcao.registry.services.households import MemberData

PAGE_SIZE = 50
# How often the export page asks for news of an export being written.
POLL_SECONDS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cycle(request: HttpRequest, cycle_id: int) -> ReviewCycle:
    try:
        return reviews.review_cycle_get(user=access.request_user(request), cycle_id=cycle_id)
    except NotFoundError as error:
        raise Http404(_("No such review, or it is outside your scope.")) from error


def _commune_review(request: HttpRequest, cycle: ReviewCycle, commune_code: str) -> CommuneReview:
    try:
        return reviews.commune_review_get(
            user=access.request_user(request), cycle=cycle, commune_code=commune_code
        )
    except NotFoundError as error:
        raise Http404(_("No such commune in this review, or it is outside your scope.")) from error


def _microdata(request: HttpRequest) -> None:
    if not access.can_view_households(access.request_user(request)):
        raise Http404(_("Your role sees aggregated figures only."))


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    cycles = list(reviews.review_cycle_list(user=user))
    rows = [(cycle, reviews.cycle_states(cycle=cycle)) for cycle in cycles]
    province = user.scope if user.scope is not None and user.scope.level == "province" else None
    can_open = province is not None and access.can_decide_review(user, province)
    context = {
        "rows": rows,
        "form": OpenReviewForm(),
        "can_open": can_open,
        "can_see_reads": access.can_see_personal_data_reads(user),
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
    cycle = _cycle(request, cycle_id)
    figures = results.review_results(user=user, cycle=cycle)
    over_years = figures.over_years
    chart = line_chart(
        title=_("Poverty and near-poverty rates, {province}").format(province=cycle.province.name),
        categories=[rate.key for rate in over_years],
        series=[
            Series(_("Poverty rate"), [rate.poverty_rate for rate in over_years]),
            Series(_("Near-poverty rate"), [rate.near_poverty_rate for rate in over_years]),
        ],
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
    }
    return render(request, "registry/review_dashboard.html", context)


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


@login_required
def commune_review(request: HttpRequest, cycle_id: int, commune_code: str) -> HttpResponse:
    user = access.request_user(request)
    cycle = _cycle(request, cycle_id)
    review = _commune_review(request, cycle, commune_code)
    context = {
        "cycle": cycle,
        "review": review,
        "progress": reviews.commune_review_progress(review=review),
        "events": reviews.commune_review_events(review=review),
        "can_enter": access.can_enter_answers(user, review.commune)
        and review.state in review_services.ENTRY_STATES,
        "can_decide": access.can_decide_review(user, cycle.province),
        "reason_form": ReasonForm(),
        "states": CommuneReview.State,
    }
    return render(request, "registry/commune_review.html", context)


@login_required
@require_POST
def commune_review_action(
    request: HttpRequest, cycle_id: int, commune_code: str, action: str
) -> HttpResponse:
    user = access.request_user(request)
    cycle = _cycle(request, cycle_id)
    review = _commune_review(request, cycle, commune_code)
    reason = request.POST.get("reason", "")
    steps = {
        "submit": lambda: review_services.commune_review_submit(user=user, review=review),
        "approve": lambda: review_services.commune_review_approve(user=user, review=review),
        "return": lambda: review_services.commune_review_return(user=user, review=review, reason=reason),
        "reopen": lambda: review_services.commune_review_reopen(user=user, review=review, reason=reason),
    }
    if action not in steps:
        raise Http404(action)
    try:
        done = steps[action]()
        messages.success(
            request,
            _("{commune}: {state}.").format(commune=done.commune.name, state=done.get_state_display()),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("registry:commune-review", cycle_id=cycle.pk, commune_code=commune_code)


def _filters(request: HttpRequest, form: HouseholdFilterForm) -> HouseholdFilter:
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        try:
            unit = geo_selectors.unit_get(
                user=access.request_user(request), era=Era.CURRENT, code=data["unit"]
            )
        except NotFoundError:
            unit = None
    return HouseholdFilter(
        unit=unit,
        year=data.get("year"),
        status=data.get("status") or None,
        ethnic_group=data.get("ethnic_group") or None,
        deprived=data.get("deprived") or None,
        change=data.get("change") or None,
        search=data.get("q") or None,
    )


def _filter_form(request: HttpRequest) -> HouseholdFilterForm:
    indicators = reviews.indicator_choices(user=access.request_user(request), language=reader_language())
    return HouseholdFilterForm(request.GET or None, indicators=indicators)


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    _microdata(request)
    form = _filter_form(request)
    filters = _filters(request, form)
    user = access.request_user(request)
    households = household_selectors.household_list(user=user, filters=filters)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    read_services.households_read_record(
        request=request,
        user=user,
        kind=PersonalDataRead.Kind.LIST_PAGE,
        count=len(page),
        filters=filters,
        page=page.number,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "change_labels": CHANGE_LABELS,
        "status_labels": dict(STATUS_CHOICES),
    }
    template = (
        "registry/_household_table.html"
        if request.headers.get("HX-Request")
        else "registry/household_list.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def household_export(request: HttpRequest) -> HttpResponse:
    """Start an export of the filtered household list (the filter in the query string, as the list page
    has it): a background task writes the file; the export's page follows it."""
    _microdata(request)
    filters = _filters(request, _filter_form(request))
    try:
        export = export_services.household_export_start(user=access.request_user(request), filters=filters)
    except ApplicationError as error:
        raise Http404(error.message) from error
    return redirect("registry:household-export-detail", export_id=export.pk)


def _export(request: HttpRequest, export_id: object) -> HouseholdExport:
    try:
        return export_selectors.household_export_get(
            user=access.request_user(request), export_id=str(export_id)
        )
    except NotFoundError as error:
        raise Http404(_("No such export, or it is not yours.")) from error


@login_required
def household_export_detail(request: HttpRequest, export_id: object) -> HttpResponse:
    """The export: its progress while the task writes it, then its download. htmx asks again every few
    seconds while it is written and swaps in only the ``#export`` part."""
    export = export_services.household_export_check_stalled(export=_export(request, export_id))
    context = {
        "export": export,
        "poll_seconds": POLL_SECONDS,
        "retention_hours": export_services.RETENTION_HOURS,
        "filters": export_selectors.household_filter_labels(
            user=access.request_user(request), values=export.filters
        ),
    }
    partial = request.headers.get("HX-Request")
    template = "registry/_household_export.html" if partial else "registry/household_export.html"
    return render(request, template, context)


@login_required
def household_export_download(request: HttpRequest, export_id: object) -> HttpResponse:
    """The written file, for the user who asked for it alone; its read recorded now."""
    export = _export(request, export_id)
    try:
        content = export_services.household_export_file(
            user=access.request_user(request), export=export, address=read_services.request_address(request)
        )
    except NotFoundError as error:
        raise Http404(_("No such export, or it is not yours.")) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("registry:household-export-detail", export_id=export.pk)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="households-{stamp}.xlsx"'
    return response


def _household(request: HttpRequest, code: str) -> household_selectors.HouseholdDetail:
    _microdata(request)
    try:
        return household_selectors.household_get(
            user=access.request_user(request), code=code, language=reader_language()
        )
    except NotFoundError as error:
        raise Http404(_("No such household, or it is outside your scope.")) from error


@login_required
def household_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    detail = _household(request, code)
    household = detail.household
    read_services.household_read_record(
        request=request, user=user, kind=PersonalDataRead.Kind.HOUSEHOLD_PAGE, detail=detail
    )
    open_reviews = CommuneReview.objects.filter(
        commune=household.village.parent, state__in=review_services.ENTRY_STATES
    ).select_related("cycle")
    can_change = household.village.parent is not None and access.can_enter_answers(
        user, household.village.parent
    )
    context = {
        "detail": detail,
        "open_reviews": open_reviews,
        "can_change": can_change and household.dissolved_on is None,
        "move_form": MoveForm(),
        "merge_form": MergeForm(),
        "split_form": SplitForm(members=_members_of(household)),
        "can_see_reads": access.can_see_personal_data_reads(user),
    }
    return render(request, "registry/household_detail.html", context)


def _members_of(household: Household) -> list[tuple[int, str]]:
    return list(household.members.filter(left_on__isnull=True).values_list("pk", "full_name"))


@login_required
def household_new(request: HttpRequest) -> HttpResponse:
    """Register a household and its members (the questionnaire import does the same for many)."""
    _microdata(request)
    user = access.request_user(request)
    form = HouseholdForm(request.POST or None)
    members = MemberFormSet(request.POST or None)
    if request.method == "POST" and form.is_valid() and members.is_valid():
        try:
            village = geo_selectors.unit_get(
                user=user, era=Era.CURRENT, code=form.cleaned_data["village_code"]
            )
            created = household_services.household_create(
                user=user,
                village=village,
                code=form.cleaned_data["code"],
                area=form.cleaned_data["area"],
                address=form.cleaned_data["address"],
                members=[MemberData(**member) for member in members.cleaned_data if member],
            )
        except NotFoundError:
            form.add_error("village_code", _("No such village, or it is outside your scope."))
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Household {code} was registered.").format(code=created.code))
            return redirect("registry:household-detail", code=created.code)
    return render(request, "registry/household_new.html", {"form": form, "members": members})


@login_required
@require_POST
def household_change(request: HttpRequest, code: str, change: str) -> HttpResponse:
    """Move, split or merge a household; each keeps its history as events."""
    user = access.request_user(request)
    household = _household(request, code).household
    forms_by_change = {
        "move": MoveForm(request.POST),
        "merge": MergeForm(request.POST),
        "split": SplitForm(request.POST, members=_members_of(household)),
    }
    form = forms_by_change.get(change)
    if form is None:
        raise Http404(change)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("registry:household-detail", code=code)
    data = form.cleaned_data
    try:
        if change == "move":
            village = geo_selectors.unit_get(user=user, era=Era.CURRENT, code=data["village_code"])
            household_services.household_move(
                user=user, household=household, to_village=village, on=data["on"]
            )
            target = household.code
        elif change == "merge":
            into = _household(request, data["into_code"]).household
            target = household_services.household_merge(
                user=user, household=household, into=into, on=data["on"]
            ).code
        else:
            target = household_services.household_split(
                user=user,
                household=household,
                member_ids=[int(pk) for pk in data["members"]],
                new_code=data["new_code"],
                new_head_id=int(data["new_head"]),
                on=data["on"],
            ).code
    except NotFoundError:
        messages.error(request, _("No such village, or it is outside your scope."))
        return redirect("registry:household-detail", code=code)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("registry:household-detail", code=code)
    messages.success(request, _("The change was recorded."))
    return redirect("registry:household-detail", code=target)


@login_required
def household_answers(request: HttpRequest, code: str, cycle_id: int) -> HttpResponse:
    """Enter or correct one household's answers in an open review; the status is shown at once."""
    user = access.request_user(request)
    household: Household = _household(request, code).household
    cycle = _cycle(request, cycle_id)
    review = _commune_review(request, cycle, household.village.parent.code)  # type: ignore[union-attr]
    rule = classification.standard(cycle.standard_identifier)
    existing = household.assessments.filter(cycle=cycle).first()
    initial = {"area": household.area, **(existing.answers if existing else {})}
    if existing:
        initial["income_per_capita_month"] = existing.income_per_capita_month
    form = answers_form(rule, reader_language(), data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessments.assessment_record(
                user=user, review=review, household=household, answers=form.cleaned_data
            )
        except ImportRefusedError as error:
            for problem in error.report:
                form.add_error(None, f"{problem.field}: {problem.reason}")
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The answers were saved and the household classified."))
            return redirect("registry:household-detail", code=household.code)
    read_services.personal_data_read_record(
        user=user,
        kind=PersonalDataRead.Kind.ANSWERS_PAGE,
        address=read_services.request_address(request),
        household=household,
    )
    return render(
        request,
        "registry/household_answers.html",
        {"household": household, "cycle": cycle, "form": form, "standard": rule},
    )


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """Flows between two approved reviews of a province, counted by a grouping and listed."""
    _microdata(request)
    user = access.request_user(request)
    try:
        earlier = reviews.review_cycle_get(user=user, cycle_id=int(request.GET.get("earlier", "0")))
        later = reviews.review_cycle_get(user=user, cycle_id=int(request.GET.get("later", "0")))
        found = change_selectors.changes_between(user=user, earlier=earlier, later=later)
    except (NotFoundError, ValueError) as error:
        raise Http404(_("Choose two reviews of the same province.")) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("registry:review-list")
    grouping = request.GET.get("by", "commune")
    if grouping not in change_selectors.GROUPINGS:
        grouping = "commune"
    flow = request.GET.get("flow", "")
    listed = None
    if flow in change_selectors.FLOWS:
        listed = Paginator(
            change_selectors.changed_households(user=user, changes=found, flow=flow), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    context = {
        "changes": found,
        "grouping": grouping,
        "groups": sorted(found.by_group.get(grouping, {}).items()),
        "flows": change_selectors.FLOWS,
        "flow_labels": CHANGE_LABELS,
        "flow": flow,
        "listed": listed,
        "groupings": change_selectors.GROUPINGS,
        "grouping_labels": GROUPING_LABELS,
    }
    return render(request, "registry/changes.html", context)


@login_required
def personal_data_reads(request: HttpRequest) -> HttpResponse:
    """Who read which household's personal data, when and how: administrators only (404 for others,
    as for any page out of scope)."""
    user = access.request_user(request)
    if not access.can_see_personal_data_reads(user):
        raise Http404(_("No such page, or it is outside your scope."))
    form = PersonalDataReadFilterForm(request.GET or None)
    form.is_valid()
    reads = read_selectors.personal_data_read_list(user=user, filters=form.filters())
    page = Paginator(reads, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/personal_data_reads.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
