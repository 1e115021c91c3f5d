"""A province administrator creates an officer in a real browser: the scope chosen by name as one types,
its full path shown before saving, the password shown once and changed at the officer's first login."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, QUANG_NINH, current_unit
from vungcao.accounts import services
from vungcao.accounts.models import Role, User

pytestmark = pytest.mark.browser


def log_in(tab: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    tab.goto(f"{base_url}/accounts/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    tab.press("#id_password", "Enter")


def test_a_province_administrator_creates_an_officer_choosing_the_commune_by_name(
    page: Page,
    browser: Browser,
    live_server,
    units_loaded,
) -> None:
    services.user_create(
        username="qn-admin", password=PASSWORD, role=Role.ADMINISTRATOR, scope=current_unit(QUANG_NINH)
    )
    log_in(page, live_server.url, "qn-admin")
    page.click("nav.mainnav a[href='/accounts/users/']")
    page.click("a[href='/accounts/users/new/']")
    page.fill("#id_username", "ba-che-2")
    page.fill("#id_full_name", "Hoàng Văn Bình")
    page.fill("#id_scope", "")
    page.type("#id_scope", "ba che", delay=30)
    match = page.locator("#scope-results button", has_text="Xã Ba Chẽ")
    expect(match).to_have_count(1)
    expect(page.locator("#scope-results")).not_to_contain_text("Điện Biên")
    match.click()
    expect(page.locator("#id_scope")).to_have_value("06970")
    expect(page.locator("#scope-chosen")).to_have_text("Xã Ba Chẽ · Tỉnh Quảng Ninh (06970)")
    screenshot(page, "user-create-scope-chosen")

    page.click("button[name=save]")
    password = page.locator("#new-password").inner_text()
    assert re.fullmatch(r"(\w{4}-){3}\w{4}", password)
    officer = User.objects.get(username="ba-che-2")
    assert (officer.role, officer.scope.code) == (Role.COMMUNE_OFFICER, "06970")  # type: ignore[union-attr]
    screenshot(page, "user-created-password-once")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    phone = context.new_page()
    log_in(phone, live_server.url, "ba-che-2", password)
    expect(phone).to_have_url(f"{live_server.url}/accounts/me/password/")
    phone.fill("#id_old_password", password)
    phone.fill("#id_new_password1", PASSWORD + "-2")
    phone.fill("#id_new_password2", PASSWORD + "-2")
    phone.click("button[type=submit].primary")
    expect(phone).to_have_url(f"{live_server.url}/accounts/me/")
    context.close()
    officer.refresh_from_db()
    assert not officer.must_change_password
