"""The commune questionnaire file: households, their members and their answers, one row per member.

Household columns (review year, code, village, address, area, income and the answers the review's
standard reads) are read from a household's first row and must not differ on its other rows. The
whole file is checked before anything is written (``reading``, then ``planning``); then households,
members and assessments are written at once (``writing``). Importing the same file again finds every
household unchanged.
"""

from vungcao.registry.services.questionnaire.columns import (
    CHANGED_MEANWHILE,
    CODE_COLUMNS,
    COLUMNS,
    EXAMPLE,
    INSTRUCTIONS,
    LABELS,
    NO_OPEN_REVIEW,
    OPTIONAL_COLUMNS,
    TEMPLATE_CHOICES,
)
from vungcao.registry.services.questionnaire.planning import questionnaire_columns, questionnaire_plan

__all__ = [
    "CHANGED_MEANWHILE",
    "CODE_COLUMNS",
    "COLUMNS",
    "EXAMPLE",
    "INSTRUCTIONS",
    "LABELS",
    "NO_OPEN_REVIEW",
    "OPTIONAL_COLUMNS",
    "TEMPLATE_CHOICES",
    "questionnaire_columns",
    "questionnaire_plan",
]
