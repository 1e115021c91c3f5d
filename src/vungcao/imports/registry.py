"""Every kind of file the system imports, with its columns and the domain service that plans it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.importing import ImportPlan, Rows
from vungcao.geo.services import attributes, crosswalk, villages


@dataclass(frozen=True)
class Importer:
    kind: str
    label: Promise
    columns: tuple[str, ...]
    example: tuple[str, ...]
    plan: Callable[[User | None, Rows, str], ImportPlan]
    may_import: Callable[[User], bool]
    # Columns a file may leave out.
    optional: frozenset[str] = frozenset()
    # Allowed values of a column, offered as a drop-down list in the template.
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()


IMPORTERS: dict[str, Importer] = {
    importer.kind: importer
    for importer in (
        Importer(
            kind="villages",
            label=_("Villages of communes"),
            columns=villages.VILLAGE_COLUMNS,
            example=("06970", "Thôn Khe Giấy", "thôn"),
            plan=lambda user, rows, _source: villages.villages_plan(user=user, rows=rows),
            may_import=access.can_import_villages,
            optional=frozenset({"type"}),
            choices=(("type", villages.VILLAGE_TYPES),),
        ),
        Importer(
            kind="crosswalk",
            label=_("Official commune crosswalk"),
            columns=crosswalk.CROSSWALK_COLUMNS,
            example=("06973", "06970", "1"),
            plan=lambda user, rows, source: crosswalk.crosswalk_plan(user=user, rows=rows, source=source),
            may_import=access.can_manage_reference_data,
            optional=frozenset({"share"}),
        ),
        Importer(
            kind="unit_attributes",
            label=_("Commune classifications"),
            columns=attributes.ATTRIBUTE_COLUMNS,
            example=("current", "06970", "ethnic_region", "III", "2021-06-04", "", "Decision 861/QD-TTg"),
            plan=lambda user, rows, _source: attributes.unit_attributes_plan(user=user, rows=rows),
            may_import=access.can_manage_reference_data,
            optional=frozenset({"era", "valid_to", "legal_basis"}),
            choices=(("kind", tuple(attributes.ATTRIBUTE_VALUES)),),
        ),
    )
}
