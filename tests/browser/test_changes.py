"""On a phone (390 × 844), in Vietnamese, a province officer corrects what was entered and defined: a target
changed from its page and removed after its confirmation, a value corrected from the provenance of a
figure, a group's members ticked again, a province indicator renamed; no page scrolls sideways, in a real
browser (headless Chromium)."""

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_unit_browser import log_in
from tests.conftest import BA_CHE, PASSWORD, QUANG_NINH, TIEN_YEN
from tests.indicators.helpers import TOURISM
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import Indicator, IndicatorValue, Target, UnitGroup
from vungcao.indicators.services import indicator_value_enter
from vungcao.indicators.services.definitions import indicator_create
from vungcao.indicators.services.groups import unit_group_create
from vungcao.indicators.services.targets import target_create

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fits(page: Page, name: str) -> None:
    """The page does not scroll sideways on the phone; its screenshot is kept (once a navigation a click
    started has loaded: a document being replaced has no element to measure)."""
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    screenshot(page, name)


def test_a_province_officer_corrects_on_a_phone(browser: Browser, live_server, units_loaded) -> None:
    officer = account_services.user_create(
        username="quangninh",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        scope=AdministrativeUnit.objects.get(era=Era.CURRENT, code=QUANG_NINH),
    )
    target = target_create(
        user=officer,
        values={
            "indicator": "poverty_rate",
            "unit_code": QUANG_NINH,
            "baseline_year": 2019,
            "target_year": 2025,
            "kind": "at_most",
            "value": "10,5",
        },
    )
    value = indicator_value_enter(
        user=officer,
        values={"indicator": "communes_with_hardened_road", "unit_code": BA_CHE, "year": 2024, "value": 1},
    )
    group = unit_group_create(user=officer, values={"name": "Xã khó khăn", "member_codes": [BA_CHE]})
    indicator = indicator_create(user=officer, values=TOURISM)
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server.url, "quangninh")

    # A target: changed from its page, then removed after its confirmation
    page.goto(f"{live_server.url}/indicators/targets/{target.pk}/")
    page.click("#change-target")
    expect(page.locator("#id_value")).to_have_value("10,5")
    page.fill("#id_value", "8,5")
    fits(page, "indicators-target-change-phone")
    page.click("#target-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("8,5")
    page.click("#remove-target")
    expect(page.locator("#confirm-removal")).to_be_visible()
    fits(page, "indicators-target-delete-phone")
    page.click("#confirm-removal")
    expect(page.locator(".messages")).to_be_visible()
    assert not Target.objects.exists()

    # A value: corrected from the provenance of the figure it makes
    page.goto(
        f"{live_server.url}/indicators/explore/provenance/"
        f"?indicator=communes_with_hardened_road&era=current&unit={BA_CHE}&year=2024"
    )
    page.click("a[href$='/change/']")
    page.fill("#id_value", "0")
    fits(page, "indicators-value-change-phone")
    page.click("#value-form button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    assert IndicatorValue.objects.get(pk=value.pk).value == Decimal(0)

    # A group: its members ticked again
    page.goto(f"{live_server.url}/indicators/groups/{group.pk}/")
    page.click("#change-group")
    page.locator(f"input[value='{TIEN_YEN}']").check()
    fits(page, "indicators-group-change-phone")
    page.click("#group-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Xã khó khăn")
    assert sorted(UnitGroup.objects.get().members.values_list("code", flat=True)) == sorted(
        [BA_CHE, TIEN_YEN]
    )

    # A province indicator: renamed from the list
    page.goto(f"{live_server.url}/indicators/province/")
    fits(page, "indicators-province-indicator-list-phone")
    page.click(f"a[href='/indicators/province/{indicator.code}/change/']")
    page.fill("#id_name_vi", "Số hộ kinh doanh du lịch cộng đồng")
    fits(page, "indicators-province-indicator-change-phone")
    page.click("#indicator-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Số hộ kinh doanh du lịch cộng đồng")
    assert Indicator.objects.get().name_vi == "Số hộ kinh doanh du lịch cộng đồng"
    context.close()
