"""``vungcao poverty …``: poverty standards and Alkire-Foster measures on CSV, XLSX or Parquet files.

    vungcao poverty standards
    vungcao poverty schema ID [--json]
    vungcao poverty classify (--standard ID | --year Y [--province P]) IN -o OUT [--explain] [--engine E]
    vungcao poverty mpi IN --k K [--standard ID | --deprivations] [--weights a=0.5,…] [--by COL] [--json]
                        [--engine E]
    vungcao poverty simulate SNAPSHOT_DIR --standard ID [--k K] [--year Y] [--assume FIELD=VALUE …]
                             [--json] [--engine E]

Invalid input prints every problem (row, field, value, reason) and writes nothing. ``--engine spark``
classifies and measures on Spark (the same rules, the same figures): a local session, or the cluster's
when the command runs under ``spark-submit``, which then reads a Parquet IN itself (any path Spark
reads, such as hdfs:// or s3a://); CSV and XLSX are read and validated here first.

``simulate`` reclassifies the households of a year of the registry's snapshot (``vungcao snapshot write
DIR``) under another standard, changing nothing: how many change status, in total, by province, by the
head's ethnic group and by ethnic minority, with Alkire-Foster under both standards
(``engine.poverty.simulation``). A field the standard reads and the snapshot lacks needs ``--assume
FIELD=VALUE``: one value for every household (``deprived``/``not-deprived``, ``yes``/``no``, a number
within the field's bounds), printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
import polars as pl

from vungcao.common.spreadsheets import csv_value, sheet_row
from vungcao.engine.mpi import AlkireFosterResult, alkire_foster, parse_weights, standard_alkire_foster
from vungcao.engine.poverty import (
    StandardNotFound,
    classify_frame,
    default_catalogue,
    get_standard,
    standard_for,
    with_explanations,
)
from vungcao.engine.poverty.simulation import (
    Assumption,
    SimulationFigures,
    SimulationRefused,
    assumption,
    simulate,
)
from vungcao.engine.poverty.standard import Standard
from vungcao.engine.poverty.validation import prepare_households
from vungcao.engine.tabular import TableValidationError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

UNSUPPORTED_FORMAT = "Unsupported file type {suffix!r}: use .csv, .xlsx or .parquet."
NEEDS_STANDARD_OR_YEAR = "Give --standard ID or --year YEAR."
NOTHING_WRITTEN = "Nothing was written. / Không ghi tệp nào."
WROTE = "Wrote {count} households classified under {standard} to {path}."
STANDARD_COLUMN = "standard"
ENGINES = ("polars", "spark")
ENGINE_HELP = "polars (in this process, the default) or spark (pip install 'vungcao[spark]', Java 17)"
SPARK_NEEDS_STANDARD = "--engine spark measures households under a standard: give --standard."
ASSUMPTION_FORMAT = (
    "--assume takes FIELD=VALUE (e.g. deprived__waste_treatment=not-deprived), not {option!r}."
)
ASSUMED_TWICE = "{field} is assumed twice: give one value for every household."
ASSUME_HINT = (
    "To simulate anyway, assume one value for every household of each with --assume FIELD=VALUE ({example})."
)
EXAMPLE_VALUES = {"boolean": "no", "integer": "0", "number": "0", "category": "CODE"}


# Files ----------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
    """A spreadsheet cell as the text a CSV would hold (1500000.0 → "1500000"); validation types it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(path: Path) -> pl.DataFrame:
    """CSV and XLSX are read as text (so a bad cell is reported, not guessed); Parquet keeps its types."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pl.read_csv(path, infer_schema=False)
    if suffix == ".parquet":
        return pl.read_parquet(path)
    if suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.active
        rows = list(sheet.iter_rows(values_only=True)) if sheet is not None else []
        workbook.close()
        header = [str(name) for name in rows[0]] if rows else []
        return pl.DataFrame(
            {name: [_cell_text(row[position]) for row in rows[1:]] for position, name in enumerate(header)},
            schema=dict.fromkeys(header, pl.String),
        )
    raise ValueError(UNSUPPORTED_FORMAT.format(suffix=suffix))


def write_table(frame: pl.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.write_parquet(path)
        return
    as_text = frame.with_columns(pl.col(pl.Categorical, pl.Enum).cast(pl.String))
    # The input file's texts come back out: none may be read as a formula by the spreadsheet that opens it.
    if suffix == ".csv":
        as_text.with_columns(pl.col(pl.String).map_elements(csv_value, return_dtype=pl.String)).write_csv(
            path
        )
    elif suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(sheet_row(sheet, as_text.columns))
        for row in as_text.iter_rows():
            sheet.append(sheet_row(sheet, row))
        workbook.save(path)
    else:
        raise ValueError(UNSUPPORTED_FORMAT.format(suffix=suffix))


# Commands -------------------------------------------------------------------------------------------


def list_standards(arguments: argparse.Namespace) -> int:
    for standard in default_catalogue():
        years = ", ".join(f"{period.first_year}–{period.last_year}" for period in standard.periods)
        where = f"province {standard.province}" if standard.province is not None else "national / toàn quốc"
        print(f"{standard.identifier}\t{years}\t{where}\t{standard.name.vi} / {standard.name.en}")
    return 0


def schema_as_dict(standard: Standard) -> dict[str, Any]:
    return {
        "standard": standard.identifier,
        "name": {"vi": standard.name.vi, "en": standard.name.en},
        "fields": [
            {
                "name": input_field.name,
                "type": input_field.type,
                "required": input_field.required,
                "unit": {"vi": input_field.unit.vi, "en": input_field.unit.en} if input_field.unit else None,
                "minimum": input_field.minimum,
                "maximum": input_field.maximum,
                "allowed_values": {
                    value: {"vi": label.vi, "en": label.en}
                    for value, label in input_field.allowed_values.items()
                },
                "label": {"vi": input_field.label.vi, "en": input_field.label.en},
            }
            for input_field in standard.all_fields
        ],
    }


def show_schema(arguments: argparse.Namespace) -> int:
    standard = get_standard(arguments.standard)
    schema = schema_as_dict(standard)
    if arguments.json:
        print(json.dumps(schema, ensure_ascii=False, indent=2))
        return 0
    print(f"{standard.identifier}: {standard.name.vi} / {standard.name.en}")
    for input_field in schema["fields"]:
        needed = "required" if input_field["required"] else "optional"
        limits = [
            f"{key} {input_field[key]}" for key in ("minimum", "maximum") if input_field[key] is not None
        ]
        if input_field["allowed_values"]:
            limits.append("one of " + ", ".join(input_field["allowed_values"]))
        print(
            f"  {input_field['name']}\t{input_field['type']}, {needed}{'; ' if limits else ''}{', '.join(limits)}"
        )
        print(f"      {input_field['label']['vi']} / {input_field['label']['en']}")
    return 0


def _report_problems(error: TableValidationError) -> int:
    for problem in error.report:
        print(str(problem), file=sys.stderr)
    print(NOTHING_WRITTEN, file=sys.stderr)
    return 1


def _chosen_standard(arguments: argparse.Namespace) -> Standard:
    if arguments.standard:
        return get_standard(arguments.standard)
    if arguments.year is None:
        raise SystemExit(NEEDS_STANDARD_OR_YEAR)
    return standard_for(arguments.year, arguments.province)


def _on_spark(arguments: argparse.Namespace, standard: Standard) -> DataFrame:
    """The households of IN as a Spark DataFrame: Spark reads a Parquet file itself; a CSV or XLSX file
    is read, typed and validated here, with the in-process engine's report, then handed over."""
    from vungcao.engine.poverty.spark import households_frame, spark_session

    session = spark_session()
    if Path(arguments.input).suffix.lower() == ".parquet":
        return households_frame(session, arguments.input)
    prepared = prepare_households(read_table(Path(arguments.input)), standard)
    if not prepared.report.ok:
        raise TableValidationError(prepared.report)
    return households_frame(session, prepared.frame)


