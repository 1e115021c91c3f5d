"""Policy simulation (mô phỏng chính sách): every household of a year of the registry's snapshot
reclassified under another standard, changing no record.

The households of the approved reviews of one year (the snapshot's latest unless asked) are classified
under the alternative standard by the same compiled rules as `classify`, from the answers the snapshot
holds. The result counts them by their status in the registry and their simulated status — a transition
table — in total, by province, by the head's ethnic group and by ethnic minority, with how many change
status, and Alkire-Foster H, A and M0 under the registry's standard (from the deprivations it stored)
and under the alternative (from the deprivations just computed), at the same cut-off k.

Which answers are read: the fields the alternative's rules read, and the reviewer's recorded yes/no
(``deprived__<indicator>``) for each indicator it has no rule for. For an indicator it has a rule for, a
recorded yes/no is read instead of the rule — as the engine always does — only when every household of
the year has one (a column the Parquet statistics show complete); otherwise the rule decides for all.
An indicator the alternative measures from a yes/no the snapshot lacks (or from answers it lacks) and
the registry's standard also measured (the same indicator) is carried from the review: each household is
deprived in it as the review found it (the stored deprivations), and the result says so ("carried").
When the snapshot lacks another field the alternative needs (the standards declare no mapping between one
another's fields), the simulation is refused, naming the fields — unless the user assumes, for each, one
value for every household (an `Assumption`: "not deprived in waste treatment" for every household of
2025). An assumption stands in for the whole column, and the result lists it, so no figure is shown
without what it rests on.

Both engines count households into the same small tables (`SimulationCounts`); the figures are then
worked out here once, so the in-process and the Spark engine give the same figures to the last bit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from vungcao.engine.mpi import (
    HOUSEHOLDS,
    PATTERN,
    PATTERN_TYPE,
    Measures,
    Scoring,
    alkire_foster_of_patterns,
    nested_weights,
    pattern_expression,
    scoring,
)
from vungcao.engine.numbers import NumberError, parse_number
from vungcao.engine.poverty.catalogue import get_standard
from vungcao.engine.poverty.classify import plan_classification, raise_unless_valid, resolve_standard
from vungcao.engine.poverty.dataframe import classification_plan
from vungcao.engine.poverty.expression import referenced_names
from vungcao.engine.poverty.snapshot import (
    DEPRIVED_MASK,
    ETHNIC_GROUP,
    ETHNIC_MINORITY,
    PROVINCE_CODE,
    STANDARD_IDENTIFIER,
    SnapshotError,
    file_columns,
    snapshot_year,
)
from vungcao.engine.poverty.standard import AREA, STATUS, InputField, Standard
from vungcao.engine.poverty.validation import (
    ABOVE_MAXIMUM,
    BELOW_MINIMUM,
    FALSE_WORDS,
    TARGET_TYPES,
    TRUE_WORDS,
    known_fields,
    needed_fields,
)
from vungcao.engine.text import Label, format_number

CURRENT_STATUS = "current_status"
GROUPINGS = (PROVINCE_CODE, ETHNIC_GROUP, ETHNIC_MINORITY)
MISSING_FIELDS = Label(
    "Chuẩn {standard} đọc {fields}, nhưng câu trả lời năm {year} trong bản chụp dữ liệu không có đủ cho mọi "
    "hộ: không thể phân loại các hộ theo chuẩn này nếu không giả định một giá trị cho mọi hộ ở từng trường "
    "đó. Chưa mô phỏng gì.",
    "Standard {standard} reads {fields}, which the snapshot's answers of {year} do not hold for every "
    "household: the households cannot be classified under it unless one value is assumed for every "
    "household for each of these fields. Nothing was simulated.",
)
NOT_A_FIELD = Label(
    "Chuẩn {standard} không đọc trường {field}: không thể giả định giá trị cho trường này.",
    "Standard {standard} reads no field {field}: nothing can be assumed for it.",
)
NOT_MISSING = Label(
    "Không giả định gì cho {field}: mô phỏng năm {year} theo chuẩn {standard} không cần (bản chụp dữ liệu có "
    "trường này cho mọi hộ, hoặc quy tắc của chuẩn quyết định từ các câu trả lời khác). Chưa mô phỏng gì.",
    "Nothing is assumed for {field}: the simulation of {year} under {standard} does not need it (the "
    "snapshot holds it for every household, or the standard's rule decides from other answers). Nothing "
    "was simulated.",
)
NOT_YES_NO = Label(
    "Giá trị giả định cho {field} phải là có hoặc không (thiếu hụt / không thiếu hụt), không phải '{value}'.",
    "The value assumed for {field} must be yes or no (deprived / not deprived), not '{value}'.",
)
NOT_ALLOWED = Label(
    "Giá trị giả định cho {field} phải là một trong {values}, không phải '{value}'.",
    "The value assumed for {field} must be one of {values}, not '{value}'.",
)
NOT_A_NUMBER = Label(
    "Giá trị giả định cho {field} không đọc được thành số ('{value}'): {reason}",
    "The value assumed for {field} is not a number ('{value}'): {reason}",
)
OUT_OF_BOUNDS = Label(
    "Giá trị giả định cho {field} ({value}) nằm ngoài giới hạn của trường: {reason}",
    "The value assumed for {field} ({value}) is outside the field's bounds: {reason}",
)
ASSUMED = Label(
    "Giả định cho mọi hộ: {value} (không có trong câu trả lời năm {year} của bản chụp dữ liệu)",
    "Assumed for every household: {value} (not in the snapshot's answers of {year})",
)
ASSUMED_OVER_ANSWERS = Label(
    "Giả định cho mọi hộ: {value} (câu trả lời năm {year} của bản chụp dữ liệu chỉ có cho một số hộ; các câu "
    "trả lời đó không được dùng)",
    "Assumed for every household: {value} (the snapshot's answers of {year} hold it for some households "
    "only; theirs are set aside)",
)
CARRIED = Label(
    "Kế thừa từ kết quả rà soát năm {year}: hộ thiếu hụt chỉ số {indicators} như đợt rà soát đã xác định "
    "theo chuẩn {standards}",
    "Carried from the review of {year}: a household is deprived in {indicators} as the review found it "
    "under {standards}",
)
DEPRIVED = Label("thiếu hụt chỉ số {indicator}", "deprived in {indicator}")
NOT_DEPRIVED = Label("không thiếu hụt chỉ số {indicator}", "not deprived in {indicator}")
FIELD_VALUE = Label("{field}: {value}", "{field}: {value}")
YES_NO_VALUES = {True: Label("có", "yes"), False: Label("không", "no")}
DEPRIVED_WORDS = {"deprived": True, "not deprived": False, "thiếu hụt": True, "không thiếu hụt": False}
"""The words a yes/no deprivation is assumed with, besides yes and no."""
CURRENT_STANDARDS_DIFFER = Label(
    "Các hộ năm {year} được phân loại theo những chuẩn có chỉ số khác nhau ({standards}): không thể cộng "
    "gộp số đo Alkire-Foster của họ.",
    "The households of {year} were classified under standards with different indicators ({standards}): "
    "their Alkire-Foster measures cannot be added up.",
)


class SimulationRefused(SnapshotError):
    """The snapshot cannot be simulated under this standard (``missing``: the fields it lacks and no
    assumption stands in for)."""

    def __init__(self, message: Label, missing: tuple[InputField, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True)
class Assumption:
    """One value assumed for every household (giả định) for a field the snapshot lacks; ``indicator``:
    the indicator's label when the field is its recorded yes/no."""

    field: InputField
    value: bool | int | float | str
    indicator: Label | None = None
    # Some households of the year were answered: the assumption sets their answers aside, and says so.
    replaces_answers: bool = False

    @property
    def value_text(self) -> Label:
        """The value in words: "not deprived in household waste treatment", "housing area: 8"."""
        if self.indicator is not None:
            return (DEPRIVED if self.value else NOT_DEPRIVED).format(indicator=self.indicator)
        if isinstance(self.value, bool):
            shown: object = YES_NO_VALUES[self.value]
        elif isinstance(self.value, str):
            shown = self.field.allowed_values[self.value]
        else:
            shown = _number(self.value)
        return FIELD_VALUE.format(field=self.field.label, value=shown)

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field.name, "value": self.value, "replaces_answers": self.replaces_answers}


