"""Who may receive which support, decided from the household's recorded status; pure rules, no database.

The rules are data (``RULES``): the statuses a kind of support is for and, for some, a deprivation
the household must have recorded (indicator identifiers of the poverty standards, e.g.
``housing_quality`` of Decree 07/2021/ND-CP). The status and deprivations come from the household's
latest approved assessment up to the year of the support (``selectors.activities.support_eligibility``).
A refusal always says why.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

POOR_OR_NEAR_POOR = frozenset({"poor", "near_poor"})
HOUSING_DEPRIVATIONS = frozenset({"housing_quality", "housing_area"})


@dataclass(frozen=True)
class SupportRule:
    statuses: frozenset[str] | None
    # At least one of these deprivations must be recorded (None: no deprivation needed).
    deprivations: frozenset[str] | None = None


RULES: dict[str, SupportRule] = {
    "housing": SupportRule(POOR_OR_NEAR_POOR, HOUSING_DEPRIVATIONS),
    "water_tank": SupportRule(POOR_OR_NEAR_POOR, frozenset({"water_source"})),
    "breeding_animals": SupportRule(POOR_OR_NEAR_POOR),
    "seedlings": SupportRule(POOR_OR_NEAR_POOR),
    "credit": SupportRule(POOR_OR_NEAR_POOR),
    "vocational_training": SupportRule(None),
}

NOT_POOR_OR_NEAR_POOR = _(
    "This support is only for poor or near-poor households; the household's recorded status is {status}."
)
NO_RECORDED_STATUS = _(
    "This support is only for poor or near-poor households; the household has no recorded status "
    "in a review up to {year}."
)
DEPRIVATION_MISSING = _("This support needs a recorded deprivation in {indicators}; none is recorded.")
UNKNOWN_SUPPORT = _("Unknown kind of support {kind}.")


def support_refusals(
    *,
    kind: str,
    status: str | None,
    deprivations: Collection[str],
    status_label: str | None = None,
    year: int | None = None,
    indicator_labels: Mapping[str, str] | None = None,
) -> list[str]:
    """Every reason the household may not receive ``kind`` (empty when it may).

    ``status`` is None when no review up to ``year`` recorded one; ``status_label`` and
    ``indicator_labels`` are how the refusal names the status and the indicators (their codes when
    not given).
    """
    labels = indicator_labels or {}
    rule = RULES.get(kind)
    if rule is None:
        return [str(UNKNOWN_SUPPORT).format(kind=kind)]
    reasons = []
    if rule.statuses is not None and status is None:
        reasons.append(str(NO_RECORDED_STATUS).format(year=year))
    elif rule.statuses is not None and status not in rule.statuses:
        reasons.append(str(NOT_POOR_OR_NEAR_POOR).format(status=status_label or status))
    if rule.deprivations is not None and not (rule.deprivations & set(deprivations)):
        names = [labels.get(indicator, indicator) for indicator in sorted(rule.deprivations)]
        reasons.append(str(DEPRIVATION_MISSING).format(indicators=", ".join(names)))
    return reasons
