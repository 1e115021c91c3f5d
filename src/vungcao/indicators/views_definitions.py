"""Pages of a province's own indicators (chỉ tiêu của tỉnh) and of named groups of units (nhóm đơn vị):
the lists, the forms that define them, and a group's page with its figures and targets; thin: parse,
call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.language import reader_language
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.indicators import forms
from vungcao.indicators.models import Indicator, UnitGroup
from vungcao.indicators.selectors import groups as group_selectors
from vungcao.indicators.selectors import pages
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.definitions import own_indicator_get, province_indicators
from vungcao.indicators.services.definitions import (
    NOT_ALLOWED_INDICATORS,
    indicator_create,
    indicator_delete,
    indicator_update,
)
from vungcao.indicators.services.groups import (
    NOT_ALLOWED_GROUPS,
    unit_group_create,
    unit_group_delete,
    unit_group_update,
)
from vungcao.indicators.views import _page
from vungcao.indicators.views_changes import confirm_removal, tell_refusal
from vungcao.programs.views.forms import submit

GROUP_NOT_FOUND = gettext_lazy("No such group of units, or it is outside your scope.")


def _provinces(user: User) -> list[AdministrativeUnit] | None:
    """The provinces a national user chooses among; None for a user who defines for their own."""
    if access.scope_province(user) is not None:
        return None
    return list(geo_selectors.unit_list(user=user, era=Era.CURRENT, level=Level.PROVINCE).order_by("name"))


@login_required
def province_indicator_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    return _page(
        request, "indicators/province_indicator_list.html", {"provinces": province_indicators(user=user)}
    )


@login_required
def province_indicator_new(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    if not access.can_set_targets_somewhere(user):
        raise PermissionDenied(str(NOT_ALLOWED_INDICATORS))
    form = forms.ProvinceIndicatorForm(
        request.POST or None,
        initial={"kind": "entered", "aggregation": "sum"},
        catalogue=catalogue_for(user=user),
        provinces=_provinces(user),
    )
    if request.method == "POST":
        row = submit(form, indicator_create, user)
        if isinstance(row, Indicator):
            messages.success(request, _("The indicator {name} was defined.").format(name=row.name_vi))
            return redirect("indicators:indicator-detail", code=row.code)
    return _page(
        request,
        "indicators/province_indicator_new.html",
        {"form": form, "province": access.scope_province(user)},
    )


def _changeable_indicator(request: HttpRequest, code: str) -> Indicator:
    """A province's own indicator the user may read (else not found, whether it exists or not) and define
    its province's (else refused)."""
    user = access.request_user(request)
    try:
        row = own_indicator_get(user=user, code=code)
    except NotFoundError as error:
        raise Http404(_("No such indicator.")) from error
    if not access.can_define_indicators(user, row.owner):
        raise PermissionDenied(str(NOT_ALLOWED_INDICATORS))
    return row


@login_required
def province_indicator_change(request: HttpRequest, code: str) -> HttpResponse:
    """Change every field of a province's own indicator but its code and province; stored, its page is
    shown."""
    row = _changeable_indicator(request, code)
    user = access.request_user(request)
    form = forms.ProvinceIndicatorForm(
        request.POST or None, catalogue=catalogue_for(user=user), provinces=None, row=row
    )
    if request.method == "POST":
        changed = submit(form, indicator_update, user)
        if isinstance(changed, Indicator):
            messages.success(request, _("The indicator {name} was changed.").format(name=changed.name_vi))
            return redirect("indicators:indicator-detail", code=row.code)
    return _page(request, "indicators/province_indicator_change.html", {"form": form, "row": row})


@login_required
def province_indicator_delete(request: HttpRequest, code: str) -> HttpResponse:
    """A confirmation page; confirmed, the indicator is removed (refused, naming them, while anything uses
    it)."""
    row = _changeable_indicator(request, code)
    if request.method == "POST":
        try:
            indicator_delete(user=access.request_user(request), code=row.code)
        except ApplicationError as error:
            tell_refusal(request, error)
            return redirect("indicators:province-indicator-list")
        messages.success(request, _("The indicator {name} was removed.").format(name=row.name_vi))
        return redirect("indicators:province-indicator-list")
    return confirm_removal(
        request,
        title=_("Remove this indicator?"),
        facts=[
            (_("Indicator"), row.name_vi if reader_language() == "vi" else row.name_en),
            (_("Code"), row.code),
            (_("Province"), row.owner.name),
            (_("Source"), row.source),
        ],
        consequence=_(
            "An indicator can be removed once nothing uses it: no value entered for it, no target or "
            "reporting period of it, and no other indicator's formula reading it."
        ),
        submit=_("Remove the indicator"),
        cancel=reverse("indicators:province-indicator-list"),
    )


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    return _page(
        request, "indicators/group_list.html", {"groups": group_selectors.unit_group_list(user=user)}
    )


