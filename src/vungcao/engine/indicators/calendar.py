"""The reporting calendar: when a report on a year is due by default, by subject and reporting level.

The dates are data (``reporting-calendar.toml``, each with its legal source), so a changed circular is a
change of the file: an entered indicator's full-year figures are due on 25 January of the next year
(Circular 01/2022/TT-UBDT), the provinces' official review result before 20 December (Decision
24/2021/QĐ-TTg). A reporting period may set another deadline; this is what it starts from.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from vungcao.engine.text import Label

CALENDAR_FILE = "reporting-calendar.toml"


class ReportSubject(StrEnum):
    """What a reporting period asks for: the values of an entered indicator, or the annual review."""

    INDICATOR = "indicator"
    REVIEW = "review"

    @property
    def label(self) -> Label:
        return SUBJECT_LABELS[self]


SUBJECT_LABELS = {
    ReportSubject.INDICATOR: Label("Chỉ tiêu nhập", "entered indicator"),
    ReportSubject.REVIEW: Label("Rà soát hộ nghèo, hộ cận nghèo hằng năm", "annual poverty review"),
}


class ReportingLevel(StrEnum):
    """Who reports: every commune of a province (to the province), or every province (to the centre)."""

    COMMUNE = "commune"
    PROVINCE = "province"

    @property
    def label(self) -> Label:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    ReportingLevel.COMMUNE: Label("các xã báo cáo tỉnh", "communes report to the province"),
    ReportingLevel.PROVINCE: Label("các tỉnh báo cáo trung ương", "provinces report to the centre"),
}


@dataclass(frozen=True)
class DefaultDeadline:
    """A deadline of the calendar: ``day``/``month`` of the reported year plus ``years_after``."""

    subject: ReportSubject
    level: ReportingLevel
    month: int
    day: int
    years_after: int
    source: Label

    def for_year(self, year: int) -> datetime.date:
        return datetime.date(year + self.years_after, self.month, self.day)


def calendar_from_text(text: str) -> dict[tuple[ReportSubject, ReportingLevel], DefaultDeadline]:
    """The deadlines of a calendar file, by subject and level (a file without one of them is refused)."""
    entries = tomllib.loads(text)["deadline"]
    deadlines = {}
    for entry in entries:
        deadline = DefaultDeadline(
            ReportSubject(entry["subject"]),
            ReportingLevel(entry["level"]),
            int(entry["month"]),
            int(entry["day"]),
            int(entry["years_after"]),
            Label(entry["source_vi"], entry["source_en"]),
        )
        deadlines[deadline.subject, deadline.level] = deadline
    missing = {(s, level) for s in ReportSubject for level in ReportingLevel} - deadlines.keys()
    if missing:
        raise ValueError(f"the reporting calendar has no deadline for {sorted(missing)}")
    return deadlines


@cache
def shipped_calendar() -> dict[tuple[ReportSubject, ReportingLevel], DefaultDeadline]:
    return calendar_from_text(
        (resources.files("vungcao.engine.indicators") / CALENDAR_FILE).read_text(encoding="utf-8")
    )


def default_deadline(
    *, subject: ReportSubject, level: ReportingLevel, year: int
) -> tuple[datetime.date, Label]:
    """The calendar's deadline of a report on ``year``, and its source."""
    deadline = shipped_calendar()[subject, level]
    return deadline.for_year(year), deadline.source
