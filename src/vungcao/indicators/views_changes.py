"""Pages that change or remove what officials entered: a target, an indicator's value; and the confirmation
page and refusal messages every removal shares (groups, a province's indicators, objectives too). Thin:
parse, call a selector or a service, render; a refused change shows each problem under its field, a
removal is confirmed on a page of its own first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.language import reader_language
from vungcao.engine.text import format_number
from vungcao.indicators import forms
from vungcao.indicators import services as value_services
from vungcao.indicators.models import IndicatorValue, Target
from vungcao.indicators.selectors import entries as entry_selectors
from vungcao.indicators.selectors import figures as figure_selectors
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.groups import groups_for_targets
from vungcao.indicators.services import targets as target_services
from vungcao.indicators.templatetags.indicators import target_words
from vungcao.indicators.views import _page, target_form
from vungcao.programs.services.refusals import EntryRefused
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


def tell_refusal(request: HttpRequest, error: ApplicationError) -> None:
    """A refused change or removal, told above the page shown next: each problem of an entry refused."""
    problems = error.errors.values() if isinstance(error, EntryRefused) else [error.message]
    for message in problems:
        messages.error(request, message)


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
            tell_refusal(request, error)
            return redirect("indicators:target-detail", target_id=target.pk)
        messages.success(request, _("The target was removed."))
        return redirect(_target_place_url(target))
    indicator = catalogue_for(user=user).get(target.indicator)
    language = reader_language()
    facts = [
        (_("Indicator"), indicator.name.in_language(language)),
        (_("Target"), target_words(target, indicator.unit)),
        (_("Unit or group"), target.unit.name if target.unit is not None else str(target.group)),
        (_("Baseline year"), str(target.baseline_year)),
        (_("Target year"), str(target.target_year)),
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


# Entered values ----------------------------------------------------------------------------------------


def _changeable_value(request: HttpRequest, value_id: int) -> IndicatorValue:
    """An entered value of a unit the user may see (else not found) and enter values for (else refused)."""
    user = access.request_user(request)
    try:
        stored = entry_selectors.indicator_value_get(user=user, value_id=value_id)
    except NotFoundError as error:
        raise Http404(_("No such value, or it is outside your scope.")) from error
    if not access.can_enter_indicator_values(user, stored.unit):
        raise PermissionDenied(str(value_services.NOT_ALLOWED))
    return stored


def _value_facts(request: HttpRequest, stored: IndicatorValue) -> list[tuple[str, str]]:
    """What an entered value is of, and who entered it last and when."""
    catalogue = catalogue_for(user=access.request_user(request))
    name = (
        catalogue.get(stored.indicator).name.in_language(reader_language())
        if stored.indicator in catalogue
        else stored.indicator
    )
    author = stored.entered_by.get_full_name() or stored.entered_by.username if stored.entered_by else "—"
    return [
        (_("Indicator"), name),
        (_("Unit"), stored.unit.name),
        (_("Year"), str(stored.year)),
        (_("Entered by"), f"{author}, {localtime(stored.updated_at):%d/%m/%Y %H:%M}"),
    ]


def _scorecard_url(stored: IndicatorValue) -> str:
    return reverse("indicators:scorecard", args=[stored.unit.era, stored.unit.code])


@login_required
def value_change(request: HttpRequest, value_id: int) -> HttpResponse:
    """Correct an entered value's number or note; stored, the unit's scorecard is shown."""
    stored = _changeable_value(request, value_id)
    form = forms.IndicatorValueChangeForm(request.POST or None, stored=stored)
    if request.method == "POST":
        changed = submit(form, value_services.indicator_value_update, access.request_user(request))
        if isinstance(changed, IndicatorValue):
            message = _("The value of {unit} for {year} was corrected.")
            messages.success(request, message.format(unit=stored.unit.name, year=stored.year))
            return redirect(_scorecard_url(stored))
    context = {"form": form, "stored": stored, "facts": _value_facts(request, stored)}
    return _page(request, "indicators/value_change.html", context)


@login_required
def value_delete(request: HttpRequest, value_id: int) -> HttpResponse:
    """A confirmation page; confirmed, the value is removed and the unit's scorecard is shown."""
    stored = _changeable_value(request, value_id)
    if request.method == "POST":
        try:
            value_services.indicator_value_delete(user=access.request_user(request), value_id=stored.pk)
        except ApplicationError as error:
            tell_refusal(request, error)
            return redirect("indicators:value-change", value_id=stored.pk)
        message = _("The value of {unit} for {year} was removed.")
        messages.success(request, message.format(unit=stored.unit.name, year=stored.year))
        return redirect(_scorecard_url(stored))
    return confirm_removal(
        request,
        title=_("Remove this value?"),
        facts=[*_value_facts(request, stored), (_("Value"), format_number(stored.value, reader_language()))],
        consequence=_(
            "The figures made of it are made again without it: from the system's records where there are "
            "some, else without a value for that year."
        ),
        submit=_("Remove the value"),
        cancel=reverse("indicators:value-change", args=[stored.pk]),
    )
