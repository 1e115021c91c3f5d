"""The settings an officer's ODK Collect reads from a QR code ("Configure with QR code"): the server's
address, the officer's username, how forms are kept up to date and sent, and the project's name. Never the
password: the officer types it once on the phone.

Collect reads a JSON object with ``general`` and ``admin`` (both required) and ``project`` (optional),
compressed with zlib and encoded in Base64 (``SettingsImporter``, ``CompressionUtils.decompress``); it skips
unknown keys and values outside its choices.
"""

import base64
import json
import zlib
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import segno
from django.utils.safestring import SafeString, mark_safe

FORM_UPDATE_MODE = "match_exactly"
"""Collect keeps exactly the forms the server lists: a closed review's form leaves the phone, a new one
and a changed household list arrive by themselves."""
AUTOSEND = "wifi_and_cellular"
"""Finished forms are sent as soon as any network answers."""
APP_LANGUAGE = "vi"
PROJECT_NAME = "Vùng Cao"
PROJECT_ICON = "V"
PROJECT_COLOR = "#0b6e4f"
"""The application's accent, so that the project looks like the website on the phone."""


def server_url(absolute_url: str) -> str:
    """The address Collect is given: ``absolute_url`` over HTTPS whatever the request came by (Collect
    sends a password only over HTTPS), without a trailing slash (Collect appends ``/formList`` itself)."""
    parts = urlsplit(absolute_url)
    return urlunsplit(("https", parts.netloc, parts.path.rstrip("/"), "", ""))


def collect_settings(*, server: str, username: str, full_name: str, scope_name: str | None) -> dict[str, Any]:
    """Collect's settings for an officer: ``server`` (see :func:`server_url`), the officer's username and
    the name forms are signed with, the project named after the officer's scope."""
    return {
        "general": {
            "server_url": server,
            "username": username,
            "form_update_mode": FORM_UPDATE_MODE,
            "autosend": AUTOSEND,
            "app_language": APP_LANGUAGE,
            "metadata_username": full_name or username,
        },
        "admin": {},
        "project": {
            "name": f"{PROJECT_NAME} · {scope_name}" if scope_name else PROJECT_NAME,
            "icon": PROJECT_ICON,
            "color": PROJECT_COLOR,
        },
    }


def settings_payload(settings: dict[str, Any]) -> str:
    """The text the QR code holds: the settings' UTF-8 JSON, zlib-compressed, in Base64."""
    text = json.dumps(settings, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def settings_qr_svg(payload: str, *, title: str) -> SafeString:
    """The QR code of ``payload`` as an SVG element to put in a page (sized by its ``viewBox``, dark on
    white whatever the page's colours, with the quiet zone phones need)."""
    code = segno.make_qr(payload, error="m")
    svg = code.svg_inline(omitsize=True, dark="#000", light="#fff", border=4, title=title, svgclass="qr-code")
    return mark_safe(svg)  # segno writes every element itself and escapes the title
