"""Pages that change or remove what officials entered: a target, an indicator's value. Thin: parse, call a
selector or a service, render; a refused change shows each problem under its field, a removal is confirmed
on a page of its own first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.language import reader_language
from vungcao.indicators import forms
from vungcao.indicators.models import Target
from vungcao.indicators.selectors import figures as figure_selectors
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.groups import groups_for_targets
from vungcao.indicators.services import targets as target_services
from vungcao.indicators.templatetags.indicators import target_words
from vungcao.indicators.views import _page, target_form
from vungcao.programs.views.forms import submit


def confirm_removal(
    request: HttpRequest,
    *,
    title: str,
    facts: list[tuple[str, str]],
    consequence: str,
    submit: str,
    cancel: str,
) -> HttpResponse:
    """The page asking to confirm a removal: the ``facts`` of what is removed (label, value), its
    ``consequence``, the ``submit`` button's words and where ``cancel`` goes back to."""
    context: dict[str, object] = {
        "title": title,
        "facts": facts,
        "consequence": consequence,
        "submit": submit,
        "cancel": cancel,
    }
    return _page(request, "indicators/confirm_removal.html", context)


# Targets -----------------------------------------------------------------------------------------------


def _changeable_target(request: HttpRequest, target_id: int) -> Target:
    """A target the user may see (else not found, whether it exists or not) and set (else refused)."""
    user = access.request_user(request)
    try:
        target = figure_selectors.target_get(user=user, target_id=target_id)
    except NotFoundError as error:
        raise Http404(_("No such target.")) from error
    if not access.can_set_targets(user, target.owner):
        raise PermissionDenied(str(target_services.NOT_ALLOWED_TARGETS))
    return target


@login_required
def target_change(request: HttpRequest, target_id: int) -> HttpResponse:
    target = _changeable_target(request, target_id)
    user = access.request_user(request)
    form = target_form(request, forms.target_initial(target), groups_for_targets(user=user), target)
    if request.method == "POST":
        changed = submit(form, target_services.target_update, user)
        if isinstance(changed, Target):
            messages.success(request, _("The target was changed."))
            return redirect("indicators:target-detail", target_id=target.pk)
    return _page(request, "indicators/target_change.html", {"form": form, "target": target})


def _target_place_url(target: Target) -> str:
    """Where a target is listed: its objective in its plan, else its group's page or its unit's scorecard."""
    if target.objective is not None:
        return (
            reverse("indicators:plan-detail", args=[target.objective.plan_id])
            + f"#objective-{target.objective_id}"
        )
    if target.group is not None:
        return reverse("indicators:group-detail", args=[target.group_id])
    return reverse("indicators:scorecard", args=[target.owner.era, target.owner.code])


@login_required
def target_delete(request: HttpRequest, target_id: int) -> HttpResponse:
    """A confirmation page; confirmed, the target is removed and the page it was listed on is shown."""
    target = _changeable_target(request, target_id)
    user = access.request_user(request)
    if request.method == "POST":
        try:
            target_services.target_delete(user=user, target_id=target.pk)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("indicators:target-detail", target_id=target.pk)
        messages.success(request, _("The target was removed."))
        return redirect(_target_place_url(target))
    indicator = catalogue_for(user=user).get(target.indicator)
    language = reader_language()
    facts = [
        (_("Indicator"), indicator.name.in_language(language)),
        (_("Target"), target_words(target, indicator.unit)),
        (_("Unit or group"), target.unit.name if target.unit is not None else str(target.group)),
        (_("Period"), f"{target.baseline_year}–{target.target_year}"),
    ]
    if target.objective is not None:
        facts.append((_("Objective of a plan"), target.objective.name))
    return confirm_removal(
        request,
        title=_("Remove this target?"),
        facts=facts,
        consequence=_(
            "Its progress will no longer be shown on any page or in any report. Nothing else is removed."
        ),
        submit=_("Remove the target"),
        cancel=reverse("indicators:target-detail", args=[target.pk]),
    )