def _group_place(user: User, asked: QueryDict) -> tuple[str, AdministrativeUnit | None]:
    """The era and province of the group being made, as asked (the user's own province, for a user
    with one); no province while a national user has not chosen one they may keep groups for."""
    era = asked.get("era", "")
    era = era if era in Era.values else Era.CURRENT
    own = access.scope_province(user)
    if own is not None:
        return era, own
    code = asked.get("owner_code", "")
    province = (
        geo_selectors.unit_list(user=user, era=Era.CURRENT, level=Level.PROVINCE).filter(code=code).first()
    )
    return era, province if province is not None and access.can_set_targets(user, province) else None


@login_required
def group_new(request: HttpRequest) -> HttpResponse:
    """``?era=&owner_code=`` choose the units offered (a national user chooses the province); the form
    then names the group and ticks its members."""
    user = access.request_user(request)
    if not access.can_set_targets_somewhere(user):
        raise PermissionDenied(str(NOT_ALLOWED_GROUPS))
    era, owner = _group_place(user, request.POST if request.method == "POST" else request.GET)
    members = group_selectors.member_choices(user=user, owner=owner, era=era) if owner is not None else []
    form = forms.UnitGroupForm(
        request.POST or None,
        initial={"era": era, "owner_code": owner.code if owner is not None else ""},
        members=members,
    )
    if request.method == "POST":
        group = submit(form, unit_group_create, user)
        if isinstance(group, UnitGroup):
            messages.success(request, _("The group {name} was made.").format(name=group.name))
            return redirect("indicators:group-detail", group_id=group.pk)
    chosen = set(form["member_codes"].value() or [])
    context = {
        "form": form,
        "era": era,
        "eras": Era.choices,
        "owner": owner,
        "provinces": _provinces(user),
        "members": [(unit, unit.code in chosen) for unit in members],
    }
    return _page(request, "indicators/group_new.html", context)


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    user = access.request_user(request)
    try:
        group = group_selectors.unit_group_get(user=user, group_id=group_id)
    except NotFoundError as error:
        raise Http404(str(GROUP_NOT_FOUND)) from error
    context = {
        "group": group,
        "card": pages.scorecard(user=user, group=group),
        "may_set_targets": access.can_set_targets(user, group.owner),
    }
    return _page(request, "indicators/group_detail.html", context)


def _changeable_group(request: HttpRequest, group_id: int) -> UnitGroup:
    """A group the user may see (else not found, whether it exists or not) and keep (else refused)."""
    user = access.request_user(request)
    try:
        group = group_selectors.unit_group_get(user=user, group_id=group_id)
    except NotFoundError as error:
        raise Http404(str(GROUP_NOT_FOUND)) from error
    if not access.can_set_targets(user, group.owner):
        raise PermissionDenied(str(NOT_ALLOWED_GROUPS))
    return group


@login_required
def group_change(request: HttpRequest, group_id: int) -> HttpResponse:
    """Rename a group and tick its members again; stored, the group's page is shown."""
    group = _changeable_group(request, group_id)
    user = access.request_user(request)
    members = group_selectors.member_choices(user=user, owner=group.owner, era=group.era, group=group)
    initial = {"name": group.name, "member_codes": [unit.code for unit in group.members.all()]}
    form = forms.UnitGroupForm(request.POST or None, initial=initial, members=members, group=group)
    if request.method == "POST":
        changed = submit(form, unit_group_update, user)
        if isinstance(changed, UnitGroup):
            messages.success(request, _("The group {name} was changed.").format(name=changed.name))
            return redirect("indicators:group-detail", group_id=group.pk)
    chosen = set(form["member_codes"].value() or [])
    context = {
        "form": form,
        "group": group,
        "owner": group.owner,
        "members": [(unit, unit.code in chosen) for unit in members],
    }
    return _page(request, "indicators/group_change.html", context)


@login_required
def group_delete(request: HttpRequest, group_id: int) -> HttpResponse:
    """A confirmation page; confirmed, the group is removed (refused while targets are set for it)."""
    group = _changeable_group(request, group_id)
    if request.method == "POST":
        try:
            unit_group_delete(user=access.request_user(request), group_id=group.pk)
        except ApplicationError as error:
            tell_refusal(request, error)
            return redirect("indicators:group-detail", group_id=group.pk)
        messages.success(request, _("The group {name} was removed.").format(name=group.name))
        return redirect("indicators:group-list")
    members = group.members.all()
    return confirm_removal(
        request,
        title=_("Remove this group?"),
        facts=[
            (_("Group"), group.name),
            (_("Province"), group.owner.name),
            (_("Era"), str(group.get_era_display())),
            (_("Members"), ", ".join(unit.name for unit in members)),
            (_("Targets"), str(group.targets.count())),
        ],
        consequence=_(
            "Its members are not changed. A group for which targets are set is not removed: remove its "
            "targets, or set them for another unit or group, first."
        ),
        submit=_("Remove the group"),
        cancel=reverse("indicators:group-detail", args=[group.pk]),
    )
