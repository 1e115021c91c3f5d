"""The in-process engine against Spark on this machine, at growing sizes of SYNTHETIC households.

For each size the households are generated once into benchmarks/data/ as Parquet (git-ignored; the
same files as ``benchmarks.poverty``). Each engine then runs in its own process: validate, classify
under vn-2022-2025, count households by commune, province and ethnic group and status, and
Alkire-Foster (k = 1/3, nested weights) by province — `summarise` in Polars, `summarise_in_spark` on a
local Spark session (``local[2]``) reading the Parquet file itself. Spark's session start is timed
apart, and each engine runs twice (the first Spark run also compiles its code). Both must give the same
counts and the same H, A and M0 per province, to the last bit.

    python -m benchmarks spark                       # 100k, 1M and 5M households
    python -m benchmarks spark 100000 27000000
"""

from __future__ import annotations

import argparse
import os
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from benchmarks.apart import ran_as_child, run_apart, seconds_columns, spark_columns, timed, timed_runs
from benchmarks.poverty import data_file

STANDARD = "vn-2022-2025"
CUTOFF = Fraction(1, 3)
GROUPINGS = ("commune_code", "province_code", "ethnic_group")
RUNS = 2
MODULE = "benchmarks.spark"


def _figures(summary: Any) -> dict[str, Any]:
    return {
        "totals": summary.totals,
        "groups": {
            name: [[str(value) for value in row] for row in table.select(name, "households", "poor").rows()]
            for name, table in summary.groups.items()
        },
        "alkire_foster": summary.alkire_foster.as_dict(),
    }


def in_process(path: Path) -> dict[str, Any]:
    import polars as pl

    from vungcao.engine.poverty import get_standard
    from vungcao.engine.poverty.summary import summarise

    standard = get_standard(STANDARD)
    seconds, summary = timed_runs(
        lambda: summarise(
            pl.read_parquet(path), standard, GROUPINGS, cutoff=CUTOFF, alkire_foster_by="province_code"
        ),
        RUNS,
    )
    return {"seconds": seconds, "figures": _figures(summary)}


def on_spark(path: Path) -> dict[str, Any]:
    from vungcao.engine.poverty import get_standard
    from vungcao.engine.poverty.spark import households_frame, local_session, summarise_in_spark

    standard = get_standard(STANDARD)
    session_seconds, session = timed(lambda: local_session(memory="6g"))
    seconds, summary = timed_runs(
        lambda: summarise_in_spark(
            households_frame(session, path),
            standard,
            GROUPINGS,
            cutoff=CUTOFF,
            alkire_foster_by="province_code",
        ),
        RUNS,
    )
    session.stop()
    return {"session_seconds": session_seconds, "seconds": seconds, "figures": _figures(summary)}


def main(argv: list[str]) -> int:
    if ran_as_child(argv, {"polars": in_process, "spark": on_spark}):
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks spark")
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--seed", type=int, default=2025)
    arguments = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start")
    print("households   in-process s (1st, 2nd)   Spark session s   Spark s (1st, 2nd)   same figures")
    for size in arguments.sizes:
        path = data_file(size, arguments.seed)
        polars_result = run_apart(MODULE, "polars", path)
        spark_result = run_apart(MODULE, "spark", path)
        same = polars_result["figures"] == spark_result["figures"]
        print(
            f"{size:>10,}   {seconds_columns(polars_result)}{spark_columns(spark_result)}   {same}",
            flush=True,
        )
        if not same:
            print("the engines disagree", file=sys.stderr)
            return 1
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
