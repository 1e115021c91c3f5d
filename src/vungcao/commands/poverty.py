"""``vungcao poverty …``: poverty standards and Alkire-Foster measures on CSV, XLSX or Parquet files.

    vungcao poverty standards
    vungcao poverty schema ID [--json]
    vungcao poverty classify (--standard ID | --year Y [--province P]) IN -o OUT [--explain]
    vungcao poverty mpi IN --k K [--standard ID | --deprivations] [--weights a=0.5,…] [--by COL] [--json]

Invalid input prints every problem (row, field, value, reason) and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

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
from vungcao.engine.poverty.standard import Standard
from vungcao.engine.tabular import TableValidationError

UNSUPPORTED_FORMAT = "Unsupported file type {suffix!r}: use .csv, .xlsx or .parquet."
NEEDS_STANDARD_OR_YEAR = "Give --standard ID or --year YEAR."
NOTHING_WRITTEN = "Nothing was written. / Không ghi tệp nào."
WROTE = "Wrote {count} households classified under {standard} to {path}."
STANDARD_COLUMN = "standard"


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


def classify_file(arguments: argparse.Namespace) -> int:
    standard = _chosen_standard(arguments)
    try:
        classified = classify_frame(read_table(arguments.input), standard)
    except TableValidationError as error:
        return _report_problems(error)
    if arguments.explain:
        classified = with_explanations(classified, standard)
    classified = classified.with_columns(pl.lit(standard.identifier).alias(STANDARD_COLUMN))
    write_table(classified, arguments.output)
    print(WROTE.format(count=classified.height, standard=standard.identifier, path=arguments.output))
    return 0


def measure_file(arguments: argparse.Namespace) -> int:
    table = read_table(arguments.input)
    weights = parse_weights(arguments.weights) if arguments.weights else None
    try:
        result: AlkireFosterResult
        if arguments.deprivations:
            indicators = [name for name in table.columns[1:] if name != arguments.by]
            result = alkire_foster(table, arguments.k, weights, indicators=indicators, by=arguments.by)
        else:
            standard = get_standard(arguments.standard)
            result = standard_alkire_foster(
                classify_frame(table, standard), standard, arguments.k, weights, arguments.by
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


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="vungcao poverty", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True)
    commands.add_parser("standards", help="list the poverty standards").set_defaults(run=list_standards)

    schema = commands.add_parser("schema", help="the input fields a standard reads")
    schema.add_argument("standard")
    schema.add_argument("--json", action="store_true")
    schema.set_defaults(run=show_schema)

    classify = commands.add_parser("classify", help="classify the households of a file")
    classify.add_argument("input", type=Path)
    classify.add_argument("-o", "--output", type=Path, required=True)
    classify.add_argument("--standard")
    classify.add_argument("--year", type=int)
    classify.add_argument("--province", type=int, help="province code (2025) for a provincial standard")
    classify.add_argument("--explain", action="store_true", help="add explanation_vi and explanation_en")
    classify.set_defaults(run=classify_file)

    mpi = commands.add_parser("mpi", help="Alkire-Foster H, A, M0, contributions and decomposition")
    mpi.add_argument("input", type=Path)
    mpi.add_argument("--k", required=True, help="poverty cut-off as a share of the weights, e.g. 1/3 or 0.25")
    source = mpi.add_mutually_exclusive_group(required=True)
    source.add_argument("--standard")
    source.add_argument("--deprivations", action="store_true", help="IN holds an id column and 0/1 columns")
    mpi.add_argument("--weights", help="indicator=weight,… (default: equal within the standard's dimensions)")
    mpi.add_argument("--by", help="column to decompose by")
    mpi.add_argument("--json", action="store_true")
    mpi.set_defaults(run=measure_file)
    return main_parser


def main(argv: list[str]) -> int:
    arguments = parser().parse_args(argv)
    try:
        return int(arguments.run(arguments))
    except (StandardNotFound, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 2
