"""A user whose password an administrator chose changes it before anything else (the login page sends
them to the change page; this keeps them there whatever address they open)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages such a user may still open: the change page itself, logging out, the language switch, and the
# static files those pages use.
ALLOWED_NAMES = ("accounts:password-change", "accounts:logout", "set_language")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL or "/static/"):
                return redirect("accounts:password-change")
        return self.get_response(request)
