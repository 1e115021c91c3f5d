"""The policy simulation (``engine.poverty.simulation``) for a user's scope, over the registry's
snapshot at ``settings.SNAPSHOT_DIRECTORY``: a national user's over every province, a province's user's
over that province; nobody else's. Reads files only, never a record."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.simulation import Simulation, simulate
from vungcao.engine.poverty.snapshot import SnapshotError
from vungcao.engine.tabular import TableValidationError

NOT_YOUR_SCOPE = gettext_lazy("The policy simulation shows the figures of a province or of the country.")
NOT_VALID = gettext_lazy(
    "{count} answers of the snapshot are not valid under this standard; the first: {problem}"
)


def can_simulate_policy(user: User) -> bool:
    return access.policy_simulation_provinces(user) != frozenset()


def policy_simulation(*, user: User, standard_identifier: str, cutoff: str, year: int | None) -> Simulation:
    """The households of ``year`` (the snapshot's latest when None) in the user's scope reclassified
    under the standard, with Alkire-Foster at ``cutoff``; `ApplicationError` saying why not, in the
    reader's language."""
    provinces = access.policy_simulation_provinces(user)
    if provinces == frozenset():
        raise PermissionDeniedError(str(NOT_YOUR_SCOPE))
    try:
        return simulate(
            settings.SNAPSHOT_DIRECTORY,
            get_standard(standard_identifier),
            cutoff=cutoff,
            year=year,
            provinces=provinces,
        )
    except SnapshotError as error:
        raise ApplicationError(error.message.in_language(reader_language())) from error
    except TableValidationError as error:
        problems = list(error.report)
        raise ApplicationError(str(NOT_VALID).format(count=len(problems), problem=problems[0])) from error
