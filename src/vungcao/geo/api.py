"""Administrative units and the crosswalk over the API; thin: parse, call a selector, return."""

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from vungcao.accounts import access
from vungcao.common.pagination import BoundedLimitOffset
from vungcao.geo import selectors
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink
from vungcao.geo.schemas import CrosswalkOut, SearchText, UnitCode, UnitDetailOut, UnitOut

router = Router(tags=["administrative units"])

EraName = Literal["pre2025", "current"]
LevelName = Literal["province", "district", "commune", "village"]


class UnitFilter(Schema):
    era: EraName | None = None
    level: LevelName | None = None
    parent: UnitCode | None = None
    search: SearchText | None = None


@router.get("/units", response=list[UnitOut], summary="List administrative units")
@paginate(BoundedLimitOffset)
def units_list(request: HttpRequest, filters: Query[UnitFilter]) -> list[AdministrativeUnit]:
    """Units the caller may see; ``search`` matches names with or without diacritics, or a code."""
    return selectors.unit_list(  # type: ignore[return-value]
        user=access.request_user(request),
        era=filters.era,
        level=filters.level,
        parent_code=filters.parent,
        search=filters.search,
    )


def _ref(unit: AdministrativeUnit) -> dict[str, str]:
    return {"era": unit.era, "code": unit.code, "name": unit.name, "level": unit.level}


def _link(unit: AdministrativeUnit, link: CrosswalkLink) -> dict[str, object]:
    return {"unit": _ref(unit), "share": float(link.share), "provenance": link.provenance}


@router.get(
    "/units/{era}/{code}", response=UnitDetailOut, summary="One unit with its ancestors, children and lineage"
)
def unit_detail(request: HttpRequest, era: EraName, code: UnitCode) -> dict[str, object]:
    user = access.request_user(request)
    unit = selectors.unit_get(user=user, era=era, code=code)
    return {
        **UnitOut.from_orm(unit).dict(),
        "ancestors": [_ref(crumb.unit) for crumb in selectors.unit_ancestors(user=user, unit=unit)],
        "children": [_ref(child) for child in selectors.unit_children(user=user, unit=unit)],
        "predecessors": [
            _link(link.old_unit, link) for link in selectors.unit_predecessors(user=user, unit=unit)
        ],
        "successors": [
            _link(link.new_unit, link) for link in selectors.unit_successors(user=user, unit=unit)
        ],
        "attributes": list(selectors.unit_attributes(unit=unit)),
    }


@router.get(
    "/crosswalk", response=list[CrosswalkOut], summary="Crosswalk links across the 2025 reorganisation"
)
@paginate(BoundedLimitOffset)
def crosswalk_list(
    request: HttpRequest, era: EraName = "pre2025", code: UnitCode | None = None
) -> list[CrosswalkLink]:
    """With ``era=pre2025`` and ``code``: where that old unit went; with ``era=current``: what formed it."""
    return selectors.crosswalk_list(user=access.request_user(request), era=era, code=code)  # type: ignore[return-value]
