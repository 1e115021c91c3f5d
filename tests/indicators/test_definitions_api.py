"""A province's own indicators and groups of units over the API: defining them, and a group's figures.

Given Quảng Ninh's officer (and Điện Biên's, a commune's, a national administrator's and an analyst's),
when they define indicators and groups through the API, then each is checked field by field (every bad
field named, nothing written), a province outside the caller's scope is refused exactly as one that does
not exist, and a group's figures are its members' counts added up with its rates recomputed from them.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from tests.conftest import BA_CHE, DIEN_BIEN, MUONG_PHANG, QUANG_NINH, TIEN_YEN
from tests.indicators.helpers import TOURISM, TOURISM_RATE, entered, get, post
from vungcao.accounts.models import Role, User
from vungcao.common.bounds import CONTROL_CHARACTER
from vungcao.engine.indicators.catalogue import MOST_DECIMALS
from vungcao.engine.indicators.reasons import (
    BAD_CODE,
    BAD_SCALE,
    CYCLE,
    DERIVED_NOT_RECOMPUTED,
    DUPLICATE_CODE,
    FORMULA_MISSING_PART,
    UNKNOWN_REFERENCE,
    UNKNOWN_VALUE,
)
from vungcao.engine.indicators.resolution import CANNOT_COMBINE, MISSING_PARTS
from vungcao.engine.numbers import NOT_A_NUMBER
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import Indicator, UnitGroup
from vungcao.indicators.services.definitions import NOT_OWN_KIND, UNKNOWN_PROVINCE
from vungcao.indicators.services.groups import (
    DUPLICATE_GROUP,
    MEMBERS_OVERLAP,
    UNKNOWN_MEMBERS,
    UNKNOWN_OWNER,
)
from vungcao.indicators.services.targets import UNIT_OR_GROUP
from vungcao.programs.services.money import REQUIRED, UNKNOWN_ERA

pytestmark = pytest.mark.django_db

INDICATORS, GROUPS, VALUES = "/api/v1/indicators", "/api/v1/unit-groups", "/api/v1/indicator-values"


def reason(template: Any, code: str, **values: object) -> str:
    return template.format(code=code, **values).en


@pytest.fixture
def users(make_user: Callable[..., User], province_officer: User) -> dict[str, User]:
    return {
        "quangninh": province_officer,
        "dienbien": make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN),
        "bache": make_user("bache-officer", Role.COMMUNE_OFFICER, BA_CHE),
        "admin": make_user("national-admin", Role.ADMINISTRATOR),
        "analyst": make_user("analyst", Role.MINISTRY_ANALYST),
    }


def catalogue_codes(user: User) -> set[str]:
    return {item["code"] for item in get(user, INDICATORS, limit=1000).json()["items"]}


# A province's own indicators ------------------------------------------------------------------------------


def test_a_province_officer_defines_an_indicator_listed_as_the_catalogue_lists_it(
    users: dict[str, User],
) -> None:
    response = post(users["quangninh"], INDICATORS, TOURISM)

    assert response.status_code == 201, response.content
    listed = {item["code"]: item for item in get(users["quangninh"], INDICATORS, limit=1000).json()["items"]}
    assert response.json() == {**listed["qn_tourism_households"], "owner_name": "Quảng Ninh"}
    assert {key: response.json()[key] for key in ("code", "kind", "accepts_entries", "minimum", "owner")} == {
        "code": "qn_tourism_households",
        "kind": "entered",
        "accepts_entries": True,
        "minimum": 0,
        "owner": QUANG_NINH,
    }
    row = Indicator.objects.get()
    assert (row.owner.code, row.created_by) == (QUANG_NINH, users["quangninh"])
    assert "qn_tourism_households" in catalogue_codes(users["bache"])  # the province's communes see it
    assert "qn_tourism_households" in catalogue_codes(users["analyst"])
    assert "qn_tourism_households" not in catalogue_codes(users["dienbien"])


def test_a_derived_indicator_reads_its_formula_as_the_catalogue_writes_it(users: dict[str, User]) -> None:
    """Given the province's tourism households and the shipped households, when a rate of them is
    defined (its scale written "100" as a page sends it), then it is derived from them."""
    post(users["quangninh"], INDICATORS, TOURISM)
    entered("qn_tourism_households", "current", BA_CHE, 2025, 30)
    entered("households", "current", BA_CHE, 2025, 120)

    response = post(
        users["quangninh"],
        INDICATORS,
        {**TOURISM_RATE, "formula": {**TOURISM_RATE["formula"], "scale": "100"}},
    )

    assert response.status_code == 201, response.content
    assert response.json()["formula"] == {"op": "ratio", "reads": ["qn_tourism_households", "households"]}
    assert Indicator.objects.get(code="qn_tourism_households_rate").formula["scale"] == 100
    rates = get(
        users["quangninh"],
        VALUES,
        indicator="qn_tourism_households_rate",
        unit_code=BA_CHE,
        from_year=2025,
        to_year=2025,
    ).json()["items"]
    assert rates[0]["value"] == 25


def test_a_refused_indicator_names_every_bad_field_and_writes_nothing(users: dict[str, User]) -> None:
    response = post(
        users["quangninh"],
        INDICATORS,
        {
            "code": "Bad Code",
            "name_vi": "",
            "name_en": "Bell\x07",
            "unit": "parsecs",
            "kind": "computed",
            "aggregation": "sum",
            "source": "",
            "decimals": 40,
            "minimum": "mười",
            "maximum": 10**30,
        },
    )

    assert response.status_code == 422
    with translation.override("en"):
        assert response.json()["errors"] == {
            "code": reason(BAD_CODE, "Bad Code"),
            "name_vi": str(REQUIRED),
            "name_en": str(CONTROL_CHARACTER).format(code=7),
            "unit": reason(UNKNOWN_VALUE, "Bad Code", field="unit", value="parsecs", allowed=ALLOWED_UNITS),
            "kind": str(NOT_OWN_KIND),
            "source": str(REQUIRED),
            "decimals": f"More than the maximum of {MOST_DECIMALS}.",
            "minimum": NOT_A_NUMBER.en,
            "maximum": "More than the maximum of 1,000,000,000,000,000,000.",
        }
    assert not Indicator.objects.exists()


ALLOWED_UNITS = (
    "households, people, percent, percentage_points, vnd, vnd_per_person_month, km, ha, communes, villages, "
    "schools, classrooms, works, ratio, index"
)


def test_a_formula_is_refused_under_the_part_at_fault(users: dict[str, User]) -> None:
    """Given a rate without its denominator and with a scale of zero, then each part at fault is named;
    given one that reads itself and is added up, then the formula and the aggregation are."""
    code = TOURISM_RATE["code"]
    unreadable = post(
        users["quangninh"],
        INDICATORS,
        {**TOURISM_RATE, "formula": {"op": "ratio", "numerator": "households", "scale": 0}},
    )
    itself = post(
        users["quangninh"],
        INDICATORS,
        {**TOURISM_RATE, "aggregation": "sum", "formula": {"op": "sum", "terms": ["households", code]}},
    )

    assert unreadable.json()["errors"] == {
        "formula.denominator": reason(FORMULA_MISSING_PART, code, op="ratio", part="denominator"),
        "formula.scale": reason(BAD_SCALE, code),
    }
    assert itself.json()["errors"] == {
        "aggregation": reason(DERIVED_NOT_RECOMPUTED, code),
        "formula": reason(CYCLE, code, path=f"{code} → {code}"),
    }
    assert not Indicator.objects.exists()


def test_another_province_indicator_is_neither_read_nor_revealed(users: dict[str, User]) -> None:
    """Given Điện Biên's own indicator, when Quảng Ninh's formula reads it, then it is unknown there; when
    Quảng Ninh takes its code, then the code is said to be in use, as any code is, naming no province."""
    post(users["dienbien"], INDICATORS, {**TOURISM, "code": "db_tourism_households"})

    reads = post(
        users["quangninh"],
        INDICATORS,
        {**TOURISM_RATE, "formula": {**TOURISM_RATE["formula"], "numerator": "db_tourism_households"}},
    )
    taken = post(users["quangninh"], INDICATORS, {**TOURISM, "code": "db_tourism_households"})

    assert reads.json()["errors"] == {
        "formula": reason(UNKNOWN_REFERENCE, TOURISM_RATE["code"], reference="db_tourism_households")
    }
    assert taken.json()["errors"] == {"code": reason(DUPLICATE_CODE, "db_tourism_households")}
    assert "Điện Biên" not in taken.content.decode()
    assert list(Indicator.objects.values_list("code", flat=True)) == ["db_tourism_households"]


def test_a_province_outside_the_scope_is_refused_as_one_that_does_not_exist(users: dict[str, User]) -> None:
    elsewhere = post(users["quangninh"], INDICATORS, {**TOURISM, "province_code": DIEN_BIEN})
    nowhere = post(users["quangninh"], INDICATORS, {**TOURISM, "province_code": "99"})

    assert elsewhere.status_code == nowhere.status_code == 422
    with translation.override("en"):
        assert elsewhere.json() == nowhere.json()
        assert elsewhere.json()["errors"] == {"province_code": str(UNKNOWN_PROVINCE)}
    assert not Indicator.objects.exists()


def test_a_national_administrator_names_the_province(users: dict[str, User]) -> None:
    unnamed = post(users["admin"], INDICATORS, TOURISM)
    named = post(users["admin"], INDICATORS, {**TOURISM, "province_code": QUANG_NINH})

    with translation.override("en"):
        assert unnamed.json()["errors"] == {"province_code": str(REQUIRED)}
    assert named.status_code == 201
    assert (named.json()["owner"], named.json()["owner_name"]) == (QUANG_NINH, "Quảng Ninh")


@pytest.mark.parametrize("role", ["bache", "analyst"])
def test_who_does_not_set_targets_may_not_define_indicators(users: dict[str, User], role: str) -> None:
    response = post(users[role], INDICATORS, TOURISM)

    assert response.status_code == 403
    assert not Indicator.objects.exists()


def test_a_nul_or_an_overlong_text_is_refused_before_the_service(users: dict[str, User]) -> None:
    for body in ({**TOURISM, "name_vi": "Hộ\x00"}, {**TOURISM, "name_en": "x" * 301}):
        response = post(users["quangninh"], INDICATORS, body)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] in {"name_vi", "name_en"}
    assert not Indicator.objects.exists()


# Groups of units ----------------------------------------------------------------------------------------------


def make_group(user: User, **body: Any) -> Any:
    return post(
        user,
        GROUPS,
        {"name": "Xã đặc biệt khó khăn", "era": "current", "member_codes": [BA_CHE, TIEN_YEN]} | body,
    )


def test_a_group_is_made_and_listed_in_its_province_only(users: dict[str, User]) -> None:
    response = make_group(users["quangninh"])

    assert response.status_code == 201, response.content
    group = UnitGroup.objects.get()
    assert response.json() == {
        "id": group.pk,
        "name": "Xã đặc biệt khó khăn",
        "era": "current",
        "owner_code": QUANG_NINH,
        "owner_name": "Quảng Ninh",
        "member_codes": sorted([BA_CHE, TIEN_YEN], key=lambda code: group.members.get(code=code).path),
    }
    for role, count in {"quangninh": 1, "analyst": 1, "admin": 1, "dienbien": 0, "bache": 0}.items():
        assert get(users[role], GROUPS).json()["count"] == count, role


def test_a_refused_group_names_every_bad_field_and_writes_nothing(users: dict[str, User]) -> None:
    make_group(users["quangninh"])

    duplicate = make_group(users["quangninh"], name=" Xã đặc biệt khó khăn ")
    bad = make_group(users["quangninh"], name="", era="bronze", member_codes=[])
    strangers = make_group(users["quangninh"], name="Khác", member_codes=[BA_CHE, MUONG_PHANG, "99999"])

    with translation.override("en"):
        assert duplicate.json()["errors"] == {"name": str(DUPLICATE_GROUP)}
        assert bad.json()["errors"] == {
            "name": str(REQUIRED),
            "era": str(UNKNOWN_ERA),
            "member_codes": "A group needs at least one member unit under its owner.",
        }
        # Mường Phăng (Điện Biên) is named as a code that does not exist is: nothing tells it apart.
        assert strangers.json()["errors"] == {
            "member_codes": str(UNKNOWN_MEMBERS).format(codes=f"{MUONG_PHANG}, 99999")
        }
    assert UnitGroup.objects.count() == 1


def test_a_member_within_another_is_refused(users: dict[str, User]) -> None:
    """Given a former commune and the former district it lay in, then the commune would be counted twice."""
    commune = AdministrativeUnit.objects.get(era=Era.PRE2025, code=BA_CHE)
    district = commune.parent
    assert district is not None

    response = make_group(users["quangninh"], era="pre2025", member_codes=[district.code, commune.code])

    with translation.override("en"):  # the API answers in English to a client that asks no language
        assert response.json()["errors"] == {
            "member_codes": str(MEMBERS_OVERLAP).format(inner=commune.name, outer=district.name)
        }
    assert not UnitGroup.objects.exists()


def test_a_group_of_another_province_is_refused_as_one_of_nowhere(users: dict[str, User]) -> None:
    elsewhere = make_group(users["quangninh"], owner_code=DIEN_BIEN, member_codes=[MUONG_PHANG])
    nowhere = make_group(users["quangninh"], owner_code="99", member_codes=[MUONG_PHANG])
    control = make_group(users["quangninh"], member_codes=[BA_CHE, "069\x0170"])

    with translation.override("en"):
        assert elsewhere.json()["errors"]["owner_code"] == nowhere.json()["errors"]["owner_code"]
        assert elsewhere.json()["errors"]["owner_code"] == str(UNKNOWN_OWNER)
        assert control.json()["errors"] == {"member_codes": str(CONTROL_CHARACTER).format(code=1)}
    assert make_group(users["bache"]).status_code == 403
    assert not UnitGroup.objects.exists()


# A group's figures ----------------------------------------------------------------------------------------------


def group_figures(user: User, group: int, indicator: str, **query: Any) -> Any:
    return get(user, VALUES, indicator=indicator, group=group, from_year=2025, to_year=2025, **query)


def test_a_group_adds_up_its_members_and_recomputes_its_rates(users: dict[str, User]) -> None:
    """Given Ba Chẽ with 30 poor of 100 households (30%) and Tiên Yên with 10 of 300 (3.33%), then the
    group has 40 poor of 400 households: 10%, not the mean of the rates (16.67%)."""
    group = make_group(users["quangninh"]).json()["id"]
    for code, (households, poor) in {BA_CHE: (100, 30), TIEN_YEN: (300, 10)}.items():
        entered("households", "current", code, 2025, households)
        entered("poor_households", "current", code, 2025, poor)

    households = group_figures(users["quangninh"], group, "households").json()["items"]
    rates = group_figures(users["quangninh"], group, "poverty_rate", children="true").json()["items"]

    assert [(item["unit_code"], item["unit_name"], item["value"]) for item in households] == [
        (f"group:{group}", "Xã đặc biệt khó khăn", 400)
    ]
    assert households[0]["provenance"]["units"] == 2
    assert {item["unit_code"]: item["value"] for item in rates} == {
        f"group:{group}": 10,
        BA_CHE: 30,
        TIEN_YEN: 3.33,
    }


def test_a_group_figure_that_cannot_be_made_says_why(users: dict[str, User]) -> None:
    """Given a mean entered for both members and households for one, then neither is made for the group."""
    group = make_group(users["quangninh"]).json()["id"]
    entered("income_per_capita_poor_households", "current", BA_CHE, 2025, 1_100_000)
    entered("income_per_capita_poor_households", "current", TIEN_YEN, 2025, 1_300_000)
    entered("households", "current", BA_CHE, 2025, 100)

    income = group_figures(users["quangninh"], group, "income_per_capita_poor_households").json()["items"]
    households = group_figures(users["quangninh"], group, "households").json()["items"]

    assert (income[0]["value"], income[0]["reason"]) == (
        None,
        CANNOT_COMBINE.format(unit="Xã đặc biệt khó khăn").en,
    )
    assert households[0]["value"] is None
    assert (
        households[0]["reason"]
        == MISSING_PARTS.format(missing=1, total=2, unit="Xã đặc biệt khó khăn", units="Xã Tiên Yên").en
    )


def test_a_group_out_of_scope_is_not_found_and_a_unit_with_a_group_refused(users: dict[str, User]) -> None:
    group = make_group(users["quangninh"]).json()["id"]

    assert group_figures(users["dienbien"], group, "households").status_code == 404
    assert group_figures(users["quangninh"], group + 1000, "households").status_code == 404
    both = group_figures(users["quangninh"], group, "households", unit_code=BA_CHE)
    assert both.status_code == 422
    assert both.json()["detail"][0]["loc"] == ["query", "group"]
    with translation.override("en"):
        assert str(UNIT_OR_GROUP) in both.json()["detail"][0]["msg"]
