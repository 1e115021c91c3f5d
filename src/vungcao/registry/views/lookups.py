"""What every registry page needs to look up, answering "not found" for what the user may not open."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common.errors import NotFoundError
from vungcao.common.language import reader_language
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Era
from vungcao.registry.forms import HouseholdFilterForm
from vungcao.registry.models import CommuneReview, ReviewCycle
from vungcao.registry.selectors import households as household_selectors
from vungcao.registry.selectors import reviews
from vungcao.registry.selectors.households import HouseholdFilter

PAGE_SIZE = 50


def review_cycle_or_404(request: HttpRequest, cycle_id: int) -> ReviewCycle:
    try:
        return reviews.review_cycle_get(user=access.request_user(request), cycle_id=cycle_id)
    except NotFoundError as error:
        raise Http404(_("No such review, or it is outside your scope.")) from error


def commune_review_or_404(request: HttpRequest, cycle: ReviewCycle, commune_code: str) -> CommuneReview:
    try:
        return reviews.commune_review_get(
            user=access.request_user(request), cycle=cycle, commune_code=commune_code
        )
    except NotFoundError as error:
        raise Http404(_("No such commune in this review, or it is outside your scope.")) from error


def require_microdata(request: HttpRequest) -> None:
    if not access.can_view_households(access.request_user(request)):
        raise Http404(_("Your role sees aggregated figures only."))


def household_filters(request: HttpRequest, form: HouseholdFilterForm) -> HouseholdFilter:
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        try:
            unit = geo_selectors.unit_get(
                user=access.request_user(request), era=Era.CURRENT, code=data["unit"]
            )
        except NotFoundError:
            unit = None
    return HouseholdFilter(
        unit=unit,
        year=data.get("year"),
        status=data.get("status") or None,
        ethnic_group=data.get("ethnic_group") or None,
        deprived=data.get("deprived") or None,
        change=data.get("change") or None,
        search=data.get("q") or None,
    )


def household_filter_form(request: HttpRequest) -> HouseholdFilterForm:
    indicators = reviews.indicator_choices(user=access.request_user(request), language=reader_language())
    return HouseholdFilterForm(request.GET or None, indicators=indicators)


def household_or_404(request: HttpRequest, code: str) -> household_selectors.HouseholdDetail:
    require_microdata(request)
    try:
        return household_selectors.household_get(
            user=access.request_user(request), code=code, language=reader_language()
        )
    except NotFoundError as error:
        raise Http404(_("No such household, or it is outside your scope.")) from error
