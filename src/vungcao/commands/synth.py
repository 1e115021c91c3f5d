"""SYNTHETIC data for demos and benchmarks:

    vungcao synth households --n N --seed S -o FILE.parquet [--standard ID]
    vungcao synth snapshot DIR --n N --seed S [--year Y] [--standard ID] [--answering ID …]

Households are labelled synthetic in a ``synthetic`` column and in their Parquet metadata; a snapshot
(the layout of ``vungcao snapshot write``) holds household codes ``S<number>``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.snapshot import partitions_write
from vungcao.engine.synthetic import SYNTHETIC_NOTICE, synthetic_snapshot, write_synthetic_households

NOT_PARQUET = "Synthetic households are written as Parquet: give a file name ending in .parquet."
WROTE = "Wrote {count} SYNTHETIC households to {path}. {notice}"
WROTE_SNAPSHOT = (
    "Wrote a snapshot of {count} SYNTHETIC households in {partitions} partitions to {path}. {notice}"
)


def generate_households(arguments: argparse.Namespace) -> int:
    if arguments.output.suffix.lower() != ".parquet":
        raise SystemExit(NOT_PARQUET)
    write_synthetic_households(
        arguments.output, arguments.n, arguments.seed, get_standard(arguments.standard)
    )
    print(WROTE.format(count=arguments.n, path=arguments.output, notice=SYNTHETIC_NOTICE))
    return 0


def generate_snapshot(arguments: argparse.Namespace) -> int:
    answering = [get_standard(identifier) for identifier in arguments.answering]
    frame = synthetic_snapshot(
        arguments.n, arguments.seed, arguments.year, get_standard(arguments.standard), answering
    )
    partitions = partitions_write(arguments.directory, frame)
    print(
        WROTE_SNAPSHOT.format(
            count=arguments.n, partitions=len(partitions), path=arguments.directory, notice=SYNTHETIC_NOTICE
        )
    )
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="vungcao synth", description="SYNTHETIC data for demos and benchmarks"
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    households = commands.add_parser("households", help="households spread over the 3,321 current communes")
    households.add_argument("--n", type=int, required=True, help="number of households")
    households.add_argument("--seed", type=int, default=0)
    households.add_argument(
        "--standard", default="vn-2022-2025", help="the standard whose indicators to record"
    )
    households.add_argument("-o", "--output", type=Path, required=True)
    households.set_defaults(run=generate_households)
    snapshot = commands.add_parser(
        "snapshot", help="a registry snapshot of one year, classified and answered"
    )
    snapshot.add_argument("directory", type=Path)
    snapshot.add_argument("--n", type=int, required=True, help="number of households")
    snapshot.add_argument("--seed", type=int, default=0)
    snapshot.add_argument("--year", type=int, default=2025)
    snapshot.add_argument(
        "--standard", default="vn-2022-2025", help="the standard the registry classified under"
    )
    snapshot.add_argument(
        "--answering",
        nargs="*",
        default=["vn-2027-2030"],
        help="standards whose indicators are recorded too, so that they can be simulated",
    )
    snapshot.set_defaults(run=generate_snapshot)
    return main_parser


def main(argv: list[str]) -> int:
    arguments = parser().parse_args(argv)
    return int(arguments.run(arguments))
