"""Pages of the household registry: the list, a household, its registration and its changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.pagination import PagesCountedUpTo
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Era
from vungcao.registry.forms import (
    CHANGE_LABELS,
    STATUS_CHOICES,
    HouseholdForm,
    MemberFormSet,
    MergeForm,
    MoveForm,
    SplitForm,
)
from vungcao.registry.models import CommuneReview, Household, PersonalDataRead
from vungcao.registry.selectors import households as household_selectors
from vungcao.registry.services import households as household_services
from vungcao.registry.services import personal_data_reads as read_services
from vungcao.registry.services import reviews as review_services
from vungcao.registry.services.households import MemberData
from vungcao.registry.views.lookups import (
    PAGE_SIZE,
    household_filter_form,
    household_filters,
    household_or_404,
    require_microdata,
)


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    require_microdata(request)
    form = household_filter_form(request)
    filters = household_filters(request, form)
    user = access.request_user(request)
    households = household_selectors.household_list(user=user, filters=filters)
    page = PagesCountedUpTo(households, PAGE_SIZE).get_page(request.GET.get("page"))
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
        "registers": access.can_enter_answers_somewhere(user),
    }
    template = (
        "registry/_household_table.html"
        if request.headers.get("HX-Request")
        else "registry/household_list.html"
    )
    return render(request, template, context)


@login_required
def household_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    detail = household_or_404(request, code)
    household = detail.household
    read_services.household_read_record(
        request=request, user=user, kind=PersonalDataRead.Kind.HOUSEHOLD_PAGE, detail=detail
    )
    can_change = household.village.parent is not None and access.can_enter_answers(
        user, household.village.parent
    )
    # The reviews whose answers the user may enter: none offered to a role that only reads.
    open_reviews = CommuneReview.objects.filter(
        commune=household.village.parent, state__in=review_services.ENTRY_STATES
    ).select_related("cycle")
    if not can_change:
        open_reviews = open_reviews.none()
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
    require_microdata(request)
    user = access.request_user(request)
    if not access.can_enter_answers_somewhere(user):
        raise PermissionDenied  # the list offers the form to these roles only
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
    household = household_or_404(request, code).household
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
            into = household_or_404(request, data["into_code"]).household
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
