"""Pages of the registry and the poverty review; thin: parse, call a selector or a service, render.

One module per responsibility; ``registry/urls.py`` reaches every page through this package."""

from vungcao.registry.views.answers import household_answers
from vungcao.registry.views.changes import changes
from vungcao.registry.views.households import (
    household_change,
    household_detail,
    household_list,
    household_new,
)
from vungcao.registry.views.personal_data_reads import personal_data_reads
from vungcao.registry.views.report_forms import report_form
from vungcao.registry.views.reviews import (
    commune_review,
    commune_review_action,
    review_dashboard,
    review_list,
    review_open,
)
from vungcao.registry.views.simulation import policy_simulation

__all__ = [
    "changes",
    "commune_review",
    "commune_review_action",
    "household_answers",
    "household_change",
    "household_detail",
    "household_list",
    "household_new",
    "personal_data_reads",
    "policy_simulation",
    "report_form",
    "review_dashboard",
    "review_list",
    "review_open",
]
