"""API schemas of indicators, their values and targets.

Numbers are JSON numbers: a whole value as an integer (counts and dong, exact), any other as a decimal
number rounded to the indicator's shown decimals, as the money summary gives its rates.
"""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from vungcao.common.bounds import column, text
from vungcao.indicators.models import Indicator, UnitGroup
from vungcao.indicators.services.definitions import DESCRIPTION_LENGTH
from vungcao.indicators.services.groups import MOST_MEMBERS

ShortText = Annotated[str, text(60)]
NoteText = Annotated[str, text(500)]
Number = int | float


def json_number(value: Decimal | None) -> Number | None:
    """``value`` as a JSON number: an integer when it is whole, else a float; None stays None."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class IndicatorOut(Schema):
    code: str
    name: str = Field(description="in the reader's language")
    name_vi: str
    name_en: str
    unit: str = Field(description="the unit of measure: households, percent, vnd, km …")
    kind: str = Field(description="entered, computed or derived")
    aggregation: str = Field(description="sum, recompute or none")
    source: str = Field(description="in the reader's language")
    decimals: int = Field(description="decimal places a value is shown with")
    minimum: Number | None
    maximum: Number | None
    direction: str | None
    accepts_entries: bool = Field(
        description="whether values may be entered (for computed ones: history only)"
    )
    formula: dict[str, object] | None = Field(
        description="a derived indicator's formula, as in the catalogue"
    )
    owner: str | None = Field(description="the code of the province that defined it; null when shipped")


class IndicatorValueIn(Schema):
    """Every field is checked by the service, so a refusal names every bad field at once."""

    indicator: ShortText | None = Field(None, description="an indicator code from /api/v1/indicators")
    era: ShortText | None = Field("current", description="era of the unit code: current or pre2025")
    unit_code: ShortText | None = None
    year: int | ShortText | None = Field(None, description="2000 … 2100")
    value: Number | ShortText | None = Field(None, description="a number, at most four decimals")
    note: NoteText | None = Field(None, description="where the value comes from")


class IndicatorValueChangeIn(Schema):
    """Both fields are checked by the service, as when the value was entered."""

    value: Number | ShortText | None = Field(None, description="a number, at most four decimals")
    note: NoteText | None = Field(None, description="where the value comes from; cleared when empty")


class IndicatorValueOut(Schema):
    id: int
    indicator: str
    era: str
    unit_code: str
    year: int
    value: Number
    note: str
    entered_by: str | None
    updated_at: str


class ProvenanceOut(Schema):
    units: int = Field(description="distinct units whose data make the figure")
    eras: list[str]
    years: list[int]
    entered: int = Field(description="data entered by officials")
    records: int = Field(description="data computed from the system's records")


class FigureOut(Schema):
    indicator: str
    era: str
    unit_code: str
    unit_name: str
    year: int
    value: Number | None = Field(description="null when it cannot be computed; then reason says why")
    reason: str | None
    provenance: ProvenanceOut


class TargetIn(Schema):
    indicator: ShortText | None = None
    era: ShortText | None = Field("current", description="era of the unit code: current or pre2025")
    unit_code: ShortText | None = Field(None, description="the unit; or give group")
    group: int | ShortText | None = Field(None, description="the id of a group of units")
    baseline_year: int | ShortText | None = None
    target_year: int | ShortText | None = None
    kind: ShortText | None = Field(None, description="at_most, at_least or annual_change")
    value: Number | ShortText | None = Field(None, description="the level, or the change a year (e.g. -3)")
    objective: int | ShortText | None = Field(None, description="the id of a plan's objective")


class TargetOut(Schema):
    id: int
    indicator: str
    era: str
    unit_code: str | None
    group: int | None
    baseline_year: int
    target_year: int
    kind: str
    value: Number


class ProgressOut(Schema):
    target: int
    indicator: str
    kind: str
    baseline_year: int
    target_year: int
    target_value: Number
    baseline_value: Number | None
    latest_year: int | None
    latest_value: Number | None
    average_annual_change: Number | None = Field(description="per year, over the years since the baseline")
    share_achieved: Number | None = Field(description="share of the way from the baseline to the target")
    status: str = Field(description="achieved, on_track, behind or no_data")
    achieved_year: int | None
    years_ahead: int | None = Field(description="target year − year first reached; negative when late")
    slipped: bool = Field(description="achieved in time, but the latest value no longer meets the target")


class ReportingPeriodIn(Schema):
    """Every field is checked by the service, so a refusal names every bad field at once."""

    subject: ShortText | None = Field("indicator", description="indicator or review (the annual review)")
    indicator: ShortText | None = Field(None, description="an entered indicator's code; none for the review")
    year: int | ShortText | None = Field(None, description="the year reported on")
    level: ShortText | None = Field("commune", description="commune (a province's communes) or province")
    era: ShortText | None = Field("current", description="era of the reporting units: current or pre2025")
    owner_code: ShortText | None = Field(None, description="the province, for commune; none for province")
    deadline: ShortText | None = Field(
        None, description="2025-01-25 or 25/01/2025; the reporting calendar's when empty"
    )
    source: NoteText | None = Field(None, description="where the deadline comes from")


class ReportingPeriodOut(Schema):
    id: int
    subject: str
    indicator: str | None
    year: int
    level: str
    era: str
    owner_code: str | None = Field(description="the province whose communes report; null when national")
    deadline: str
    source: str


class UnitReportOut(Schema):
    unit_code: str
    unit_name: str
    status: str = Field(description="reported, late, missing or not_due")
    reported_on: str | None


class CompletenessOut(Schema):
    period: ReportingPeriodOut
    today: str
    counts: dict[str, int]
    units: list[UnitReportOut]


# Plans and their objectives ------------------------------------------------------------------------------


class PlanIn(Schema):
    """Every field is checked by the service, so a refusal names every bad field at once."""

    name: NoteText | None = None
    era: ShortText | None = Field("current", description="era of the unit code: current or pre2025")
    unit_code: ShortText | None = Field(None, description="the unit whose plan it is")
    from_year: int | ShortText | None = Field(None, description="the plan's first year, 2000 … 2100")
    to_year: int | ShortText | None = Field(None, description="its last year")


class ObjectiveIn(Schema):
    name: NoteText | None = None
    position: int | ShortText | None = Field(
        None, description="1 … the number of objectives + 1; at the end when empty"
    )


class ObjectiveOut(Schema):
    id: int
    name: str
    position: int = Field(description="1, 2, 3 … in the plan's order")
    targets: list[int] = Field(description="the ids of its targets the caller may see")


class PlanOut(Schema):
    id: int
    name: str
    era: str
    unit_code: str
    unit_name: str
    from_year: int
    to_year: int
    objectives: list[ObjectiveOut]


# A province's own indicators and groups of units ------------------------------------------------------

NameText = Annotated[str, column(Indicator, "name_vi")]
DescriptionText = Annotated[str, text(DESCRIPTION_LENGTH)]


class FormulaIn(Schema):
    """A derived indicator's formula, as the catalogue writes it: each part an indicator's code."""

    op: ShortText = Field(description="ratio, sum, difference or annual_change")
    numerator: ShortText | None = Field(None, description="ratio: the indicator divided")
    denominator: ShortText | None = Field(None, description="ratio: the indicator divided by")
    scale: Number | ShortText | None = Field(None, description="ratio: its multiplier, 100 for per cent")
    terms: list[ShortText] | None = Field(None, max_length=50, description="sum: the indicators added")
    minuend: ShortText | None = Field(None, description="difference: the indicator subtracted from")
    subtrahend: ShortText | None = Field(None, description="difference: the indicator subtracted")
    of: ShortText | None = Field(None, description="annual_change: the indicator compared with its last year")


IndicatorCode = Annotated[str, column(Indicator, "code", min_length=1)]


class IndicatorChangeIn(Schema):
    """Every field of a province's own indicator but its code and province (which stay), checked by the
    service with the catalogue's rules, so a refusal names every bad field at once."""

    name_vi: NameText | None = None
    name_en: NameText | None = None
    unit: ShortText | None = Field(None, description="the unit of measure: households, percent, vnd, km …")
    kind: ShortText | None = Field(None, description="entered, or derived (with a formula)")
    aggregation: ShortText | None = Field(None, description="sum or none; recompute for a derived one")
    source: NoteText | None = Field(None, description="the document that defines it")
    decimals: int | ShortText | None = Field(None, description="decimal places a value is shown with, 0 … 12")
    minimum: Number | ShortText | None = Field(None, description="the smallest value that may be entered")
    maximum: Number | ShortText | None = Field(None, description="the largest value that may be entered")
    direction: ShortText | None = Field(None, description="lower_is_better or higher_is_better")
    description_vi: DescriptionText | None = None
    description_en: DescriptionText | None = None
    formula: FormulaIn | None = Field(None, description="a derived indicator's formula")


