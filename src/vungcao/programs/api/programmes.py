"""Programmes and capital sources over the API; a province defines its own programme, renames and
retires its components; thin."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Status

from vungcao.accounts import access
from vungcao.common.bounds import column
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.programs.forms.programmes import UNKNOWN_PROVINCE
from vungcao.programs.models import Component, Programme
from vungcao.programs.schemas import (
    CapitalSourceList,
    ComponentChangedOut,
    ComponentIn,
    ComponentRenameIn,
    FieldsRefusedOut,
    ProgrammeIn,
    ProgrammeList,
    ProgrammeOut,
)
from vungcao.programs.selectors import programmes as selectors
from vungcao.programs.services import programmes as services
from vungcao.programs.services.refusals import REFUSED, EntryRefused

router = Router(tags=["programmes"])

ProgrammeCode = Annotated[str, column(Programme, "code", min_length=1)]
ComponentCode = Annotated[str, column(Component, "code", min_length=1)]


@router.get("/programmes", response=ProgrammeList, summary="Programmes with their components as a tree")
def programme_list(request: HttpRequest) -> dict[str, object]:
    trees = selectors.programme_trees(user=access.request_user(request))
    return {
        "items": [
            {
                "code": programme.code,
                "name": programme.name,
                "legal_basis": programme.legal_basis,
                "start_year": programme.start_year,
                "end_year": programme.end_year,
                "components": [node.as_dict() for node in nodes],
            }
            for programme, nodes in trees
        ]
    }


@router.get(
    "/capital-sources", response=CapitalSourceList, summary="Capital sources and whether each is state budget"
)
def capital_source_list(request: HttpRequest) -> dict[str, object]:
    return {
        "items": [
            {"code": source.code, "name": source.name, "is_budget": source.is_budget}
            for source in selectors.capital_source_list()
        ]
    }


def _spec(component: ComponentIn) -> services.ComponentSpec:
    return services.ComponentSpec(
        code=component.code,
        name_vi=component.name_vi,
        name_en=component.name_en,
        numbering=component.numbering,
        kind=component.kind,
        children=tuple(_spec(child) for child in component.components),
    )


def _programme_out(programme: Programme) -> dict[str, object]:
    return {
        "code": programme.code,
        "name": programme.name,
        "legal_basis": programme.legal_basis,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        "components": [node.as_dict() for node in selectors.programme_tree(programme=programme)],
    }


@router.post(
    "/programmes",
    response={201: ProgrammeOut, 422: FieldsRefusedOut},
    summary="Define a province's own programme with its tree of components",
)
def programme_define(request: HttpRequest, payload: ProgrammeIn) -> Status[object]:
    user = access.request_user(request)
    province: AdministrativeUnit | None = user.scope
    if payload.province_code:
        province = AdministrativeUnit.objects.filter(
            era=Era.CURRENT, level=Level.PROVINCE, code=payload.province_code
        ).first()
    if province is None:
        return Status(422, {"detail": str(REFUSED), "errors": {"province_code": str(UNKNOWN_PROVINCE)}})
    try:
        programme = services.programme_define(
            user=user,
            province=province,
            code=payload.code,
            name_vi=payload.name_vi,
            name_en=payload.name_en,
            legal_basis=payload.legal_basis,
            start_year=payload.start_year,
            end_year=payload.end_year,
            owner=payload.owner,
            components=[_spec(component) for component in payload.components],
        )
    except EntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, _programme_out(programme))


def _component(request: HttpRequest, code: str, component_code: str) -> Component:
    programme = selectors.programme_get(user=access.request_user(request), code=code)
    return selectors.component_get(programme=programme, code=component_code)


def _changed(component: Component, changed: int = 1) -> dict[str, object]:
    component.refresh_from_db()
    return {
        "code": component.code,
        "name": component.name,
        "numbering": component.numbering,
        "is_active": component.is_active,
        "changed": changed,
    }


@router.post(
    "/programmes/{code}/components/{component_code}/rename",
    response={200: ComponentChangedOut, 422: FieldsRefusedOut},
    summary="Rename a component; its code and the money recorded against it stay",
)
def component_rename(
    request: HttpRequest, code: ProgrammeCode, component_code: ComponentCode, payload: ComponentRenameIn
) -> Status[object]:
    component = _component(request, code, component_code)
    try:
        services.component_rename(
            user=access.request_user(request),
            component=component,
            name_vi=payload.name_vi,
            name_en=payload.name_en,
            numbering=payload.numbering,
        )
    except EntryRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(200, _changed(component))


@router.post(
    "/programmes/{code}/components/{component_code}/retire",
    response=ComponentChangedOut,
    summary="Retire a component and those under it; money recorded against them keeps counting",
)
def component_retire(
    request: HttpRequest, code: ProgrammeCode, component_code: ComponentCode
) -> dict[str, object]:
    component = _component(request, code, component_code)
    changed = services.component_retire(user=access.request_user(request), component=component)
    return _changed(component, changed)
