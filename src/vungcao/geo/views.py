"""Pages of the unit browser; thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.geo import selectors
from vungcao.geo.forms import UnitBrowserForm, VillageForm, VillageMergeForm, VillageRenameForm
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.geo.services import villages

PAGE_SIZE = 50


@login_required
def unit_browser(request: HttpRequest) -> HttpResponse:
    """Provinces (or the user's own units) at the top; search across both eras by name or code."""
    user = access.request_user(request)
    form = UnitBrowserForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    era = filters.get("era") or Era.CURRENT
    query = filters.get("q", "")
    level = filters.get("level") or None
    if query or level:
        units = selectors.unit_list(user=user, era=era, level=level, search=query)
    elif access.is_national(user):
        units = selectors.unit_list(user=user, era=era, level=Level.PROVINCE)
    else:
        units = selectors.unit_list(user=user, era=era).filter(depth=_top_depth(user, era))
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "era": era,
        "query": query,
        "counts": selectors.level_counts(user=user),
    }
    template = "geo/_unit_table.html" if request.headers.get("HX-Request") else "geo/unit_browser.html"
    return render(request, template, context)


def _top_depth(user: User, era: str) -> int:
    """The shallowest depth a scoped user may open in ``era`` (their scope, or the linked old units)."""
    top = selectors.unit_list(user=user, era=era).order_by("depth").values_list("depth", flat=True).first()
    return top or 1


def _visible_unit(request: HttpRequest, era: str, code: str) -> AdministrativeUnit:
    try:
        return selectors.unit_get(user=access.request_user(request), era=era, code=code)
    except NotFoundError as error:
        raise Http404(_("No such unit, or it is outside your scope.")) from error


@login_required
def unit_detail(request: HttpRequest, era: str, code: str) -> HttpResponse:
    user = access.request_user(request)
    unit = _visible_unit(request, era, code)
    children = Paginator(selectors.unit_children(user=user, unit=unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    is_commune = unit.level == Level.COMMUNE and unit.era == Era.CURRENT
    context = {
        "unit": unit,
        "breadcrumbs": selectors.unit_ancestors(user=user, unit=unit),
        "children": children,
        "children_count": children.paginator.count,
        "predecessors": selectors.unit_predecessors(user=user, unit=unit),
        "successors": selectors.unit_successors(user=user, unit=unit),
        "attributes": selectors.unit_attributes(unit=unit),
        "can_edit_villages": is_commune and access.can_edit_villages(user, unit),
        "can_edit_this_village": unit.level == Level.VILLAGE
        and unit.parent is not None
        and access.can_edit_villages(user, unit.parent),
        "village_form": VillageForm(),
        "rename_form": VillageRenameForm(initial={"name": unit.name}),
        "merge_form": VillageMergeForm(),
    }
    return render(request, "geo/unit_detail.html", context)


@login_required
@require_POST
def village_add(request: HttpRequest, era: str, code: str) -> HttpResponse:
    commune = _visible_unit(request, era, code)
    form = VillageForm(request.POST)
    if form.is_valid():
        try:
            village = villages.village_create(
                user=access.request_user(request), commune=commune, **form.cleaned_data
            )
            messages.success(request, _("Village {name} was added.").format(name=village.name))
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Give the village a name and a type."))
    return redirect("geo:unit-detail", era=era, code=code)


@login_required
@require_POST
def village_rename(request: HttpRequest, era: str, code: str) -> HttpResponse:
    village = _visible_unit(request, era, code)
    form = VillageRenameForm(request.POST)
    if form.is_valid():
        try:
            villages.village_rename(
                user=access.request_user(request), village=village, name=form.cleaned_data["name"]
            )
            messages.success(request, _("The village was renamed."))
        except ApplicationError as error:
            messages.error(request, error.message)
    return redirect("geo:unit-detail", era=era, code=code)


@login_required
@require_POST
def village_merge(request: HttpRequest, era: str, code: str) -> HttpResponse:
    """Merge this village into another village of the same commune."""
    village = _visible_unit(request, era, code)
    form = VillageMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the code of the village to merge into and the date."))
        return redirect("geo:unit-detail", era=era, code=code)
    target = _visible_unit(request, era, form.cleaned_data["into"])
    try:
        villages.village_merge(
            user=access.request_user(request), villages=[village], into=target, on=form.cleaned_data["on"]
        )
        messages.success(
            request, _("{name} was merged into {target}.").format(name=village.name, target=target.name)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("geo:unit-detail", era=era, code=code)
    return redirect("geo:unit-detail", era=era, code=target.code)