class IndicatorIn(IndicatorChangeIn):
    """Every field is checked by the service (with the catalogue's rules), so a refusal names every bad
    field at once."""

    province_code: ShortText | None = Field(
        None, description="the province that defines it: the caller's own when empty (required nationally)"
    )
    code: ShortText | None = Field(None, description="[a-z][a-z0-9_]*, unique among every province's")


class IndicatorCreatedOut(IndicatorOut):
    owner_name: str = Field(description="the name of the province that defined it")


class UnitGroupIn(Schema):
    """Every field is checked by the service, so a refusal names every bad field at once."""

    name: Annotated[str, column(UnitGroup, "name")] | None = None
    era: ShortText | None = Field("current", description="era of the members: current or pre2025")
    owner_code: ShortText | None = Field(
        None, description="the province that keeps it: the caller's own when empty (required nationally)"
    )
    member_codes: list[ShortText] | None = Field(
        None,
        max_length=MOST_MEMBERS,
        description="codes of units of the era under the province or in its history",
    )


class UnitGroupChangeIn(Schema):
    """Both fields are checked by the service, as when the group was made; its era and owner stay."""

    name: Annotated[str, column(UnitGroup, "name")] | None = None
    member_codes: list[ShortText] | None = Field(
        None,
        max_length=MOST_MEMBERS,
        description="every member: codes of units of the group's era under its province or in its history",
    )


class UnitGroupOut(Schema):
    id: int
    name: str
    era: str
    owner_code: str
    owner_name: str
    member_codes: list[str] = Field(description="in the tree's order")
