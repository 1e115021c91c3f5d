"""The Spark backend: a standard's rules compiled to Spark SQL through the same compiler as the SQL
backend (`sql.py`, dialect ``spark``), run over a Spark DataFrame — a Parquet snapshot on a cluster, or
a local session on one machine.

Classification, counts by group and status, and the households per deprivation pattern are computed
by Spark; the patterns (at most 2¹⁶ per group) come back to this process, where `vungcao.engine.mpi`
works out H, A and M0 exactly as for the in-process engine, so the figures are the same to the last
bit. PySpark is an optional extra (``pip install 'vungcao[spark]'``, and Java 17): it is imported only
when a function here runs.

Households must be typed as the standard's fields (Parquet keeps the types): whole numbers, numbers,
booleans and texts. One Spark pass screens them against the fields' rules and the standard's checks;
when any row fails, nothing is classified and the refusal counts the rows per problem (the in-process
engine lists them row by row).
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa
from sqlglot import exp

from vungcao.engine.mpi import HOUSEHOLDS as PATTERN_COUNT
from vungcao.engine.mpi import MAX_PATTERN_INDICATORS, PATTERN
from vungcao.engine.poverty.expression import referenced_names
from vungcao.engine.poverty.simulation import (
    CURRENT_STATUS,
    GROUPINGS,
    Assumption,
    Simulation,
    SimulationCounts,
    simulated_scoring,
    simulation_input,
    simulation_of_counts,
)
from vungcao.engine.poverty.snapshot import DEPRIVED_MASK, STANDARD_IDENTIFIER
from vungcao.engine.poverty.sql import (
    classification_select,
    column,
    flag,
    literal,
    sql_expression,
    table,
    total,
)
from vungcao.engine.poverty.standard import DEPRIVATION_COUNT, INCOME_THRESHOLD, STATUS, InputField, Standard
from vungcao.engine.poverty.summary import COUNT, PovertySummary, summary_of_counts, summary_scoring
from vungcao.engine.poverty.validation import (
    ABOVE_MAXIMUM,
    BELOW_MINIMUM,
    MISSING_COLUMN,
    MISSING_VALUE,
    NOT_A_NUMBER,
    NOT_ALLOWED,
    WRONG_COLUMN_TYPE,
    needed_fields,
)
from vungcao.engine.tabular import TableValidationError, ValidationReport
from vungcao.engine.text import Label, format_number

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

PYSPARK_MISSING = "The Spark engine needs PySpark and Java 17: pip install 'vungcao[spark]'."
ROWS_WITH_PROBLEM = Label("{count} dòng: {reason}", "{count} rows: {reason}")
# PySpark warns about the pandas version even when, as here, it never uses pandas.
PANDAS_WARNING = "PySpark does not yet fully support pandas"
HOUSEHOLDS_VIEW = "vungcao_households"
# The Spark types that hold each field type as it is, by their simple names.
SPARK_TYPES = {
    "integer": {"tinyint", "smallint", "int", "bigint"},
    "number": {"tinyint", "smallint", "int", "bigint", "float", "double"},
    "boolean": {"boolean"},
    "category": {"string"},
}
SPARK_LITERAL_TYPES = {"integer": "bigint", "number": "double", "boolean": "boolean", "category": "string"}
"""The Spark type an assumed value of each field type is read as."""
QUIET_LOGGING = (
    "rootLogger.level = error\nrootLogger.appenderRef.stderr.ref = console\n"
    # Spark prints "Setting default log level" when the shell's level differs from the root's.
    "logger.repl.name = org.apache.spark.repl.Main\nlogger.repl.level = error\n"
    "appender.console.type = Console\nappender.console.name = console\nappender.console.target = SYSTEM_ERR\n"
    "appender.console.layout.type = PatternLayout\nappender.console.layout.pattern = %p %c: %m%n\n"
)


def local_session(cores: int = 2, *, memory: str = "2g") -> SparkSession:
    """A Spark session on this machine: ``cores`` threads, few shuffle partitions, no web UI, bound to
    the loopback interface, logging only errors. A cluster's session comes from ``spark-submit``."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise RuntimeError(PYSPARK_MISSING) from error
    logging = Path(tempfile.gettempdir()) / "vungcao-spark-log4j2.properties"
    logging.write_text(QUIET_LOGGING, encoding="utf-8")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # The driver's JVM reads its logging configuration when it starts, before any session option.
    os.environ.setdefault(
        "PYSPARK_SUBMIT_ARGS",
        f"--driver-java-options -Dlog4j2.configurationFile=file:{logging} pyspark-shell",
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", PANDAS_WARNING, FutureWarning)
        session = (
            SparkSession.builder.master(f"local[{cores}]")
            .appName("vungcao")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(cores))
            .config("spark.driver.memory", memory)
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_session() -> SparkSession:
    """The cluster's session when this process runs under ``spark-submit`` (which starts the JVM first
    and tells Python its gateway), else a `local_session`."""
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        return local_session()
    from pyspark.sql import SparkSession

    return SparkSession.builder.appName("vungcao").getOrCreate()


def households_frame(session: SparkSession, households: Path | str | pa.Table | pl.DataFrame) -> DataFrame:
    """A Spark DataFrame of households: a Parquet file or directory is read by Spark itself (on a
    cluster, from shared storage); an Arrow table or Polars frame is handed over from this process."""
    if isinstance(households, Path | str):
        return session.read.parquet(str(households))
    arrow = households.to_arrow() if isinstance(households, pl.DataFrame) else households
    # Spark has no categorical type: categories travel as their texts.
    plain = pl.from_arrow(arrow).with_columns(pl.col(pl.Categorical, pl.Enum).cast(pl.String))  # type: ignore[union-attr]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", PANDAS_WARNING, FutureWarning)
        return session.createDataFrame(plain.to_arrow())


def _view(households: DataFrame) -> str:
    households.createOrReplaceTempView(HOUSEHOLDS_VIEW)
    return HOUSEHOLDS_VIEW


def _run(households: DataFrame, query: exp.Expression) -> DataFrame:
    return households.sparkSession.sql(query.sql(dialect="spark"))


def _field_screens(input_field: InputField, language: str) -> list[tuple[str, exp.Expr]]:
    """(reason, condition true on a row with the problem) for one field, as the in-process engine
    checks a typed column."""
    value = column(input_field.name)
    screens: list[tuple[str, exp.Expr]] = []
    if input_field.required:
        screens.append((MISSING_VALUE.in_language(language), exp.Is(this=value, expression=exp.Null())))
    if input_field.type == "number":
        nan = exp.cast(exp.Literal.string("NaN"), exp.DataType.Type.DOUBLE)
        screens.append((NOT_A_NUMBER.in_language(language), exp.EQ(this=value, expression=nan)))
    if input_field.minimum is not None:
        reason = BELOW_MINIMUM.in_language(language).format(
            minimum=format_number(input_field.minimum, language)
        )
        screens.append((reason, exp.LT(this=value, expression=literal(input_field.minimum))))
    if input_field.maximum is not None:
        reason = ABOVE_MAXIMUM.in_language(language).format(
            maximum=format_number(input_field.maximum, language)
        )
        screens.append((reason, exp.GT(this=value, expression=literal(input_field.maximum))))
    if input_field.allowed_values:
        allowed = list(input_field.allowed_values)
        reason = NOT_ALLOWED.in_language(language).format(allowed=", ".join(allowed))
        outside = exp.Not(this=exp.In(this=value, expressions=[literal(name) for name in allowed]))
        screens.append((reason, outside))
    return screens


def validate_in_spark(households: DataFrame, standard: Standard, *, language: str = "en") -> frozenset[str]:
    """Check the households' columns and, in one Spark pass, every row; return the indicators recorded
    as ``deprived__<indicator>`` columns, or raise `TableValidationError` counting the rows per problem."""
    report = ValidationReport()
    types = {field.name: field.dataType.simpleString() for field in households.schema.fields}
    fields, recorded = needed_fields(standard, types)
    screens: list[tuple[str, str, exp.Expr]] = []
    for input_field in fields:
        if input_field.name not in types:
            report.add(0, input_field.name, "", MISSING_COLUMN.in_language(language))
        elif types[input_field.name] not in SPARK_TYPES[input_field.type]:
            reason = WRONG_COLUMN_TYPE.in_language(language).format(dtype=types[input_field.name])
            report.add(0, input_field.name, types[input_field.name], reason)
        else:
            screens.extend((input_field.name, *screen) for screen in _field_screens(input_field, language))
    if not report.ok:
        raise TableValidationError(report)
    present = {input_field.name for input_field in fields}
    for check in standard.checks:
        if referenced_names(check.holds) <= present:
            fails = exp.Not(this=sql_expression(check.holds))
            screens.append(
                (", ".join(sorted(referenced_names(check.holds))), check.message.in_language(language), fails)
            )
    if not screens:
        return recorded
    counts = exp.select(
        *(
            exp.alias_(exp.Sum(this=flag(condition)), f"problem_{position}")
            for position, (_, _, condition) in enumerate(screens)
        )
    ).from_(table(_view(households)))
    row = _run(households, counts).first()
    assert row is not None
    for (field_name, reason, _), count in zip(screens, row, strict=True):
        if count:
            report.add(
                0, field_name, "", ROWS_WITH_PROBLEM.in_language(language).format(count=count, reason=reason)
            )
    if not report.ok:
        raise TableValidationError(report)
    return recorded


def classify_in_spark(households: DataFrame, standard: Standard, *, language: str = "en") -> DataFrame:
    """Every household with its deprivations, count, income threshold and status, as `classify` gives
    them: the input's columns in their order (recorded deprivations replaced), then the new ones."""
    recorded = validate_in_spark(households, standard, language=language)
    flags = {indicator.column for indicator in standard.indicators}
    kept = [name for name in households.columns if name not in flags]
    classified = classification_select(standard, _view(households), recorded, kept).subquery("classified")
    added = [
        indicator.column for indicator in standard.indicators if indicator.column not in households.columns
    ]
    outputs: list[exp.Expr] = []
    for name in [*households.columns, *added]:
        if name in flags:
            outputs.append(exp.alias_(exp.cast(column(name), exp.DataType.Type.BOOLEAN), name, quoted=True))
        else:
            outputs.append(column(name))
    outputs += [
        exp.alias_(
            exp.cast(column(DEPRIVATION_COUNT), exp.DataType.Type.BIGINT), DEPRIVATION_COUNT, quoted=True
        ),
        exp.alias_(
            exp.cast(column(INCOME_THRESHOLD), exp.DataType.Type.BIGINT), INCOME_THRESHOLD, quoted=True
        ),
        column(STATUS),
    ]
    return _run(households, exp.select(*outputs).from_(classified))


def to_polars(frame: DataFrame) -> pl.DataFrame:
    """A (small) Spark result in this process."""
    converted = pl.from_arrow(frame.toArrow())
    assert isinstance(converted, pl.DataFrame)
    return converted


def summarise_in_spark(
    households: DataFrame,
    standard: Standard,
    by: Sequence[str] = (),
    *,
    cutoff: Fraction | float | str | None = None,
    weights: Mapping[str, Fraction | float | str] | None = None,
    alkire_foster_by: str | None = None,
    language: str = "en",
) -> PovertySummary:
    """`vungcao.engine.poverty.summary.summarise` on Spark: the same counts and Alkire-Foster measures."""
    recorded = validate_in_spark(households, standard, language=language)
    keys = list(dict.fromkeys(by))
    scores = summary_scoring(standard, cutoff, weights)
    carried = list(dict.fromkeys([*keys, *([alkire_foster_by] if alkire_foster_by else [])]))
    classified = classification_select(standard, _view(households), recorded, carried).subquery("classified")
    grouping = [*keys, STATUS]
    counts = (
        exp.select(
            *(column(name) for name in grouping), exp.alias_(exp.Count(this=exp.Star()), COUNT, quoted=True)
        )
        .from_(classified.copy())
        .group_by(*(column(name) for name in grouping))
    )
    status_counts = to_polars(_run(households, counts)).with_columns(pl.col(COUNT).cast(pl.UInt32))
    deprived = None
    if scores is not None:
        deprivations = [standard.indicator(name).column for name in scores.weights]
        if len(deprivations) > MAX_PATTERN_INDICATORS:
            selected = exp.select(*(column(name) for name in [*deprivations, *carried])).from_(classified)
            deprived = to_polars(_run(households, selected)).with_columns(
                pl.col(deprivations).cast(pl.Boolean)
            )
        else:
            by = [alkire_foster_by] if alkire_foster_by else []
            deprived = _pattern_counts(households, classified, deprivations, by)
    return summary_of_counts(standard, keys, status_counts, deprived, scores, alkire_foster_by)


def _counted(households: DataFrame, source: exp.Expression, keys: Sequence[str]) -> pl.DataFrame:
    """Households of ``source`` per value of ``keys``, counted by Spark (count in `PATTERN_COUNT`)."""
    grouped = (
        exp.select(
            *(column(name) for name in keys),
            exp.alias_(exp.Count(this=exp.Star()), PATTERN_COUNT, quoted=True),
        )
        .from_(source)
        .group_by(*(column(name) for name in keys))
    )
    return to_polars(_run(households, grouped))


def _pattern_counts(
    households: DataFrame, classified: exp.Subquery, deprivations: Sequence[str], by: Sequence[str]
) -> pl.DataFrame:
    """Households per deprivation pattern (and ``by``), computed by Spark, as `mpi.pattern_counts`."""
    bits = [
        exp.Case()
        .when(exp.EQ(this=column(name), expression=exp.Literal.number(1)), exp.Literal.number(1 << bit))
        .else_(exp.Literal.number(0))
        for bit, name in enumerate(deprivations)
    ]
    patterns = exp.select(
        *(column(name) for name in by), exp.alias_(total(bits), PATTERN, quoted=True)
    ).from_(classified)
    return _counted(households, patterns.subquery("patterns"), [*by, PATTERN]).with_columns(
        pl.col(PATTERN).cast(pl.UInt16), pl.col(PATTERN_COUNT).cast(pl.UInt32)
    )


def simulate_in_spark(
    session: SparkSession,
    directory: Path | str,
    standard: Standard,
    *,
    cutoff: Fraction | float | str = Fraction(1, 3),
    year: int | None = None,
    provinces: Collection[str] | None = None,
    language: str = "en",
    assumptions: Collection[Assumption] = (),
) -> Simulation:
    """`vungcao.engine.poverty.simulation.simulate` on Spark: Spark reads the year's Parquet files of
    the snapshot, classifies and counts (``assumptions`` standing in for the fields it lacks); the same
    figures."""
    from pyspark.sql import functions

    needed = simulation_input(directory, standard, year, provinces, assumptions)
    scores = simulated_scoring(standard, cutoff)
    households = (
        session.read.parquet(*(str(path) for path in needed.files))
        .select(*needed.columns)
        .withColumnRenamed(STATUS, CURRENT_STATUS)
        .withColumns(
            {
                assumption.field.name: functions.lit(assumption.value).cast(
                    SPARK_LITERAL_TYPES[assumption.field.type]
                )
                for assumption in needed.assumptions
            }
        )
        .withColumns(
            {
                item.column: functions.shiftright(functions.col(DEPRIVED_MASK), item.position).bitwiseAND(1)
                == 1
                for item in needed.carried
            }
        )
    )
    recorded = validate_in_spark(households, standard, language=language)
    keys = list(GROUPINGS)
    view = _view(households)
    classified = classification_select(standard, view, recorded, [*keys, CURRENT_STATUS]).subquery(
        "classified"
    )
    deprivations = [standard.indicator(name).column for name in scores.weights]
    counts = SimulationCounts(
        transitions=_counted(households, classified.copy(), [*keys, CURRENT_STATUS, STATUS]),
        simulated_patterns=_pattern_counts(households, classified, deprivations, keys),
        current_masks=_counted(households, table(view), [*keys, STANDARD_IDENTIFIER, DEPRIVED_MASK]),
    )
    return simulation_of_counts(standard, needed, scores, counts)
