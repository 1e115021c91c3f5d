"""The API documentation page loads nothing from the internet: Swagger UI is served by the application."""

import re

import pytest
from django.test import Client

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_the_docs_page_loads_its_assets_from_the_application(analyst) -> None:
    client = client_for(analyst)
    response = client.get("/api/v1/docs")
    page = response.content.decode()
    assert response.status_code == 200
    assert EXTERNAL.findall(page) == []
    assert "cdn" not in page.lower()
    assets = re.findall(r"""(?:src|href)="(/static/[^"]+)\"""", page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert Client().get(asset).status_code == 200, asset


def test_pages_carry_a_content_security_policy_allowing_only_the_application(analyst) -> None:
    policy = client_for(analyst).get("/api/v1/docs")["Content-Security-Policy"]
    directives = dict(item.strip().split(" ", 1) for item in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert "http" not in policy
