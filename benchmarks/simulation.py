"""Policy simulation over a SYNTHETIC registry snapshot: in-process (Polars) against a local Spark session.

For each size a SYNTHETIC snapshot of one year (2025) is generated once into benchmarks/data/
(git-ignored): households classified under vn-2022-2025 as the registry stores them, with a recorded
yes/no for every indicator of vn-2022-2025 and vn-2027-2030, one Parquet file per province (34), the
layout of ``vungcao snapshot write``. Each engine then runs in its own process: `simulate` (Polars) and
`simulate_in_spark` (``local[2]``, Spark reading the files itself) reclassify every household under
vn-2027-2030 and count the transitions and Alkire-Foster (k = 1/3) under both standards, in total, by
province, by ethnic group and by ethnic minority. Spark's session start is timed apart, and each engine
runs twice. Both must give the same figures, to the last bit; peak memory is the process's.

    python -m benchmarks simulation                      # 5M households
    python -m benchmarks simulation 5000000 27000000
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from benchmarks.apart import ran_as_child, run_apart, seconds_columns, spark_columns, timed, timed_runs
from benchmarks.poverty import DATA

CURRENT = "vn-2022-2025"
ALTERNATIVE = "vn-2027-2030"
YEAR = 2025
CUTOFF = Fraction(1, 3)
RUNS = 2
MODULE = "benchmarks.simulation"


def snapshot_directory(households: int, seed: int) -> Path:
    """The SYNTHETIC snapshot of ``households``, generated the first time it is asked for."""
    directory = DATA / f"synthetic-snapshot-{households}-seed{seed}"
    if not directory.exists():
        from vungcao.engine.poverty import get_standard
        from vungcao.engine.poverty.snapshot import partitions_write
        from vungcao.engine.synthetic import synthetic_snapshot

        started = time.perf_counter()
        frame = synthetic_snapshot(households, seed, YEAR, get_standard(CURRENT), [get_standard(ALTERNATIVE)])
        partitions_write(directory, frame)
        print(f"generated {directory.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return directory


def _peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_process(directory: Path) -> dict[str, Any]:
    from vungcao.engine.poverty.simulation import simulate

    seconds, result = timed_runs(lambda: simulate(directory, ALTERNATIVE, cutoff=CUTOFF), RUNS)
    return {"seconds": seconds, "peak_mb": _peak_megabytes(), "figures": result.as_dict()}


def on_spark(directory: Path) -> dict[str, Any]:
    from vungcao.engine.poverty import get_standard
    from vungcao.engine.poverty.spark import local_session, simulate_in_spark

    standard = get_standard(ALTERNATIVE)
    session_seconds, session = timed(lambda: local_session(memory="6g"))
    seconds, result = timed_runs(lambda: simulate_in_spark(session, directory, standard, cutoff=CUTOFF), RUNS)
    session.stop()
    return {
        "session_seconds": session_seconds,
        "seconds": seconds,
        "peak_mb": _peak_megabytes(),
        "figures": result.as_dict(),
    }


def main(argv: list[str]) -> int:
    if ran_as_child(argv, {"polars": in_process, "spark": on_spark}):
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks simulation")
    parser.add_argument("sizes", nargs="*", type=int, default=[5_000_000])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--no-spark", action="store_true", help="the in-process engine only")
    arguments = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start")
    print(
        "households   in-process s (1st, 2nd)  peak MB   Spark session s   Spark s (1st, 2nd)  same figures"
        "   changing status"
    )
    for size in arguments.sizes:
        directory = snapshot_directory(size, arguments.seed)
        polars_result = run_apart(MODULE, "polars", directory)
        line = f"{size:>10,}   {seconds_columns(polars_result)}   {polars_result['peak_mb']:8.0f}"
        same: bool | str = "-"
        spark = "           -                -        -"
        if not arguments.no_spark:
            spark_result = run_apart(MODULE, "spark", directory)
            same = polars_result["figures"] == spark_result["figures"]
            spark = spark_columns(spark_result)
        print(f"{line}{spark}   {same}   {polars_result['figures']['changed']:,}", flush=True)
        if same is False:
            print("the engines disagree", file=sys.stderr)
            return 1
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
