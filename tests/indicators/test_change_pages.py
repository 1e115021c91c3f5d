"""The pages that change and remove a target, reached from the target's page: the form shows the target as
stored (its value as officials write it), a change is stored or refused with each problem under its field
and nothing changed; a removal is confirmed first, then the page the target was listed on is shown.

Given Quảng Ninh's province officer's target (the poverty rate at most 10% by 2025 from 2019), when the
officer opens, changes and removes it, then each page says what the services stored.
"""

import pytest

from tests.conftest import client_for
from tests.indicators.helpers import english, reading
from tests.indicators.test_pages import field_errors
from tests.indicators.test_target_changes import POVERTY_AT_MOST_10, stored
from vungcao.accounts.models import User
from vungcao.indicators.models import Target
from vungcao.indicators.services.plans import objective_create, plan_create
from vungcao.indicators.services.targets import TARGET_YEAR_NOT_AFTER_BASELINE, target_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(province_officer: User) -> Target:
    return target_create(user=province_officer, values={**POVERTY_AT_MOST_10, "value": "10,5"})


def form_of(target: Target, **changed: str) -> dict[str, str]:
    """The target form as sent for ``target`` (Quảng Ninh's), with ``changed`` fields."""
    return {
        "indicator": target.indicator,
        "era": target.era,
        "unit_code": "22",
        "group": "",
        "baseline_year": str(target.baseline_year),
        "target_year": str(target.target_year),
        "kind": target.kind,
        "value": "10,5",
        "objective": "",
        **changed,
    }


def test_the_target_page_offers_its_change_and_removal_to_who_sets_it(
    province_officer: User, analyst: User, target: Target
) -> None:
    body = client_for(province_officer).get(f"/indicators/targets/{target.pk}/").content.decode()
    assert f'href="/indicators/targets/{target.pk}/change/"' in body
    assert f'href="/indicators/targets/{target.pk}/delete/"' in body

    analyst_page = client_for(analyst).get(f"/indicators/targets/{target.pk}/").content.decode()
    assert 'id="target-actions"' not in analyst_page
    assert client_for(analyst).get(f"/indicators/targets/{target.pk}/change/").status_code == 403
    assert client_for(analyst).post(f"/indicators/targets/{target.pk}/delete/").status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()


def test_the_change_form_shows_the_target_as_stored_and_stores_a_change(
    province_officer: User, target: Target
) -> None:
    client = reading(province_officer, "vi")

    body = client.get(f"/indicators/targets/{target.pk}/change/").content.decode()

    assert 'name="value" value="10,5"' in body
    assert 'name="target_year" value="2025"' in body
    assert '<option value="at_most" selected>' in body
    response = client.post(f"/indicators/targets/{target.pk}/change/", form_of(target, target_year="2030"))
    assert response.status_code == 302
    assert response["Location"] == f"/indicators/targets/{target.pk}/"
    assert stored(target)[4] == 2030


def test_a_refused_change_shows_each_problem_under_its_field_and_changes_nothing(
    province_officer: User, target: Target
) -> None:
    before = stored(target)

    body = (
        reading(province_officer)
        .post(f"/indicators/targets/{target.pk}/change/", form_of(target, target_year="2019", value="1.500"))
        .content.decode()
    )

    errors = field_errors(body)
    assert errors["target_year"] == english(TARGET_YEAR_NOT_AFTER_BASELINE)
    assert errors["value"].startswith("Ambiguous")
    assert stored(target) == before


def test_a_removal_is_confirmed_then_shows_where_the_target_was_listed(
    province_officer: User, target: Target
) -> None:
    plan = plan_create(
        user=province_officer,
        values={"name": "Chương trình 06", "unit_code": "22", "from_year": 2021, "to_year": 2025},
    )
    objective = objective_create(user=province_officer, plan_id=plan.pk, values={"name": "Giảm nghèo"})
    held = target_create(user=province_officer, values={**POVERTY_AT_MOST_10, "objective": objective.pk})
    client = reading(province_officer, "vi")

    confirmation = client.get(f"/indicators/targets/{held.pk}/delete/").content.decode()

    assert "không quá 10%" in confirmation  # the target in words
    assert "<dd>2019</dd>" in confirmation
    assert "<dd>2025</dd>" in confirmation
    assert "Giảm nghèo" in confirmation
    assert Target.objects.filter(pk=held.pk).exists()  # asking removes nothing
    removed = client.post(f"/indicators/targets/{held.pk}/delete/")
    assert removed["Location"] == f"/indicators/plans/{plan.pk}/#objective-{objective.pk}"
    removed = client.post(f"/indicators/targets/{target.pk}/delete/")
    assert removed["Location"] == "/indicators/units/current/22/"
    assert not Target.objects.exists()
