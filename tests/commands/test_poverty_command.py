"""``vungcao poverty …`` and ``vungcao synth …`` on CSV, XLSX and Parquet files."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import polars as pl
import pytest

from tests.engine.poverty.sessions import spark
from vungcao.commands import poverty, synth
from vungcao.commands.poverty import NOTHING_WRITTEN, SPARK_NEEDS_STANDARD, read_table, write_table
from vungcao.engine.poverty.validation import BELOW_MINIMUM, NOT_ALLOWED

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["spark"]  # the session fixture, shared with the engine's Spark tests

HOUSEHOLDS = {
    "household_id": ["H1", "H2", "H3"],
    "area": ["rural", "urban", "rural"],
    "income_per_capita_month": ["1500000", "2000001", "900000"],
    "members_total": ["4", "3", "2"],
    "members_working_age_unemployed": ["1", "0", "0"],
    "members_wage_job_without_contract": ["0", "0", "0"],
    "dependants": ["3", "1", "0"],
    "children_under16_malnourished": [None, "0", None],
    "members_age6plus_without_health_insurance": ["1", "0", "0"],
    "members_16_30_without_required_education": [None, None, "1"],
    "children_3_15_not_in_age_appropriate_school": ["0", None, None],
    "main_structures_non_durable": ["0", "2", "0"],
    "housing_floor_area_m2": ["30", "20.5", "100"],
    "has_clean_water_source": ["true", "true", "false"],
    "uses_hygienic_latrine": ["có", "không", "1"],
    "deprived__telecom": ["false", "false", "false"],
    "deprived__information_access": ["0", "1", "0"],
}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_classify_reads_and_writes_every_format(tmp_path: Path, suffix: str) -> None:
    source, target = tmp_path / f"households{suffix}", tmp_path / f"classified{suffix}"
    write_table(pl.DataFrame(HOUSEHOLDS), source)
    assert (
        poverty.main(["classify", "--standard", "vn-2022-2025", str(source), "-o", str(target), "--explain"])
        == 0
    )
    result = read_table(target)
    assert result["status"].to_list() == ["poor", "average", "near_poor"]
    assert result["deprivation_count"].cast(pl.Int64).to_list() == [4, 4, 2]
    assert result["income_threshold"].cast(pl.Int64).to_list() == [1_500_000, 2_000_000, 1_500_000]
    assert result["standard"].to_list() == ["vn-2022-2025"] * 3
    assert result["explanation_vi"][0].startswith("Hộ nghèo: thu nhập bình quân 1.500.000 đồng/người/tháng")
    assert result["explanation_en"][2].startswith("Near-poor household: income of VND 900,000")


def test_classify_picks_the_standard_for_a_year_and_province(tmp_path: Path) -> None:
    source, target = tmp_path / "households.csv", tmp_path / "classified.csv"
    write_table(pl.DataFrame(HOUSEHOLDS), source)
    assert (
        poverty.main(["classify", "--year", "2024", "--province", "22", str(source), "-o", str(target)]) == 0
    )
    result = read_table(target)
    # Under Quảng Ninh's line (2,100,000 rural, 2,600,000 urban) the urban household is near-poor at most
    assert result["standard"].to_list() == ["qn-2023-2025"] * 3
    assert result["status"].to_list() == ["poor", "poor", "near_poor"]


def test_bad_input_is_reported_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "households.csv", tmp_path / "classified.csv"
    bad = {
        **HOUSEHOLDS,
        "income_per_capita_month": ["-1", "2000001", "900000"],
        "area": ["rural", "town", "rural"],
    }
    pl.DataFrame(bad).write_csv(source)  # a file as typed, not as the command writes its own
    assert poverty.main(["classify", "--standard", "vn-2022-2025", str(source), "-o", str(target)]) == 1
    errors = capsys.readouterr().err
    assert f"row 1, income_per_capita_month: {BELOW_MINIMUM.en.format(minimum=0)}" in errors
    assert f"row 2, area: {NOT_ALLOWED.en.format(allowed='rural, urban')}" in errors
    assert NOTHING_WRITTEN in errors
    assert not target.exists()


def test_mpi_on_a_deprivation_matrix_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The Alkire & Foster (2011) worked example (see tests/engine/test_mpi.py) as a file
    source = tmp_path / "matrix.xlsx"
    matrix = {
        "id": [1, 2, 3, 4],
        "income": [0, 0, 1, 0],
        "schooling": [0, 1, 1, 1],
        "health": [0, 0, 1, 0],
        "insurance": [0, 1, 1, 0],
        "region": ["a", "a", "b", "b"],
    }
    write_table(pl.DataFrame(matrix), source)
    assert poverty.main(["mpi", str(source), "--k", "1/2", "--deprivations", "--by", "region", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["H"], result["A"], result["M0"]) == (0.5, 0.75, 0.375)
    assert result["censored_headcount"] == {
        "income": 0.25,
        "schooling": 0.5,
        "health": 0.25,
        "insurance": 0.5,
    }
    assert set(result["contribution"]) == {"income", "schooling", "health", "insurance"}
    assert sum(group["contribution_to_M0"] for group in result["groups"].values()) == pytest.approx(1)


def test_standards_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert poverty.main(["standards"]) == 0
    listed = capsys.readouterr().out
    assert [line.split("\t")[0] for line in listed.splitlines()] == [
        "qn-2023-2025",
        "vn-2016-2020",
        "vn-2022-2025",
        "vn-2027-2030",
    ]
    assert poverty.main(["schema", "vn-2022-2025", "--json"]) == 0
    schema = json.loads(capsys.readouterr().out)
    names = [field["name"] for field in schema["fields"]]
    assert names[:3] == ["area", "income_per_capita_month", "members_total"]
    assert names[-2:] == ["deprived__telecom", "deprived__information_access"]


def test_synthetic_households_then_mpi_by_province(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "households.parquet"
    assert synth.main(["households", "--n", "2000", "--seed", "3", "-o", str(target)]) == 0
    households = pl.read_parquet(target)
    assert households.height == 2000
    assert households["synthetic"].all()
    assert pl.read_parquet_schema(target)
    capsys.readouterr()
    assert (
        poverty.main(
            [
                "mpi",
                str(target),
                "--k",
                "1/3",
                "--standard",
                "vn-2022-2025",
                "--by",
                "province_code",
                "--json",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["dimension_contribution"].keys() == {
        "employment",
        "health",
        "education",
        "housing",
        "water_sanitation",
        "information",
    }
    assert sum(group["population_share"] for group in result["groups"].values()) == pytest.approx(1)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_texts_of_the_input_come_back_as_text_never_as_formulas(tmp_path: Path, suffix: str) -> None:
    """Given household ids typed as formulas, when the classified table is written for a spreadsheet,
    then each comes back as the text it was, which no spreadsheet evaluates."""
    hostile = ['=HYPERLINK("http://example.invalid","y")', "@SUM(A1)", "+1+1"]
    source, target = tmp_path / "households.parquet", tmp_path / f"classified{suffix}"
    write_table(pl.DataFrame({**HOUSEHOLDS, "household_id": hostile}), source)

    assert poverty.main(["classify", "--standard", "vn-2022-2025", str(source), "-o", str(target)]) == 0

    if suffix == ".csv":
        with target.open(encoding="utf-8", newline="") as written:
            first_cells = [row[0] for row in list(csv.reader(written))[1:]]
        assert first_cells == ["'" + text for text in hostile]
    else:
        sheet = openpyxl.load_workbook(target).active
        assert sheet is not None
        cells = [row[0] for row in sheet.iter_rows(min_row=2)]
        assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in cells] == [
            (text, "s", True) for text in hostile
        ]
        assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


BY_PROVINCE = ["--k", "1/3", "--standard", "vn-2022-2025", "--by", "province_code", "--json"]


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_mpi_and_classify_on_spark_print_and_write_what_the_in_process_engine_does(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    # Given SYNTHETIC households in a Parquet file (read by Spark itself) or a CSV file (read here)
    snapshot = tmp_path / "households.parquet"
    assert synth.main(["households", "--n", "1500", "--seed", "8", "-o", str(snapshot)]) == 0
    source = tmp_path / f"households{suffix}"
    write_table(pl.read_parquet(snapshot), source)
    measure = ["mpi", str(source), *BY_PROVINCE]
    capsys.readouterr()
    # When the measures are computed in-process and on Spark, then the JSON printed is the same
    assert poverty.main(measure) == 0
    in_process = capsys.readouterr().out
    assert poverty.main([*measure, "--engine", "spark"]) == 0
    assert capsys.readouterr().out == in_process
    assert json.loads(in_process)["population"] == 1500
    # And the classified files are the same, byte for byte
    classify = ["classify", "--standard", "vn-2022-2025", str(source)]
    assert poverty.main([*classify, "-o", str(tmp_path / "polars.csv")]) == 0
    assert poverty.main([*classify, "-o", str(tmp_path / "spark.csv"), "--engine", "spark"]) == 0
    assert (tmp_path / "spark.csv").read_bytes() == (tmp_path / "polars.csv").read_bytes()


def test_spark_refuses_a_deprivation_matrix_and_invalid_households_writing_nothing(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a deprivation matrix, then Spark asks for a standard
    matrix = tmp_path / "matrix.csv"
    pl.DataFrame({"id": ["a"], "water": [1]}).write_csv(matrix)
    assert poverty.main(["mpi", str(matrix), "--k", "1", "--deprivations", "--engine", "spark"]) == 2
    assert capsys.readouterr().err == SPARK_NEEDS_STANDARD + "\n"
    # Given households with a negative income, then the in-process report is printed and nothing written
    source, target = tmp_path / "households.csv", tmp_path / "classified.csv"
    pl.DataFrame({**HOUSEHOLDS, "income_per_capita_month": ["-1", "2000001", "900000"]}).write_csv(source)
    arguments = [
        "classify",
        "--standard",
        "vn-2022-2025",
        str(source),
        "-o",
        str(target),
        "--engine",
        "spark",
    ]
    assert poverty.main(arguments) == 1
    assert capsys.readouterr().err == (
        f"row 1, income_per_capita_month: {BELOW_MINIMUM.en.format(minimum=0)} (value: '-1')\n{NOTHING_WRITTEN}\n"
    )
    assert not target.exists()