def assumption(standard: Standard, name: str, value: str) -> Assumption:
    """The assumption that ``name`` holds ``value`` (as written by a user) for every household; refused
    (`SimulationRefused`) when the standard reads no such field or the value is not one of its type and
    bounds."""
    field = known_fields(standard).get(name)
    if field is None:
        raise SimulationRefused(NOT_A_FIELD.format(standard=standard.identifier, field=name[:60]))
    indicator = next((indicator.label for indicator in standard.indicators if indicator.column == name), None)
    written = " ".join(value.split())
    if field.type == "boolean":
        words = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}
        if indicator is not None:
            words.update(DEPRIVED_WORDS)
        answer = words.get(written.lower().replace("-", " ").replace("_", " "))
        if answer is None:
            raise SimulationRefused(NOT_YES_NO.format(field=name, value=value[:40]))
        return Assumption(field, answer, indicator)
    if field.type == "category":
        if written not in field.allowed_values:
            raise SimulationRefused(
                NOT_ALLOWED.format(field=name, values=", ".join(field.allowed_values), value=value[:40])
            )
        return Assumption(field, written)
    try:
        number = parse_number(written, whole=field.type == "integer", negative=True, language="en")
    except NumberError as error:
        raise SimulationRefused(
            NOT_A_NUMBER.format(field=name, value=value[:40], reason=error.reason)
        ) from error
    if field.minimum is not None and number < field.minimum:
        reason = BELOW_MINIMUM.format(minimum=_number(field.minimum))
        raise SimulationRefused(OUT_OF_BOUNDS.format(field=name, value=written, reason=reason))
    if field.maximum is not None and number > field.maximum:
        reason = ABOVE_MAXIMUM.format(maximum=_number(field.maximum))
        raise SimulationRefused(OUT_OF_BOUNDS.format(field=name, value=written, reason=reason))
    return Assumption(field, int(number) if field.type == "integer" else float(number))