def classify_file(arguments: argparse.Namespace) -> int:
    standard = _chosen_standard(arguments)
    try:
        if arguments.engine == "spark":
            from vungcao.engine.poverty.spark import classify_in_spark, to_polars

            classified = to_polars(classify_in_spark(_on_spark(arguments, standard), standard))
        else:
            classified = classify_frame(read_table(Path(arguments.input)), standard)
    except TableValidationError as error:
        return _report_problems(error)
    if arguments.explain:
        classified = with_explanations(classified, standard)
    classified = classified.with_columns(pl.lit(standard.identifier).alias(STANDARD_COLUMN))
    write_table(classified, arguments.output)
    print(WROTE.format(count=classified.height, standard=standard.identifier, path=arguments.output))
    return 0


def _measured_on_spark(
    arguments: argparse.Namespace, weights: dict[str, Fraction] | None
) -> AlkireFosterResult:
    from vungcao.engine.poverty.spark import summarise_in_spark

    if arguments.deprivations:
        raise ValueError(SPARK_NEEDS_STANDARD)
    standard = get_standard(arguments.standard)
    summary = summarise_in_spark(
        _on_spark(arguments, standard),
        standard,
        cutoff=arguments.k,
        weights=weights,
        alkire_foster_by=arguments.by,
    )
    assert summary.alkire_foster is not None
    return summary.alkire_foster


