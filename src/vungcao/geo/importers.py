"""The files the geo app imports: village lists, the official crosswalk, commune classifications,
unit boundaries."""

from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.common.importing import Importer
from vungcao.engine import codes
from vungcao.geo.services import attributes, boundaries, crosswalk, villages

IMPORTERS = (
    Importer(
        kind="villages",
        label=_("Villages of communes"),
        columns=villages.VILLAGE_COLUMNS,
        example=("06970", "Thôn Khe Giấy", "thôn"),
        plan=lambda user, rows, _source: villages.villages_plan(user=user, rows=rows),
        may_import=access.can_import_villages,
        optional=frozenset({"type"}),
        choices=(("type", villages.VILLAGE_TYPES),),
        code_columns={"commune_code": codes.COMMUNE},
        labels={"commune_code": _("Commune code"), "name": _("Village name"), "type": _("Kind of village")},
    ),
    Importer(
        kind="crosswalk",
        label=_("Official commune crosswalk"),
        columns=crosswalk.CROSSWALK_COLUMNS,
        example=("06973", "06970", "1"),
        plan=lambda user, rows, source: crosswalk.crosswalk_plan(user=user, rows=rows, source=source),
        may_import=access.can_manage_reference_data,
        optional=frozenset({"share"}),
        code_columns={"old_code": codes.UNIT, "new_code": codes.UNIT},
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
        code_columns={"code": codes.UNIT},
    ),
    Importer(
        kind="boundaries",
        label=_("Unit boundaries (GeoJSON)"),
        columns=boundaries.BOUNDARY_COLUMNS,
        example=(
            "06970",
            "current",
            "Ba Chẽ",
            '{"type":"Polygon","coordinates":[[[107.2,21.2],[107.4,21.2],[107.4,21.4],[107.2,21.2]]]}',
        ),
        plan=lambda user, rows, source: boundaries.boundaries_plan(user=user, rows=rows, source=source),
        may_import=access.can_manage_reference_data,
        optional=frozenset({"era", "name"}),
    ),
)
