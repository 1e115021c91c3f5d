"""Pages of plans (kế hoạch) and their objectives: the plans with their progress, a plan's page, the forms
that make a plan and add, rename, move or remove its objectives; thin: parse, call a service or a
selector, render."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.indicators.forms import objective_choices
from vungcao.indicators.forms_plans import ObjectiveChangeForm, ObjectiveForm, PlanChangeForm, PlanForm
from vungcao.indicators.models import Objective, Plan
from vungcao.indicators.selectors import plans as selectors
from vungcao.indicators.services import plans as services
from vungcao.indicators.views import _page
from vungcao.indicators.views_changes import tell_refusal
from vungcao.programs.forms.activities import field_errors
from vungcao.programs.services.refusals import EntryRefused
from vungcao.programs.views.forms import submit

NOT_FOUND = gettext_lazy("No such plan, or it is outside your scope.")
NO_OBJECTIVE = gettext_lazy("No such objective, or it is outside your scope.")


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans of the units the user may see, each with how many of its targets are achieved, on
    track, behind or without data, in all and by objective."""
    user = access.request_user(request)
    found = selectors.plans_progress(user=user, plans=selectors.plan_list(user=user))
    return _page(request, "indicators/plan_list.html", {"plans": found})


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    if not access.can_set_targets_somewhere(user):
        raise PermissionDenied(_("You may not make or change plans."))
    initial = {"unit_code": user.scope.code, "era": user.scope.era} if user.scope is not None else {}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST":
        plan = submit(form, services.plan_create, user)
        if isinstance(plan, Plan):
            messages.success(request, _("The plan was made: add its objectives."))
            return redirect("indicators:plan-detail", plan_id=plan.pk)
    return _page(request, "indicators/plan_new.html", {"form": form})


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    try:
        return selectors.plan_get(user=access.request_user(request), plan_id=plan_id)
    except NotFoundError as error:
        raise Http404(str(NOT_FOUND)) from error


def _plan_page(
    request: HttpRequest,
    plan: Plan,
    *,
    objective_form: ObjectiveForm | None = None,
    change_form: PlanChangeForm | None = None,
) -> HttpResponse:
    """A plan's page: its objectives in order, each with its targets' progress; for those who may change
    it, its forms (bound, with their problems, after a refused entry)."""
    user = access.request_user(request)
    found = selectors.plans_progress(user=user, plans=[plan])[0]
    context = {
        "found": found,
        "plan": plan,
        "can_change": access.can_set_targets(user, plan.unit),
        "objective_form": objective_form or ObjectiveForm(plan=plan),
        "change_form": change_form or PlanChangeForm(plan=plan),
        "last_position": len(found.objectives),
    }
    return _page(request, "indicators/plan_detail.html", context)


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _plan_page(request, _plan(request, plan_id))


@login_required
@require_POST
def plan_change(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Rename the plan or change its years; refused, the plan's page with each problem under its field."""
    plan = _plan(request, plan_id)
    form = PlanChangeForm(request.POST, plan=plan)
    if isinstance(submit(form, services.plan_update, access.request_user(request)), Plan):
        messages.success(request, _("The plan was changed."))
        return redirect("indicators:plan-detail", plan_id=plan.pk)
    return _plan_page(request, plan, change_form=form)


@login_required
@require_POST
def objective_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add an objective; refused, the plan's page with each problem under its field."""
    plan = _plan(request, plan_id)
    form = ObjectiveForm(request.POST, plan=plan)
    objective = submit(form, services.objective_create, access.request_user(request))
    if isinstance(objective, Objective):
        messages.success(request, _("The objective was added."))
        return redirect(reverse("indicators:plan-detail", args=[plan.pk]) + f"#objective-{objective.pk}")
    return _plan_page(request, plan, objective_form=form)


def _objective(request: HttpRequest, objective_id: int) -> Objective:
    try:
        return selectors.objective_get(user=access.request_user(request), objective_id=objective_id)
    except NotFoundError as error:
        raise Http404(str(NO_OBJECTIVE)) from error


@login_required
@require_POST
def objective_change(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Rename an objective or move it (``position``); a refusal is told above the plan's page."""
    objective = _objective(request, objective_id)
    form = ObjectiveChangeForm(request.POST, objective=objective)
    try:
        if not form.is_valid():
            raise EntryRefused(field_errors(form))
        services.objective_update(user=access.request_user(request), **form.arguments())  # type: ignore[arg-type]
    except ApplicationError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, _("The objective was changed."))
    return redirect(
        reverse("indicators:plan-detail", args=[objective.plan_id]) + f"#objective-{objective.pk}"
    )


@login_required
@require_POST
def objective_delete(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Remove an objective without targets; a refusal is told above the plan's page."""
    objective = _objective(request, objective_id)
    try:
        services.objective_delete(user=access.request_user(request), objective_id=objective.pk)
    except ApplicationError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, _("The objective was removed."))
    return redirect("indicators:plan-detail", plan_id=objective.plan_id)


@login_required
def target_objectives(request: HttpRequest) -> HttpResponse:
    """The target form's choice of objectives, for the unit or group chosen (asked by htmx)."""
    plans = selectors.plans_for_place(
        user=access.request_user(request),
        era=request.GET.get("era", ""),
        unit_code=request.GET.get("unit_code", "").strip(),
        group_id=request.GET.get("group", ""),
    )
    select = django_forms.Select(choices=objective_choices(plans))
    return HttpResponse(select.render("objective", request.GET.get("objective", ""), {"id": "id_objective"}))
