"""The demo's data, in the order they depend on each other: the accounts (the review steps name their
officers), the villages, the registry's synthetic households and reviews, the programme money, the indicators (history,
commune reports, targets and reporting periods), the commune officers' phone submissions.

One call builds the whole demo at any size: ``vungcao demo`` uses the full size, tests a small one (a
few communes per province, a dozen households each) that still reaches every state a page can show."""

from vungcao.accounts.models import Role, User
from vungcao.demo import services
from vungcao.field_capture.demo import field_capture_demo_ensure
from vungcao.indicators.demo import indicators_demo_ensure
from vungcao.programs.demo import money_demo_ensure
from vungcao.registry.demo import DEFAULT_HOUSEHOLDS_PER_COMMUNE, registry_demo_ensure

# The smallest demo that still shows every review state (see registry.demo.reviews.STATES_OPEN_YEAR).
SMALL = {"households_per_commune": 12, "communes_per_province": 4}


def demo_data_ensure(
    *, households_per_commune: int = DEFAULT_HOUSEHOLDS_PER_COMMUNE, communes_per_province: int | None = None
) -> tuple[list[tuple[services.DemoAccount, User]], list[str]]:
    """Add whatever part of the demo is missing (units must be loaded); the demo accounts (reset to
    their demo role, scope and password) and one summary line per part."""
    accounts = services.demo_accounts_ensure()
    added = services.demo_villages_ensure()
    return accounts, [
        f"demo villages: {added} added",
        registry_demo_ensure(
            households_per_commune=households_per_commune, communes_per_province=communes_per_province
        ),
        money_demo_ensure(),
        indicators_demo_ensure(),
        field_capture_demo_ensure(
            officers=[user for account, user in accounts if account.role == Role.COMMUNE_OFFICER]
        ),
    ]
