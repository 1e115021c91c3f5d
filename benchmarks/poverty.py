"""Classify + aggregate SYNTHETIC national-scale households: the engine against plain pandas.

For each size, SYNTHETIC households are generated once into benchmarks/data/ (git-ignored). Each
implementation then runs in its own process (so peak memory is its own): load the Parquet file, then,
timed, validate and classify under vn-2022-2025 and aggregate households, poor, near-poor and rates per
commune, province and ethnic group, and Alkire-Foster (k = 1/3, nested weights) by province. Three
implementations: the engine in one pass (`vungcao.engine.poverty.summary.summarise`), the engine through
its per-household table (`classify_frame`, then aggregation and `standard_alkire_foster`), and plain
pandas. All must give identical counts and the same M0 per province.

    python -m benchmarks                 # 1M and 5M households
    python -m benchmarks 1000000 27000000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
STANDARD = "vn-2022-2025"
CUTOFF = Fraction(1, 3)
GROUPINGS = ("commune_code", "province_code", "ethnic_group")


def data_file(households: int, seed: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"synthetic-households-{households}-seed{seed}.parquet"
    if not path.exists():
        from vungcao.engine.poverty import get_standard
        from vungcao.engine.synthetic import write_synthetic_households

        started = time.perf_counter()
        write_synthetic_households(path, households, seed, get_standard(STANDARD))
        print(f"generated {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def engine(path: Path) -> dict[str, Any]:
    """The engine as a national run uses it: validate, classify and aggregate in one pass."""
    import polars as pl

    from vungcao.engine.poverty import get_standard
    from vungcao.engine.poverty.summary import summarise

    standard = get_standard(STANDARD)
    started = time.perf_counter()
    households = pl.read_parquet(path)
    loaded = time.perf_counter()
    summary = summarise(households, standard, GROUPINGS, cutoff=CUTOFF, alkire_foster_by="province_code")
    finished = time.perf_counter()
    assert summary.alkire_foster is not None
    return {
        "load_seconds": loaded - started,
        "seconds": finished - loaded,
        "counts": _counts(
            {
                name: table.select(name, "households", "poor", "near_poor").rows()
                for name, table in summary.groups.items()
            }
        ),
        "M0_by_province": {
            group: round(m.measures.adjusted_headcount_ratio, 12)
            for group, m in summary.alkire_foster.groups.items()
        },
    }


def engine_table(path: Path) -> dict[str, Any]:
    """The engine with a per-household table: `classify_frame`, then aggregate that table."""
    import polars as pl

    from vungcao.engine.mpi import standard_alkire_foster
    from vungcao.engine.poverty import classify_frame, get_standard

    standard = get_standard(STANDARD)
    started = time.perf_counter()
    households = pl.read_parquet(path)
    loaded = time.perf_counter()
    classified = classify_frame(households, standard)
    counts = (
        classified.lazy()
        .group_by(["commune_code", "province_code", "ethnic_group"])
        .agg(
            pl.len().alias("households"),
            (pl.col("status") == "poor").sum().alias("poor"),
            (pl.col("status") == "near_poor").sum().alias("near_poor"),
        )
        .collect()
    )
    tables = {}
    for grouping in GROUPINGS:
        tables[grouping] = (
            counts.group_by(grouping)
            .agg(pl.col("households", "poor", "near_poor").sum())
            .with_columns(
                (pl.col("poor") / pl.col("households")).alias("poverty_rate"),
                (pl.col("near_poor") / pl.col("households")).alias("near_poverty_rate"),
            )
        )
    measures = standard_alkire_foster(classified, standard, CUTOFF, by="province_code")
    finished = time.perf_counter()
    return {
        "load_seconds": loaded - started,
        "seconds": finished - loaded,
        "counts": _counts({name: table.rows() for name, table in tables.items()}),
        "M0_by_province": {
            group: round(m.measures.adjusted_headcount_ratio, 12) for group, m in measures.groups.items()
        },
    }


def pandas_implementation(path: Path) -> dict[str, Any]:
    """What an analyst would write by hand in pandas: the same rules, the same outputs."""
    import numpy as np
    import pandas as pd

    from vungcao.engine.mpi import nested_weights
    from vungcao.engine.poverty import get_standard

    standard = get_standard(STANDARD)
    started = time.perf_counter()
    households = pd.read_parquet(path)
    loaded = time.perf_counter()
    deprived = [indicator.column for indicator in standard.indicators]
    count = households[deprived].sum(axis=1)
    line = households["area"].astype(str).map({"rural": 1_500_000, "urban": 2_000_000})
    average_line = households["area"].astype(str).map({"rural": 2_250_000, "urban": 3_000_000})
    income = households["income_per_capita_month"]
    households["status"] = np.select(
        [(income <= line) & (count >= 3), income <= line, income <= average_line],
        ["poor", "near_poor", "average"],
        "not_poor",
    )
    households["poor"] = households["status"] == "poor"
    households["near_poor"] = households["status"] == "near_poor"
    tables = {}
    for grouping in GROUPINGS:
        table = households.groupby(grouping, observed=True).agg(
            households=("status", "size"), poor=("poor", "sum"), near_poor=("near_poor", "sum")
        )
        table["poverty_rate"] = table["poor"] / table["households"]
        table["near_poverty_rate"] = table["near_poor"] / table["households"]
        tables[grouping] = table
    weights = nested_weights(standard)
    score = sum(
        households[indicator.column] * float(weights[indicator.identifier])
        for indicator in standard.indicators
    )
    poor = score >= float(CUTOFF) - 1e-12
    censored = score.where(poor, 0.0)
    by_province = censored.groupby(households["province_code"]).mean()
    finished = time.perf_counter()
    return {
        "load_seconds": loaded - started,
        "seconds": finished - loaded,
        "counts": _counts(
            {
                name: [
                    (key, int(row.households), int(row.poor), int(row.near_poor))
                    for key, row in table[["households", "poor", "near_poor"]].iterrows()
                ]
                for name, table in tables.items()
            }
        ),
        "M0_by_province": {str(group): round(float(value), 12) for group, value in by_province.items()},
    }


def _counts(tables: dict[str, list[Any]]) -> dict[str, list[list[Any]]]:
    """households, poor, near-poor per group, sorted, as plain JSON values for comparison."""
    return {
        name: sorted([str(row[0]), int(row[1]), int(row[2]), int(row[3])] for row in rows)
        for name, rows in tables.items()
    }


WORKERS = {"engine": engine, "engine-table": engine_table, "pandas": pandas_implementation}


def run_worker(name: str, path: Path) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.poverty", "--worker", name, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output)
    return result


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        result = WORKERS[argv[1]](Path(argv[2]))
        result["peak_memory_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000_000, 5_000_000])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--skip-table", action="store_true", help="skip the per-household table variant")
    arguments = parser.parse_args(argv)
    print("households  implementation  load s  classify+aggregate s  households/s  peak GB  identical")
    for households in arguments.sizes:
        path = data_file(households, arguments.seed)
        engine_result = run_worker("engine", path)
        rows = [("engine (Polars)", engine_result)]
        if not arguments.skip_table:
            rows.append(("engine, table", run_worker("engine-table", path)))
        if not arguments.skip_pandas:
            rows.append(("pandas", run_worker("pandas", path)))
        for name, result in rows:
            identical = result["counts"] == engine_result["counts"] and all(
                abs(result["M0_by_province"][group] - value) < 1e-9
                for group, value in engine_result["M0_by_province"].items()
            )
            print(
                f"{households:>10}  {name:<15} {result['load_seconds']:6.2f}  {result['seconds']:20.2f}"
                f"  {households / result['seconds']:12,.0f}  {result['peak_memory_gb']:7.2f}  {identical}"
            )
        if not arguments.skip_pandas:
            pandas_seconds = rows[-1][1]["seconds"]
            for name, result in rows[:-1]:
                print(f"{'':>10}  {name} is {pandas_seconds / result['seconds']:.1f}x faster than pandas")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