def measure_file(arguments: argparse.Namespace) -> int:
    weights = parse_weights(arguments.weights) if arguments.weights else None
    try:
        result: AlkireFosterResult
        if arguments.engine == "spark":
            result = _measured_on_spark(arguments, weights)
        elif arguments.deprivations:
            table = read_table(Path(arguments.input))
            indicators = [name for name in table.columns[1:] if name != arguments.by]
            result = alkire_foster(table, arguments.k, weights, indicators=indicators, by=arguments.by)
        else:
            standard = get_standard(arguments.standard)
            result = standard_alkire_foster(
                classify_frame(read_table(Path(arguments.input)), standard),
                standard,
                arguments.k,
                weights,
                arguments.by,
            )
    except TableValidationError as error:
        return _report_problems(error)
    if arguments.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    overall = result.overall
    print(
        f"H  = {overall.headcount_ratio:.6f}\nA  = {overall.intensity:.6f}\nM0 = {overall.adjusted_headcount_ratio:.6f}"
    )
    for name in result.weights:
        print(
            f"  {name}\tcensored headcount {overall.censored_headcount[name]:.6f}\tcontribution {overall.contribution[name]:.2%}"
        )
    for group, measures in result.groups.items():
        print(
            f"{arguments.by}={group}\tshare {measures.population_share:.4f}\tM0 {measures.measures.adjusted_headcount_ratio:.6f}\tcontribution {measures.contribution_to_M0:.2%}"
        )
    return 0


def _transitions(figures: SimulationFigures) -> str:
    return ", ".join(f"{now}→{then} {count}" for (now, then), count in figures.transitions.items())


def _figures_line(scope: str, figures: SimulationFigures) -> str:
    current, simulated = figures.current, figures.simulated
    return (
        f"{scope}\t{figures.households}\t{figures.changed}"
        f"\tH {current.headcount_ratio:.4f}→{simulated.headcount_ratio:.4f}"
        f"\tM0 {current.adjusted_headcount_ratio:.4f}→{simulated.adjusted_headcount_ratio:.4f}"
    )


def _assumptions(standard: Standard, written: list[str]) -> list[Assumption]:
    """``--assume FIELD=VALUE`` options read as the engine's assumptions (each field once)."""
    assumptions: dict[str, Assumption] = {}
    for option in written:
        name, equals, value = option.partition("=")
        if not equals or not name.strip():
            raise ValueError(ASSUMPTION_FORMAT.format(option=option))
        if name.strip() in assumptions:
            raise ValueError(ASSUMED_TWICE.format(field=name.strip()))
        assumptions[name.strip()] = assumption(standard, name.strip(), value)
    return list(assumptions.values())


