"""Check households' answers against a standard's input fields before anything is classified.

Every problem is reported with its row (1-based data row; 0 for the table as a whole), field, value and
reason. Columns arrive as text (CSV, XLSX) or typed (Arrow, Parquet, Polars, pandas); both are converted
to the field's type, and a value that does not convert is a problem, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from vungcao.engine.poverty.dataframe import polars_expression
from vungcao.engine.poverty.expression import referenced_names
from vungcao.engine.poverty.standard import AREA, INCOME, Check, InputField, Standard
from vungcao.engine.tabular import ValidationReport

MISSING_COLUMN = "The column is missing."
MISSING_VALUE = "A value is required."
NOT_AN_INTEGER = "Not a whole number."
NOT_A_NUMBER = "Not a number."
NOT_A_BOOLEAN = "Not a yes/no value (use true/false, 1/0, yes/no or có/không)."
WRONG_COLUMN_TYPE = "The column has type {dtype}, which cannot hold this field."
BELOW_MINIMUM = "Below the minimum of {minimum}."
ABOVE_MAXIMUM = "Above the maximum of {maximum}."
NOT_ALLOWED = "Not one of the allowed values: {allowed}."
MORE_ROWS = "{count} rows in all have this problem; the first {shown} are listed."

MAX_ROWS_PER_PROBLEM = 1000
TRUE_WORDS = ("true", "1", "yes", "y", "có", "co", "x")
FALSE_WORDS = ("false", "0", "no", "n", "không", "khong")
ROW_NUMBER = "__row__"
TARGET_TYPES: dict[str, pl.DataType] = {
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "boolean": pl.Boolean(),
    "category": pl.String(),
}


@dataclass(frozen=True)
class PreparedHouseholds:
    """Households whose needed columns are typed and valid, or the report saying why not."""

    frame: pl.DataFrame
    recorded: frozenset[str]
    report: ValidationReport


@dataclass(frozen=True)
class PossibleProblem:
    """Rows where ``mask`` is true have the problem ``reason`` in ``field_name``; ``shown`` is the value."""

    field_name: str
    reason: str
    mask: pl.Expr
    shown: pl.Expr


def needed_fields(standard: Standard, columns: Iterable[str]) -> tuple[list[InputField], frozenset[str]]:
    """The fields a table must provide, and the indicators it provides as recorded answers."""
    present = set(columns)
    recorded = frozenset(
        indicator.identifier
        for indicator in standard.indicators
        if indicator.column in present or indicator.deprived_when is None
    )
    names = {AREA, INCOME}
    for indicator in standard.indicators:
        if indicator.identifier in recorded:
            names.add(indicator.column)
        elif indicator.deprived_when is not None:
            names |= referenced_names(indicator.deprived_when)
    known = {input_field.name: input_field for input_field in standard.all_fields}
    known.update({indicator.column: indicator.recorded_field for indicator in standard.indicators})
    return [input_field for name, input_field in known.items() if name in names], recorded


def prepare_households(frame: pl.DataFrame, standard: Standard) -> PreparedHouseholds:
    """Type and validate the columns ``standard`` reads; the report is empty when all is well."""
    report = ValidationReport()
    fields, recorded = needed_fields(standard, frame.columns)
    conversions: list[pl.Expr] = []
    problems: list[PossibleProblem] = []
    for input_field in fields:
        if input_field.name not in frame.columns:
            report.add(0, input_field.name, "", MISSING_COLUMN)
            continue
        source = frame.schema[input_field.name]
        converted = _convert(input_field, source)
        if converted is None:
            report.add(0, input_field.name, str(source), WRONG_COLUMN_TYPE.format(dtype=source))
            continue
        conversions.append(converted.alias(input_field.name))
        problems.extend(_field_problems(input_field, source, converted))
    if report.ok:
        _collect(frame, problems, report)
    if not report.ok:
        return PreparedHouseholds(frame, recorded, report)
    typed = frame.with_columns(conversions)
    present = {input_field.name for input_field in fields}
    _collect(
        typed,
        [_check_problem(check) for check in standard.checks if referenced_names(check.holds) <= present],
        report,
    )
    return PreparedHouseholds(typed, recorded, report)


def _check_problem(check: Check) -> PossibleProblem:
    names = sorted(referenced_names(check.holds))
    return PossibleProblem(
        field_name=", ".join(names),
        reason=check.message.en,
        mask=~polars_expression(check.holds).fill_null(True),
        shown=pl.concat_str([pl.col(name).cast(pl.String) for name in names], separator=" / "),
    )


def _is_text(source: pl.DataType) -> bool:
    return source in (pl.String, pl.Categorical) or isinstance(source, pl.Enum)


def _convert(input_field: InputField, source: pl.DataType) -> pl.Expr | None:
    """The expression turning the column into the field's type (invalid cells become null)."""
    column = pl.col(input_field.name)
    target = TARGET_TYPES[input_field.type]
    if source == pl.Null:
        return column.cast(target)
    if input_field.type == "category":
        return column.cast(pl.String) if _is_text(source) else None
    if _is_text(source):
        stripped = column.cast(pl.String).str.strip_chars()
        if input_field.type == "boolean":
            lowered = stripped.str.to_lowercase()
            return pl.when(lowered.is_in(TRUE_WORDS)).then(True).when(lowered.is_in(FALSE_WORDS)).then(False)
        return stripped.cast(target, strict=False)
    if source == pl.Boolean and input_field.type == "boolean":
        return column
    if source.is_numeric() or source == pl.Boolean:
        if input_field.type == "boolean":
            as_number = column.cast(pl.Float64)
            return pl.when(as_number == 1).then(True).when(as_number == 0).then(False)
        if input_field.type == "integer" and source.is_float():
            return pl.when(column == column.floor()).then(column).cast(target, strict=False)
        return column.cast(target, strict=False)
    return None


