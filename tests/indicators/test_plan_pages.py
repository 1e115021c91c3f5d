"""The plan pages: the list with each plan's progress, a new plan, a plan's page with its objectives and
their targets, the forms that add, rename, move and remove objectives, and a target added to an
objective; in words rather than codes, each refusal under its field, another province's plan not found.

Given Quảng Ninh's poverty rate entered for 2019–2024 (20% falling two points a year), when its province
officer makes the plan of Resolution 06-NQ/TU and its objectives, then each page shows what the services
stored and the progress the target page shows.
"""

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, client_for
from tests.indicators.helpers import reading
from tests.indicators.test_pages import field_errors
from vungcao.accounts.models import Role, User
from vungcao.indicators.models import Objective, Plan, Target
from vungcao.indicators.services import REQUIRED
from vungcao.indicators.services.plans import (
    BAD_POSITION,
    DUPLICATE_OBJECTIVE,
    OBJECTIVE_HOLDS_TARGETS,
    PERIOD_REVERSED,
    TARGETS_OUTSIDE_PERIOD,
    UNKNOWN_PLAN_UNIT,
    objective_create,
    plan_create,
)
from vungcao.indicators.services.targets import target_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province_officer: User) -> Plan:
    return plan_create(
        user=province_officer,
        values={"name": "Chương trình 06-NQ/TU", "unit_code": QUANG_NINH, "from_year": 2021, "to_year": 2030},
    )


def objectives(user: User, plan: Plan, *names: str) -> list[Objective]:
    return [objective_create(user=user, plan_id=plan.pk, values={"name": name}) for name in names]


def poverty_target(user: User, objective: Objective | None, value: int, target_year: int = 2025) -> Target:
    return target_create(
        user=user,
        values={
            "indicator": "poverty_rate",
            "unit_code": QUANG_NINH,
            "baseline_year": 2019,
            "target_year": target_year,
            "kind": "at_most",
            "value": value,
            "objective": objective.pk if objective else None,
        },
    )


def section(body: str, element_id: str) -> str:
    """The element of ``body`` with ``element_id``, up to the next one of its kind."""
    start = body.index(f'id="{element_id}"')
    following = re.search(r'<(section|div|li) [^>]*id="', body[start + 1 :])
    return body[start : start + 1 + following.start()] if following else body[start:]


def statuses(html_text: str) -> dict[str, str]:
    """The counts of targets by status, as the page shows them (status code → count)."""
    return dict(re.findall(r'data-status="(\w+)">[^<]*<b>(\d+)</b>', html_text))


# The list and the plan's page --------------------------------------------------------------------------


def test_the_plan_list_links_each_plan_with_its_progress(
    province_officer: User, plan: Plan, history: None, commune_officer: User, analyst: User
) -> None:
    """Given two objectives, one with a target achieved and one behind, and one without targets, then the
    list counts them for the plan and for each objective, and links to the plan's page."""
    poverty, roads, culture = objectives(province_officer, plan, "Giảm nghèo", "Hạ tầng", "Văn hóa")
    poverty_target(province_officer, poverty, 12)  # 12% reached in 2023
    poverty_target(province_officer, roads, 5)  # 5% by 2025: 10% in 2024, below the line

    body = reading(province_officer, "vi").get("/indicators/plans/").content.decode()

    card = section(body, f"plan-{plan.pk}")
    assert f'href="/indicators/plans/{plan.pk}/"' in card
    assert statuses(section(card, f"counts-plan-{plan.pk}")) == {
        "achieved": "1",
        "on_track": "0",
        "behind": "1",
        "no_data": "0",
    }
    assert statuses(section(body, f"summary-objective-{poverty.pk}")) == {"achieved": "1"}
    assert statuses(section(body, f"summary-objective-{roads.pk}")) == {"behind": "1"}
    assert statuses(section(body, f"summary-objective-{culture.pk}")) == {}
    assert "đã đạt <b>1</b>" in card  # the status in words
    assert 'id="new-plan"' in body
    # The analyst reads every plan, without the button; the commune officer sees none of the province's
    analyst_body = client_for(analyst).get("/indicators/plans/").content.decode()
    assert f'id="plan-{plan.pk}"' in analyst_body
    assert 'id="new-plan"' not in analyst_body
    assert 'id="no-plans"' in client_for(commune_officer).get("/indicators/plans/").content.decode()


