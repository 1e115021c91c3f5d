"""Reporting completeness: which units have reported for a period, which are late, which are missing.

A reporting period has a deadline (a date). Each unit expected to report is, as of ``today``:

* ``reported`` — its report is dated on or before the deadline;
* ``late`` — its report is dated after the deadline (it stays late once reported);
* ``missing`` — it has no report and the deadline has passed (today is after it);
* ``not_due`` — it has no report and the deadline has not passed yet (the deadline day included).

Reports of units that are not expected are ignored: the expected units are the ones a province asked.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from vungcao.engine.text import Label

Unit = TypeVar("Unit", bound=Hashable)


class ReportStatus(StrEnum):
    REPORTED = "reported"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"

    @property
    def label(self) -> Label:
        return REPORT_STATUS_LABELS[self]


REPORT_STATUS_LABELS = {
    ReportStatus.REPORTED: Label("đã báo cáo đúng hạn", "reported on time"),
    ReportStatus.LATE: Label("báo cáo muộn", "reported late"),
    ReportStatus.MISSING: Label("chưa báo cáo, đã quá hạn", "missing, past the deadline"),
    ReportStatus.NOT_DUE: Label("chưa đến hạn", "not yet due"),
}


def report_status(
    *, deadline: datetime.date, today: datetime.date, reported_on: datetime.date | None
) -> ReportStatus:
    """The status of one unit (see the module's rules)."""
    if reported_on is not None:
        return ReportStatus.REPORTED if reported_on <= deadline else ReportStatus.LATE
    return ReportStatus.MISSING if today > deadline else ReportStatus.NOT_DUE


@dataclass(frozen=True)
class Completeness(Generic[Unit]):
    """Each expected unit's status, in the order given, and the number of units of each status (every
    status counted, 0 when none)."""

    deadline: datetime.date
    statuses: dict[Unit, ReportStatus]
    counts: dict[ReportStatus, int]

    def units(self, status: ReportStatus) -> list[Unit]:
        """The units of ``status``, in the order given (the late and missing ones for a dashboard)."""
        return [unit for unit, unit_status in self.statuses.items() if unit_status is status]


def completeness(
    *,
    deadline: datetime.date,
    today: datetime.date,
    expected_units: Iterable[Unit],
    report_dates: Mapping[Unit, datetime.date],
) -> Completeness[Unit]:
    """The status of every expected unit from the date of its report, if any."""
    statuses = {
        unit: report_status(deadline=deadline, today=today, reported_on=report_dates.get(unit))
        for unit in expected_units
    }
    counted = Counter(statuses.values())
    return Completeness(deadline, statuses, {status: counted[status] for status in ReportStatus})
