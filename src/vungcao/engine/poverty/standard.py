"""A poverty standard (chuẩn nghèo) as read from its data file.

Each standard is one TOML file: identifier, names, legal basis, the years it applies to, the input
fields it reads, its deprivation indicators grouped in dimensions, income thresholds by area and the
ordered status rules. Nothing here knows any threshold; it only reads, checks and derives.

A provincial standard names the national one it ``derives_from`` and says what changes (an income
threshold factor, explicit thresholds, its own names, years and province); everything else is inherited.

Each standard carries its rule ``version``, stamped on every result: a digest of the data file's content
(``content_version``), so it changes when a rule, threshold or label in the file changes and never when
the code that reads the file does.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TypeAlias

from vungcao.engine.money import MAX_AMOUNT_VND
from vungcao.engine.poverty.expression import (
    Constant,
    Expression,
    ExpressionError,
    parse_expression,
    referenced_names,
)
from vungcao.engine.text import Label

FieldType: TypeAlias = Literal["integer", "number", "boolean", "category"]
FIELD_TYPES: tuple[FieldType, ...] = ("integer", "number", "boolean", "category")

AREA = "area"
INCOME = "income_per_capita_month"
DEPRIVATION_COUNT = "deprivation_count"
INCOME_THRESHOLD = "income_threshold"
STATUS = "status"
DEPRIVED_PREFIX = "deprived__"

INVALID_STANDARD = "Standard {identifier}: {detail}"
UNKNOWN_NAME_IN_RULE = "{where} reads {names}, which the standard does not define"
LAST_STATUS_MUST_BE_OTHERWISE = "the last status rule must be 'true' so that every household gets a status"
THRESHOLD_NOT_INTEGER = "income threshold {name} for {area} is not a whole number of VND after derivation"
AREAS_DIFFER = "every area must define the same thresholds"


class StandardError(ValueError):
    """A standard's data file is not valid."""


def deprived_column(indicator: str) -> str:
    """The column holding whether a household is deprived in ``indicator``."""
    return DEPRIVED_PREFIX + indicator


@dataclass(frozen=True)
class InputField:
    """One answer the standard reads from a household."""

    name: str
    type: FieldType
    label: Label
    required: bool = True
    unit: Label | None = None
    minimum: float | None = None
    maximum: float | None = None
    allowed_values: Mapping[str, Label] = field(default_factory=dict)
    # A yes/no answer asked of an official on a form: every such question is worded so that "yes" means
    # the household has, meets or does the thing. ``question`` is that wording when ``label``
    # (the stored column's, as files carry it) reads the other way, and then ``inverted`` says that the
    # stored value is the opposite of the answer to ``question``.
    question: Label | None = None
    inverted: bool = False

    @property
    def asked(self) -> Label:
        """The question as a form asks it, "yes" meaning the household has or meets it."""
        return self.question or self.label

    def stored_from_answer(self, answer: bool) -> bool:
        """The stored value for the answer "yes" (True) or "no" (False) to `asked`."""
        return answer != self.inverted


@dataclass(frozen=True)
class Dimension:
    identifier: str
    label: Label


Verification = Literal["verified", "unverified", "not_found"]


@dataclass(frozen=True)
class Indicator:
    """A deprivation indicator (chỉ số đo lường mức độ thiếu hụt).

    ``deprived_when`` is None when the legal text of the threshold was not found: the standard does not
    invent one, and the reviewer's own yes/no answer is read from the column ``deprived__<identifier>``.
    """

    identifier: str
    dimension: str
    label: Label
    definition: Label
    deprived_when: Expression | None
    deprived_when_text: str
    legal_clause: str
    verification: Verification
    source: str

    @property
    def column(self) -> str:
        return deprived_column(self.identifier)

    @property
    def recorded_field(self) -> InputField:
        """The reviewer's yes/no answer, read instead of the rule (or when there is no rule)."""
        return InputField(
            name=self.column,
            type="boolean",
            label=Label(
                vi=f"Hộ thiếu hụt chỉ số {self.label.vi}",
                en=f"The household is deprived in {self.label.en}",
            ),
            question=Label(
                vi=f"Hộ đáp ứng chỉ số {self.label.vi} (không thiếu hụt)",
                en=f"The household meets the indicator {self.label.en} (is not deprived in it)",
            ),
            inverted=True,
        )


