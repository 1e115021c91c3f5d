"""The demo's indicators: illustrative history marked as such, targets in a plan, groups with and without
targets, a province's own indicators, and reporting periods whose completeness reaches every status;
built twice, nothing is added twice."""

import datetime

import pytest

from vungcao.accounts.models import User
from vungcao.demo.data import SMALL, demo_data_ensure
from vungcao.engine.indicators.completeness import ReportStatus
from vungcao.engine.indicators.targets import ProgressStatus
from vungcao.indicators.demo import NOTE, TOURISM, indicators_demo_ensure
from vungcao.indicators.models import (
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ReportingPeriod,
    Target,
    UnitGroup,
)
from vungcao.indicators.selectors.completeness import period_completeness
from vungcao.indicators.selectors.plans import plan_get, plans_progress

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (IndicatorValue, Target, Plan, Objective, UnitGroup, ReportingPeriod, Indicator)
    )


def test_the_demo_indicators_reach_every_reporting_status_once() -> None:
    demo_data_ensure(**SMALL)
    admin = User.objects.get(username="admin")

    values = IndicatorValue.objects.filter(unit__era="pre2025", unit__level="province")
    assert sorted(set(values.values_list("year", flat=True))) == list(range(2015, 2025))
    assert not IndicatorValue.objects.exclude(note=NOTE).exists()
    assert set(Target.objects.values_list("kind", flat=True)) == {"annual_change", "at_least", "at_most"}
    assert Target.objects.filter(indicator="poverty_rate", kind="annual_change", value=-3).count() == 1
    assert Objective.objects.filter(plan__in=Plan.objects.all(), targets__isnull=False).exists()
    with_targets = UnitGroup.objects.get(owner__code="11")
    former = UnitGroup.objects.get(owner__code="22")
    assert (with_targets.era, with_targets.members.count(), with_targets.targets.exists()) == (
        "current",
        4,
        True,
    )
    assert (former.era, former.members.count(), former.targets.exists()) == ("pre2025", 4, False)
    own = {row.code: row for row in Indicator.objects.all()}
    assert set(own) == {TOURISM, f"{TOURISM}_rate"}
    assert own[f"{TOURISM}_rate"].formula == {
        "op": "ratio",
        "numerator": TOURISM,
        "denominator": "households",
        "scale": 100,
    }
    assert IndicatorValue.objects.filter(indicator=TOURISM, year=2025).count() == 3
    reached = set()
    for period in ReportingPeriod.objects.all():
        found = period_completeness(user=admin, period=period, today=TODAY)
        reached |= {status for status, count in found.counts.items() if count}
    assert reached == set(ReportStatus)

    before = counts()
    assert "0 history values, 0 commune values, 0 plans, groups and targets, 0 reporting periods" in (
        indicators_demo_ensure()
    )
    assert counts() == before


def test_the_demo_plan_reaches_every_status_of_progress() -> None:
    """Given the demo, then Điện Biên's plan holds a target of each status (its school targets on the
    entered schools, the income of poor households without data) and an objective without targets:
    everything its page can show."""
    demo_data_ensure(**SMALL)
    admin = User.objects.get(username="admin")
    plan = Plan.objects.get(unit__code="11")

    found = plans_progress(user=admin, plans=[plan_get(user=admin, plan_id=plan.pk)], today=TODAY)[0]

    statuses = {
        (measured.target.indicator, measured.target.target_year): measured.progress.status
        for measured in found.targets
    }
    assert {
        key: statuses[key]
        for key in (
            ("solid_schools_rate", 2025),
            ("solid_schools_rate", 2030),
            ("schools_meeting_facility_standard_rate", 2025),
            ("income_per_capita_poor_households", 2030),
        )
    } == {
        ("solid_schools_rate", 2025): ProgressStatus.ACHIEVED,
        ("solid_schools_rate", 2030): ProgressStatus.ON_TRACK,
        ("schools_meeting_facility_standard_rate", 2025): ProgressStatus.BEHIND,
        ("income_per_capita_poor_households", 2030): ProgressStatus.NO_DATA,
    }
    assert [len(objective.targets) for objective in found.objectives] == [2, 2, 3, 0]
