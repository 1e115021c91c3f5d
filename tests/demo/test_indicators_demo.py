"""The demo's indicators: illustrative history marked as such, targets in a plan, a group, and reporting
periods whose completeness reaches every status; built twice, nothing is added twice."""

import datetime

import pytest

from vungcao.accounts.models import User
from vungcao.demo.data import SMALL, demo_data_ensure
from vungcao.engine.indicators.completeness import ReportStatus
from vungcao.indicators.demo import NOTE, indicators_demo_ensure
from vungcao.indicators.models import IndicatorValue, Objective, Plan, ReportingPeriod, Target, UnitGroup
from vungcao.indicators.selectors.completeness import period_completeness

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (IndicatorValue, Target, Plan, Objective, UnitGroup, ReportingPeriod)
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
    assert UnitGroup.objects.get().members.count() == 4
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
