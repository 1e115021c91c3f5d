"""A user whose password an administrator chose changes it before anything else (the login page sends
them to the change page; this keeps them there whatever address they open). The pages an analyst or a
viewer reads take their figures from a replica of the database, when there is one."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from vungcao.accounts import access
from vungcao.common import replicas

# Seconds after a user's write during which their reads stay on the primary, however long a replica
# takes to receive it (a cookie, so that it holds across the servers behind the proxy).
READ_OWN_WRITES_SECONDS = 30
READ_OWN_WRITES_COOKIE = "vungcao_primary"
READS = frozenset({"GET", "HEAD", "OPTIONS"})

# Pages such a user may still open: the change page itself, logging out and the language switch (static
# files are served before any middleware runs).
ALLOWED_VIEWS = frozenset({"accounts:password-change", "accounts:logout", "set_language"})


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "must_change_password", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        return redirect("accounts:password-change")


class ReplicaReadsMiddleware:
    """A read of a page (GET) by a user who reads figures (``access.reads_replicas``) takes them from a
    replica (``common.replicas.replica_reads``), unless the user wrote something in the last
    ``READ_OWN_WRITES_SECONDS``: a write (any other method) marks the browser to read from the primary
    meanwhile, so that the page after a form shows what the form saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replicas.replicas():
            return self.get_response(request)
        if request.method not in READS:
            response = self.get_response(request)
            response.set_cookie(
                READ_OWN_WRITES_COOKIE,
                "1",
                max_age=READ_OWN_WRITES_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
            return response
        user = getattr(request, "user", None)
        if user is None or READ_OWN_WRITES_COOKIE in request.COOKIES or not access.reads_replicas(user):
            return self.get_response(request)
        with replicas.replica_reads():
            return self.get_response(request)
