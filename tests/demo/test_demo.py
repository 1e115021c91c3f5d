"""``vungcao demo --no-serve`` prepares everything and upgrades in place when run again."""

import io

import pytest
from django.core.management import call_command

from vungcao.accounts.models import User
from vungcao.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_VILLAGES
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Level

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return User.objects.count(), AdministrativeUnit.objects.count(), CrosswalkLink.objects.count()


def test_demo_twice_creates_nothing_twice() -> None:
    output = io.StringIO()
    call_command("demo", "--no-serve", stdout=output)
    first = counts()
    call_command("demo", "--no-serve", stdout=io.StringIO())
    assert counts() == first
    assert first[0] == len(DEMO_ACCOUNTS)
    villages = sum(len(names) for names in DEMO_VILLAGES.values())
    assert AdministrativeUnit.objects.filter(level=Level.VILLAGE).count() == villages
    text = output.getvalue()
    assert DEMO_PASSWORD in text
    assert all(account.username in text for account in DEMO_ACCOUNTS)
    assert User.objects.get(username="bache").check_password(DEMO_PASSWORD)
