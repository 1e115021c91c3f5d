"""API schemas of programmes, capital sources and money."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import WithJsonSchema

from vungcao.common.bounds import Id, column, text
from vungcao.engine.money import MAX_AMOUNT_VND
from vungcao.programs.models import Component, MoneyRecord, Programme
from vungcao.programs.services.money import FIRST_YEAR, LAST_YEAR

# Documented ranges of fields the service or the entry form checks itself, so that a value out of range
# is refused with its own message in "errors", next to every other bad field of the same entry.
Amount = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT_VND})]
"""Whole dong, 0 … 10¹⁵ (a million tỷ): see vungcao.engine.money.MAX_AMOUNT_VND."""
AmountText = Annotated[str, text(60)]
BudgetYear = Annotated[int, WithJsonSchema({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})]
ShortText = Annotated[str, text(60)]


class ComponentOut(Schema):
    code: str
    numbering: str
    name: str
    kind: str
    components: list["ComponentOut"]


class ProgrammeOut(Schema):
    code: str
    name: str
    legal_basis: str
    start_year: int
    end_year: int
    components: list[ComponentOut]


class ProgrammeList(Schema):
    items: list[ProgrammeOut]


class CapitalSourceOut(Schema):
    code: str
    name: str
    is_budget: bool


class CapitalSourceList(Schema):
    items: list[CapitalSourceOut]


class MoneyRecordIn(Schema):
    """Every field is checked by the service, so a refusal names every bad field at once."""

    kind: ShortText | None = Field(None, description="plan, allocation, disbursement or extension")
    year: BudgetYear | ShortText | None = Field(None, description="budget year of the capital, 2000 … 2100")
    to_year: BudgetYear | ShortText | None = Field(
        None, description="extensions only: the later year it is carried into"
    )
    era: ShortText | None = Field("current", description="era of the unit code: current or pre2025")
    unit_code: ShortText | None = None
    component: ShortText | None = Field(None, description="a component code from /api/v1/programmes")
    source: ShortText | None = Field(None, description="a capital source code from /api/v1/capital-sources")
    amount_vnd: Amount | AmountText | None = Field(
        None, description='whole dong: 1500000000, or as written: "1.500.000.000", "1,5 tỷ"'
    )
    document_no: Annotated[str, column(MoneyRecord, "document_no")] | None = None
    document_date: ShortText | None = Field(None, description="2024-03-01 or 01/03/2024, 1900 … 2100")
    work: Id | None = Field(
        None, description="disbursements only: the id of the work or project paid for (see /api/v1/works)"
    )


class MoneyRecordOut(Schema):
    id: int
    kind: str
    year: int
    to_year: int | None
    era: str = Field(alias="unit.era")
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    component: str = Field(alias="component.code")
    source: str = Field(alias="source.code")
    amount_vnd: int
    document_no: str
    document_date: datetime.date
    work: int | None = Field(None, alias="work_id")
    alert: str | None = Field(
        None,
        description="set when the disbursements of this record's allocation go past it (non-budget sources "
        "are recorded with an alert; state-budget ones are refused)",
    )


class RefusedOut(Schema):
    detail: str
    errors: dict[str, str]


class MoneySummaryOut(Schema):
    era: str
    unit_code: str
    from_year: int
    to_year: int
    component: str | None
    planned: int
    allocated: int
    disbursed: int
    extended: int
    unspent: int
    budget: int
    non_budget: int
    disbursement_rate: float | None
    leverage: float | None


class FieldsRefusedOut(Schema):
    detail: str
    errors: dict[str, str]
    reasons: list[str] | None = None


Loose = Annotated[str, text(1000)] | int | float | None
"""A field the entry form parses (and bounds): a value as typed, or a JSON number."""
LooseAmount = Amount | AmountText | float | None
"""An amount the entry form parses: whole dong, or as written ("4,5 tỷ"); 0 … 10¹⁵."""


class WorkIn(Schema):
    """Checked by the entry form and the service, so a refusal names every bad field at once."""

    unit_code: Loose = Field(None, description="current-era unit code")
    component: Loose = Field(None, description="a component code from /api/v1/programmes")
    kind: Loose = Field(
        None, description="road, school, clinic, water, market, other_infrastructure, production_support"
    )
    name: Loose = None
    investment_total_vnd: LooseAmount = Field(None, description='whole dong, or as written: "4,5 tỷ"')
    output_quantity: Loose = None
    output_unit: Loose = Field(None, description="km, classrooms, households served, ha …")
    households: Loose = None
    start_date: Loose = Field(None, description="2024-03-01")
    planned_end_date: Loose = Field(None, description="2025-09-30")
    status: Loose = Field(None, description="planned, in_progress, done or suspended")
    progress_percent: Loose = None


class WorkOut(Schema):
    id: int
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    component: str = Field(alias="component.code")
    kind: str
    name: str
    investment_total_vnd: int
    output_quantity: float
    output_unit: str
    households: int
    start_date: datetime.date | None
    planned_end_date: datetime.date | None
    status: str
    progress_percent: int


class SupportIn(Schema):
    household_code: Loose = Field(None, description="the registry's household code")
    component: Loose = None
    year: Loose = None
    kind: Loose = Field(
        None, description="housing, breeding_animals, seedlings, water_tank, vocational_training, credit"
    )
    amount_vnd: LooseAmount = None
    quantity: Loose = None
    description: Loose = None


class SupportOut(Schema):
    id: int
    household_code: str
    linked_to_registry: bool
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    component: str = Field(alias="component.code")
    year: int
    kind: str
    amount_vnd: int
    quantity: float
    description: str
    recorded_status: str
    status_year: int | None
    recorded_deprivations: list[str]

    @staticmethod
    def resolve_linked_to_registry(obj: object) -> bool:
        return getattr(obj, "household_id", None) is not None


class RevolvingModelIn(Schema):
    unit_code: Loose = None
    component: Loose = None
    name: Loose = None
    item: Loose = Field(None, description="what is passed on, e.g. 1 breeding cow")


class HandoverIn(Schema):
    household_code: Loose = None
    received_on: Loose = Field(None, description="2025-05-20")
    due_on: Loose = Field(None, description="2025-11-20")


class HoldingOut(Schema):
    sequence: int
    household_code: str
    received_on: datetime.date
    due_on: datetime.date
    handed_on: datetime.date | None
    is_overdue: bool = False


class RevolvingModelOut(Schema):
    id: int
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    component: str = Field(alias="component.code")
    name: str
    item: str
    holdings: list[HoldingOut]

    @staticmethod
    def resolve_holdings(obj: object) -> list[object]:
        return list(obj.holdings.all())  # type: ignore[attr-defined]


class ComponentIn(Schema):
    code: Annotated[str, column(Component, "code")]
    name_vi: Annotated[str, column(Component, "name_vi")]
    name_en: Annotated[str, column(Component, "name_en")] = ""
    numbering: Annotated[str, column(Component, "numbering")] = ""
    kind: ShortText = Field("", description="target_group, task, project, sub_project or content")
    components: list["ComponentIn"] = Field([], max_length=200)


class ProgrammeIn(Schema):
    province_code: ShortText | None = Field(None, description="the caller's province when left out")
    code: Annotated[str, column(Programme, "code")] = Field(
        description="short code; the province code is put in front (22-NQ06)"
    )
    name_vi: Annotated[str, column(Programme, "name_vi")]
    name_en: Annotated[str, column(Programme, "name_en")] = ""
    legal_basis: Annotated[str, column(Programme, "legal_basis")] = ""
    start_year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
    end_year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
    owner: Annotated[str, column(Programme, "owner")] = ""
    components: list[ComponentIn] = Field(max_length=200)


class ComponentRenameIn(Schema):
    name_vi: Annotated[str, column(Component, "name_vi")]
    name_en: Annotated[str, column(Component, "name_en")] = ""
    numbering: Annotated[str, column(Component, "numbering")] = ""


class ComponentChangedOut(Schema):
    code: str
    name: str
    numbering: str
    is_active: bool
    changed: int = 1
