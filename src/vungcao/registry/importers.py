"""The files the registry imports: the commune questionnaire (households, members, answers)."""

from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.common.importing import Importer
from vungcao.registry.services import questionnaire

IMPORTERS = (
    Importer(
        kind="questionnaire",
        label=_("Poverty review questionnaires of a commune"),
        columns=questionnaire.COLUMNS,
        example=questionnaire.EXAMPLE,
        plan=lambda user, rows, _source: questionnaire.questionnaire_plan(user=user, rows=rows),
        may_import=access.can_enter_answers_somewhere,
        optional=questionnaire.OPTIONAL_COLUMNS,
        choices=questionnaire.TEMPLATE_CHOICES,
        labels=questionnaire.LABELS,
        extra_columns=questionnaire.questionnaire_columns,
        code_columns=questionnaire.CODE_COLUMNS,
        instructions=questionnaire.INSTRUCTIONS,
    ),
)
