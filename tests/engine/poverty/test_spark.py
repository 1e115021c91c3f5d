"""The Spark backend gives what the in-process Polars engine gives: the same statuses, the same counts
and the same H, A and M0, on SYNTHETIC households; invalid households are refused, nothing classified."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pytest

from vungcao.engine.poverty import classify_frame, get_standard
from vungcao.engine.poverty.summary import summarise
from vungcao.engine.synthetic import synthetic_households
from vungcao.engine.tabular import TableValidationError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

STANDARD = get_standard("vn-2022-2025")
GROUPS = ["province_code", "ethnic_group"]


@pytest.fixture(scope="module")
def households() -> pl.DataFrame:
    frame = pl.from_arrow(synthetic_households(3000, 13, STANDARD))
    assert isinstance(frame, pl.DataFrame)
    return frame


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.Categorical, pl.Enum).cast(pl.String))


def test_spark_classifies_every_household_as_the_in_process_engine(
    spark: SparkSession, households: pl.DataFrame
) -> None:
    from vungcao.engine.poverty.spark import classify_in_spark, households_frame, to_polars

    # Given SYNTHETIC households handed to Spark; when Spark classifies them
    classified = to_polars(classify_in_spark(households_frame(spark, households), STANDARD))
    # Then every column, its type and every value equal the Polars engine's (categories as text)
    expected = as_text(classify_frame(households, STANDARD))
    assert classified.schema == expected.schema
    assert classified.sort("household_id").equals(expected.sort("household_id"))


def test_spark_summarises_a_parquet_snapshot_as_the_in_process_engine(
    spark: SparkSession, households: pl.DataFrame, tmp_path: Path
) -> None:
    from vungcao.engine.poverty.spark import households_frame, summarise_in_spark

    # Given the households as a Parquet snapshot, read by Spark itself
    snapshot = tmp_path / "households.parquet"
    households.write_parquet(snapshot)
    # When Spark counts them by province and ethnic group, with Alkire-Foster by province
    summary = summarise_in_spark(
        households_frame(spark, snapshot), STANDARD, GROUPS, cutoff="1/3", alkire_foster_by="province_code"
    )
    # Then the counts, rates and H, A, M0 (floats compared exactly) are the in-process engine's
    expected = summarise(households, STANDARD, GROUPS, cutoff="1/3", alkire_foster_by="province_code")
    assert summary.totals == expected.totals
    for grouping in GROUPS:
        assert summary.groups[grouping].equals(as_text(expected.groups[grouping]))
    assert summary.alkire_foster is not None
    assert expected.alkire_foster is not None
    assert summary.alkire_foster.as_dict() == expected.alkire_foster.as_dict()


def test_spark_refuses_invalid_households_counting_the_rows_per_problem(
    spark: SparkSession, households: pl.DataFrame
) -> None:
    from vungcao.engine.poverty.spark import classify_in_spark, households_frame

    # Given three households with no income and one in an area the standard does not know
    row = pl.int_range(pl.len())
    invalid = as_text(households.head(10)).with_columns(
        pl.when(row < 3)
        .then(None)
        .otherwise(pl.col("income_per_capita_month"))
        .alias("income_per_capita_month"),
        pl.when(row == 5).then(pl.lit("mountain")).otherwise(pl.col("area")).alias("area"),
    )
    # When Spark is asked to classify them, then it refuses with the count of each problem
    with pytest.raises(TableValidationError) as refusal:
        classify_in_spark(households_frame(spark, invalid), STANDARD, language="vi")
    problems = [(problem.row, problem.field, problem.reason) for problem in refusal.value.report]
    assert problems == [
        (0, "area", "1 dòng: Không thuộc các giá trị cho phép: rural, urban."),
        (0, "income_per_capita_month", "3 dòng: Bắt buộc phải có giá trị."),
    ]


def test_spark_refuses_a_missing_column_and_a_column_of_the_wrong_type(
    spark: SparkSession, households: pl.DataFrame
) -> None:
    from vungcao.engine.poverty.spark import households_frame, summarise_in_spark

    # Given households without their area and with their income as text
    invalid = households.head(5).drop("area").with_columns(pl.col("income_per_capita_month").cast(pl.String))
    # When Spark is asked to summarise them, then it refuses before reading a row
    with pytest.raises(TableValidationError) as refusal:
        summarise_in_spark(households_frame(spark, invalid), STANDARD)
    problems = [
        (problem.row, problem.field, problem.value, problem.reason) for problem in refusal.value.report
    ]
    assert problems == [
        (0, "area", "", "The column is missing."),
        (0, "income_per_capita_month", "string", "The column has type string, which cannot hold this field."),
    ]
