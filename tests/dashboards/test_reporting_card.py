"""The province dashboard lists the periods whose communes are late or missing, with counts and links;
a period every commune has reported in is not listed."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import BA_CHE, QUANG_NINH, client_for, current_unit
from tests.indicators.helpers import entered
from vungcao.accounts.models import User
from vungcao.indicators.models import IndicatorValue, ReportingPeriod

pytestmark = pytest.mark.django_db


def test_late_and_missing_communes_are_listed_on_the_province_dashboard(province_officer: User) -> None:
    province = current_unit(QUANG_NINH)
    period = ReportingPeriod.objects.create(
        subject="indicator",
        indicator="communes_with_hardened_road",
        year=2024,
        level="commune",
        era="current",
        owner=province,
        deadline=datetime.date(2025, 1, 25),
    )
    ReportingPeriod.objects.create(  # not yet due: nobody is late
        subject="review",
        year=2099,
        level="commune",
        era="current",
        owner=province,
        deadline=datetime.date(2099, 12, 14),
    )
    entered("communes_with_hardened_road", "current", BA_CHE, 2024, 1)
    late = timezone.make_aware(datetime.datetime(2025, 2, 3, 10))
    IndicatorValue.objects.filter(unit__code=BA_CHE).update(created_at=late)

    html = client_for(province_officer).get(f"/dashboards/current/{QUANG_NINH}/").content.decode()

    card = html[html.index('id="reporting"') :]
    card = card[: card.index("</div>")]
    assert f'href="/indicators/completeness/?period={period.pk}"' in card
    assert "2024" in card
    assert "2099" not in card
    assert "53" in card  # missing
    assert card.count("<li>") == 1 + 54  # the period, and its 54 communes (53 missing, 1 late)
    assert "báo cáo muộn" in card
