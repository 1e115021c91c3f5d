"""Login lockout with one failure limit per combination of what is counted.

django-axes counts failed logins for every entry of ``AXES_LOCKOUT_PARAMETERS`` (one username from one
address; one username from any address; one address across usernames) but compares them all with one
``AXES_FAILURE_LIMIT``. An office behind one address should be allowed more mistakes across its users
than one username, so ``LOCKOUT_FAILURE_LIMITS`` gives each combination its own limit, and this handler
reports the failures scaled to ``AXES_FAILURE_LIMIT``: a combination at its own limit reports at least
``AXES_FAILURE_LIMIT``, one below it reports less, so axes locks exactly when some combination is at its
limit.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def combination_key(parameter: str | list[str]) -> str:
    """``["username", "ip_address"]`` → ``"username,ip_address"``, the key of ``LOCKOUT_FAILURE_LIMITS``."""
    return parameter if isinstance(parameter, str) else ",".join(parameter)


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        common_limit = int(settings.AXES_FAILURE_LIMIT)
        limits: dict[str, int] = settings.LOCKOUT_FAILURE_LIMITS
        parameters = get_lockout_parameters(request, credentials)
        attempts_per_parameter = self.get_user_attempts(request, credentials)
        scaled = 0
        for parameter, attempts in zip(parameters, attempts_per_parameter, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            limit = limits.get(combination_key(parameter), common_limit)
            scaled = max(scaled, failures * common_limit // limit)
        return scaled
