"""The QR code ODK Collect scans to set itself up, and the page that shows it: the server's address over
HTTPS, the officer's username, never a password."""

import base64
import json
import zlib

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import PASSWORD, client_for
from vungcao.accounts.models import Role, User
from vungcao.field_capture import settings_qr
from vungcao.registry.models import CommuneReview
from vungcao.registry.services import reviews

SETUP = "/field-capture/setup/"


def decoded(payload: str) -> dict:
    """What Collect reads: Base64, then zlib, then UTF-8 JSON."""
    return json.loads(zlib.decompress(base64.b64decode(payload, validate=True)).decode("utf-8"))


def keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for inner in value.values() for key in keys(inner)}
    return set()


@pytest.mark.parametrize(
    ("absolute", "expected"),
    [
        ("http://vungcao.example/odk/", "https://vungcao.example/odk"),
        ("https://vungcao.example:8443/odk/", "https://vungcao.example:8443/odk"),
        ("http://127.0.0.1:8000/odk", "https://127.0.0.1:8000/odk"),
    ],
)
def test_the_server_address_is_https_without_a_trailing_slash(absolute: str, expected: str) -> None:
    assert settings_qr.server_url(absolute) == expected


def test_the_payload_decodes_to_collects_settings_without_a_password() -> None:
    # Given an officer's settings
    settings = settings_qr.collect_settings(
        server="https://vungcao.example/odk", username="bache", full_name="Nguyễn Văn A", scope_name="Ba Chẽ"
    )
    # When they are encoded for the QR code
    payload = settings_qr.settings_payload(settings)
    # Then Collect reads back exactly them, with no password key anywhere
    assert decoded(payload) == {
        "general": {
            "server_url": "https://vungcao.example/odk",
            "username": "bache",
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
            "app_language": "vi",
            "metadata_username": "Nguyễn Văn A",
        },
        "admin": {},
        "project": {"name": "Vùng Cao · Ba Chẽ", "icon": "V", "color": "#0b6e4f"},
    }
    assert "password" not in keys(decoded(payload))


def test_a_national_officer_without_a_name_is_named_by_username_in_the_project_vung_cao() -> None:
    settings = settings_qr.collect_settings(
        server="https://h/odk", username="admin", full_name="", scope_name=None
    )
    assert settings["general"]["metadata_username"] == "admin"
    assert settings["project"]["name"] == "Vùng Cao"


def test_the_qr_code_is_an_inline_svg_with_its_title_escaped() -> None:
    svg = settings_qr.settings_qr_svg("x" * 300, title="<Cài đặt>")
    assert svg.startswith('<svg viewBox="0 0 ')
    assert svg.endswith("</svg>")
    assert "<title>&lt;Cài đặt&gt;</title>" in svg
    assert "<script" not in svg
    assert "href" not in svg


@pytest.mark.django_db
def test_a_commune_officer_gets_the_https_address_the_username_the_form_and_the_qr_code(
    ba_che_review: CommuneReview, commune_officer: User
) -> None:
    # Given Ba Chẽ's review open and its officer signed in (the page asked over plain HTTP, behind a proxy)
    commune_officer.first_name, commune_officer.last_name = "A", "Nguyễn Văn"
    commune_officer.save()
    # When the officer opens the setup page
    response = client_for(commune_officer).get(SETUP)
    # Then it gives the HTTPS address, the username and the one form the phone will list
    assert response.status_code == 200
    assert response.context["server_url"] == "https://testserver/odk"
    assert response.context["forms"] == ["Rà soát hộ nghèo 2025 · Xã Ba Chẽ, Tỉnh Quảng Ninh"]
    # and the QR code of exactly these settings, which hold no password
    expected = settings_qr.collect_settings(
        server="https://testserver/odk",
        username="bache-officer",
        full_name="A Nguyễn Văn",
        scope_name=commune_officer.scope.name,
    )
    with translation.override("vi"):
        title = gettext("Settings for ODK Collect")
    assert response.context["qr"] == settings_qr.settings_qr_svg(
        settings_qr.settings_payload(expected), title=title
    )
    page = response.content.decode()
    assert 'class="qr-code"' in page
    # An inline SVG is markup, which the content security policy lets through: it holds no script and no
    # style attribute, and the box that sizes it is an inline style, which the policy allows.
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in svg
    assert "style=" not in svg
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]
    assert '<code id="server-url">https://testserver/odk</code>' in page
    assert PASSWORD not in page


@pytest.mark.django_db
def test_a_submitted_review_is_not_among_the_forms(
    ba_che_households: CommuneReview, commune_officer: User
) -> None:
    reviews.commune_review_submit(user=commune_officer, review=ba_che_households)
    response = client_for(commune_officer).get(SETUP)
    assert response.context["forms"] == []


@pytest.mark.django_db
def test_a_province_officer_lists_every_communes_form(
    ba_che_review: CommuneReview, province_officer: User
) -> None:
    response = client_for(province_officer).get(SETUP)
    assert response.status_code == 200
    assert len(response.context["forms"]) == ba_che_review.cycle.communes.count() > 1
    assert response.context["qr"] is not None


@pytest.mark.django_db
def test_a_national_administrator_is_told_forms_are_listed_by_identifier(
    ba_che_review: CommuneReview, administrator: User
) -> None:
    response = client_for(administrator).get(SETUP)
    assert response.status_code == 200
    assert response.context["forms_named_only"] is True
    assert 'id="forms-named-only"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MINISTRY_ANALYST, Role.AGGREGATE_VIEWER])
def test_roles_that_send_nothing_from_a_phone_get_no_qr_code(make_user, role: str) -> None:
    response = client_for(make_user("viewer", role)).get(SETUP)
    assert response.status_code == 200
    assert response.context["qr"] is None
    assert 'id="no-phone"' in response.content.decode()
    assert 'class="qr-code"' not in response.content.decode()


@pytest.mark.django_db
def test_the_page_needs_a_signed_in_user(client) -> None:
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
