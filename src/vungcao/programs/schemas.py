"""API schemas of programmes, capital sources and money."""

import datetime

from ninja import Field, Schema


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

    kind: str | None = Field(None, description="plan, allocation, disbursement or extension")
    year: int | str | None = Field(None, description="budget year of the capital")
    to_year: int | str | None = Field(None, description="extensions only: the later year it is carried into")
    era: str | None = Field("current", description="era of the unit code: current or pre2025")
    unit_code: str | None = None
    component: str | None = Field(None, description="a component code from /api/v1/programmes")
    source: str | None = Field(None, description="a capital source code from /api/v1/capital-sources")
    amount_vnd: int | str | None = Field(
        None, description='whole dong: 1500000000, or as written: "1.500.000.000", "1,5 tỷ"'
    )
    document_no: str | None = None
    document_date: str | None = Field(None, description="2024-03-01 or 01/03/2024")


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
