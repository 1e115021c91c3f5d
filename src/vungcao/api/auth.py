"""API authentication: a bearer token for scripts, the browser's session (with CSRF) for pages."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from vungcao.accounts.models import ApiToken
from vungcao.accounts.tokens import token_digest


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; revoked tokens and inactive users are refused."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        found = (
            ApiToken.objects.select_related("user", "user__scope")
            .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
