"""Every page, for every demo role, answers without a server error, every link leads somewhere, and the
Vietnamese pages show no English message and no raw code.

Given a small but complete demo (four communes per province, a dozen households each: every review
state, events with and without a user, past years, changed households, the money story), each demo role
crawls the site from the home page (breadth-first, GET only) and visits the object pages of a sample of
each kind it may see; every problem is collected, then reported at once with its role and address."""

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.crawler import CrawlResult, Failure, crawl, fetch, page_read, text_problems
from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.demo.data import SMALL, demo_data_ensure
from vungcao.demo.services import DEMO_ACCOUNTS
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.programs.models import Programme
from vungcao.registry.models import CommuneReview, Household, ReviewCycle

pytestmark = pytest.mark.django_db

CAP_PER_ROLE = 160
ENGLISH_PAGES_PER_ROLE = 6


def _units(user: User) -> list[str]:
    """A province, a commune and a village of each era that the user may see."""
    units = access.restrict_units(AdministrativeUnit.objects.all(), user)
    chosen = []
    for era in (Era.CURRENT, Era.PRE2025):
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE):
            unit = units.filter(era=era, level=level).order_by("path").first()
            if unit:
                chosen.append(reverse("geo:unit-detail", args=[unit.era, unit.code]))
    return chosen


def _reviews(user: User) -> list[str]:
    """Every review cycle of the user's scope, and a commune review of each state and year."""
    urls = [
        reverse("registry:review-dashboard", args=[cycle.pk])
        for cycle in ReviewCycle.objects.select_related("province")
        if access.can_view_unit(user, cycle.province)
    ]
    shown: set[tuple[int, str]] = set()
    for review in CommuneReview.objects.select_related("commune").order_by("cycle__year", "pk"):
        if (review.cycle_id, review.state) in shown or not access.can_view_unit(user, review.commune):
            continue
        shown.add((review.cycle_id, review.state))
        urls.append(reverse("registry:commune-review", args=[review.cycle_id, review.commune.code]))
    return urls


def _households(user: User) -> list[str]:
    """Households of every story (ordinary, split from another, dissolved) and, for a role that enters
    answers in the household's commune, their answers pages (others read the answers on the household's
    page and are never linked to the form)."""
    households = access.restrict_households(Household.objects.all(), user).order_by("code")
    samples = [
        households.filter(dissolved_on__isnull=True).first(),
        households.filter(events__kind="split_from").first(),
        households.filter(dissolved_on__isnull=False).first(),
    ]
    urls = []
    for household in filter(None, samples):
        urls.append(reverse("registry:household-detail", args=[household.code]))
        commune = household.village.parent
        if commune is None or not access.can_enter_answers(user, commune):
            continue
        for assessment in household.assessments.order_by("cycle__year"):
            urls.append(reverse("registry:household-answers", args=[household.code, assessment.cycle_id]))
    return urls


def sampled_pages(user: User) -> list[str]:
    programmes = [reverse("programs:programme-detail", args=[p.code]) for p in Programme.objects.all()[:3]]
    return [*_units(user), *_reviews(user), *_households(user), *programmes]


def english_pages(client: Client, role: str, result: CrawlResult) -> list[Failure]:
    """The first pages of the crawl again, in English: no server error either."""
    client.cookies["django_language"] = "en"
    failures = []
    for url in result.visited[:ENGLISH_PAGES_PER_ROLE]:
        response = fetch(client, url)
        if response.status_code >= 500:
            failures.append(Failure(role, url, f"server error {response.status_code} in English"))
    del client.cookies["django_language"]
    return failures


@pytest.fixture
def demo() -> list[User]:
    accounts, _summary = demo_data_ensure(**SMALL)
    return [user for _account, user in accounts]


def test_every_page_for_every_role_answers_and_speaks_vietnamese(demo: list[User]) -> None:
    failures: list[Failure] = []
    visited = {}
    for user in demo:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        result = crawl(client, user.username, sampled=sampled_pages(user), cap=CAP_PER_ROLE)
        visited[user.username] = len(result.visited)
        failures += result.failures
        failures += english_pages(client, user.username, result)
    assert set(visited) == {account.username for account in DEMO_ACCOUNTS}
    assert all(count >= 10 for count in visited.values()), visited
    causes = Counter(failure.problem for failure in failures)
    assert not failures, "\n".join(
        [
            f"{len(failures)} problems on the pages visited {visited}; by cause:",
            *(f"  {count} × {problem}" for problem, count in causes.most_common()),
            "each:",
            *map(str, sorted(failures, key=lambda failure: (failure.problem, failure.url, failure.role))),
        ]
    )


def test_the_crawl_sees_what_a_reader_sees() -> None:
    links, text = page_read(
        '<p title="Household list">Hộ <a href="/a/">gia đình</a></p><script>var near_poor = 1;</script>'
        '<code>near_poor</code><input type="hidden" value="own_farm"><div hx-get="/b/">near_poor</div>'
    )
    assert links == ["/a/", "/b/"]
    assert text == "Household list Hộ gia đình near_poor"
    assert text_problems("Hộ cận nghèo: near_poor, xem household.code hoặc a/b_c") == [
        "code shown as text: 'near_poor'"
    ]
    assert text_problems("Đơn vị hành chính · Administrative units") == [
        "untranslated: 'Administrative units'"
    ]
