"""The main pages on a 390 × 844 phone and on a 1366 × 768 screen, in Vietnamese, as a commune officer
and a province officer of the demo: the header stays small, no page scrolls sideways (wide tables scroll
inside their own box), the questionnaire's inputs sit under their questions, and the menu opens without
JavaScript. Screenshots of every page at both sizes go to ``var/screenshots/`` for the developer's eye."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.demo.data import SMALL, demo_data_ensure
from vungcao.demo.services import DEMO_PASSWORD
from vungcao.registry.models import CommuneReview, Household, ReviewCycle

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
HEADER_SHARE_ON_PHONE = 0.15


def main_pages(user: User) -> dict[str, str]:
    """The pages an officer works in, named for the screenshots, for the demo data of their scope."""
    entered = (
        CommuneReview.objects.filter(assessments__isnull=False)
        .distinct()
        .select_related("cycle", "commune")
        .order_by("-cycle__year", "commune__code")
    )
    review = next(review for review in entered if access.can_view_unit(user, review.commune))
    cycle = review.cycle
    household = (
        access.restrict_households(Household.objects.filter(dissolved_on__isnull=True), user)
        .filter(assessments__cycle=cycle)
        .order_by("code")
        .first()
    )
    assert household is not None
    return {
        "units": reverse("geo:unit-browser"),
        "unit": reverse("geo:unit-detail", args=[review.commune.era, review.commune.code]),
        "reviews": reverse("registry:review-list"),
        "review": reverse("registry:review-dashboard", args=[cycle.pk]),
        "commune-review": reverse("registry:commune-review", args=[cycle.pk, review.commune.code]),
        "households": reverse("registry:household-list"),
        "household": reverse("registry:household-detail", args=[household.code]),
        "answers": reverse("registry:household-answers", args=[household.code, cycle.pk]),
        "changes": "{}?earlier={}&later={}".format(
            reverse("registry:changes"),
            ReviewCycle.objects.get(province=cycle.province, year=cycle.year - 1).pk,
            cycle.pk,
        ),
        "money": reverse("programs:dashboard"),
        "programmes": reverse("programs:programme-list"),
        "works": reverse("programs:work-list"),
        "imports": reverse("imports:list"),
        "account": reverse("accounts:profile"),
    }


@pytest.fixture
def demo_users(live_server, reference_data_loaded) -> dict[str, User]:  # type: ignore[no-untyped-def]
    accounts, _summary = demo_data_ensure(**SMALL)
    return {user.username: user for _account, user in accounts}


@contextmanager
def signed_in(browser: Browser, base_url: str, username: str, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    yield page
    context.close()


def measure(page: Page) -> dict[str, float]:
    return page.evaluate(
        """() => ({
            header: document.querySelector('header.topbar')?.getBoundingClientRect().height ?? -1,
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
        })"""
    )


@pytest.mark.parametrize("username", ["bache", "quangninh"])
def test_main_pages_fit_a_phone_and_a_desktop_screen(
    browser: Browser, live_server, demo_users, username
) -> None:
    pages = main_pages(demo_users[username])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        with signed_in(browser, live_server.url, username, viewport) as page:
            for name, path in pages.items():
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(SCREENSHOTS / f"{username}-{size}-{name}.png"), full_page=True)
                sizes = measure(page)
                if response.status != 200 or sizes["header"] < 0:
                    problems.append(f"{size} {path}: answers {response.status}, {page.title()!r}")
                if sizes["scrollWidth"] > sizes["innerWidth"]:
                    problems.append(f"{size} {path}: scrolls sideways ({sizes['scrollWidth']} px)")
                if size == "phone" and sizes["header"] > HEADER_SHARE_ON_PHONE * viewport["height"]:
                    problems.append(f"{size} {path}: the header takes {sizes['header']} px")
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_menu_folds_and_the_questions_keep_their_inputs_in_view(
    browser: Browser, live_server, demo_users
) -> None:
    pages = main_pages(demo_users["bache"])
    with signed_in(browser, live_server.url, "bache", PHONE) as page:
        page.goto(f"{live_server.url}{pages['answers']}")
        # The menu is folded: its links are hidden until "Menu" is pressed (a <details>, no script needed)
        first_link = page.locator("nav.mainnav a").first
        assert not first_link.is_visible()
        page.click("details.menu > summary")
        assert first_link.is_visible()
        assert page.locator("details.menu button.link").is_visible()  # log out
        page.click("details.menu > summary")
        assert not first_link.is_visible()
        # Every question's input sits under its label, within the screen's width
        fields = page.evaluate(
            """() => [...document.querySelectorAll('main form dl dt')].map(dt => {
                const label = dt.getBoundingClientRect();
                const input = dt.nextElementSibling.querySelector('input, select, textarea');
                const box = input ? input.getBoundingClientRect() : null;
                return {label: label.bottom, top: box && box.top, right: box && box.right};
            })"""
        )
        assert fields
        for field in fields:
            if field["top"] is None:
                continue
            assert field["top"] >= field["label"] - 1
            assert field["right"] <= PHONE["width"]
        # and the save button is a touch target of at least 44 px
        assert page.locator("main form button[type=submit]").bounding_box()["height"] >= 44
