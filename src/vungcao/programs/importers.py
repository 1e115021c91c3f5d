"""The files the programmes app imports: plans, allocations, disbursements and extensions of capital."""

from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.common.importing import Importer
from vungcao.engine import codes
from vungcao.programs.models import RecordKind
from vungcao.programs.services import money_import

IMPORTERS = (
    Importer(
        kind="money_records",
        label=_("Capital plans, allocations, disbursements and extensions"),
        columns=money_import.MONEY_COLUMNS,
        example=money_import.MONEY_EXAMPLE,
        plan=lambda user, rows, _source: money_import.money_records_plan(user=user, rows=rows),
        may_import=access.can_import_money,
        optional=frozenset({"to_year", "era", "work"}),
        choices=(("kind", tuple(RecordKind.labels)),),
        code_columns={"unit_code": codes.UNIT},
        labels=money_import.MONEY_LABELS,
    ),
)