@dataclass(frozen=True)
class Check:
    """A condition every household's answers must meet (``holds``), with the message when it does not."""

    holds: Expression
    holds_text: str
    message: Label


@dataclass(frozen=True)
class StatusRule:
    """``status`` applies to a household when ``when`` is true and no earlier rule matched."""

    status: str
    label: Label
    when: Expression
    when_text: str
    explanation: Label
    legal_clause: str
    # The legal clause as each reader cites it (``citation`` in the data file; the clause's own text,
    # in English, when the file gives none).
    citation: Label | None = None

    def cited(self, language: str) -> str:
        return self.citation.in_language(language) if self.citation else self.legal_clause


@dataclass(frozen=True)
class Period:
    first_year: int
    last_year: int
    legal_clause: str

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class Threshold:
    """A named income line (VND per person per month) with a value per area."""

    name: str
    label: Label
    values: Mapping[str, int]
    legal_clause: str


@dataclass(frozen=True)
class Standard:
    identifier: str
    name: Label
    legal_basis: Label
    periods: tuple[Period, ...]
    fields: tuple[InputField, ...]
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    thresholds: tuple[Threshold, ...]
    income_threshold: str
    statuses: tuple[StatusRule, ...]
    checks: tuple[Check, ...] = ()
    province: int | None = None
    derives_from: str | None = None
    notes: str = ""
    # ``content_version`` of the data file this standard was read from (and of its base).
    version: str = ""

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(self.thresholds[0].values)

    def field(self, name: str) -> InputField:
        return next(input_field for input_field in self.all_fields if input_field.name == name)

    @property
    def all_fields(self) -> tuple[InputField, ...]:
        """The area and income fields every standard reads, the standard's own answers, then the
        reviewer's recorded answers for indicators the standard has no rule for."""
        recorded = (
            indicator.recorded_field for indicator in self.indicators if indicator.deprived_when is None
        )
        return (area_field(self.areas), INCOME_FIELD, *self.fields, *recorded)

    def threshold(self, name: str) -> Threshold:
        return next(threshold for threshold in self.thresholds if threshold.name == name)

    def indicator(self, identifier: str) -> Indicator:
        return next(indicator for indicator in self.indicators if indicator.identifier == identifier)

    def dimension_indicators(self, dimension: str) -> tuple[Indicator, ...]:
        return tuple(indicator for indicator in self.indicators if indicator.dimension == dimension)

    def status_label(self, status: str) -> Label:
        return next(rule.label for rule in self.statuses if rule.status == status)

    def applies_in(self, year: int) -> bool:
        return any(year in period for period in self.periods)


INCOME_FIELD = InputField(
    name=INCOME,
    type="integer",
    label=Label(vi="Thu nhập bình quân đầu người một tháng", en="Income per person per month"),
    unit=Label(vi="đồng/người/tháng", en="VND per person per month"),
    minimum=0,
    # An amount of money like any other: the bound of one money record (engine.money), far above any
    # income and far below what the 64-bit column holds, so a mistyped "1e30" is refused by row.
    maximum=MAX_AMOUNT_VND,
)
AREA_LABELS = {
    "rural": Label(vi="khu vực nông thôn", en="rural area"),
    "urban": Label(vi="khu vực thành thị", en="urban area"),
}


def area_field(areas: tuple[str, ...]) -> InputField:
    return InputField(
        name=AREA,
        type="category",
        label=Label(vi="Khu vực", en="Area"),
        allowed_values={area: AREA_LABELS.get(area, Label(area, area)) for area in areas},
    )


# Reading data files ---------------------------------------------------------------------------------


