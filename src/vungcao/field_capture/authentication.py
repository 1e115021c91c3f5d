"""Who is asking on ``/odk/``: ODK Collect logs in with the officer's own account over HTTP Basic.

Collect sends no credentials until a ``401`` challenges it, then sends ``Authorization: Basic`` with every
request to the host. The browser's session is ignored here, so a page's cookie can never act on these
endpoints. Basic sends the password itself, so it is refused over plain HTTP unless ``DEBUG`` (Collect
itself sends Basic over HTTPS only).

A password check costs a deliberate fraction of a second (PBKDF2), and Collect asks a dozen times to
download a form; so a verified header is remembered for a few minutes, under an HMAC of it (never the
header or the password), together with a digest of the stored password hash: a changed password or a
deactivated account ends it at once. A failed password counts towards the login lockout (django-axes),
as on the login page; a locked-out account is refused with 403, not challenged again.
"""

import base64
import binascii

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from vungcao.accounts.models import User
from vungcao.common.errors import PermissionDeniedError

REALM = "Vung Cao"
CHALLENGE = f'Basic realm="{REALM}", charset="UTF-8"'
VERIFIED_SECONDS = 10 * 60
HTTPS_REQUIRED = _("HTTPS required: set the server address to begin with https://.")
LOCKED_OUT = _(
    "Too many failed log-in attempts. Try again in one hour or ask your administrator to unlock the account."
)
CHANGE_PASSWORD_FIRST = _("Change your password on the website first, then log in again here.")


class CredentialsRequiredError(Exception):
    """No credentials, or wrong ones: answered with a 401 challenge, so that Collect asks for them."""


def _key(purpose: str, value: str) -> str:
    return salted_hmac(f"vungcao odk {purpose}", value, algorithm="sha256").hexdigest()


def _credentials(header: str) -> tuple[str, str] | None:
    """The username and password of a Basic header: UTF-8, or Latin-1 as Collect's HTTP client encodes
    them; None when the header is not Basic or cannot be read."""
    scheme, _space, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        text = decoded.decode("latin-1")
    username, colon, password = text.partition(":")
    return (username, password) if colon and username else None


def _remembered(header: str) -> User | None:
    remembered = cache.get(f"odk-credentials:{_key('credentials', header)}")
    if remembered is None:
        return None
    user_id, password_digest = remembered
    user = User.objects.select_related("scope").filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(_key("password", user.password), password_digest):
        return None
    return user


def _verified(request: HttpRequest, header: str, username: str, password: str) -> User | None:
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        # Answered here in OpenRosa's form; the lockout middleware would replace it with a web page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise PermissionDeniedError(str(LOCKED_OUT))
    if not isinstance(user, User):
        return None
    cache.set(
        f"odk-credentials:{_key('credentials', header)}",
        (user.pk, _key("password", user.password)),
        VERIFIED_SECONDS,
    )
    return user


def basic_user(request: HttpRequest) -> User:
    """The user whose credentials the request carries. :class:`CredentialsRequiredError` without them
    or with wrong ones; ``PermissionDeniedError`` over plain HTTP in production, when the account is
    locked out or must change its password first."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    credentials = _credentials(header)
    if credentials is None:
        raise CredentialsRequiredError
    if not request.is_secure() and not settings.DEBUG:
        raise PermissionDeniedError(str(HTTPS_REQUIRED))
    user = _remembered(header) or _verified(request, header, *credentials)
    if user is None:
        raise CredentialsRequiredError
    if user.must_change_password:
        raise PermissionDeniedError(str(CHANGE_PASSWORD_FIRST))
    return user
