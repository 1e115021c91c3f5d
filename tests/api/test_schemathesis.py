"""Schemathesis against the OpenAPI document, as an administrator and as a commune officer.

Given the API with a review open in Quảng Ninh, a household in Ba Chẽ and money recorded,
when every operation is called with generated requests (valid and invalid, a bounded number each,
derandomised so a failure reproduces),
then no answer is a server error and every answer — its status, content type and body — is one the
document declares.
"""

import logging
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import BA_CHE, QUANG_NINH, current_unit
from tests.programs.helpers import record
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role, User
from vungcao.geo.services import villages
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 10
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler, without closing the test's connection between requests (as the test
    client does), so every request sees the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)  # thousands of refusals, each logged as a warning
    try:
        yield WSGIHandler()
    finally:
        request_log.setLevel(level)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(administrator: User) -> None:
    commune = current_unit(BA_CHE)
    villages.village_create(user=administrator, commune=commune, name="Thôn Khe Giấy")
    reviews.review_cycle_open(
        user=administrator, province=current_unit(QUANG_NINH), year=2025, standard_identifier="vn-2022-2025"
    )
    record("allocation", 2024, BA_CHE, 1_000_000_000)


def _token(user: User) -> str:
    _token_row, secret = account_services.api_token_create(user=user, name="schemathesis")
    return secret


def _run(app: WSGIHandler, secret: str) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    seen: set[str] = set()
    requests = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case: schemathesis.Case) -> None:
                nonlocal requests
                requests += 1
                response = case.call(headers={"Authorization": f"Bearer {secret}"})
                try:
                    case.validate_response(response, checks=CHECKS)
                except FailureGroup as group:
                    for failure in group.exceptions:
                        key = f"{case.operation.label}: {failure.title}"
                        if key not in seen:
                            seen.add(key)
                            failures.append(f"{key}\n{case.as_curl_command()}\n{failure.message[:600]}")

            check()
    print(f"schemathesis: {requests} requests")
    return failures


def test_no_server_error_and_no_schema_violation_as_an_administrator(
    administrator: User, world: None, wsgi_app: WSGIHandler
) -> None:
    failures = _run(wsgi_app, _token(administrator))
    assert failures == [], "\n".join(failures)


def test_no_server_error_and_no_schema_violation_as_a_commune_officer(
    make_user, world: None, wsgi_app: WSGIHandler
) -> None:
    officer = make_user("bache-officer", Role.COMMUNE_OFFICER, BA_CHE)
    failures = _run(wsgi_app, _token(officer))
    assert failures == [], "\n".join(failures)
