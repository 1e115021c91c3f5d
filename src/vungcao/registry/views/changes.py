"""Flows between two approved reviews of a province."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.registry.forms import CHANGE_LABELS, GROUPING_LABELS
from vungcao.registry.selectors import changes as change_selectors
from vungcao.registry.selectors import reviews
from vungcao.registry.views.lookups import PAGE_SIZE, require_microdata


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """Flows between two approved reviews of a province, counted by a grouping and listed."""
    require_microdata(request)
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
        listed = change_selectors.changed_households_pages(
            user=user, changes=found, flow=flow, per_page=PAGE_SIZE
        ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "query": query.urlencode(),
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