def _number(value: float) -> Label:
    return Label(format_number(value, "vi"), format_number(value, "en"))


@dataclass(frozen=True)
class Carried:
    """An indicator read from the review's stored deprivations: bit ``position`` of the stored mask, as
    the recorded yes/no column ``column`` of the alternative standard."""

    column: str
    position: int
    label: Label

    def expression(self) -> pl.Expr:
        return ((pl.col(DEPRIVED_MASK) // (1 << self.position)) % 2 == 1).alias(self.column)


@dataclass(frozen=True)
class SimulationInput:
    """What a simulation reads: the year's files, the columns (with their types) and the indicators read
    from the reviewers' recorded answers rather than their rules."""

    year: int
    files: tuple[Path, ...]
    columns: dict[str, pl.DataType]
    recorded: frozenset[str]
    assumptions: tuple[Assumption, ...] = ()
    carried: tuple[Carried, ...] = ()
    """The indicators carried from the review (their stored deprivations)."""
    current_standards: tuple[str, ...] = ()


@dataclass(frozen=True)
class SimulationCounts:
    """The households counted by whichever engine: per group keys, registry status and simulated status
    (`transitions`), per group keys and pattern of the alternative's deprivations (`simulated_patterns`,
    bit j: the j-th indicator of its weights), and per group keys, registry standard and stored
    deprivation mask (`current_masks`); each count in column `HOUSEHOLDS`."""

    transitions: pl.DataFrame
    simulated_patterns: pl.DataFrame
    current_masks: pl.DataFrame


@dataclass(frozen=True)
class SimulationFigures:
    """One scope's figures: households, how many change status, households per (registry status,
    simulated status), and Alkire-Foster under the registry's standard and under the alternative."""

    households: int
    changed: int
    transitions: dict[tuple[str, str], int]
    current: Measures
    simulated: Measures

    def as_dict(self) -> dict[str, Any]:
        return {
            "households": self.households,
            "changed": self.changed,
            "transitions": [
                {"current": current, "simulated": simulated, "households": count}
                for (current, simulated), count in self.transitions.items()
            ],
            "alkire_foster": {
                name: {
                    "population": measures.population,
                    "poor": measures.poor,
                    "H": measures.headcount_ratio,
                    "A": measures.intensity,
                    "M0": measures.adjusted_headcount_ratio,
                }
                for name, measures in (("current", self.current), ("simulated", self.simulated))
            },
        }


@dataclass(frozen=True)
class Simulation:
    standard: str
    current_standards: tuple[str, ...]
    year: int
    cutoff: Fraction
    recorded: tuple[str, ...]
    total: SimulationFigures
    groups: dict[str, dict[str, SimulationFigures]]
    assumptions: tuple[Assumption, ...] = ()
    carried: tuple[Carried, ...] = ()

    @property
    def carried_text(self) -> Label | None:
        """The indicators carried from the review, in words (None when there is none)."""
        if not self.carried:
            return None
        return CARRIED.format(
            year=self.year,
            indicators=Label(
                ", ".join(item.label.vi for item in self.carried),
                ", ".join(item.label.en for item in self.carried),
            ),
            standards=", ".join(self.current_standards),
        )

    @property
    def assumed(self) -> tuple[Label, ...]:
        """What the figures rest on besides the answers, in words: the indicators carried from the review,
        then each assumption ("Assumed for every household: not deprived in household waste treatment (not
        in the snapshot's answers of 2025)")."""
        carried = () if self.carried_text is None else (self.carried_text,)
        return carried + tuple(
            (ASSUMED_OVER_ANSWERS if assumption.replaces_answers else ASSUMED).format(
                value=assumption.value_text, year=self.year
            )
            for assumption in self.assumptions
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "standard": self.standard,
            "current_standards": list(self.current_standards),
            "year": self.year,
            "k": str(self.cutoff),
            "recorded_indicators": list(self.recorded),
            "carried_indicators": [item.column for item in self.carried],
            "assumptions": [
                {**assumption.as_dict(), "text": text.en}
                for assumption, text in zip(
                    self.assumptions, self.assumed[len(self.assumed) - len(self.assumptions) :], strict=True
                )
            ],
            **self.total.as_dict(),
            "groups": {
                grouping: {value: figures.as_dict() for value, figures in groups.items()}
                for grouping, groups in self.groups.items()
            },
        }


def _null_counts(path: Path) -> tuple[int, dict[str, int | None]]:
    """The rows of a Parquet file and the missing values of each column, from its statistics (None when
    unknown)."""
    metadata = pq.read_metadata(path)
    counts: dict[str, int | None] = {}
    for position, name in enumerate(metadata.schema.names):
        total: int | None = 0
        for group in range(metadata.num_row_groups):
            statistics = metadata.row_group(group).column(position).statistics
            if total is None or statistics is None or not statistics.has_null_count:
                total = None
            else:
                total += statistics.null_count
        counts[name] = total
    return metadata.num_rows, counts


def simulation_input(
    directory: Path | str,
    standard: Standard,
    year: int | None = None,
    provinces: Collection[str] | None = None,
    assumptions: Collection[Assumption] = (),
) -> SimulationInput:
    """The files and columns a simulation of ``year`` (of ``provinces``, every one when not given) under
    ``standard`` reads; refused when the snapshot lacks a field the standard needs, or a required one
    for some household, and no assumption stands in for it — or when an assumption would stand in for
    a field the snapshot holds."""
    chosen, files = snapshot_year(directory, year, provinces)
    schemas = [file_columns(path) for path in files]
    nulls = [_null_counts(path) for path in files]
    held = {name: dtype for name, dtype in schemas[0].items() if all(name in schema for schema in schemas)}

    def complete(name: str) -> bool:
        return all(counts[name] == 0 for _rows, counts in nulls)

    def answered_somewhere(name: str) -> bool:
        return any(name in counts and (counts[name] or 0) < rows for rows, counts in nulls)

    # A recorded yes/no replaces a rule only where every household has one.
    incomplete = {
        indicator.column
        for indicator in standard.indicators
        if indicator.deprived_when is not None and indicator.column in held and not complete(indicator.column)
    }
    current_standards, carryable = _carryable(files, standard)
    carried: dict[str, Carried] = {}
    while True:
        fields, recorded = needed_fields(standard, (set(held) - incomplete) | set(carried))
        missing = [
            input_field.name
            for input_field in fields
            if input_field.name not in held or (input_field.required and not complete(input_field.name))
        ]
        # An indicator the registry's standard measured is carried from the review rather than assumed.
        more = {
            indicator.column
            for indicator in standard.indicators
            if indicator.column in carryable
            and indicator.column not in carried
            and (
                indicator.column in missing
                or (
                    indicator.deprived_when is not None
                    and referenced_names(indicator.deprived_when) & set(missing)
                )
            )
        }
        if not more:
            break
        carried.update({column: carryable[column] for column in more})
    missing = [name for name in missing if name not in carried]
    assumed = {assumption.field.name: assumption for assumption in assumptions}
    for name in assumed:
        if name not in missing:
            raise SimulationRefused(NOT_MISSING.format(field=name, year=chosen, standard=standard.identifier))
    unassumed = [name for name in missing if name not in assumed]
    if unassumed:
        lacking = tuple(input_field for input_field in fields if input_field.name in unassumed)
        named = Label(
            "; ".join(f"«{item.label.vi}» ({item.name})" for item in lacking),
            "; ".join(f"“{item.label.en}” ({item.name})" for item in lacking),
        )
        raise SimulationRefused(
            MISSING_FIELDS.format(standard=standard.identifier, fields=named, year=chosen), lacking
        )
    names = [
        *GROUPINGS,
        STATUS,
        STANDARD_IDENTIFIER,
        DEPRIVED_MASK,
        *(field.name for field in fields if field.name not in assumed and field.name not in carried),
    ]
    return SimulationInput(
        chosen,
        tuple(files),
        {name: held[name] for name in dict.fromkeys(names)},
        recorded,
        tuple(
            dataclasses.replace(assumed[name], replaces_answers=answered_somewhere(name)) for name in missing
        ),
        tuple(carried[column] for column in sorted(carried, key=lambda column: carried[column].position)),
        current_standards,
    )


def _standards_in(path: Path) -> set[str]:
    """The registry standards a Parquet file's households were classified under: from its row groups'
    statistics when each holds one standard (a partition is one province's cycle; reading the column of
    27M households took 0.5 s on every request of the page), else from the column."""
    metadata = pq.read_metadata(path)
    position = metadata.schema.names.index(STANDARD_IDENTIFIER)
    found: set[str] = set()
    for group in range(metadata.num_row_groups):
        statistics = metadata.row_group(group).column(position).statistics
        if statistics is None or not statistics.has_min_max or statistics.min != statistics.max:
            return set(pl.read_parquet(path, columns=[STANDARD_IDENTIFIER])[STANDARD_IDENTIFIER].drop_nulls())
        found.add(statistics.min)
    return found


def _carryable(files: Collection[Path], standard: Standard) -> tuple[tuple[str, ...], dict[str, Carried]]:
    """The registry's standards of the year's households, and the indicators of ``standard`` they all
    measured at one position of their stored deprivations (by the column of the recorded yes/no)."""
    identifiers = tuple(sorted({identifier for path in files for identifier in _standards_in(path)}))
    positions: dict[str, set[int]] = {}
    for identifier in identifiers:
        measured = [indicator.identifier for indicator in get_standard(identifier).indicators]
        for indicator in standard.indicators:
            position = measured.index(indicator.identifier) if indicator.identifier in measured else -1
            positions.setdefault(indicator.column, set()).add(position)
    return identifiers, {
        indicator.column: Carried(indicator.column, next(iter(positions[indicator.column])), indicator.label)
        for indicator in standard.indicators
        if identifiers and len(positions[indicator.column]) == 1 and -1 not in positions[indicator.column]
    }


def assumed_columns(assumptions: Collection[Assumption]) -> list[pl.Expr]:
    """Each assumption as a column of its value for every household, typed as its field."""
    return [
        pl.lit(assumption.value, dtype=TARGET_TYPES[assumption.field.type]).alias(assumption.field.name)
        for assumption in assumptions
    ]


def simulated_scoring(standard: Standard, cutoff: Fraction | float | str) -> Scoring:
    return scoring(nested_weights(standard), cutoff)


def simulate(
    directory: Path | str,
    standard: Standard | str,
    *,
    cutoff: Fraction | float | str = Fraction(1, 3),
    year: int | None = None,
    provinces: Collection[str] | None = None,
    assumptions: Collection[Assumption] = (),
) -> Simulation:
    """Reclassify the households of ``year`` (of ``provinces``, every one when not given) of the
    snapshot in ``directory`` under ``standard`` (in-process, Polars), with ``assumptions`` standing in
    for the fields the snapshot lacks, and compare them with the registry (see the module)."""
    resolved = resolve_standard(standard)
    needed = simulation_input(directory, resolved, year, provinces, assumptions)
    scores = simulated_scoring(resolved, cutoff)
    households = (
        pl.scan_parquet(list(needed.files), schema=needed.columns, extra_columns="ignore")
        .rename({STATUS: CURRENT_STATUS})
        .with_columns(assumed_columns(needed.assumptions))
        .with_columns([item.expression() for item in needed.carried])
        # Grouped and compared by their codes, never by per-household texts.
        .with_columns(
            pl.col(PROVINCE_CODE, ETHNIC_GROUP, CURRENT_STATUS, STANDARD_IDENTIFIER, AREA).cast(
                pl.Categorical
            )
        )
        .collect()
    )
    plan = plan_classification(households, resolved)
    classified = classification_plan(plan.typed, resolved, plan.recorded)
    keys = list(GROUPINGS)
    deprivations = [resolved.indicator(name).column for name in scores.weights]
    screen, transitions, patterns, masks = pl.collect_all(
        [
            plan.screen,
            classified.group_by([*keys, CURRENT_STATUS, STATUS]).agg(pl.len().alias(HOUSEHOLDS)),
            classified.group_by([*keys, pattern_expression(deprivations).alias(PATTERN)]).agg(
                pl.len().alias(HOUSEHOLDS)
            ),
            households.lazy()
            .group_by([*keys, STANDARD_IDENTIFIER, DEPRIVED_MASK])
            .agg(pl.len().alias(HOUSEHOLDS)),
        ]
    )
    raise_unless_valid(households, resolved, screen)
    counts = SimulationCounts(transitions, patterns, masks)
    return simulation_of_counts(resolved, needed, scores, counts)


def _current_patterns(
    masks: pl.DataFrame, year: int, cutoff: Fraction
) -> tuple[tuple[str, ...], pl.LazyFrame, Scoring]:
    """The registry's standards of the year, the stored masks as patterns in the order of their weights,
    and their scoring; refused when the standards measure different indicators."""
    identifiers = tuple(sorted(set(masks[STANDARD_IDENTIFIER].to_list())))
    standards = [get_standard(identifier) for identifier in identifiers]
    shapes = {
        tuple((indicator.identifier, indicator.dimension) for indicator in standard.indicators)
        for standard in standards
    }
    if len(shapes) != 1:
        raise SimulationRefused(CURRENT_STANDARDS_DIFFER.format(year=year, standards=", ".join(identifiers)))
    standard = standards[0]
    scores = scoring(nested_weights(standard), cutoff)
    positions = [
        next(
            position for position, indicator in enumerate(standard.indicators) if indicator.identifier == name
        )
        for name in scores.weights
    ]
    # Bit i of a stored mask is the standard's i-th indicator; bit j of a pattern the j-th weighted one.
    pattern: pl.Expr = pl.lit(0, dtype=PATTERN_TYPE)
    for bit, position in enumerate(positions):
        stored = (pl.col(DEPRIVED_MASK) // (1 << position)) % 2 == 1
        pattern = pattern + pl.when(stored).then(pl.lit(1 << bit, dtype=PATTERN_TYPE)).otherwise(
            pl.lit(0, dtype=PATTERN_TYPE)
        )
    return identifiers, masks.lazy().with_columns(pattern.alias(PATTERN)), scores


def simulation_of_counts(
    standard: Standard, needed: SimulationInput, scores: Scoring, counts: SimulationCounts
) -> Simulation:
    """The simulation's figures from the households counted by either engine."""
    identifiers, current, current_scores = _current_patterns(counts.current_masks, needed.year, scores.cutoff)
    current_patterns = current.collect()
    dimensions = {indicator.identifier: indicator.dimension for indicator in standard.indicators}
    transitions = counts.transitions.with_columns(pl.col(*GROUPINGS, CURRENT_STATUS, STATUS).cast(pl.String))

    def figures(rows: pl.DataFrame, current: Measures, simulated: Measures) -> SimulationFigures:
        table = (
            rows.group_by(CURRENT_STATUS, STATUS).agg(pl.col(HOUSEHOLDS).sum()).sort(CURRENT_STATUS, STATUS)
        )
        pairs = {(str(now), str(then)): int(count) for now, then, count in table.iter_rows()}
        return SimulationFigures(
            households=sum(pairs.values()),
            changed=sum(count for (now, then), count in pairs.items() if now != then),
            transitions=pairs,
            current=current,
            simulated=simulated,
        )

    measured = {
        grouping: (
            alkire_foster_of_patterns(
                current_patterns.with_columns(pl.col(grouping).cast(pl.String)), current_scores, by=grouping
            ),
            alkire_foster_of_patterns(
                counts.simulated_patterns.with_columns(pl.col(grouping).cast(pl.String)),
                scores,
                dimensions=dimensions,
                by=grouping,
            ),
        )
        for grouping in GROUPINGS
    }
    current_total, simulated_total = measured[GROUPINGS[0]]
    groups = {
        grouping: {
            value: figures(
                transitions.filter(pl.col(grouping) == value),
                measured[grouping][0].groups[value].measures,
                measured[grouping][1].groups[value].measures,
            )
            for value in sorted(set(transitions[grouping].to_list()))
        }
        for grouping in GROUPINGS
    }
    return Simulation(
        standard=standard.identifier,
        current_standards=identifiers,
        year=needed.year,
        cutoff=scores.cutoff,
        recorded=tuple(sorted(needed.recorded)),
        total=figures(transitions, current_total.overall, simulated_total.overall),
        groups=groups,
        assumptions=needed.assumptions,
        carried=needed.carried,
    )
