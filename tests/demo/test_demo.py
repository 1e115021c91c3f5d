"""``vungcao demo --no-serve`` prepares everything and upgrades in place when run again."""

import io

import pytest
from django.core.management import call_command

from vungcao.accounts.models import User
from vungcao.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_VILLAGES
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Level
from vungcao.programs.models import MoneyRecord
from vungcao.registry.models import Household

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        AdministrativeUnit.objects.count(),
        CrosswalkLink.objects.count(),
        Household.objects.count(),
        MoneyRecord.objects.count(),
    )


def test_demo_twice_creates_nothing_twice() -> None:
    output = io.StringIO()
    small = ["--no-serve", "--households-per-commune", "12", "--communes-per-province", "1"]
    call_command("demo", *small, stdout=output)
    first = counts()
    call_command("demo", *small, stdout=io.StringIO())
    assert counts() == first
    assert first[0] == len(DEMO_ACCOUNTS)
    demo_villages = {name for names in DEMO_VILLAGES.values() for name, _kind in names}
    assert demo_villages <= set(
        AdministrativeUnit.objects.filter(level=Level.VILLAGE).values_list("name", flat=True)
    )
    assert Household.objects.filter(is_synthetic=False).count() == 0
    assert Household.objects.filter(is_synthetic=True).exists()
    text = output.getvalue()
    assert DEMO_PASSWORD in text
    assert all(account.username in text for account in DEMO_ACCOUNTS)
    assert User.objects.get(username="bache").check_password(DEMO_PASSWORD)
