"""The reporting calendar: default deadlines as data, each with its source."""

import datetime

import pytest

from vungcao.engine.indicators.calendar import (
    ReportingLevel,
    ReportSubject,
    calendar_from_text,
    default_deadline,
)


def test_a_year_of_figures_is_due_on_25_january_of_the_next_year() -> None:
    deadline, source = default_deadline(
        subject=ReportSubject.INDICATOR, level=ReportingLevel.COMMUNE, year=2024
    )
    assert deadline == datetime.date(2025, 1, 25)
    assert source.vi.startswith("Thông tư 01/2022/TT-UBDT")


def test_the_provinces_official_review_result_is_due_on_20_december() -> None:
    deadline, source = default_deadline(
        subject=ReportSubject.REVIEW, level=ReportingLevel.PROVINCE, year=2025
    )
    assert deadline == datetime.date(2025, 12, 20)
    assert "Decision 24/2021/QĐ-TTg, Article 7" in source.en


def test_a_calendar_without_every_subject_and_level_is_refused() -> None:
    text = (
        '[[deadline]]\nsubject = "review"\nlevel = "province"\nmonth = 12\nday = 20\nyears_after = 0\n'
        'source_vi = "a"\nsource_en = "a"\n'
    )
    with pytest.raises(ValueError, match="no deadline for"):
        calendar_from_text(text)
