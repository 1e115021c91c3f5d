"""Reporting periods and their completeness: for a period, every unit expected to report, as the user may
open it, with its status by the deadline (``engine.indicators.completeness``) and what it reported.

An entered indicator's unit has reported when it has a value of the year; its report date is the day the
value was first entered (Vietnam's time: a correction later does not make it late). A commune has
reported the annual review when its result stands submitted or approved, on the day it last submitted
it; a province, when its review is final (every commune approved), on the day of the last approval.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.engine.indicators.calendar import ReportingLevel, ReportSubject
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.completeness import Completeness, ReportStatus, completeness
from vungcao.engine.text import Label
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.indicators.models import IndicatorValue, ReportingPeriod
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.registry.selectors.reviews import (
    CommuneReviewReport,
    commune_review_reports,
    province_review_results,
)

LATE_OR_MISSING = (ReportStatus.LATE, ReportStatus.MISSING)


def reporting_period_list(*, user: User) -> QuerySet[ReportingPeriod]:
    """The periods the user may read, latest year first."""
    periods = ReportingPeriod.objects.select_related("owner").order_by("-year", "-deadline", "pk")
    return access.restrict_reporting_periods(periods, user)


def reporting_period_get(*, user: User, period_id: int) -> ReportingPeriod:
    period = reporting_period_list(user=user).filter(pk=period_id).first()
    if period is None:
        raise NotFoundError(f"reporting period {period_id}")
    return period


def _title(period: ReportingPeriod, catalogue: Catalogue) -> Label:
    if period.subject == ReportSubject.REVIEW:
        return ReportSubject.REVIEW.label
    if period.indicator in catalogue:
        return catalogue.get(period.indicator).name
    return Label(period.indicator, period.indicator)  # a province's own indicator the user may not read


def reporting_period_titles(*, user: User, periods: Iterable[ReportingPeriod]) -> dict[int, Label]:
    """What each period asks for, by id: the indicator's name, or the annual review."""
    catalogue = catalogue_for(user=user)
    return {period.pk: _title(period, catalogue) for period in periods}


def expected_units(*, user: User, period: ReportingPeriod) -> QuerySet[AdministrativeUnit]:
    """The units that report in ``period`` that the user may open, by name: every commune of the owner
    province, or every province of the era."""
    units = AdministrativeUnit.objects.filter(era=period.era, level=period.level)
    if period.owner is not None:
        units = units.filter(tree.in_subtree(period.owner))
    return access.restrict_units(units, user).order_by("name_folded", "code")


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localdate(moment)


@dataclass(frozen=True)
class UnitReport:
    """One expected unit: its status, the day it reported, and what it reported (the value entered, or
    the review's state and households assessed of those registered)."""

    unit: AdministrativeUnit
    status: ReportStatus
    reported_on: datetime.date | None
    value: object = None
    review: CommuneReviewReport | None = None


@dataclass(frozen=True)
class PeriodCompleteness:
    period: ReportingPeriod
    today: datetime.date
    rows: list[UnitReport]
    counts: dict[ReportStatus, int] = field(default_factory=dict)

    def of_status(self, *statuses: ReportStatus) -> list[UnitReport]:
        return [row for row in self.rows if row.status in statuses]

    @property
    def late_or_missing(self) -> int:
        return sum(self.counts[status] for status in LATE_OR_MISSING)

    @property
    def late_or_missing_rows(self) -> list[UnitReport]:
        return self.of_status(*LATE_OR_MISSING)


def period_completeness(
    *, user: User, period: ReportingPeriod, today: datetime.date | None = None
) -> PeriodCompleteness:
    """Every expected unit of ``period`` the user may open with its status as of ``today``, and counts."""
    today = today or timezone.localdate()
    units = list(expected_units(user=user, period=period))
    values: dict[int, object] = {}
    reviews: dict[int, CommuneReviewReport] = {}
    report_dates: dict[int, datetime.date] = {}
    if period.subject == ReportSubject.INDICATOR:
        for unit_id, value, entered_at in IndicatorValue.objects.filter(
            indicator=period.indicator, year=period.year, unit__in=units
        ).values_list("unit_id", "value", "created_at"):
            values[unit_id] = value
            report_dates[unit_id] = timezone.localdate(entered_at)
    elif period.level == ReportingLevel.COMMUNE:
        reviews = commune_review_reports(year=period.year, communes=units)
        report_dates = {
            unit_id: day
            for unit_id, report in reviews.items()
            if (day := _local_day(report.submitted_at)) is not None
        }
    else:
        report_dates = {
            unit_id: day
            for unit_id, approved_at in province_review_results(year=period.year, provinces=units).items()
            if (day := _local_day(approved_at)) is not None
        }
    found: Completeness[int] = completeness(
        deadline=period.deadline,
        today=today,
        expected_units=[unit.pk for unit in units],
        report_dates=report_dates,
    )
    rows = [
        UnitReport(
            unit,
            found.statuses[unit.pk],
            report_dates.get(unit.pk),
            values.get(unit.pk),
            reviews.get(unit.pk),
        )
        for unit in units
    ]
    return PeriodCompleteness(period, today, rows, found.counts)


def province_reporting(
    *, user: User, province: AdministrativeUnit, today: datetime.date | None = None
) -> list[PeriodCompleteness]:
    """The periods of ``province`` (its communes report) with a late or missing commune the user may
    open, latest first: the province dashboard's card."""
    if province.level != Level.PROVINCE:
        return []
    periods = reporting_period_list(user=user).filter(owner=province)
    found = [period_completeness(user=user, period=period, today=today) for period in periods]
    return [period for period in found if period.late_or_missing]
