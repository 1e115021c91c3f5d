"""Works, support to households and revolving-fund models over the API; thin: the entry forms parse,
the services decide, a refusal is 422 naming every bad field and writes nothing."""

import datetime
from collections.abc import Callable

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from vungcao.accounts import access
from vungcao.common.bounds import Day, Id
from vungcao.common.pagination import BoundedLimitOffset
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.schemas import UnitCode
from vungcao.programs.forms.activities import (
    EntryForm,
    HandoverForm,
    RevolvingModelForm,
    SupportForm,
    WorkForm,
    field_errors,
)
from vungcao.programs.models import HouseholdSupport, RevolvingModel, Work
from vungcao.programs.schemas import (
    FieldsRefusedOut,
    HandoverIn,
    HoldingOut,
    RevolvingModelIn,
    RevolvingModelOut,
    SupportIn,
    SupportOut,
    WorkIn,
    WorkOut,
)
from vungcao.programs.selectors import activities as selectors
from vungcao.programs.services import activities as services
from vungcao.programs.services.refusals import REFUSED, EntryRefused

router = Router(tags=["works, support and revolving funds"])


class UnitQuery(Schema):
    unit_code: UnitCode | None = None


def _unit(request: HttpRequest, code: str | None) -> AdministrativeUnit | None:
    if not code:
        return None
    return geo_selectors.unit_get(user=access.request_user(request), era=Era.CURRENT, code=code)


def _form_data(payload: Schema) -> dict[str, str]:
    return {name: "" if value is None else str(value) for name, value in payload.dict().items()}


def _refused(errors: dict[str, str], reasons: list[str] | None = None) -> Status[object]:
    return Status(422, {"detail": str(REFUSED), "errors": errors, "reasons": reasons})


def _create(request: HttpRequest, form: EntryForm, create: Callable[..., object]) -> Status[object]:
    """Validate ``form``, call ``create`` with its arguments; 201 with the row, or 422 naming fields."""
    services.may_record_check(access.request_user(request))
    if not form.is_valid():
        return _refused(field_errors(form))
    try:
        created = create(user=access.request_user(request), **form.arguments())
    except EntryRefused as refused:
        return _refused(refused.errors, refused.extra.get("reasons"))  # type: ignore[arg-type]
    return Status(201, created)


@router.get("/works", response=list[WorkOut], summary="Works and production-support projects in scope")
@paginate(BoundedLimitOffset)
def work_list(request: HttpRequest, query: Query[UnitQuery]) -> list[Work]:
    user = access.request_user(request)
    return selectors.work_list(user=user, unit=_unit(request, query.unit_code)).order_by("unit__path", "name")  # type: ignore[return-value]


@router.post("/works", response={201: WorkOut, 422: FieldsRefusedOut}, summary="Record a work or project")
def work_create(request: HttpRequest, payload: WorkIn) -> Status[object]:
    form = WorkForm(_form_data(payload), user=access.request_user(request))
    return _create(request, form, services.work_create)


@router.get("/support", response=list[SupportOut], summary="Support given to households in scope")
@paginate(BoundedLimitOffset)
def support_list(request: HttpRequest, query: Query[UnitQuery]) -> list[HouseholdSupport]:
    user = access.request_user(request)
    return selectors.support_list(user=user, unit=_unit(request, query.unit_code))  # type: ignore[return-value]


@router.post(
    "/support",
    response={201: SupportOut, 422: FieldsRefusedOut},
    summary="Record support to a registry household, refused with reasons when it is not eligible",
)
def support_create(request: HttpRequest, payload: SupportIn) -> Status[object]:
    form = SupportForm(_form_data(payload), user=access.request_user(request))
    return _create(request, form, services.household_support_create)


class RevolvingQuery(UnitQuery):
    on: Day | None = None


@router.get(
    "/revolving-funds",
    response=list[RevolvingModelOut],
    summary="Revolving-fund models with their holdings; overdue ones marked at a date (today by default)",
)
@paginate(BoundedLimitOffset)
def revolving_model_list(request: HttpRequest, query: Query[RevolvingQuery]) -> list[RevolvingModel]:
    user = access.request_user(request)
    on = query.on or datetime.date.today()
    return selectors.revolving_model_list(user=user, unit=_unit(request, query.unit_code), on=on)  # type: ignore[return-value]


@router.post(
    "/revolving-funds",
    response={201: RevolvingModelOut, 422: FieldsRefusedOut},
    summary="Start a revolving-fund model",
)
def revolving_model_create(request: HttpRequest, payload: RevolvingModelIn) -> Status[object]:
    form = RevolvingModelForm(_form_data(payload), user=access.request_user(request))
    return _create(request, form, services.revolving_model_create)


@router.post(
    "/revolving-funds/{model_id}/handovers",
    response={201: HoldingOut, 422: FieldsRefusedOut},
    summary="Record that the item passed to the next household",
)
def revolving_handover_record(request: HttpRequest, model_id: Id, payload: HandoverIn) -> Status[object]:
    model = selectors.revolving_model_get(user=access.request_user(request), model_id=model_id)
    form = HandoverForm(_form_data(payload))

    def handover(**arguments: object) -> object:
        return services.revolving_handover_record(model=model, **arguments)  # type: ignore[arg-type]

    return _create(request, form, handover)
