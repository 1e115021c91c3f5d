"""Programmes, capital sources and money over the API; thin: parse, call a service or selector, return."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from vungcao.accounts import access
from vungcao.programs.models import MoneyRecord
from vungcao.programs.schemas import (
    CapitalSourceList,
    MoneyRecordIn,
    MoneyRecordOut,
    MoneySummaryOut,
    ProgrammeList,
    RefusedOut,
)
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors import programmes as programme_selectors
from vungcao.programs.services.money import MoneyRecordRefused, money_record_create

router = Router(tags=["programmes and money"])


@router.get("/programmes", response=ProgrammeList, summary="Programmes with their components as a tree")
def programme_list(request: HttpRequest) -> dict[str, object]:
    trees = programme_selectors.programme_trees(user=access.request_user(request))
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
            for source in programme_selectors.capital_source_list()
        ]
    }


@router.post(
    "/money/records",
    response={201: MoneyRecordOut, 422: RefusedOut},
    summary="Record a plan, allocation, disbursement or extension",
)
def money_record_create_endpoint(request: HttpRequest, payload: MoneyRecordIn) -> Status[object]:
    try:
        record = money_record_create(user=access.request_user(request), values=payload.dict())
    except MoneyRecordRefused as refused:
        return Status(422, {"detail": refused.message, "errors": refused.errors})
    return Status(201, MoneyRecord.objects.select_related("unit", "component", "source").get(pk=record.pk))


class SummaryFilter(Schema):
    era: str = "current"
    unit_code: str
    from_year: int
    to_year: int
    component: str | None = None
    on_date: datetime.date | None = None


@router.get("/money/summary", response=MoneySummaryOut, summary="Money over a unit and everything under it")
def money_summary(request: HttpRequest, filters: Query[SummaryFilter]) -> dict[str, object]:
    """Rates are recomputed from the summed amounts; null where the denominator is zero."""
    user = access.request_user(request)
    scope = money_selectors.money_scope_get(
        user=user,
        era=filters.era,
        unit_code=filters.unit_code,
        from_year=filters.from_year,
        to_year=filters.to_year,
        component_code=filters.component,
        on_date=filters.on_date,
    )
    totals = money_selectors.money_summary(user=user, scope=scope)
    return {
        "era": scope.unit.era,
        "unit_code": scope.unit.code,
        "from_year": scope.from_year,
        "to_year": scope.to_year,
        "component": scope.component.code if scope.component else None,
        **totals.as_dict(),
    }
