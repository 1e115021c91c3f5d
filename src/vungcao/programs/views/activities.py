"""Works, support to households and revolving-fund models: a list and an entry form on each page; thin."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.common.errors import NotFoundError
from vungcao.common.language import reader_language
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs.forms.activities import (
    HandoverForm,
    RevolvingModelForm,
    SupportForm,
    WorkForm,
    field_errors,
)
from vungcao.programs.selectors import activities as selectors
from vungcao.programs.services import activities as services
from vungcao.programs.views.forms import submit
from vungcao.registry import classification

PAGE_SIZE = 100


def _unit(request: HttpRequest) -> AdministrativeUnit | None:
    code = request.GET.get("unit", "").strip()
    if not code:
        return None
    try:
        return geo_selectors.unit_get(user=access.request_user(request), era=Era.CURRENT, code=code)
    except NotFoundError as error:
        raise Http404(_("No such unit, or it is outside your scope.")) from error


def _may_post(can_record: bool) -> None:
    if not can_record:
        raise PermissionDenied(_("You may not record the works or support of this unit."))


def _page(request: HttpRequest, rows: QuerySet[Any]) -> object:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def work_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    can_record = access.can_import_money(user)
    form = WorkForm(request.POST or None, user=user)
    if request.method == "POST":
        _may_post(can_record)
        work = submit(form, services.work_create, user)
        if work is not None:
            messages.success(request, _("The work {name} was recorded.").format(name=work))
            return redirect("programs:work-list")
    rows = selectors.work_list_with_money(user=user, unit=_unit(request)).order_by("unit__path", "name")
    context = {"page": _page(request, rows), "form": form, "can_record": can_record}
    return render(request, "programs/work_list.html", context)


@login_required
def support_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    can_record = access.can_import_money(user) and access.can_view_households(user)
    form = SupportForm(request.POST or None, user=user)
    if request.method == "POST":
        _may_post(can_record)
        support = submit(form, services.household_support_create, user)
        if support is not None:
            messages.success(
                request,
                _("The support to household {code} was recorded.").format(
                    code=getattr(support, "household_code", "")
                ),
            )
            return redirect("programs:support-list")
    rows = selectors.support_list(user=user, unit=_unit(request))
    context = {
        "page": _page(request, rows),
        "form": form,
        "can_record": can_record,
        "deprivation_labels": classification.indicator_labels(reader_language()),
    }
    return render(request, "programs/support_list.html", context)


@login_required
def revolving_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    can_record = access.can_import_money(user)
    form = RevolvingModelForm(request.POST or None, user=user)
    if request.method == "POST":
        _may_post(can_record)
        model = submit(form, services.revolving_model_create, user)
        if model is not None:
            messages.success(request, _("The revolving-fund model {name} was started.").format(name=model))
            return redirect("programs:revolving-list")
    rows = selectors.revolving_model_list(user=user, unit=_unit(request), on=datetime.date.today())
    context = {
        "page": _page(request, rows),
        "form": form,
        "handover_form": HandoverForm(),
        "can_record": can_record,
    }
    return render(request, "programs/revolving_list.html", context)


@login_required
@require_POST
def revolving_handover(request: HttpRequest, model_id: int) -> HttpResponse:
    user = access.request_user(request)
    try:
        model = selectors.revolving_model_get(user=user, model_id=model_id)
    except NotFoundError as error:
        raise Http404(_("No such revolving-fund model, or it is outside your scope.")) from error
    form = HandoverForm(request.POST)

    def handover(**arguments: object) -> object:
        return services.revolving_handover_record(model=model, **arguments)  # type: ignore[arg-type]

    if submit(form, handover, user) is None:
        for name, message in field_errors(form).items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {message}" if label else message)
    else:
        messages.success(request, _("The hand-over was recorded."))
    return redirect("programs:revolving-list")
