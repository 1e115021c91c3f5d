"""On a phone (390 × 844), in Vietnamese, a province officer makes a plan, adds and moves its objectives,
adds a target to one from the plan's page (the target form's objectives following the unit typed), and
opens a reporting period whose deadline follows what is asked, in a real browser (headless Chromium)."""

import datetime

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.indicators.helpers import entered
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import Objective, Plan, ReportingPeriod, Target

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_province_officer_plans_on_a_phone(browser: Browser, live_server, reference_data_loaded) -> None:
    account_services.user_create(
        username="quangninh",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        scope=AdministrativeUnit.objects.get(era=Era.CURRENT, code="22"),
    )
    for year, rate in {2019: 20, 2021: 16, 2023: 12}.items():
        entered("households", "current", "22", year, 1000)
        entered("poor_households", "current", "22", year, rate * 10)
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "quangninh")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")

    # A new plan, from the plans' page
    page.goto(f"{live_server.url}/indicators/plans/")
    page.click("#new-plan")
    form = page.locator("#plan-form")
    form.locator("[name=name]").fill("Chương trình hành động 06-NQ/TU")
    form.locator("[name=from_year]").fill("2021")
    form.locator("[name=to_year]").fill("2030")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Chương trình hành động 06-NQ/TU")
    plan = Plan.objects.get()

    # Two objectives; the second moved to the top
    for name in ("Phát triển kinh tế", "Giảm nghèo bền vững"):
        add = page.locator("#objective-form")
        add.locator("[name=name]").fill(name)
        add.locator("button[type=submit]").click()
    poverty = Objective.objects.get(name="Giảm nghèo bền vững")
    page.locator(f"#objective-{poverty.pk} form:has(input[name=position]) button").click()
    expect(page.locator("section.objective h2").first).to_contain_text("1. Giảm nghèo bền vững")

    # A target added to that objective: the form opens with it chosen; the objectives follow the unit
    page.locator(f"#objective-{poverty.pk} a.button").click()
    objective = page.locator("#id_objective")
    expect(objective).to_have_value(str(poverty.pk))
    page.locator("#id_unit_code").fill("11")
    page.locator("#id_unit_code").dispatch_event("change")
    expect(page.locator("#id_objective option")).to_have_count(1)  # Điện Biên: no plan the officer keeps
    page.locator("#id_unit_code").fill("22")
    page.locator("#id_unit_code").dispatch_event("change")
    expect(page.locator("#id_objective optgroup")).to_have_count(1)
    page.locator("#id_objective").select_option(str(poverty.pk))
    target_form = page.locator("#target-form")
    target_form.locator("[name=indicator]").select_option("poverty_rate")
    target_form.locator("[name=baseline_year]").fill("2019")
    target_form.locator("[name=target_year]").fill("2030")
    target_form.locator("[name=kind]").select_option("at_most")
    target_form.locator("[name=value]").fill("5")
    target_form.locator("button[type=submit]").click()
    expect(page.locator("#status")).to_have_text("đúng tiến độ")
    assert Target.objects.get().objective == poverty

    # The plan's page on the phone: the target in its objective, nothing scrolls sideways
    page.goto(f"{live_server.url}/indicators/plans/{plan.pk}/")
    row = page.locator(f"#objective-{poverty.pk} tr[id^=target-]")
    expect(row).to_contain_text("Tỷ lệ hộ nghèo")
    expect(row).to_contain_text("12,00 (2023)")
    expect(row).to_contain_text("đúng tiến độ")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "plan-phone")

    # A reporting period: the deadline follows what is asked
    page.goto(f"{live_server.url}/indicators/completeness/")
    year = datetime.date.today().year
    deadline = page.locator("#id_deadline")
    expect(deadline).to_have_value(f"14/12/{year}")
    page.locator("#id_asked").select_option("indicator:communes_with_hardened_road")
    expect(page.locator("#id_deadline")).to_have_value(f"25/01/{year + 1}")
    expect(page.locator("#deadline-source")).to_contain_text("Thông tư 01/2022/TT-UBDT")
    page.locator("#period-form button[type=submit]").click()
    expect(page.locator("#deadline")).to_contain_text(f"25/01/{year + 1}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    period = ReportingPeriod.objects.get()
    assert (period.indicator, period.year, period.owner.code) == ("communes_with_hardened_road", year, "22")
    context.close()
