"""The record of who read which household's personal data."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.registry.forms.personal_data_reads import PersonalDataReadFilterForm
from vungcao.registry.selectors import personal_data_reads as read_selectors
from vungcao.registry.views.lookups import PAGE_SIZE


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
