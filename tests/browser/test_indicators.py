"""A province officer sets a target, imports a year of indicator values with one bad row, and reads the
scorecard and the explorer, in a real browser (headless Chromium)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_unit_browser import log_in
from tests.conftest import PASSWORD
from tests.imports.helpers import run_tasks
from tests.indicators.helpers import entered
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import IndicatorValue

pytestmark = pytest.mark.browser

HEADER = "indicator,era,unit_code,year,value,note\n"
YEAR_2024 = "households,current,22,2024,1000,Báo cáo rà soát 2024\npoor_households,current,22,2024,100,\n"
OUT_OF_SCOPE = "households,current,11,2024,900,\n"


def upload(page: Page, base_url: str, path: Path) -> None:
    page.goto(f"{base_url}/imports/new/indicator_values/")
    page.set_input_files("input[type=file]", str(path))
    page.click("form button.primary")
    expect(page.locator("#batch")).to_be_visible()
    assert run_tasks() == 1


def test_a_province_officer_sets_a_target_imports_values_and_reads_the_scorecard(
    page: Page, live_server, reference_data_loaded, tmp_path: Path
) -> None:
    account_services.user_create(
        username="quangninh",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        scope=AdministrativeUnit.objects.get(era=Era.CURRENT, code="22"),
    )
    for year, rate in {2019: 20, 2020: 18, 2021: 16, 2022: 14, 2023: 12}.items():
        entered("households", "current", "22", year, 1000)
        entered("poor_households", "current", "22", year, rate * 10)
    log_in(page, live_server.url, "quangninh")

    # The catalogue, reached from the menu, speaks in words.
    page.goto(f"{live_server.url}/indicators/")
    expect(page.locator("#indicator-poverty_rate")).to_contain_text("tính lại từ các thành phần")
    screenshot(page, "indicators-catalogue")

    # A target: the poverty rate at most 11% by 2027, from 2019 (on track at 12% in 2023).
    page.goto(f"{live_server.url}/indicators/targets/new/")
    form = page.locator("#target-form")
    form.locator("[name=indicator]").select_option("poverty_rate")
    form.locator("[name=unit_code]").fill("22")
    form.locator("[name=baseline_year]").fill("2019")
    form.locator("[name=target_year]").fill("2027")
    form.locator("[name=kind]").select_option("at_most")
    form.locator("[name=value]").fill("11")
    form.locator("button[type=submit]").click()
    expect(page.locator("#status")).to_have_text("đúng tiến độ")
    expect(page.locator("#latest")).to_contain_text("12,00 (2023)")

    # A year of values with one row outside the province: refused, the row named, nothing written.
    bad = tmp_path / "chi-tieu-2024.csv"
    bad.write_text(HEADER + YEAR_2024 + OUT_OF_SCOPE, encoding="utf-8")
    upload(page, live_server.url, bad)
    expect(page.locator("#problems")).to_contain_text("11")
    screenshot(page, "indicators-import-refused")
    assert not IndicatorValue.objects.filter(year=2024).exists()
    # Corrected, it is applied.
    good = tmp_path / "chi-tieu-2024-sua.csv"
    good.write_text(HEADER + YEAR_2024, encoding="utf-8")
    upload(page, live_server.url, good)
    expect(page.locator("#counts")).to_contain_text("2")
    page.click("#apply")
    assert run_tasks() == 1
    expect(page.locator("#applied")).to_be_visible()

    # The scorecard: 10,00% in 2024, the target achieved.
    page.goto(f"{live_server.url}/indicators/units/current/22/")
    row = page.locator("#score-poverty_rate")
    expect(row).to_contain_text("10,00")
    expect(row).to_contain_text("(2024)")
    expect(row).to_contain_text("đã đạt")
    screenshot(page, "indicators-scorecard")

    # The explorer draws the chart and tells where a figure comes from.
    page.goto(
        f"{live_server.url}/indicators/explore/?indicator=poverty_rate&unit=22&from_year=2019&to_year=2024"
    )
    expect(page.locator("figure.chart-figure[data-drawn] canvas")).to_have_count(1)
    page.locator("#explorer-table tr.asked a").last.click()
    expect(page.locator("#provenance-card")).to_contain_text("Số hộ nghèo")
    screenshot(page, "indicators-explorer")
