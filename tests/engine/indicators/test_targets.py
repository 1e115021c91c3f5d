"""Targets and progress: levels to reach and average annual changes, with status, the year reached and
the years ahead of schedule."""

from decimal import Decimal

import pytest

from vungcao.engine.indicators.definitions import MeasureUnit
from vungcao.engine.indicators.figures import ARITHMETIC
from vungcao.engine.indicators.targets import (
    TARGET_YEAR_NOT_AFTER_BASELINE,
    ZERO_ANNUAL_CHANGE,
    Progress,
    ProgressStatus,
    Target,
    TargetError,
    TargetKind,
    progress,
    target_in_words,
)
from vungcao.engine.text import Label

# The poverty rate of DOMAIN.md: 43.65% in 2015, 22.29% in 2020 (the years between illustrative).
POVERTY_RATE = {
    2015: Decimal("43.65"),
    2016: Decimal("40.10"),
    2017: Decimal("35.20"),
    2018: Decimal("31.00"),
    2019: Decimal("27.50"),
    2020: Decimal("22.29"),
}


def until(year: int) -> dict[int, Decimal | None]:
    return {each: value for each, value in POVERTY_RATE.items() if each <= year}


def test_an_annual_fall_of_three_points_is_reached_when_the_cumulative_fall_first_reaches_fifteen() -> None:
    target = Target(TargetKind.ANNUAL_CHANGE, 2015, 2020, Decimal(-3))

    result = progress(target, POVERTY_RATE, current_year=2021)

    assert result == Progress(
        status=ProgressStatus.ACHIEVED,
        baseline_value=Decimal("43.65"),
        latest_year=2020,
        latest_value=Decimal("22.29"),
        average_annual_change=Decimal("-4.272"),
        share_achieved=Decimal("1.424"),  # a fall of 21.36 points of the 15 required
        achieved_year=2019,  # 43.65 − 27.50 = 16.15 ≥ 15; in 2018 only 12.65
        years_ahead=1,
    )


def test_an_annual_change_is_on_track_or_behind_by_the_average_so_far() -> None:
    three_points = Target(TargetKind.ANNUAL_CHANGE, 2015, 2020, Decimal(-3))
    five_points = Target(TargetKind.ANNUAL_CHANGE, 2015, 2020, Decimal(-5))

    on_track = progress(three_points, until(2017), current_year=2017)
    behind = progress(five_points, until(2017), current_year=2017)

    assert (on_track.status, on_track.average_annual_change, on_track.achieved_year) == (
        ProgressStatus.ON_TRACK,
        Decimal("-4.225"),
        None,
    )
    assert on_track.share_achieved == ARITHMETIC.divide(Decimal("8.45"), 15)  # 0.5633… of the 15 points
    assert (behind.status, behind.share_achieved, behind.years_ahead) == (
        ProgressStatus.BEHIND,
        Decimal("0.338"),
        None,
    )


def test_a_rising_annual_change_target_counts_rises() -> None:
    income = {2020: Decimal(1000), 2021: Decimal(1150), 2022: Decimal(1300)}
    target = Target(TargetKind.ANNUAL_CHANGE, 2020, 2025, Decimal(100))  # +500 by 2025

    result = progress(target, income, current_year=2022)

    assert (result.status, result.average_annual_change, result.share_achieved, result.achieved_year) == (
        ProgressStatus.ON_TRACK,
        Decimal(150),
        Decimal("0.6"),
        None,
    )


def test_a_level_at_most_is_achieved_in_the_first_year_at_or_below_it() -> None:
    target = Target(TargetKind.AT_MOST, 2015, 2020, Decimal(25))

    result = progress(target, POVERTY_RATE, current_year=2020)

    assert (result.status, result.achieved_year, result.years_ahead, result.slipped) == (
        ProgressStatus.ACHIEVED,
        2020,
        0,
        False,
    )
    assert result.share_achieved == ARITHMETIC.divide(Decimal("21.36"), Decimal("18.65"))


def test_before_the_target_year_a_level_is_judged_against_the_straight_line_to_it() -> None:
    target = Target(TargetKind.AT_MOST, 2015, 2020, Decimal(25))
    # The line from 43.65 (2015) to 25 (2020) stands at 36.19 in 2017.
    ahead = {2015: Decimal("43.65"), 2017: Decimal("36.19")}
    lagging = {2015: Decimal("43.65"), 2017: Decimal("36.20")}

    assert progress(target, ahead, current_year=2017).status is ProgressStatus.ON_TRACK
    assert progress(target, lagging, current_year=2017).status is ProgressStatus.BEHIND


def test_a_level_at_least_is_reached_going_up() -> None:
    roads = {2021: Decimal(60), 2022: Decimal(70), 2023: Decimal(100), 2024: Decimal(100)}
    target = Target(TargetKind.AT_LEAST, 2021, 2025, Decimal(100))

    result = progress(target, roads, current_year=2024)

    assert (result.status, result.achieved_year, result.years_ahead, result.share_achieved) == (
        ProgressStatus.ACHIEVED,
        2023,
        2,  # "completed two years ahead of schedule"
        Decimal(1),
    )


