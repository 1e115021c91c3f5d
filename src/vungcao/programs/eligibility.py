"""Who may receive which support, decided from the household's recorded status; pure rules, no database.

The rules are data (``RULES``): the statuses a kind of support is for and, for some, a deprivation
the household must have recorded (indicator identifiers of the poverty standards, e.g.
``housing_quality`` of Decree 07/2021/ND-CP). A refusal always says why.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

POOR_OR_NEAR_POOR = frozenset({"poor", "near_poor"})


@dataclass(frozen=True)
class SupportRule:
    statuses: frozenset[str] | None
    # At least one of these deprivations must be recorded (None: no deprivation needed).
    deprivations: frozenset[str] | None = None


RULES: dict[str, SupportRule] = {
    "housing": SupportRule(POOR_OR_NEAR_POOR, frozenset({"housing_quality", "housing_area"})),
    "water_tank": SupportRule(POOR_OR_NEAR_POOR, frozenset({"water_source"})),
    "breeding_animals": SupportRule(POOR_OR_NEAR_POOR),
    "seedlings": SupportRule(POOR_OR_NEAR_POOR),
    "credit": SupportRule(POOR_OR_NEAR_POOR),
    "vocational_training": SupportRule(None),
}

NOT_POOR_OR_NEAR_POOR = _(
    "This support is only for poor or near-poor households; the household's recorded status is {status}."
)
DEPRIVATION_MISSING = _("This support needs a recorded deprivation in {indicators}; none is recorded.")
UNKNOWN_SUPPORT = _("Unknown kind of support {kind}.")


def support_refusals(*, kind: str, status: str, deprivations: frozenset[str] | set[str]) -> list[str]:
    """Every reason the household may not receive ``kind`` (empty when it may)."""
    rule = RULES.get(kind)
    if rule is None:
        return [str(UNKNOWN_SUPPORT).format(kind=kind)]
    reasons = []
    if rule.statuses is not None and status not in rule.statuses:
        reasons.append(str(NOT_POOR_OR_NEAR_POOR).format(status=status))
    if rule.deprivations is not None and not (rule.deprivations & set(deprivations)):
        reasons.append(str(DEPRIVATION_MISSING).format(indicators=", ".join(sorted(rule.deprivations))))
    return reasons