def test_a_plans_page_shows_each_objective_in_order_with_its_targets(
    province_officer: User, plan: Plan, history: None
) -> None:
    poverty, empty = objectives(province_officer, plan, "Giảm nghèo bền vững", "Văn hóa")
    target = poverty_target(province_officer, poverty, 12)

    body = reading(province_officer, "vi").get(f"/indicators/plans/{plan.pk}/").content.decode()

    assert body.index(f'id="objective-{poverty.pk}"') < body.index(f'id="objective-{empty.pk}"')
    row = section(body, f"target-{target.pk}")
    row = row[: row.index("</tr>")]
    assert "Tỷ lệ hộ nghèo" in row  # the indicator named in words, never its code
    assert "poverty_rate" not in row.replace('href="', "")
    assert "Quảng Ninh" in row
    assert "20,00 (2019)" in row  # baseline
    assert "không quá 12% (2025)" in row  # target, as reports write it
    assert "10,00 (2024)" in row  # latest
    assert "đã đạt" in row
    assert re.search(r'data-label="[^"]+">2</td>', row)  # reached in 2023: two years ahead of 2025
    assert f'href="/indicators/targets/new/?objective={poverty.pk}"' in body
    assert "<table" not in section(body, f"objective-{empty.pk}")
    assert f'action="/indicators/plans/objectives/{empty.pk}/delete/"' in body
    assert f'action="/indicators/plans/objectives/{poverty.pk}/delete/"' not in body  # it holds a target


def test_a_plan_of_21_objectives_and_73_targets_is_one_page_in_a_fixed_number_of_queries(
    province_officer: User, plan: Plan, history: None, django_assert_max_num_queries: Callable[..., object]
) -> None:
    """Given Quảng Ninh's action programme (21 target groups, 73 tasks), then its page shows every target
    in as many queries as a plan of one objective and one target: none is read one by one."""
    small = plan_create(
        user=province_officer,
        values={"name": "Kế hoạch nhỏ", "unit_code": QUANG_NINH, "from_year": 2021, "to_year": 2030},
    )
    poverty_target(province_officer, objectives(province_officer, small, "Một")[0], 10)
    groups = objectives(province_officer, plan, *(f"Nhóm mục tiêu {n}" for n in range(1, 22)))
    indicators = ["poverty_rate", "near_poverty_rate", "households", "poor_households"]
    for task in range(73):
        target_create(
            user=province_officer,
            values={
                "indicator": indicators[task % 4],
                "unit_code": QUANG_NINH,
                "baseline_year": 2019,
                "target_year": 2025 + task % 5,
                "kind": "at_most",
                "value": task,
                "objective": groups[task % 21].pk,
            },
        )
    client = client_for(province_officer)

    with CaptureQueriesContext(connection) as one_target:
        assert client.get(f"/indicators/plans/{small.pk}/").status_code == 200
    with django_assert_max_num_queries(len(one_target)):  # type: ignore[operator]
        response = client.get(f"/indicators/plans/{plan.pk}/")

    body = response.content.decode()
    assert body.count('<tr id="target-') == 73
    assert body.count('class="card objective"') == 21
    assert len(one_target) <= 30


def test_a_plan_outside_the_scope_is_not_found(
    plan: Plan, province_officer: User, commune_officer: User, make_user: Callable[..., User]
) -> None:
    (objective,) = objectives(province_officer, plan, "Một")
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    for user in (dien_bien, commune_officer):
        client = client_for(user)
        assert client.get(f"/indicators/plans/{plan.pk}/").status_code == 404
        assert client.get(f"/indicators/plans/{10**18}/").status_code == 404
        for path, data in (
            (f"/indicators/plans/{plan.pk}/change/", {"name": "x", "from_year": 2021, "to_year": 2025}),
            (f"/indicators/plans/{plan.pk}/objectives/new/", {"name": "x"}),
            (f"/indicators/plans/objectives/{objective.pk}/", {"name": "x"}),
            (f"/indicators/plans/objectives/{objective.pk}/delete/", {}),
        ):
            assert client.post(path, data).status_code == 404, path
    assert list(plan.objectives.values_list("name", flat=True)) == ["Một"]
    assert Plan.objects.get().name == "Chương trình 06-NQ/TU"


