"""The policy simulation (``engine.poverty.simulation``) for a user's scope, over the registry's
snapshot at ``settings.SNAPSHOT_DIRECTORY``: a national user's over every province, a province's user's
over that province; nobody else's. Reads files only, never a record.

A result is cached (Django's cache) under what it depends on: the scope's partitions as they are now
(``snapshot_fingerprint``), the standard and its version, the year, k and the assumptions; a partition
written again changes the key, so a stale result is never served."""

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.simulation import (
    Assumption,
    Simulation,
    SimulationRefused,
    simulate,
    simulation_input,
)
from vungcao.engine.poverty.snapshot import (
    SnapshotCoverage,
    SnapshotError,
    snapshot_coverage,
    snapshot_fingerprint,
)
from vungcao.engine.poverty.standard import InputField
from vungcao.engine.tabular import TableValidationError
from vungcao.registry.models import ReviewEvent

CACHE_SECONDS = 24 * 3600
NOT_YOUR_SCOPE = gettext_lazy("The policy simulation shows the figures of a province or of the country.")
NOT_VALID = gettext_lazy(
    "{count} answers of the snapshot are not valid under this standard; the first: {problem}"
)


def can_simulate_policy(user: User) -> bool:
    return access.policy_simulation_provinces(user) != frozenset()


def _scope_provinces(user: User) -> frozenset[str] | None:
    provinces = access.policy_simulation_provinces(user)
    if provinces == frozenset():
        raise PermissionDeniedError(str(NOT_YOUR_SCOPE))
    return provinces


@dataclass(frozen=True)
class SnapshotAge:
    """What the snapshot holds of the user's scope, and the latest approval or re-opening of a commune
    review in that scope: after the snapshot was written (`stale`), the figures do not include it."""

    coverage: SnapshotCoverage
    latest_decision: datetime | None

    @property
    def stale(self) -> bool:
        if self.latest_decision is None:
            return False
        return self.coverage.written is None or self.latest_decision > self.coverage.written


def policy_simulation_snapshot_age(*, user: User) -> SnapshotAge | None:
    """How old the snapshot is for the user's scope (None when it holds nothing of it: the simulation
    says so)."""
    provinces = _scope_provinces(user)
    try:
        coverage = snapshot_coverage(settings.SNAPSHOT_DIRECTORY, provinces)
    except SnapshotError:
        return None
    if not coverage.provinces:
        return None
    decisions = access.restrict_by_unit(
        ReviewEvent.objects.filter(action__in=[ReviewEvent.Action.APPROVED, ReviewEvent.Action.REOPENED]),
        user,
        "commune_review__commune",
    )
    return SnapshotAge(coverage, decisions.aggregate(latest=Max("created_at"))["latest"])


def policy_simulation_missing_fields(
    *, user: User, standard_identifier: str, year: int | None
) -> tuple[InputField, ...]:
    """The fields the standard reads that the snapshot's answers of ``year`` in the user's scope lack:
    each needs a value assumed for every household before the simulation runs (none when the snapshot
    cannot be read at all: the simulation says why)."""
    try:
        simulation_input(
            settings.SNAPSHOT_DIRECTORY, get_standard(standard_identifier), year, _scope_provinces(user)
        )
    except SimulationRefused as refused:
        return refused.missing
    except SnapshotError:
        return ()
    return ()


def _cache_key(
    standard_identifier: str,
    cutoff: str,
    year: int | None,
    provinces: frozenset[str] | None,
    assumptions: Collection[Assumption],
) -> str:
    standard = get_standard(standard_identifier)
    parts = [
        str(settings.SNAPSHOT_DIRECTORY),
        snapshot_fingerprint(settings.SNAPSHOT_DIRECTORY, provinces),
        standard.identifier,
        standard.version,
        cutoff,
        year,
        sorted(provinces) if provinces is not None else None,
        sorted([assumption.field.name, assumption.value] for assumption in assumptions),
    ]
    return "policy-simulation:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def policy_simulation(
    *,
    user: User,
    standard_identifier: str,
    cutoff: str,
    year: int | None,
    assumptions: Collection[Assumption] = (),
) -> Simulation:
    """The households of ``year`` (the snapshot's latest when None) in the user's scope reclassified
    under the standard, with ``assumptions`` standing in for the fields the snapshot lacks, and
    Alkire-Foster at ``cutoff`` (cached: see the module); `ApplicationError` saying why not, in the
    reader's language."""
    provinces = _scope_provinces(user)
    try:
        key = _cache_key(standard_identifier, cutoff, year, provinces, assumptions)
        cached = cache.get(key)
        if isinstance(cached, Simulation):
            return cached
        result = simulate(
            settings.SNAPSHOT_DIRECTORY,
            get_standard(standard_identifier),
            cutoff=cutoff,
            year=year,
            provinces=provinces,
            assumptions=assumptions,
        )
    except SnapshotError as error:
        raise ApplicationError(error.message.in_language(reader_language())) from error
    except TableValidationError as error:
        problems = list(error.report)
        raise ApplicationError(str(NOT_VALID).format(count=len(problems), problem=problems[0])) from error
    cache.set(key, result, CACHE_SECONDS)
    return result
