"""The pages of a province's own indicators and of groups of units, for each role.

Given Quảng Ninh's officers and a national administrator, when they define an indicator or make a group
through the pages, then the form reads what officials type (numbers as 1.500,5, members ticked), shows
every refusal under its field and writes nothing then; a group's page shows its members, its figures
(the members' added up) and its targets, and another province's group is not found.
"""

import html
import io
import re
from collections.abc import Callable

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.conftest import BA_CHE, DIEN_BIEN, MUONG_PHANG, QUANG_NINH, TIEN_YEN, current_unit
from tests.indicators.helpers import TOURISM, entered, reading
from tests.indicators.test_pages import field_errors
from vungcao.accounts.models import Role, User
from vungcao.common.bounds import CONTROL_CHARACTER
from vungcao.engine.indicators.reasons import FORMULA_MISSING_PART
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.indicators.models import Indicator, Target, UnitGroup
from vungcao.indicators.services.definitions import UNKNOWN_PROVINCE, indicator_create
from vungcao.indicators.services.groups import MEMBERS_REQUIRED, unit_group_create
from vungcao.programs.services.money import REQUIRED

pytestmark = pytest.mark.django_db

ROLES = ["commune officer", "province officer", "province administrator", "analyst", "administrator"]


@pytest.fixture
def users(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "commune officer": make_user("bache", Role.COMMUNE_OFFICER, BA_CHE),
        "province officer": make_user("quangninh", Role.PROVINCE_OFFICER, QUANG_NINH),
        "province administrator": make_user("qn-admin", Role.ADMINISTRATOR, QUANG_NINH),
        "other province officer": make_user("dienbien", Role.PROVINCE_OFFICER, DIEN_BIEN),
        "analyst": make_user("analyst", Role.MINISTRY_ANALYST),
        "administrator": make_user("admin", Role.ADMINISTRATOR),
    }


@pytest.fixture
def group(users: dict[str, User]) -> UnitGroup:
    return unit_group_create(
        user=users["province officer"],
        values={"name": "Xã đặc biệt khó khăn", "member_codes": [BA_CHE, TIEN_YEN]},
    )


