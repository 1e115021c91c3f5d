"""The small demo that tests build reaches every state a page can show: each review state of the open
year (and a re-opened and a resubmitted review), past approved years, review events with and without a
user, households that split, ended or changed members between years, and the money story."""

import pytest

from vungcao.demo.data import SMALL, demo_data_ensure
from vungcao.demo.services import DEMO_ACCOUNTS
from vungcao.programs.models import MoneyRecord
from vungcao.registry.demo.generate import YEARS
from vungcao.registry.models import CommuneReview, Household, Member, ReviewEvent

pytestmark = pytest.mark.django_db


def _histories(year: int) -> set[tuple[str, tuple[str, ...]]]:
    return {
        (review.state, tuple(event.action for event in review.events.order_by("created_at", "pk")))
        for review in CommuneReview.objects.filter(cycle__year=year).prefetch_related("events")
    }


def test_the_small_demo_reaches_every_state_a_page_can_show() -> None:
    # When the small demo is built
    accounts, summary = demo_data_ensure(**SMALL)
    # Then every demo account is there, and the open year has a review in every state, by every path
    assert [account.username for account, _user in accounts] == [a.username for a in DEMO_ACCOUNTS]
    assert _histories(2025) == {
        ("open", ("opened",)),
        ("submitted", ("opened", "submitted")),
        ("returned", ("opened", "submitted", "returned")),
        ("approved", ("opened", "submitted", "approved")),
        ("open", ("opened", "submitted", "approved", "reopened")),
        ("submitted", ("opened", "submitted", "returned", "submitted")),
    }
    reopened = ReviewEvent.objects.get(action="reopened")
    assert reopened.reason.strip()
    assert reopened.user is not None
    assert reopened.user.username == "quangninh"
    # and the past years are approved
    for year in YEARS[:-1]:
        assert _histories(year) == {("approved", ("opened", "submitted", "approved"))}
    # and events are written both by officers and by nobody (communes without an officer of their own)
    assert ReviewEvent.objects.filter(user__isnull=True, action="submitted").exists()
    assert ReviewEvent.objects.filter(user__username="bache", action="submitted").exists()
    assert ReviewEvent.objects.filter(user__username="quangninh", action="approved").exists()
    # and households changed between years: split, ended, members left and were born
    assert Household.objects.filter(events__kind="split_from").exists()
    assert Household.objects.filter(dissolved_on__isnull=False).exists()
    assert Member.objects.filter(left_on__isnull=False, household__dissolved_on__isnull=True).exists()
    assert Member.objects.filter(birth_year__gt=YEARS[0]).exists()
    # and the money story is there
    assert MoneyRecord.objects.exists()
    # When it is built again, then nothing is added
    counts = (Household.objects.count(), ReviewEvent.objects.count(), MoneyRecord.objects.count())
    _accounts, again = demo_data_ensure(**SMALL)
    assert "nothing added" in again[1]
    assert (Household.objects.count(), ReviewEvent.objects.count(), MoneyRecord.objects.count()) == counts
    assert again[0] == "demo villages: 0 added"
    assert summary[1].startswith("registry demo:")
    assert "nothing added" not in summary[1]