def _field_problems(
    input_field: InputField, source: pl.DataType, converted: pl.Expr
) -> list[PossibleProblem]:
    name = input_field.name
    original = pl.col(name)
    shown = original.cast(pl.String)
    answered = original.is_not_null()
    if _is_text(source):
        answered = answered & (original.cast(pl.String).str.strip_chars() != "")
    problems = []
    if input_field.type != "category":
        reason = {"integer": NOT_AN_INTEGER, "number": NOT_A_NUMBER, "boolean": NOT_A_BOOLEAN}[
            input_field.type
        ]
        problems.append(PossibleProblem(name, reason, answered & converted.is_null(), shown))
    if input_field.required:
        problems.append(PossibleProblem(name, MISSING_VALUE, ~answered, shown))
    if input_field.type == "number":
        problems.append(PossibleProblem(name, NOT_A_NUMBER, converted.is_nan(), shown))
    if input_field.minimum is not None:
        reason = BELOW_MINIMUM.format(minimum=_number(input_field.minimum))
        problems.append(PossibleProblem(name, reason, converted < input_field.minimum, shown))
    if input_field.maximum is not None:
        reason = ABOVE_MAXIMUM.format(maximum=_number(input_field.maximum))
        problems.append(PossibleProblem(name, reason, converted > input_field.maximum, shown))
    if input_field.allowed_values:
        allowed = list(input_field.allowed_values)
        reason = NOT_ALLOWED.format(allowed=", ".join(allowed))
        problems.append(PossibleProblem(name, reason, answered & ~converted.is_in(allowed), shown))
    return problems


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _collect(frame: pl.DataFrame, problems: list[PossibleProblem], report: ValidationReport) -> None:
    """Count every problem in one parallel pass; list rows only for the problems that occur."""
    if not problems:
        return
    counts = frame.select(
        [
            problem.mask.fill_null(False).sum().alias(str(position))
            for position, problem in enumerate(problems)
        ]
    ).row(0)
    for problem, count in zip(problems, counts, strict=True):
        if not count:
            continue
        rows = (
            frame.with_row_index(ROW_NUMBER, offset=1)
            .filter(problem.mask.fill_null(False))
            .head(MAX_ROWS_PER_PROBLEM)
            .select(pl.col(ROW_NUMBER), problem.shown.alias("value"))
        )
        for row_number, value in rows.iter_rows():
            report.add(row_number, problem.field_name, value, problem.reason)
        if count > MAX_ROWS_PER_PROBLEM:
            report.add(0, problem.field_name, "", MORE_ROWS.format(count=count, shown=MAX_ROWS_PER_PROBLEM))