def _json_value(value: object) -> str:
    """TOML's dates and times, which JSON lacks, as ISO 8601 text."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a TOML value")


def content_version(data: Mapping[str, Any], base: Standard | None = None) -> str:
    """The rule version of a standard read from ``data`` (a data file's parsed content): the SHA-256 of
    that content serialised canonically (JSON, keys sorted, no spacing, UTF-8) together with the version
    of the standard it derives from, if any. Key order, comments and spacing in the file do not change
    it; nor does anything in the code, such as a field added to ``Standard``."""
    canonical = json.dumps(
        {"base": base.version if base is not None else None, "standard": data},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_value,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _label(data: Mapping[str, Any]) -> Label:
    return Label(vi=str(data["vi"]), en=str(data["en"]))


def _parse(identifier: str, where: str, text: str) -> Expression:
    try:
        return parse_expression(text)
    except ExpressionError as error:
        raise StandardError(
            INVALID_STANDARD.format(identifier=identifier, detail=f"{where}: {error}")
        ) from error


def _read_field(data: Mapping[str, Any]) -> InputField:
    field_type = data["type"]
    if field_type not in FIELD_TYPES:
        raise StandardError(f"field {data['name']}: unknown type {field_type!r}")
    return InputField(
        name=data["name"],
        type=field_type,
        label=_label(data["label"]),
        required=bool(data.get("required", True)),
        unit=_label(data["unit"]) if "unit" in data else None,
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
        allowed_values={value: _label(label) for value, label in data.get("allowed_values", {}).items()},
    )


def standard_from_mapping(data: Mapping[str, Any], base: Standard | None = None) -> Standard:
    """Build a standard from parsed TOML; ``base`` is the national standard a provincial one derives from."""
    identifier = str(data["identifier"])
    if base is not None:
        return _derive(identifier, data, base)
    fields = tuple(_read_field(item) for item in data["fields"])
    indicators = tuple(
        Indicator(
            identifier=item["identifier"],
            dimension=item["dimension"],
            label=_label(item["label"]),
            definition=_label(item["definition"]),
            deprived_when=(
                _parse(identifier, f"indicator {item['identifier']}", item["deprived_when"])
                if "deprived_when" in item
                else None
            ),
            deprived_when_text=item.get("deprived_when", ""),
            legal_clause=item["legal_clause"],
            verification=item["verification"],
            source=item.get("source", ""),
        )
        for item in data["indicators"]
    )
    standard = Standard(
        identifier=identifier,
        name=_label(data["name"]),
        legal_basis=_label(data["legal_basis"]),
        periods=_read_periods(data),
        fields=fields,
        dimensions=tuple(Dimension(item["identifier"], _label(item["label"])) for item in data["dimensions"]),
        indicators=indicators,
        thresholds=_read_thresholds(data),
        income_threshold=data["income_threshold"],
        statuses=_read_statuses(identifier, data),
        checks=tuple(
            Check(
                holds=_parse(identifier, "check", item["holds"]),
                holds_text=item["holds"],
                message=_label(item["message"]),
            )
            for item in data.get("checks", ())
        ),
        province=data.get("province"),
        notes=data.get("notes", ""),
        version=content_version(data),
    )
    _check(standard)
    return standard


def _read_thresholds(data: Mapping[str, Any]) -> tuple[Threshold, ...]:
    return tuple(
        Threshold(
            name=name,
            label=_label(item["label"]),
            values={area: int(value) for area, value in item["values"].items()},
            legal_clause=item["legal_clause"],
        )
        for name, item in data["thresholds"].items()
    )


def _read_statuses(identifier: str, data: Mapping[str, Any]) -> tuple[StatusRule, ...]:
    return tuple(
        StatusRule(
            status=item["status"],
            label=_label(item["label"]),
            when=_parse(identifier, f"status {item['status']}", item["when"]),
            when_text=item["when"],
            explanation=_label(item["explanation"]),
            legal_clause=item["legal_clause"],
            citation=_label(item["citation"]) if "citation" in item else None,
        )
        for item in data["statuses"]
    )


def _read_periods(data: Mapping[str, Any]) -> tuple[Period, ...]:
    return tuple(
        Period(item["first_year"], item["last_year"], item["legal_clause"]) for item in data["periods"]
    )


def _derive(identifier: str, data: Mapping[str, Any], base: Standard) -> Standard:
    """A provincial standard: its own thresholds (as published, or the base's times a factor) and, when
    it gives them, its own status rules; indicators and fields are the base's."""
    if "thresholds" in data:
        thresholds: tuple[Threshold, ...] = _read_thresholds(data)
    else:
        thresholds = _scaled_thresholds(identifier, data, base)
    standard = replace(
        base,
        identifier=identifier,
        name=_label(data["name"]),
        legal_basis=_label(data["legal_basis"]),
        periods=_read_periods(data),
        thresholds=thresholds,
        income_threshold=data.get("income_threshold", base.income_threshold),
        statuses=_read_statuses(identifier, data) if "statuses" in data else base.statuses,
        province=data.get("province"),
        derives_from=base.identifier,
        notes=data.get("notes", ""),
        version=content_version(data, base),
    )
    _check(standard)
    return standard


def _scaled_thresholds(identifier: str, data: Mapping[str, Any], base: Standard) -> tuple[Threshold, ...]:
    factor = Fraction(str(data.get("income_threshold_factor", "1")))
    thresholds = []
    for threshold in base.thresholds:
        values = {}
        for area, value in threshold.values.items():
            scaled = value * factor
            if scaled.denominator != 1:
                detail = THRESHOLD_NOT_INTEGER.format(name=threshold.name, area=area)
                raise StandardError(INVALID_STANDARD.format(identifier=identifier, detail=detail))
            values[area] = int(scaled)
        thresholds.append(replace(threshold, values=values, legal_clause=data["threshold_clause"]))
    return tuple(thresholds)


def _check(standard: Standard) -> None:
    """Refuse a standard whose rules read names it does not define."""

    def fail(detail: str) -> StandardError:
        return StandardError(INVALID_STANDARD.format(identifier=standard.identifier, detail=detail))

    field_names = {input_field.name for input_field in standard.all_fields}
    for indicator in standard.indicators:
        if indicator.verification not in ("verified", "unverified", "not_found"):
            raise fail(f"indicator {indicator.identifier}: unknown verification {indicator.verification!r}")
        unknown = (
            referenced_names(indicator.deprived_when) - field_names if indicator.deprived_when else set()
        )
        if unknown:
            where = f"indicator {indicator.identifier}"
            raise fail(UNKNOWN_NAME_IN_RULE.format(where=where, names=", ".join(sorted(unknown))))
        if indicator.dimension not in {dimension.identifier for dimension in standard.dimensions}:
            raise fail(f"indicator {indicator.identifier} names unknown dimension {indicator.dimension}")
    for check in standard.checks:
        unknown = referenced_names(check.holds) - field_names
        if unknown:
            raise fail(UNKNOWN_NAME_IN_RULE.format(where="check", names=", ".join(sorted(unknown))))
    rule_names = {INCOME, AREA, DEPRIVATION_COUNT} | {threshold.name for threshold in standard.thresholds}
    for rule in standard.statuses:
        unknown = referenced_names(rule.when) - rule_names
        if unknown:
            where = f"status {rule.status}"
            raise fail(UNKNOWN_NAME_IN_RULE.format(where=where, names=", ".join(sorted(unknown))))
    if standard.statuses[-1].when != Constant(True):
        raise fail(LAST_STATUS_MUST_BE_OTHERWISE)
    if len({tuple(threshold.values) for threshold in standard.thresholds}) != 1:
        raise fail(AREAS_DIFFER)
    if standard.income_threshold not in {threshold.name for threshold in standard.thresholds}:
        raise fail(f"income_threshold names unknown threshold {standard.income_threshold}")


def read_standard_file(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)