def test_an_achieved_target_stays_achieved_when_a_later_value_slips_and_says_so() -> None:
    series = {2015: Decimal(40), 2017: Decimal(29), 2019: Decimal(31), 2020: Decimal(32)}
    target = Target(TargetKind.AT_MOST, 2015, 2020, Decimal(30))

    result = progress(target, series, current_year=2021)

    assert (result.status, result.achieved_year, result.years_ahead, result.slipped, result.latest_value) == (
        ProgressStatus.ACHIEVED,
        2017,
        3,
        True,
        Decimal(32),
    )
    assert result.share_achieved == Decimal("0.8")


def test_a_target_reached_after_its_year_is_behind_with_negative_years_ahead() -> None:
    target = Target(TargetKind.AT_MOST, 2015, 2019, Decimal(25))

    result = progress(target, POVERTY_RATE, current_year=2021)

    assert (result.status, result.achieved_year, result.years_ahead) == (ProgressStatus.BEHIND, 2020, -1)


def test_a_target_not_reached_once_its_year_has_passed_is_behind() -> None:
    target = Target(TargetKind.AT_MOST, 2015, 2018, Decimal(10))

    result = progress(target, until(2017), current_year=2019)

    assert (result.status, result.latest_year, result.achieved_year, result.years_ahead) == (
        ProgressStatus.BEHIND,
        2017,
        None,
        None,
    )


def test_values_after_the_current_year_are_not_read() -> None:
    target = Target(TargetKind.AT_MOST, 2015, 2020, Decimal(25))

    result = progress(target, POVERTY_RATE, current_year=2018)

    assert (result.latest_year, result.latest_value, result.status) == (
        2018,
        Decimal("31.00"),
        ProgressStatus.ON_TRACK,
    )


def test_without_a_baseline_or_a_later_value_there_is_no_data() -> None:
    target = Target(TargetKind.AT_MOST, 2015, 2020, Decimal(25))

    assert progress(target, {2016: Decimal(40)}, current_year=2020) == Progress(ProgressStatus.NO_DATA)
    assert progress(target, {2015: Decimal(40), 2016: None}, current_year=2020) == Progress(
        ProgressStatus.NO_DATA, baseline_value=Decimal(40)
    )


def test_a_level_equal_to_the_baseline_has_no_share_achieved() -> None:
    target = Target(TargetKind.AT_LEAST, 2020, 2025, Decimal(100))

    result = progress(target, {2020: Decimal(100), 2021: Decimal(100)}, current_year=2021)

    assert (result.status, result.share_achieved, result.achieved_year) == (
        ProgressStatus.ACHIEVED,
        None,
        2021,
    )


def test_a_target_that_cannot_be_measured_is_refused() -> None:
    with pytest.raises(TargetError, match=TARGET_YEAR_NOT_AFTER_BASELINE):
        Target(TargetKind.AT_MOST, 2020, 2020, Decimal(10))
    with pytest.raises(TargetError, match=ZERO_ANNUAL_CHANGE):
        Target(TargetKind.ANNUAL_CHANGE, 2020, 2025, Decimal(0))


def test_statuses_and_kinds_have_labels_in_both_languages() -> None:
    assert ProgressStatus.ON_TRACK.label == Label("đúng tiến độ", "on track")
    assert TargetKind.AT_LEAST.label.vi == "ít nhất"


@pytest.mark.parametrize(
    ("kind", "value", "unit", "vi", "en"),
    [
        (TargetKind.AT_MOST, "10.0000", MeasureUnit.PERCENT, "không quá 10%", "at most 10%"),
        (TargetKind.AT_LEAST, "100", MeasureUnit.COMMUNES, "ít nhất 100 xã", "at least 100 communes"),
        (
            TargetKind.ANNUAL_CHANGE,
            "-3",
            MeasureUnit.PERCENT,
            "giảm 3 điểm %/năm",
            "down 3 percentage points a year",
        ),
        (TargetKind.ANNUAL_CHANGE, "1.5", MeasureUnit.KM, "tăng 1,5 km/năm", "up 1.5 km a year"),
        (TargetKind.AT_LEAST, "1500000", MeasureUnit.VND, "ít nhất 1.500.000 đồng", "at least 1,500,000 VND"),
        (TargetKind.AT_MOST, "2.5", None, "không quá 2,5", "at most 2.5"),
    ],
)
def test_a_target_is_written_in_words_as_reports_state_it(
    kind: TargetKind, value: str, unit: MeasureUnit | None, vi: str, en: str
) -> None:
    """A rate's change is in percentage points; a figure in the reader's convention; an indicator no
    longer known (None) gives its figure alone."""
    assert target_in_words(kind, Decimal(value), unit, "vi") == vi
    assert target_in_words(kind, Decimal(value), unit, "en") == en
