"""On a phone, a province officer makes a group of communes by finding and ticking them, and defines a
derived indicator whose formula fields follow the operation chosen, in a real browser (headless
Chromium)."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import screenshot
from tests.browser.test_unit_browser import log_in
from tests.conftest import BA_CHE, PASSWORD, QUANG_NINH, TIEN_YEN
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import Indicator, UnitGroup

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_group_and_an_indicator_are_defined_on_a_phone(browser: Browser, live_server, units_loaded) -> None:
    account_services.user_create(
        username="quangninh",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        scope=AdministrativeUnit.objects.get(era=Era.CURRENT, code=QUANG_NINH),
    )
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server.url, "quangninh")

    # A group: the list of communes narrowed by what is typed (with or without diacritics), then ticked.
    page.goto(f"{live_server.url}/indicators/groups/new/")
    page.fill("#id_name", "Xã vùng cao biên giới")
    search = page.locator("[data-unit-filter]")
    search.fill("ba che")
    expect(page.locator("#unit-choices li:visible")).to_have_count(1)
    page.click("[data-tick-shown]")
    search.fill("Tiên Yên")
    page.locator(f"input[value='{TIEN_YEN}']").check()
    expect(page.locator("[data-ticked-count]")).to_have_text("2")
    search.press("Enter")  # filters; does not send the form
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "indicators-group-new-phone")
    page.click("#group-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Xã vùng cao biên giới")
    assert sorted(UnitGroup.objects.get().members.values_list("code", flat=True)) == sorted(
        [BA_CHE, TIEN_YEN]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "indicators-group-phone")

    # A derived indicator: the formula's fields appear for a derived one, those of the operation chosen.
    page.goto(f"{live_server.url}/indicators/province/new/")
    form = page.locator("#indicator-form")
    expect(form.locator("[name=formula_op]")).to_be_hidden()
    form.locator("[name=code]").fill("qn_grid_gap")
    form.locator("[name=name_vi]").fill("Số hộ chưa có điện lưới")
    form.locator("[name=name_en]").fill("Households without the grid")
    form.locator("[name=unit]").select_option("households")
    form.locator("[name=kind]").select_option("derived")
    form.locator("[name=aggregation]").select_option("recompute")
    form.locator("[name=source]").fill("Nghị quyết 06-NQ/TU")
    form.locator("[name=formula_op]").select_option("difference")
    expect(form.locator("[name=formula_minuend]")).to_be_visible()
    expect(form.locator("[name=formula_numerator]")).to_be_hidden()
    form.locator("[name=formula_minuend]").select_option("households")
    form.locator("[name=formula_subtrahend]").select_option("households_on_national_grid")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "indicators-province-indicator-new-phone")
    form.locator("button[type=submit]").click()
    expect(page.locator("#formula")).to_contain_text("−")
    assert Indicator.objects.get().formula == {
        "op": "difference",
        "minuend": "households",
        "subtrahend": "households_on_national_grid",
    }
    context.close()
