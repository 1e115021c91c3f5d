"""The national and provincial dashboards as each role sees them: scope, figures, every link resolving."""

import json
import re
from html import unescape

import pytest
from django.utils import timezone

from tests.conftest import BA_CHE, TIEN_YEN, client_for
from tests.dashboards.conftest import YEAR
from tests.programs.helpers import record
from vungcao.geo.models import AdministrativeUnit, Era, UnitBoundary

pytestmark = pytest.mark.django_db

SKIPPED_LINKS = ("/accounts/logout", "/i18n/", "/api/", "/static/", "/admin/")


def _links(html: str) -> set[str]:
    return {
        unescape(link)
        for link in re.findall(r'href="([^"#]+)', html)
        if link.startswith(("/", "?")) and not link.startswith(SKIPPED_LINKS)
    }


# The provinces with reviews, whose pages hold every kind of link (the others only fewer of the same).
REVIEWED = ("/08/", "/22/", "/02/")


def _crawl(client, start: str) -> dict[str, int]:
    """Every link of ``start`` (every province's page) and of the reviewed provinces' pages, with the
    status each answers after its redirects."""
    seen: dict[str, int] = {}
    queue = [start]
    while queue:
        path = queue.pop()
        response = client.get(path, follow=True)
        seen[path] = response.status_code
        explored = path == start or any(code in path for code in REVIEWED)
        if response.status_code != 200 or not path.startswith("/dashboards/") or not explored:
            continue
        for link in _links(response.content.decode()):
            absolute = path.split("?")[0] + link if link.startswith("?") else link
            if absolute not in seen and absolute not in queue:
                queue.append(absolute)
    return seen


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_every_link_of_the_dashboards_resolves_for_national_roles(small_country, role, request) -> None:
    client = client_for(request.getfixturevalue(role))
    for era in ("current", "pre2025"):
        statuses = _crawl(client, f"/dashboards/?era={era}&year={YEAR}")
        assert {path: status for path, status in statuses.items() if status != 200} == {}
        assert any(path.startswith(f"/dashboards/{era}/08/") for path in statuses)
        assert any(path.startswith("/registry/reviews/") for path in statuses)
        assert any(path.startswith("/programs/") for path in statuses)


def test_the_national_page_shows_the_figures_in_vietnamese(small_country, analyst) -> None:
    html = client_for(analyst).get(f"/dashboards/?year={YEAR}").content.decode()
    assert 'id="approved">4 / 5<' in html
    assert 'id="assessed">14<' in html
    assert 'id="poverty-rate">28,6%<' in html
    assert "1.500.000.000" in html  # allocated in the year, Vietnamese thousands
    assert "/registry/reviews/" in html
    assert TIEN_YEN in html
    assert html.count('class="tile"') == 34


def test_a_year_of_money_without_a_review_is_the_year_the_filter_shows(small_country, analyst) -> None:
    # Given: money of 2022 recorded under old Thanh Sơn, and reviews of 2024 only
    record("allocation", 2022, "06973", 2_000_000_000, era=Era.PRE2025)
    # When: the former provinces' page of 2022 is opened by its link
    html = client_for(analyst).get("/dashboards/?era=pre2025&year=2022").content.decode()
    # Then: the year filter shows 2022 (not the latest review's year), with the money of old Quảng Ninh
    assert '<option value="2022" selected>2022</option>' in html
    assert f'<option value="{YEAR}" >{YEAR}</option>' in html
    assert "2.000.000.000" in html


def test_the_former_provinces_page_draws_63_tiles(small_country, analyst) -> None:
    html = client_for(analyst).get(f"/dashboards/?era=pre2025&year={YEAR}").content.decode()
    assert html.count('class="tile"') == 63
    assert 'id="assessed">14<' in html


def test_national_roles_land_on_the_dashboard(analyst, viewer, province_officer) -> None:
    assert client_for(analyst).get("/")["Location"] == "/dashboards/"
    assert client_for(viewer).get("/")["Location"] == "/dashboards/"
    assert client_for(province_officer).get("/")["Location"] == "/units/"


def test_a_province_officer_is_sent_to_their_province(small_country, province_officer) -> None:
    response = client_for(province_officer).get(f"/dashboards/?year={YEAR}")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboards/current/22/?year={YEAR}"


@pytest.mark.parametrize(
    "path", ["/dashboards/current/08/", "/dashboards/pre2025/02/", "/dashboards/pre2025/08/"]
)
def test_a_province_outside_the_scope_is_refused_without_its_data(
    small_country, province_officer, path
) -> None:
    response = client_for(province_officer).get(f"{path}?year={YEAR}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Tuyên Quang" not in html
    assert "Hà Giang" not in html


def test_a_commune_officer_sees_only_their_commune(small_country, commune_officer) -> None:
    client = client_for(commune_officer)
    html = client.get(f"/dashboards/current/22/?year={YEAR}").content.decode()
    assert f"commune-{BA_CHE}" in html
    assert TIEN_YEN not in html
    assert 'id="assessed">5<' in html
    assert 'id="narrower-scope"' in html
    assert client.get(f"/dashboards/?year={YEAR}")["Location"] == f"/dashboards/current/22/?year={YEAR}"


def test_a_unit_that_is_not_a_province_is_not_a_dashboard(analyst) -> None:
    assert client_for(analyst).get(f"/dashboards/current/{BA_CHE}/").status_code == 404
    assert client_for(analyst).get("/dashboards/x/22/").status_code == 404


@pytest.mark.parametrize("query", ["year=99999999999999999999", "era=<script>", "measure=x", "year=abc"])
def test_bad_parameters_fall_back_to_the_defaults(small_country, analyst, query) -> None:
    response = client_for(analyst).get(f"/dashboards/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_aggregate_viewer_sees_no_household(small_country, viewer) -> None:
    html = client_for(viewer).get(f"/dashboards/current/08/?year={YEAR}").content.decode()
    assert "T-0" not in html
    assert "/registry/households/" not in html


def test_where_boundaries_were_imported_the_boundary_map_is_shown_as_well(small_country, analyst) -> None:
    for code, west in (("08", 104.0), ("22", 107.0)):
        square = [[west, 21.0], [west + 0.5, 21.0], [west + 0.5, 21.5], [west, 21.5], [west, 21.0]]
        UnitBoundary.objects.create(
            unit=AdministrativeUnit.objects.get(era=Era.CURRENT, code=code),
            geometry=json.dumps({"type": "Polygon", "coordinates": [square]}),
            west=west,
            south=21.0,
            east=west + 0.5,
            north=21.5,
            imported_at=timezone.now(),
        )
    html = client_for(analyst).get(f"/dashboards/?year={YEAR}").content.decode()
    assert 'class="choropleth"' in html
    assert html.count('class="tile"') == 34
    assert (
        'class="choropleth"'
        not in client_for(analyst).get(f"/dashboards/current/22/?year={YEAR}").content.decode()
    )
