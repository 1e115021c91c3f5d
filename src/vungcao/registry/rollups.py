"""The review's rollups (``common.rollups``): a commune review's assessments counted by status and the
head's ethnic group, and by status and pattern of deprivations.

Every write of assessments refreshes the rollups of the commune reviews it touched, in its transaction
(:func:`review_rollups_refresh`): an answer recorded (``services.assessments``), a questionnaire file or
a phone's submission applied (``services.questionnaire``; also the reviews of the other years of a
household whose head, and so whose ethnic group, changed). A review's state is not counted: the readers
join the review and keep the approved ones, so approving or re-opening a commune changes no count.
"""

from collections.abc import Iterable

from vungcao.common.rollups import Rollup, rollups_refresh
from vungcao.registry.models import Assessment, DeprivationPatternCount, ReviewCount

REVIEW_COUNTS = Rollup(
    name="registry.review_counts",
    table=ReviewCount,
    scope_field="commune_review",
    records=Assessment.objects.all,
    record_scope="commune_review",
    keys={"status": "status", "head_ethnic_group": "household__head_ethnic_group"},
)
DEPRIVATION_PATTERNS = Rollup(
    name="registry.deprivation_patterns",
    table=DeprivationPatternCount,
    scope_field="commune_review",
    records=Assessment.objects.all,
    record_scope="commune_review",
    keys={"status": "status", "standard_identifier": "standard_identifier", "deprived_mask": "deprived_mask"},
)
REVIEW_ROLLUPS = (REVIEW_COUNTS, DEPRIVATION_PATTERNS)


def review_rollups_refresh(review_ids: Iterable[int]) -> None:
    """Count the review's rollups of these commune reviews again (after their assessments changed, in the
    same transaction)."""
    rollups_refresh(REVIEW_ROLLUPS, review_ids)
