"""``vungcao synth households --n N --seed S -o FILE.parquet [--standard ID]``: SYNTHETIC households.

The file is labelled synthetic in a ``synthetic`` column and in its Parquet metadata.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vungcao.engine.poverty import get_standard
from vungcao.engine.synthetic import SYNTHETIC_NOTICE, write_synthetic_households

NOT_PARQUET = "Synthetic households are written as Parquet: give a file name ending in .parquet."
WROTE = "Wrote {count} SYNTHETIC households to {path}. {notice}"


def generate_households(arguments: argparse.Namespace) -> int:
    if arguments.output.suffix.lower() != ".parquet":
        raise SystemExit(NOT_PARQUET)
    write_synthetic_households(
        arguments.output, arguments.n, arguments.seed, get_standard(arguments.standard)
    )
    print(WROTE.format(count=arguments.n, path=arguments.output, notice=SYNTHETIC_NOTICE))
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
    return main_parser


def main(argv: list[str]) -> int:
    arguments = parser().parse_args(argv)
    return int(arguments.run(arguments))