def text_of(body: str) -> str:
    """The page's text, tags removed and spaces joined, as a reader sees it."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_for_each_role(users: dict[str, User], group: UnitGroup, role: str) -> None:
    client = reading(users[role], "vi")
    defines = role in ("province officer", "province administrator", "administrator")
    sees_group = role != "commune officer"

    assert client.get("/indicators/province/").status_code == 200
    assert client.get("/indicators/groups/").status_code == 200
    assert client.get("/indicators/province/new/").status_code == (200 if defines else 403)
    assert client.get("/indicators/groups/new/").status_code == (200 if defines else 403)
    assert client.get(f"/indicators/groups/{group.pk}/").status_code == (200 if sees_group else 404)
    nav = client.get("/indicators/").content.decode()
    assert ('href="/indicators/groups/"' in nav) is sees_group
    assert 'href="/indicators/province/"' in nav


def test_an_indicator_is_defined_through_the_page(users: dict[str, User]) -> None:
    """Given the province officer's form, when a rate of the province's households is defined with its
    parts chosen and its multiplier written as officials write it, then it is stored with its formula and
    listed on the province's page in words."""
    client = reading(users["province officer"], "vi")
    client.post("/indicators/province/new/", {**TOURISM, "minimum": "0", "maximum": "1.500,5"})
    response = client.post(
        "/indicators/province/new/",
        {
            **TOURISM,
            "code": "qn_tourism_rate",
            "name_vi": "Tỷ lệ hộ làm du lịch cộng đồng",
            "unit": "percent",
            "kind": "derived",
            "aggregation": "recompute",
            "decimals": "1",
            "formula_op": "ratio",
            "formula_numerator": "qn_tourism_households",
            "formula_denominator": "households",
            "formula_scale": "100",
            "formula_terms": ["poor_households"],  # a part of another op, left out
            "formula_of": "poverty_rate",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/indicators/catalogue/qn_tourism_rate/"
    tourism, rate = Indicator.objects.order_by("code")
    assert (tourism.minimum, tourism.maximum) == (0, 1500.5)
    assert rate.formula == {
        "op": "ratio",
        "numerator": "qn_tourism_households",
        "denominator": "households",
        "scale": 100,
    }
    assert (rate.decimals, rate.owner.code, rate.created_by) == (1, QUANG_NINH, users["province officer"])
    listed = text_of(client.get("/indicators/province/").content.decode())
    assert "Tỷ lệ hộ làm du lịch cộng đồng" in listed
    assert "Số hộ làm du lịch cộng đồng ÷ Tổng số hộ dân cư × 100" in listed
    catalogue = client.get("/indicators/").content.decode()
    assert 'id="indicator-qn_tourism_rate"' in catalogue


def test_a_refused_indicator_shows_each_problem_under_its_field(users: dict[str, User]) -> None:
    client = reading(users["province officer"], "en")
    body = client.post(
        "/indicators/province/new/",
        {
            **TOURISM,
            "name_en": "",
            "name_vi": "Tab\there",
            "unit": "percent",
            "kind": "derived",
            "aggregation": "recompute",
            "formula_op": "ratio",
            "formula_numerator": "households",
        },
    ).content.decode()

    with translation.override("en"):
        assert field_errors(body) == {
            "name_vi": str(CONTROL_CHARACTER).format(code=9),
            "name_en": str(REQUIRED),
            "formula_denominator": FORMULA_MISSING_PART.format(
                code=TOURISM["code"], op="ratio", part="denominator"
            ).en,
        }
    assert 'value="Tab\there"' in body  # what was typed stays, to be corrected
    assert not Indicator.objects.exists()


def test_a_national_administrator_chooses_the_province(users: dict[str, User]) -> None:
    client = reading(users["administrator"], "en")

    page = client.get("/indicators/province/new/").content.decode()
    refused = client.post("/indicators/province/new/", TOURISM).content.decode()
    tampered = client.post("/indicators/province/new/", {**TOURISM, "province_code": "99"}).content.decode()
    client.post("/indicators/province/new/", {**TOURISM, "province_code": DIEN_BIEN})

    assert f'<option value="{QUANG_NINH}">Quảng Ninh</option>' in page
    assert field_errors(refused) == {"province_code": "This field is required."}
    assert "99 is not one of the available choices" in tampered
    assert Indicator.objects.get().owner.code == DIEN_BIEN
    with translation.override("en"):  # the service's refusal for a province out of reach
        assert str(UNKNOWN_PROVINCE) not in refused


def test_the_province_page_lists_each_province_for_national_users(users: dict[str, User]) -> None:
    indicator_create(user=users["province officer"], values=TOURISM)
    indicator_create(
        user=users["other province officer"], values={**TOURISM, "code": "db_tourism_households"}
    )

    national = text_of(reading(users["analyst"], "vi").get("/indicators/province/").content.decode())
    province = reading(users["province officer"], "vi").get("/indicators/province/").content.decode()
    other = reading(users["other province officer"], "vi").get("/indicators/")

    assert "Quảng Ninh" in national
    assert "Điện Biên" in national
    assert 'id="indicator-qn_tourism_households"' in province
    assert 'id="indicator-db_tourism_households"' not in province
    assert 'id="indicator-qn_tourism_households"' not in other.content.decode()
    empty = reading(users["commune officer"], "vi").get("/indicators/province/").content.decode()
    assert 'id="indicator-qn_tourism_households"' in empty  # the province's communes read it


# Groups of units ----------------------------------------------------------------------------------------------


def test_a_group_is_made_by_ticking_its_members(users: dict[str, User]) -> None:
    """Given Quảng Ninh's communes offered as boxes to tick, when two are ticked, then the group holds them
    and its page opens."""
    client = reading(users["province officer"], "vi")
    page = client.get("/indicators/groups/new/").content.decode()
    communes = AdministrativeUnit.objects.filter(parent=current_unit(QUANG_NINH), level=Level.COMMUNE)

    assert page.count('name="member_codes"') == communes.count()
    assert "owner_code" in page
    response = client.post(
        "/indicators/groups/new/",
        {
            "name": "Xã vùng cao",
            "era": "current",
            "owner_code": QUANG_NINH,
            "member_codes": [BA_CHE, TIEN_YEN],
        },
    )

    group = UnitGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/indicators/groups/{group.pk}/"
    assert sorted(group.members.values_list("code", flat=True)) == sorted([BA_CHE, TIEN_YEN])
    assert (group.owner.code, group.era, group.created_by) == (
        QUANG_NINH,
        "current",
        users["province officer"],
    )


def test_a_refused_group_keeps_what_was_ticked_and_writes_nothing(users: dict[str, User]) -> None:
    client = reading(users["province officer"], "en")

    none_ticked = client.post(
        "/indicators/groups/new/", {"name": "Nhóm", "era": "current", "owner_code": QUANG_NINH}
    ).content.decode()
    unnamed = client.post(
        "/indicators/groups/new/",
        {"name": "", "era": "current", "owner_code": QUANG_NINH, "member_codes": [BA_CHE]},
    ).content.decode()
    stranger = client.post(
        "/indicators/groups/new/",
        {"name": "Nhóm", "era": "current", "owner_code": QUANG_NINH, "member_codes": [MUONG_PHANG]},
    ).content.decode()

    with translation.override("en"):
        assert field_errors(none_ticked) == {"member_codes": str(MEMBERS_REQUIRED)}
        assert field_errors(unnamed) == {"name": str(REQUIRED)}
    assert f'value="{BA_CHE}" checked' in unnamed
    assert f"{MUONG_PHANG} is not one of the available choices" in stranger
    assert not UnitGroup.objects.exists()


def test_a_national_administrator_chooses_the_province_and_era_of_a_group(users: dict[str, User]) -> None:
    """Given no province chosen, no unit is offered; given Quảng Ninh before 2025, its former districts
    and communes are, each commune with its district."""
    client = reading(users["administrator"], "vi")

    unchosen = client.get("/indicators/groups/new/").content.decode()
    former = client.get(f"/indicators/groups/new/?owner_code={QUANG_NINH}&era=pre2025").content.decode()

    assert 'id="choose-province"' in unchosen
    assert 'name="member_codes"' not in unchosen
    commune = AdministrativeUnit.objects.get(era=Era.PRE2025, code=BA_CHE)
    assert commune.parent is not None
    assert f'value="{commune.parent.code}"' in former
    assert f'{commune.name} <span class="muted">· {commune.parent.name}</span>' in former
    assert f'value="{MUONG_PHANG}"' not in former


def test_a_group_page_shows_its_members_figures_and_targets(users: dict[str, User], group: UnitGroup) -> None:
    """Given 100 and 300 households in the members and a target of at least 450 by 2030 set from the
    group's page, then the page shows 400 households and the target behind or on its way."""
    for code, households in {BA_CHE: 100, TIEN_YEN: 300}.items():
        entered("households", "current", code, 2024, households - 10)
        entered("households", "current", code, 2025, households)
    client = reading(users["province officer"], "vi")

    page = client.get(f"/indicators/groups/{group.pk}/").content.decode()
    form = client.get(f"/indicators/targets/new/?group={group.pk}").content.decode()
    client.post(
        "/indicators/targets/new/",
        {
            "indicator": "households",
            "group": str(group.pk),
            "baseline_year": "2024",
            "target_year": "2030",
            "kind": "at_least",
            "value": "450",
        },
    )
    with_target = client.get(f"/indicators/groups/{group.pk}/").content.decode()

    assert 'id="no-group-targets"' in page
    assert f'href="/indicators/targets/new/?group={group.pk}"' in page
    assert f'href="/indicators/units/current/{BA_CHE}/"' in page
    row = page[page.index('id="score-households"') :]
    assert "<b>400</b>" in row[: row.index("</tr>")]
    assert f'<option value="{group.pk}" selected>' in form
    target = Target.objects.get()
    assert target.group == group
    row = with_target[with_target.index(f'id="target-{target.pk}"') :]
    assert "đúng tiến độ" in row[: row.index("</tr>")]


def test_another_province_group_is_not_found(users: dict[str, User], group: UnitGroup) -> None:
    client = reading(users["other province officer"], "en")

    response = client.get(f"/indicators/groups/{group.pk}/")
    listed = client.get("/indicators/groups/").content.decode()
    target_form = client.get(f"/indicators/targets/new/?group={group.pk}").content.decode()

    assert response.status_code == 404
    assert group.name not in listed
    assert group.name not in target_form


def test_a_name_like_a_spreadsheet_formula_is_exported_as_text(users: dict[str, User]) -> None:
    """Given an indicator named like a formula, when the explorer's table is downloaded, then the name is
    a text cell, never a formula."""
    indicator_create(
        user=users["province officer"],
        values={**TOURISM, "name_vi": '=HYPERLINK("http://example.com","x")', "name_en": "=1+1"},
    )
    entered("qn_tourism_households", "current", QUANG_NINH, 2024, 12)

    response = reading(users["province officer"], "vi").get(
        f"/indicators/explore/export/?indicator=qn_tourism_households&unit={QUANG_NINH}&from_year=2024&to_year=2024"
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [
        cell for row in sheet.iter_rows() for cell in row if cell.value and "HYPERLINK" in str(cell.value)
    ]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)
