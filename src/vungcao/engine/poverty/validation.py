"""Check households' answers against a standard's input fields before anything is classified.

Every problem is reported with its row (1-based data row; 0 for the table as a whole), field, value and
reason. Columns arrive as text (CSV, XLSX) or typed (Arrow, Parquet, Polars, pandas); both are converted
to the field's type, and a value that does not convert is a problem, never silently dropped.

Two ways in. `prepare_households` reads the data, lists every problem and returns the typed frame: the
exact report. `plan_households` reads nothing: it returns the typed households as a lazy query and a
*screen*, one lazy count of the rows that may have a problem, meant to be collected in the same pass as
the classification. The screen never misses a problem (it counts the same conditions, or cheaper and
broader ones); only when it counts something is the exact report built, so valid households are read
once and invalid ones get exactly the report `prepare_households` gives.

Reasons are written in the reader's ``language`` (``"vi"`` or ``"en"``, English unless told): each is a
bilingual `Label`, chosen and formatted once per field, never per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import polars as pl

from vungcao.engine.choices import NO, YES, yes_no_words
from vungcao.engine.poverty.dataframe import polars_expression
from vungcao.engine.poverty.expression import (
    Comparison,
    Constant,
    Expression,
    FieldReference,
    IsMissing,
    Membership,
    children,
    referenced_names,
)
from vungcao.engine.poverty.standard import AREA, INCOME, Check, InputField, Standard
from vungcao.engine.poverty.text_numbers import parsed_numbers
from vungcao.engine.tabular import ValidationReport
from vungcao.engine.text import Label, format_number

MISSING_COLUMN = Label("Thiếu cột này.", "The column is missing.")
MISSING_VALUE = Label("Bắt buộc phải có giá trị.", "A value is required.")
NOT_AN_INTEGER = Label(
    "Không phải số nguyên; ghi bằng chữ số, ví dụ 1500000, 1.500.000 hoặc 1,5 triệu "
    "(1,500 không rõ nghĩa: ghi 1.500 hoặc 1,5).",
    "Not a whole number; write it in digits, for example 1500000, 1.500.000 or 1,5 triệu "
    "(1,500 is ambiguous: write 1.500 or 1,5).",
)
NOT_A_NUMBER = Label(
    "Không phải số; ghi bằng chữ số, ví dụ 1500000, 1.500.000 hoặc 1,5 (1,500 không rõ nghĩa: ghi 1.500 hoặc 1,5).",
    "Not a number; write it in digits, for example 1500000, 1.500.000 or 1,5 (1,500 is ambiguous: write "
    "1.500 or 1,5).",
)
NOT_A_BOOLEAN = Label(
    "Không phải giá trị có/không (ghi có/không, c/k, x, 1/0, yes/no).",
    "Not a yes/no value (use có/không, c/k, x, 1/0 or yes/no).",
)
WRONG_COLUMN_TYPE = Label(
    "Cột có kiểu dữ liệu {dtype}, không phù hợp với trường này.",
    "The column has type {dtype}, which cannot hold this field.",
)
BELOW_MINIMUM = Label("Nhỏ hơn mức tối thiểu {minimum}.", "Below the minimum of {minimum}.")
ABOVE_MAXIMUM = Label("Lớn hơn mức tối đa {maximum}.", "Above the maximum of {maximum}.")
NOT_ALLOWED = Label(
    "Không thuộc các giá trị cho phép: {allowed}.", "Not one of the allowed values: {allowed}."
)
MORE_ROWS = Label(
    "Tổng cộng có {count} dòng mắc lỗi này; chỉ liệt kê {shown} dòng đầu tiên.",
    "{count} rows in all have this problem; the first {shown} are listed.",
)

MAX_ROWS_PER_PROBLEM = 1000
TRUE_WORDS = yes_no_words(YES)
FALSE_WORDS = yes_no_words(NO)
"""Yes and no as every column and answer reads them (``engine.choices.YES_NO``), lower-cased."""

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
class HouseholdsPlan:
    """Households typed lazily, with all that validation can say before reading a row.

    ``report`` holds the problems of the table as a whole (missing columns, impossible types); when it
    is clean, ``screen`` is a one-row query whose single value is the number of rows that may have a
    problem: 0 means the households are valid. ``categorical`` names the category fields kept in their
    categorical source type inside ``typed`` (compared only for equality, so they classify the same);
    a per-household output casts them to text, as `prepare_households` does.
    """

    typed: pl.LazyFrame
    recorded: frozenset[str]
    report: ValidationReport
    screen: pl.LazyFrame
    categorical: tuple[str, ...]


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
    known = known_fields(standard)
    return [input_field for name, input_field in known.items() if name in names], recorded


def known_fields(standard: Standard) -> dict[str, InputField]:
    """Every field ``standard`` can read, by name: its fields (area and income first) and, for every
    indicator, the reviewer's recorded yes/no (``deprived__<indicator>``), read instead of the rule when
    a table holds it."""
    known = {input_field.name: input_field for input_field in standard.all_fields}
    known.update({indicator.column: indicator.recorded_field for indicator in standard.indicators})
    return known


def prepare_households(
    frame: pl.DataFrame, standard: Standard, *, language: str = "en"
) -> PreparedHouseholds:
    """Type and validate the columns ``standard`` reads; the report, with its reasons in ``language``, is
    empty when all is well."""
    report = ValidationReport()
    fields, recorded = needed_fields(standard, frame.columns)
    conversions: list[pl.Expr] = []
    problems: list[PossibleProblem] = []
    for input_field in fields:
        if input_field.name not in frame.columns:
            report.add(0, input_field.name, "", MISSING_COLUMN.in_language(language))
            continue
        source = frame.schema[input_field.name]
        converted = field_conversion(input_field, source)
        if converted is None:
            reason = WRONG_COLUMN_TYPE.in_language(language).format(dtype=source)
            report.add(0, input_field.name, str(source), reason)
            continue
        conversions.append(converted.alias(input_field.name))
        problems.extend(_field_problems(input_field, source, converted, language))
    if report.ok:
        _collect(frame, problems, report, language)
    if not report.ok:
        return PreparedHouseholds(frame, recorded, report)
    typed = frame.with_columns(conversions)
    present = {input_field.name for input_field in fields}
    _collect(
        typed,
        [
            _check_problem(check, language)
            for check in standard.checks
            if referenced_names(check.holds) <= present
        ],
        report,
        language,
    )
    return PreparedHouseholds(typed, recorded, report)


def plan_households(frame: pl.DataFrame, standard: Standard, *, language: str = "en") -> HouseholdsPlan:
    """The typed households and the screen of their problems, as lazy queries (see the module); the
    problems of the table as a whole are reported in ``language``."""
    report = ValidationReport()
    fields, recorded = needed_fields(standard, frame.columns)
    equality_only = _names_compared_only_for_equality(standard)
    conversions: dict[str, pl.Expr] = {}
    screens: list[pl.Expr] = []
    categorical: list[str] = []
    for input_field in fields:
        if input_field.name not in frame.columns:
            report.add(0, input_field.name, "", MISSING_COLUMN.in_language(language))
            continue
        source = frame.schema[input_field.name]
        converted = field_conversion(input_field, source)
        if converted is None:
            reason = WRONG_COLUMN_TYPE.in_language(language).format(dtype=source)
            report.add(0, input_field.name, str(source), reason)
            continue
        if input_field.type == "category" and source == pl.Categorical and input_field.name in equality_only:
            # Compared by its codes: no per-household text is made.
            conversions[input_field.name] = pl.col(input_field.name)
            categorical.append(input_field.name)
        else:
            conversions[input_field.name] = converted
        screens.extend(_field_screens(input_field, source, converted, language))
    present = {input_field.name for input_field in fields}
    screens.extend(
        _check_problem(check, language, conversions.__getitem__).mask
        for check in standard.checks
        if report.ok and referenced_names(check.holds) <= present
    )
    flagged = pl.any_horizontal([mask.fill_null(False) for mask in screens]) if screens else pl.lit(False)
    lazy = frame.lazy()
    return HouseholdsPlan(
        typed=lazy.with_columns(expression.alias(name) for name, expression in conversions.items()),
        recorded=recorded,
        report=report,
        screen=lazy.select(flagged.sum().alias("possible_problems")),
        categorical=tuple(categorical),
    )


def screen_is_clean(screen: pl.DataFrame) -> bool:
    """Whether a collected screen says that no row can have a problem."""
    return not screen.item()


def _field_screens(
    input_field: InputField, source: pl.DataType, converted: pl.Expr, language: str
) -> list[pl.Expr]:
    """Masks true on every row that `_field_problems` would report (and maybe a few more).

    Text in a category field with allowed values is screened by membership alone, without stripping or
    copying text: a blank or padded answer is never an allowed value, so it is flagged too and the exact
    report decides.
    """
    text = _is_text(source) and not isinstance(source, pl.Enum)
    if input_field.type == "category" and text and input_field.allowed_values:
        column = pl.col(input_field.name)
        allowed = [value for value in input_field.allowed_values if value.strip()]
        outside = ~column.is_in(allowed)
        return [column.is_null() | outside if input_field.required else column.is_not_null() & outside]
    return [problem.mask for problem in _field_problems(input_field, source, converted, language)]


def _names_compared_only_for_equality(standard: Standard) -> frozenset[str]:
    """Fields that every rule, check and threshold of ``standard`` only tests for (in)equality or
    membership: a categorical column gives the same answers there as its text."""
    expressions: list[Expression] = [rule.when for rule in standard.statuses]
    expressions += [check.holds for check in standard.checks]
    expressions += [indicator.deprived_when for indicator in standard.indicators if indicator.deprived_when]
    other: set[str] = set()
    for expression in expressions:
        other |= _names_used_otherwise(expression)
    equal: set[str] = {AREA}
    for expression in expressions:
        equal |= referenced_names(expression)
    return frozenset(equal - other)


def _names_used_otherwise(expression: Expression) -> set[str]:
    """Names read by anything but ``==`` or ``!=`` with a text, ``in`` a list of texts, or ``missing(…)``."""
    match expression:
        case FieldReference(name=name):
            return {name}
        case IsMissing():
            return set()
        case Membership(operand=FieldReference(), values=values) if all(isinstance(v, str) for v in values):
            return set()
        case Comparison(operator="==" | "!=", left=FieldReference(), right=Constant(value=str())):
            return set()
        case Comparison(operator="==" | "!=", left=Constant(value=str()), right=FieldReference()):
            return set()
    names: set[str] = set()
    for child in children(expression):
        names |= _names_used_otherwise(child)
    return names


def _check_problem(check: Check, language: str, column: Callable[[str], pl.Expr] = pl.col) -> PossibleProblem:
    names = sorted(referenced_names(check.holds))
    return PossibleProblem(
        field_name=", ".join(names),
        reason=check.message.in_language(language),
        mask=~polars_expression(check.holds, column).fill_null(True),
        shown=pl.concat_str([pl.col(name).cast(pl.String) for name in names], separator=" / "),
    )


def _is_text(source: pl.DataType) -> bool:
    return source in (pl.String, pl.Categorical) or isinstance(source, pl.Enum)


def field_conversion(input_field: InputField, source: pl.DataType) -> pl.Expr | None:
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
        return stripped.map_batches(
            partial(parsed_numbers, whole=input_field.type == "integer", target=target),
            return_dtype=target,
            is_elementwise=True,
        )
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
    input_field: InputField, source: pl.DataType, converted: pl.Expr, language: str
) -> list[PossibleProblem]:
    name = input_field.name
    original = pl.col(name)
    shown = original.cast(pl.String)
    answered = original.is_not_null()
    if _is_text(source):
        answered = answered & (original.cast(pl.String).str.strip_chars() != "")
    problems = []
    if input_field.type != "category":
        unreadable = {"integer": NOT_AN_INTEGER, "number": NOT_A_NUMBER, "boolean": NOT_A_BOOLEAN}
        reason = unreadable[input_field.type].in_language(language)
        problems.append(PossibleProblem(name, reason, answered & converted.is_null(), shown))
    if input_field.required:
        problems.append(PossibleProblem(name, MISSING_VALUE.in_language(language), ~answered, shown))
    if input_field.type == "number":
        problems.append(PossibleProblem(name, NOT_A_NUMBER.in_language(language), converted.is_nan(), shown))
    if input_field.minimum is not None:
        reason = BELOW_MINIMUM.in_language(language).format(
            minimum=format_number(input_field.minimum, language)
        )
        problems.append(PossibleProblem(name, reason, converted < input_field.minimum, shown))
    if input_field.maximum is not None:
        reason = ABOVE_MAXIMUM.in_language(language).format(
            maximum=format_number(input_field.maximum, language)
        )
        problems.append(PossibleProblem(name, reason, converted > input_field.maximum, shown))
    if input_field.allowed_values:
        allowed = list(input_field.allowed_values)
        reason = NOT_ALLOWED.in_language(language).format(allowed=", ".join(allowed))
        problems.append(PossibleProblem(name, reason, answered & ~converted.is_in(allowed), shown))
    return problems


def _collect(
    frame: pl.DataFrame, problems: list[PossibleProblem], report: ValidationReport, language: str
) -> None:
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
            reason = MORE_ROWS.in_language(language).format(count=count, shown=MAX_ROWS_PER_PROBLEM)
            report.add(0, problem.field_name, "", reason)
