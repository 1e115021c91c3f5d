"""Reporting completeness: reported, late, missing and not yet due, by the deadline."""

import datetime

from vungcao.engine.indicators.completeness import ReportStatus, completeness, report_status
from vungcao.engine.text import Label

DEADLINE = datetime.date(2026, 1, 15)


def test_each_expected_unit_is_reported_late_missing_or_not_due() -> None:
    reports = {
        "00001": datetime.date(2026, 1, 10),
        "00002": DEADLINE,
        "00003": datetime.date(2026, 1, 16),
        "99999": datetime.date(2026, 1, 1),  # not expected: ignored
    }

    result = completeness(
        deadline=DEADLINE,
        today=datetime.date(2026, 1, 20),
        expected_units=["00001", "00002", "00003", "00004"],
        report_dates=reports,
    )

    assert result.statuses == {
        "00001": ReportStatus.REPORTED,
        "00002": ReportStatus.REPORTED,
        "00003": ReportStatus.LATE,
        "00004": ReportStatus.MISSING,
    }
    assert result.counts == {
        ReportStatus.REPORTED: 2,
        ReportStatus.LATE: 1,
        ReportStatus.MISSING: 1,
        ReportStatus.NOT_DUE: 0,
    }
    assert result.units(ReportStatus.MISSING) == ["00004"]


def test_a_unit_without_a_report_is_not_due_until_the_deadline_has_passed() -> None:
    assert report_status(deadline=DEADLINE, today=DEADLINE, reported_on=None) is ReportStatus.NOT_DUE
    assert report_status(deadline=DEADLINE, today=datetime.date(2026, 1, 16), reported_on=None) is (
        ReportStatus.MISSING
    )
    assert report_status(deadline=DEADLINE, today=datetime.date(2026, 1, 1), reported_on=DEADLINE) is (
        ReportStatus.REPORTED
    )


def test_statuses_have_labels_in_both_languages() -> None:
    assert ReportStatus.LATE.label == Label("báo cáo muộn", "reported late")
    assert ReportStatus.MISSING.label.vi == "chưa báo cáo, đã quá hạn"