# Making and changing a plan ----------------------------------------------------------------------------


def test_a_plan_is_made_through_the_form(province_officer: User) -> None:
    client = reading(province_officer, "vi")
    assert f'value="{QUANG_NINH}"' in client.get("/indicators/plans/new/").content.decode()

    response = client.post(
        "/indicators/plans/new/",
        {
            "name": "Kế hoạch 2026–2030",
            "era": "current",
            "unit_code": QUANG_NINH,
            "from_year": "2026",
            "to_year": "2030",
        },
    )

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/indicators/plans/{plan.pk}/"
    assert (plan.name, plan.unit.code, plan.from_year, plan.to_year) == (
        "Kế hoạch 2026–2030",
        QUANG_NINH,
        2026,
        2030,
    )


def test_a_refused_plan_shows_each_problem_under_its_field(province_officer: User) -> None:
    body = (
        reading(province_officer, "en")
        .post(
            "/indicators/plans/new/",
            {"name": "", "era": "current", "unit_code": DIEN_BIEN, "from_year": "2030", "to_year": "2026"},
        )
        .content.decode()
    )

    with translation.override("en"):
        assert field_errors(body) == {
            "name": str(REQUIRED),
            "unit_code": str(UNKNOWN_PLAN_UNIT),
            "to_year": str(PERIOD_REVERSED),
        }
    assert not Plan.objects.exists()


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.MINISTRY_ANALYST])
def test_who_may_not_make_plans_is_refused_the_form(make_user: Callable[..., User], role: str) -> None:
    client = client_for(make_user("someone", role, BA_CHE if role == Role.COMMUNE_OFFICER else None))
    assert client.get("/indicators/plans/new/").status_code == 403
    assert client.post("/indicators/plans/new/", {"name": "x", "unit_code": QUANG_NINH}).status_code == 403
    assert not Plan.objects.exists()