def simulate_snapshot(arguments: argparse.Namespace) -> int:
    standard = get_standard(arguments.standard)
    assumptions = _assumptions(standard, arguments.assume)
    try:
        if arguments.engine == "spark":
            from vungcao.engine.poverty.spark import simulate_in_spark, spark_session

            result = simulate_in_spark(
                spark_session(),
                arguments.snapshot,
                standard,
                cutoff=arguments.k,
                year=arguments.year,
                assumptions=assumptions,
            )
        else:
            result = simulate(
                arguments.snapshot, standard, cutoff=arguments.k, year=arguments.year, assumptions=assumptions
            )
    except TableValidationError as error:
        return _report_problems(error)
    except SimulationRefused as error:
        if not error.missing:
            raise
        example = f"--assume {error.missing[0].name}={EXAMPLE_VALUES[error.missing[0].type]}"
        raise ValueError(f"{error} {ASSUME_HINT.format(example=example)}") from error
    if arguments.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(
        f"{result.year}: {', '.join(result.current_standards)} → {result.standard}, k = {result.cutoff}"
        f"\nhouseholds {result.total.households}, changing status {result.total.changed}"
    )
    for assumed in result.assumed:
        print(assumed.en)
    print(f"  {_transitions(result.total)}")
    total = result.total
    for name, current, simulated in (
        ("H ", total.current.headcount_ratio, total.simulated.headcount_ratio),
        ("A ", total.current.intensity, total.simulated.intensity),
        ("M0", total.current.adjusted_headcount_ratio, total.simulated.adjusted_headcount_ratio),
    ):
        print(f"{name} = {current:.6f} → {simulated:.6f}")
    for grouping, groups in result.groups.items():
        print(f"\n{grouping}\thouseholds\tchanged\tH\tM0")
        for value, figures in groups.items():
            print(_figures_line(value, figures))
            print(f"  {_transitions(figures)}")
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="vungcao poverty", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True)
    commands.add_parser("standards", help="list the poverty standards").set_defaults(run=list_standards)

    schema = commands.add_parser("schema", help="the input fields a standard reads")
    schema.add_argument("standard")
    schema.add_argument("--json", action="store_true")
    schema.set_defaults(run=show_schema)

    classify = commands.add_parser("classify", help="classify the households of a file")
    # Text, not a Path: under spark-submit it may be a URI such as s3a://bucket/households.parquet.
    classify.add_argument("input")
    classify.add_argument("-o", "--output", type=Path, required=True)
    classify.add_argument("--standard")
    classify.add_argument("--year", type=int)
    classify.add_argument("--province", type=int, help="province code (2025) for a provincial standard")
    classify.add_argument("--explain", action="store_true", help="add explanation_vi and explanation_en")
    classify.add_argument("--engine", choices=ENGINES, default="polars", help=ENGINE_HELP)
    classify.set_defaults(run=classify_file)

    mpi = commands.add_parser("mpi", help="Alkire-Foster H, A, M0, contributions and decomposition")
    mpi.add_argument("input")
    mpi.add_argument("--k", required=True, help="poverty cut-off as a share of the weights, e.g. 1/3 or 0.25")
    source = mpi.add_mutually_exclusive_group(required=True)
    source.add_argument("--standard")
    source.add_argument("--deprivations", action="store_true", help="IN holds an id column and 0/1 columns")
    mpi.add_argument("--weights", help="indicator=weight,… (default: equal within the standard's dimensions)")
    mpi.add_argument("--by", help="column to decompose by")
    mpi.add_argument("--json", action="store_true")
    mpi.add_argument("--engine", choices=ENGINES, default="polars", help=ENGINE_HELP)
    mpi.set_defaults(run=measure_file)

    simulation = commands.add_parser(
        "simulate", help="the registry's snapshot reclassified under another standard, changing nothing"
    )
    # Text, not a Path, as for classify.
    simulation.add_argument("snapshot", help="the directory written by 'vungcao snapshot write'")
    simulation.add_argument("--standard", required=True, help="the standard to simulate")
    simulation.add_argument("--k", default="1/3", help="Alkire-Foster cut-off (default 1/3)")
    simulation.add_argument("--year", type=int, help="the year to simulate (default: the snapshot's latest)")
    simulation.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a value assumed for every household for a field the snapshot lacks, e.g. "
        "deprived__waste_treatment=not-deprived (repeat for each field)",
    )
    simulation.add_argument("--json", action="store_true")
    simulation.add_argument("--engine", choices=ENGINES, default="polars", help=ENGINE_HELP)
    simulation.set_defaults(run=simulate_snapshot)
    return main_parser


def main(argv: list[str]) -> int:
    arguments = parser().parse_args(argv)
    try:
        return int(arguments.run(arguments))
    except (StandardNotFound, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    # `spark-submit …/vungcao/commands/poverty.py mpi …` runs this file as the job's driver.
    sys.exit(main(sys.argv[1:]))
