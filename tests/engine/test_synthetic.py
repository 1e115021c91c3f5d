"""SYNTHETIC households: real communes, labelled, reproducible; every backend agrees on them."""

from __future__ import annotations

import sqlite3

import duckdb
import polars as pl

from vungcao.engine.mpi import standard_alkire_foster
from vungcao.engine.poverty import classify_frame, classify_in_database, get_standard
from vungcao.engine.poverty.summary import summarise
from vungcao.engine.synthetic import METADATA, current_communes, synthetic_households

STANDARD = get_standard("vn-2022-2025")
COMPARED = [
    "household_id",
    *(indicator.column for indicator in STANDARD.indicators),
    "deprivation_count",
    "income_threshold",
    "status",
]


def test_households_are_spread_over_the_3321_current_communes_and_labelled_synthetic() -> None:
    assert len(current_communes().codes) == 3321
    table = synthetic_households(20_000, 11, STANDARD)
    assert table.schema.metadata == METADATA
    households = pl.from_arrow(table)
    assert isinstance(households, pl.DataFrame)
    assert households["synthetic"].all()
    assert households["commune_code"].is_in(current_communes().codes.tolist()).all()
    assert households["province_code"].n_unique() == 34


def test_the_same_seed_gives_the_same_households() -> None:
    assert synthetic_households(3000, 5, STANDARD).equals(synthetic_households(3000, 5, STANDARD))


def test_dataframe_sqlite_and_duckdb_classify_synthetic_households_identically() -> None:
    households = pl.from_arrow(synthetic_households(20_000, 2025, STANDARD))
    assert isinstance(households, pl.DataFrame)
    recorded = {indicator.identifier for indicator in STANDARD.indicators}
    expected = (
        classify_frame(households, STANDARD).with_columns(pl.col("status").cast(pl.String)).select(COMPARED)
    )

    in_duckdb = duckdb.connect()
    in_duckdb.register("households", households.to_arrow())
    in_sqlite = sqlite3.connect(":memory:")
    plain = households.with_columns(pl.col("area", "ethnic_group").cast(pl.String))
    in_sqlite.execute(f"CREATE TABLE households ({', '.join(plain.columns)})")
    in_sqlite.executemany(
        f"INSERT INTO households VALUES ({', '.join('?' * plain.width)})", plain.iter_rows()
    )
    for connection in (in_duckdb, in_sqlite):
        result = pl.from_arrow(
            classify_in_database(connection, STANDARD, "households", recorded, ["household_id"])
        )
        assert isinstance(result, pl.DataFrame)
        assert result.sort("household_id").select(COMPARED).equals(expected)


def test_the_one_pass_summary_of_synthetic_households_matches_their_classified_table() -> None:
    # Given SYNTHETIC households as the benchmark reads them (categorical area and ethnic group)
    households = pl.from_arrow(synthetic_households(20_000, 7, STANDARD))
    assert isinstance(households, pl.DataFrame)
    classified = classify_frame(households, STANDARD)
    # When they are summarised in one pass by commune, province and ethnic group, with AF by province
    groupings = ["commune_code", "province_code", "ethnic_group"]
    summary = summarise(households, STANDARD, groupings, cutoff="1/3", alkire_foster_by="province_code")
    # Then every count equals the one computed from the per-household table, and so does AF
    for grouping in groupings:
        expected = (
            classified.group_by(grouping)
            .agg(
                pl.len().alias("households"),
                (pl.col("status") == "poor").sum().alias("poor"),
                (pl.col("status") == "near_poor").sum().alias("near_poor"),
            )
            .sort(grouping)
        )
        assert summary.groups[grouping].select(expected.columns).equals(expected)
    assert summary.alkire_foster is not None
    expected_af = standard_alkire_foster(classified, STANDARD, "1/3", by="province_code")
    assert summary.alkire_foster.as_dict() == expected_af.as_dict()
