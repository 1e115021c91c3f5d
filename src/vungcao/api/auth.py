"""API authentication: a bearer token for scripts, the browser's session (with CSRF) for pages.

A token is refused (401) once revoked or expired, or when its user is inactive; a read-only token is
refused (403) any method that may change data. This is the one place that decides it.
"""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from vungcao.accounts.models import ApiToken
from vungcao.accounts.tokens import token_digest

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_TOKEN = gettext_lazy("This token may only read: create a read-and-write token to change data.")


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user", "user__scope")
            .filter(
                digest=token_digest(token),
                revoked_at__isnull=True,
                expires_at__gt=now,
                user__is_active=True,
            )
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        if request.method not in READ_METHODS and not found.allows_writes:
            raise AuthorizationError(message=str(READ_ONLY_TOKEN))
        request.user = found.user
        return found.user