def test_a_plans_years_are_changed_on_its_page_while_its_targets_fit(
    province_officer: User, plan: Plan
) -> None:
    (objective,) = objectives(province_officer, plan, "Một")
    poverty_target(province_officer, objective, 5, target_year=2028)
    client = reading(province_officer, "en")
    path = f"/indicators/plans/{plan.pk}/change/"

    body = client.post(
        path, {"name": "Chương trình 06", "from_year": "2021", "to_year": "2025"}
    ).content.decode()

    with translation.override("en"):
        assert field_errors(body) == {"to_year": str(TARGETS_OUTSIDE_PERIOD).format(years="2028")}
    assert 'id="plan-change" open' in body
    plan.refresh_from_db()
    assert (plan.name, plan.to_year) == ("Chương trình 06-NQ/TU", 2030)
    response = client.post(path, {"name": "Chương trình 06", "from_year": "2021", "to_year": "2028"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.to_year) == ("Chương trình 06", 2028)


# Objectives on the plan's page -------------------------------------------------------------------------


def test_objectives_are_added_moved_renamed_and_removed_on_the_plans_page(
    province_officer: User, plan: Plan
) -> None:
    client = reading(province_officer, "en")
    new = f"/indicators/plans/{plan.pk}/objectives/new/"
    for name in ("Kinh tế", "Xã hội"):
        response = client.post(new, {"name": name})
        added = Objective.objects.get(name=name)
        assert response["Location"] == f"/indicators/plans/{plan.pk}/#objective-{added.pk}"
    economy, society = Objective.objects.order_by("position")
    client.post(new, {"name": "Hạ tầng", "position": "1"})

    def order() -> list[str]:
        return list(plan.objectives.order_by("position").values_list("name", flat=True))

    assert order() == ["Hạ tầng", "Kinh tế", "Xã hội"]
    client.post(f"/indicators/plans/objectives/{society.pk}/", {"position": "2"})  # ↑
    assert order() == ["Hạ tầng", "Xã hội", "Kinh tế"]
    client.post(f"/indicators/plans/objectives/{economy.pk}/", {"name": "Phát triển kinh tế"})
    assert order() == ["Hạ tầng", "Xã hội", "Phát triển kinh tế"]
    response = client.post(f"/indicators/plans/objectives/{society.pk}/delete/")
    assert response["Location"] == f"/indicators/plans/{plan.pk}/"
    assert list(plan.objectives.order_by("position").values_list("position", "name")) == [
        (1, "Hạ tầng"),
        (2, "Phát triển kinh tế"),
    ]


def test_a_refused_objective_shows_its_problems_and_writes_nothing(
    province_officer: User, plan: Plan
) -> None:
    (held,) = objectives(province_officer, plan, "Kinh tế")
    poverty_target(province_officer, held, 5)
    client = reading(province_officer, "en")

    body = client.post(
        f"/indicators/plans/{plan.pk}/objectives/new/", {"name": "kinh tế", "position": "9"}
    ).content.decode()

    with translation.override("en"):
        assert field_errors(body) == {
            "name": str(DUPLICATE_OBJECTIVE),
            "position": str(BAD_POSITION).format(last=2),
        }
    # A change or a removal refused is told above the page
    renamed = client.post(f"/indicators/plans/objectives/{held.pk}/", {"name": ""}, follow=True)
    removed = client.post(f"/indicators/plans/objectives/{held.pk}/delete/", follow=True)
    with translation.override("en"):
        assert str(REQUIRED) in renamed.content.decode()
        assert str(OBJECTIVE_HOLDS_TARGETS) in removed.content.decode()
    assert list(plan.objectives.values_list("name", flat=True)) == ["Kinh tế"]


def test_a_target_is_added_to_an_objective_from_the_plans_page(
    province_officer: User, plan: Plan, history: None
) -> None:
    """Given the plan's page, when the officer follows "add a target to this objective", then the target
    form opens with the plan's unit and the objective chosen; set, the target is held by the objective."""
    first, second = objectives(province_officer, plan, "Giảm nghèo", "Hạ tầng")
    client = reading(province_officer, "vi")

    form = client.get(f"/indicators/targets/new/?objective={second.pk}").content.decode()

    assert f'<option value="{second.pk}" selected>2. Hạ tầng</option>' in form
    assert f'<option value="{first.pk}">1. Giảm nghèo</option>' in form
    assert '<optgroup label="Chương trình 06-NQ/TU (2021–2030)">' in form
    response = client.post(
        "/indicators/targets/new/",
        {
            "indicator": "poverty_rate",
            "era": "current",
            "unit_code": QUANG_NINH,
            "baseline_year": "2019",
            "target_year": "2025",
            "kind": "at_most",
            "value": "12",
            "objective": str(second.pk),
        },
    )
    target = Target.objects.get()
    assert response["Location"] == f"/indicators/targets/{target.pk}/"
    assert target.objective == second
    page = client.get(response["Location"]).content.decode()
    assert f'href="/indicators/plans/{plan.pk}/#objective-{second.pk}"' in page


def test_the_target_form_offers_the_objectives_of_the_chosen_units_plans(
    province_officer: User, plan: Plan, make_user: Callable[..., User]
) -> None:
    (objective,) = objectives(province_officer, plan, "Giảm nghèo")
    client = client_for(province_officer)

    own = client.get(
        "/indicators/targets/objectives/", {"era": "current", "unit_code": QUANG_NINH}
    ).content.decode()
    other = client.get(
        "/indicators/targets/objectives/", {"era": "current", "unit_code": DIEN_BIEN}
    ).content.decode()
    bare = client.get("/indicators/targets/objectives/").content.decode()

    assert f'<option value="{objective.pk}">1. Giảm nghèo</option>' in own
    assert 'id="id_objective"' in own
    for body in (other, bare):
        assert "<optgroup" not in body
    # The unit's box asks for them again when it changes
    form = client.get("/indicators/targets/new/").content.decode()
    assert 'hx-get="/indicators/targets/objectives/"' in form
    assert f'<option value="{objective.pk}">' in form  # the officer's own province, chosen at first
