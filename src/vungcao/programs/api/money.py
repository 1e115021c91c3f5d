"""Money over the API: records and summaries; thin: parse, call a service or selector, return."""

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from vungcao.accounts import access
from vungcao.common.bounds import Day, Year, column
from vungcao.geo.schemas import UnitCode
from vungcao.programs.models import Component, MoneyRecord
from vungcao.programs.schemas import MoneyRecordIn, MoneyRecordOut, MoneySummaryOut, RefusedOut
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors.money_records import record_alert
from vungcao.programs.services.money import MoneyRecordRefused, money_record_create

router = Router(tags=["money"])


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
    created = MoneyRecord.objects.select_related("unit", "component", "source").get(pk=record.pk)
    created.alert = record_alert(created)  # type: ignore[attr-defined]
    return Status(201, created)


class SummaryFilter(Schema):
    era: Literal["current", "pre2025"] = "current"
    unit_code: UnitCode
    from_year: Year
    to_year: Year
    component: Annotated[str, column(Component, "code")] | None = None
    on_date: Day | None = None


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
