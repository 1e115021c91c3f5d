"""API schemas of administrative units and the crosswalk."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from vungcao.common.bounds import column, text
from vungcao.geo.models import AdministrativeUnit

UnitCode = Annotated[str, column(AdministrativeUnit, "code", min_length=1)]
"""A unit's code as the statistics office writes it; no longer than the column."""
SearchText = Annotated[str, text(100)]


class UnitOut(Schema):
    era: str
    code: str = Field(
        description="Code as the General Statistics Office writes it: 2, 3 or 5 digits, zero-padded"
    )
    name: str
    level: str
    division_type: str
    parent_code: str | None = Field(None, alias="parent.code")
    is_official: bool
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class UnitRef(Schema):
    era: str
    code: str
    name: str
    level: str


class UnitLinkOut(Schema):
    unit: UnitRef
    share: float
    provenance: str


class UnitAttributeOut(Schema):
    kind: str
    value: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    legal_basis: str


class UnitDetailOut(UnitOut):
    ancestors: list[UnitRef]
    children: list[UnitRef]
    predecessors: list[UnitLinkOut]
    successors: list[UnitLinkOut]
    attributes: list[UnitAttributeOut]


class CrosswalkOut(Schema):
    old_era: str = Field(alias="old_unit.era")
    old_code: str = Field(alias="old_unit.code")
    old_name: str = Field(alias="old_unit.name")
    old_level: str = Field(alias="old_unit.level")
    new_era: str = Field(alias="new_unit.era")
    new_code: str = Field(alias="new_unit.code")
    new_name: str = Field(alias="new_unit.name")
    new_level: str = Field(alias="new_unit.level")
    share: float
    provenance: str
    source: str
