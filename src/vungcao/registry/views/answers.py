"""Entering or correcting one household's answers in an open review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import ApplicationError, ImportRefusedError
from vungcao.common.language import reader_language
from vungcao.registry import classification
from vungcao.registry.forms import answers_form
from vungcao.registry.models import Household, PersonalDataRead
from vungcao.registry.services import assessments
from vungcao.registry.services import personal_data_reads as read_services
from vungcao.registry.views.lookups import commune_review_or_404, household_or_404, review_cycle_or_404


@login_required
def household_answers(request: HttpRequest, code: str, cycle_id: int) -> HttpResponse:
    """Enter or correct one household's answers in an open review; the status is shown at once."""
    user = access.request_user(request)
    household: Household = household_or_404(request, code).household
    if household.village.parent is None or not access.can_enter_answers(user, household.village.parent):
        raise Http404(_("You may not enter answers for this commune."))
    cycle = review_cycle_or_404(request, cycle_id)
    review = commune_review_or_404(request, cycle, household.village.parent.code)
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
