"""Reporting periods (kỳ báo cáo): what is asked of which units for a year, by which deadline.

A period is checked field by field like every indicator write (:class:`IndicatorEntryRefused` names every
bad field, nothing written); without a deadline it takes the reporting calendar's
(``engine.indicators.calendar``) with its source, as does a deadline given that is the calendar's (a form
fills it in). Who may open one is ``accounts.access``'s to say.
"""

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bounds import FIRST_DATE, LAST_DATE, column_length
from vungcao.common.errors import PermissionDeniedError
from vungcao.engine.indicators.calendar import ReportingLevel, ReportSubject, default_deadline
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.geo.services.attributes import parse_date
from vungcao.indicators.models import ReportingPeriod
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.services import (
    UNKNOWN_INDICATOR,
    IndicatorEntryRefused,
    _check_text,
    _text,
    _year,
)
from vungcao.programs.services.money import BAD_DATE, DATE_OUT_OF_RANGE, REQUIRED, UNKNOWN_ERA

NOT_ALLOWED_PERIODS = gettext_lazy("You may not open reporting periods.")
NATIONAL_PERIODS_NOT_ALLOWED = gettext_lazy(
    "Only national administrators open periods the provinces report in."
)
UNKNOWN_SUBJECT = gettext_lazy("Unknown subject; use indicator or review.")
UNKNOWN_LEVEL = gettext_lazy("Unknown level; use commune or province.")
NOT_ENTERED = gettext_lazy("This indicator is not entered: its values are computed, not reported.")
REVIEW_HAS_NO_INDICATOR = gettext_lazy("The annual review is reported as a whole: give no indicator.")
NATIONAL_PERIOD_HAS_NO_OWNER = gettext_lazy("The provinces report to the centre: give no province.")
UNKNOWN_OWNER = gettext_lazy("No province with this code that you may open reporting periods for.")
DUPLICATE_PERIOD = gettext_lazy("This period already exists for this subject, year and province.")


def _deadline(values: Mapping[str, object], errors: dict[str, str]) -> datetime.date | None:
    """The deadline given, or None when none is (the calendar's is taken then)."""
    text = _text(values, "deadline")
    if not text:
        return None
    try:
        deadline = parse_date(text)
    except ValueError:
        errors["deadline"] = str(BAD_DATE)
        return None
    if not FIRST_DATE <= deadline <= LAST_DATE:
        errors["deadline"] = str(DATE_OUT_OF_RANGE)
        return None
    return deadline


def _reporting_owner(
    user: User, values: Mapping[str, object], level: str, era: str, errors: dict[str, str]
) -> AdministrativeUnit | None:
    """The province whose communes report, for a commune-level period (None, national, otherwise)."""
    code = _text(values, "owner_code")
    if level == ReportingLevel.PROVINCE:
        if code:
            errors["owner_code"] = str(NATIONAL_PERIOD_HAS_NO_OWNER)
        elif not access.can_open_reporting_periods(user, None):
            errors["level"] = str(NATIONAL_PERIODS_NOT_ALLOWED)
        return None
    if not code:
        errors["owner_code"] = str(REQUIRED)
        return None
    owner = AdministrativeUnit.objects.filter(era=era, code=code, level=Level.PROVINCE).first()
    if owner is None or not access.can_open_reporting_periods(user, owner):
        errors["owner_code"] = str(UNKNOWN_OWNER)
        return None
    return owner


@transaction.atomic
def reporting_period_create(*, user: User, values: Mapping[str, object]) -> ReportingPeriod:
    """A reporting period: ``subject`` (an entered ``indicator``'s values, or the annual ``review``) of a
    ``year``, reported by every commune of the province ``owner_code`` or (``level`` province) by every
    province of the ``era``, by ``deadline`` — the reporting calendar's, with its source, when none is
    given. :class:`IndicatorEntryRefused` naming every bad field otherwise."""
    if not access.can_set_targets_somewhere(user):
        raise PermissionDeniedError(str(NOT_ALLOWED_PERIODS))
    errors: dict[str, str] = {}
    subject = _text(values, "subject") or ReportSubject.INDICATOR
    if subject not in ReportSubject.__members__.values():
        errors["subject"] = str(UNKNOWN_SUBJECT)
    code = _text(values, "indicator") if subject == ReportSubject.INDICATOR else ""
    if subject == ReportSubject.INDICATOR:
        catalogue = catalogue_for(user=user)
        if not code:
            errors["indicator"] = str(REQUIRED)
        elif code not in catalogue:
            errors["indicator"] = str(UNKNOWN_INDICATOR)
        elif not catalogue.get(code).accepts_entries:
            errors["indicator"] = str(NOT_ENTERED)
    elif subject == ReportSubject.REVIEW and _text(values, "indicator"):
        errors["indicator"] = str(REVIEW_HAS_NO_INDICATOR)
    level = _text(values, "level") or ReportingLevel.COMMUNE
    if level not in ReportingLevel.__members__.values():
        errors["level"] = str(UNKNOWN_LEVEL)
    era = _text(values, "era") or Era.CURRENT
    if era not in Era.values:
        errors["era"] = str(UNKNOWN_ERA)
    owner = (
        _reporting_owner(user, values, level, era, errors) if not {"level", "era"} & errors.keys() else None
    )
    year = _year(values, "year", errors)
    deadline = _deadline(values, errors)
    source = _check_text(values, "source", column_length(ReportingPeriod, "source"), errors)
    if errors:
        raise IndicatorEntryRefused(errors)
    assert year is not None
    calendar_deadline, calendar_source = default_deadline(
        subject=ReportSubject(subject), level=ReportingLevel(level), year=year
    )
    deadline = deadline or calendar_deadline
    if deadline == calendar_deadline:
        source = source or calendar_source.vi
    same = ReportingPeriod.objects.select_for_update().filter(subject=subject, indicator=code, year=year)
    if (same.filter(owner=owner) if owner else same.filter(owner__isnull=True, era=era)).exists():
        raise IndicatorEntryRefused({"year": str(DUPLICATE_PERIOD)})
    try:
        with transaction.atomic():  # the same period opened meanwhile by another official: a duplicate
            return ReportingPeriod.objects.create(
                subject=subject,
                indicator=code,
                year=year,
                level=level,
                era=era,
                owner=owner,
                deadline=deadline,
                source=source,
                created_by=user,
            )
    except IntegrityError as error:
        raise IndicatorEntryRefused({"year": str(DUPLICATE_PERIOD)}) from error
