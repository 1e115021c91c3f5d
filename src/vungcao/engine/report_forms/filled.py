"""A form filled with its figures (:class:`FilledForm`) and its header laid out as a grid of cells.

The XLSX and the PDF are both drawn from one :class:`FilledForm` (the header grid of
:func:`header_cells`, the values of :meth:`FilledForm.values`), so the two files cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from vungcao.engine.report_forms.definition import (
    AMOUNT_UNITS,
    COUNTED,
    HUNDREDTHS,
    WRITTEN,
    ColumnKind,
    FormDefinition,
    Group,
    Leaf,
    leaves_of,
)
from vungcao.engine.text import Label, format_number, format_percent


@dataclass(frozen=True)
class HeaderCell:
    """A cell of the header, at ``row`` and ``column`` (from 0), spanning ``rows`` × ``columns`` cells."""

    row: int
    column: int
    rows: int
    columns: int
    text: str


def _depth(columns: Iterable[Group | Leaf]) -> int:
    return max(
        (1 if isinstance(column, Leaf) else 1 + _depth(column.columns) for column in columns), default=0
    )


def _formula(leaf: Leaf, numbers: Mapping[str, str]) -> str:
    """ "3/1 × 100" or "1 − 2 + 5" in the columns' numbers; empty when a measure is not a column, and
    for a column that computes nothing."""
    computed = leaf.kind in (ColumnKind.RATE, ColumnKind.SUM)
    if not computed or not all(measure in numbers for measure in leaf.measures):
        return ""
    if leaf.kind == ColumnKind.RATE:
        return f"{numbers[leaf.numerator]}/{numbers[leaf.denominator]} × 100"
    signed = [
        ("− " if term.startswith("-") else "+ ") + numbers[term.removeprefix("-")] for term in leaf.terms
    ]
    return " ".join(signed).removeprefix("+ ")


def column_numbers(leaves: Sequence[Leaf]) -> list[str]:
    """The numbers row: "1", "2", …, with the formula of a rate ("4 = 3/1 × 100") or of a sum
    ("9 = 1 − 2 + 5") when all its measures are counted in columns of the form."""
    numbers = {leaf.measure: str(index) for index, leaf in enumerate(leaves, 1) if leaf.kind in COUNTED}
    written = []
    for index, leaf in enumerate(leaves, 1):
        formula = _formula(leaf, numbers)
        written.append(f"{index} = {formula}" if formula else str(index))
    return written


def header_cells(form: FormDefinition, language: str) -> tuple[list[HeaderCell], int]:
    """The header's cells, the columns "STT" and "Đơn vị" spanning every header row, the groups spanning
    their leaves and the numbers row ("A", "B", "1", "2", "4 = 3/1 × 100") last; and the count of rows."""
    depth = _depth(form.columns)
    cells = [
        HeaderCell(0, 0, depth, 1, form.order_label.in_language(language)),
        HeaderCell(0, 1, depth, 1, form.unit_label.in_language(language)),
    ]

    def place(columns: Iterable[Group | Leaf], row: int, column: int) -> int:
        for item in columns:
            if isinstance(item, Leaf):
                cells.append(HeaderCell(row, column, depth - row, 1, item.label.in_language(language)))
                column += 1
            else:
                width = len(list(leaves_of(item.columns)))
                cells.append(HeaderCell(row, column, 1, width, item.label.in_language(language)))
                place(item.columns, row + 1, column)
                column += width
        return column

    place(form.columns, 0, 2)
    numbers = ["A", "B", *column_numbers(form.leaves())]
    cells += [HeaderCell(depth, index, 1, 1, text) for index, text in enumerate(numbers)]
    return cells, depth + 1


Value = int | float | Decimal | str | None
Shown = int | Decimal | str  # a year, a figure as its page shows it, words


def _signed(term: str, measures: Mapping[str, int]) -> int:
    return -measures.get(term[1:], 0) if term.startswith("-") else measures.get(term, 0)


def _in_unit(amount: int, unit: int) -> int:
    """Whole dong as whole units of ``unit`` dong, rounded half to even (1.500.000 đ → 2 triệu)."""
    return round(Fraction(amount, unit))


@dataclass(frozen=True)
class FormRow:
    """A row: its label, its measures, and for a row under another (a sub-project under its project)
    its ``level`` (0 for the rows the total adds) and ``order`` ("4.1"; by default the next number);
    ``shown``, what its text, year, figure and percent columns write as it is; a ``heading`` row only
    names the rows that follow it (an objective), across the table."""

    label: str
    measures: Mapping[str, int]
    level: int = 0
    order: str = ""
    shown: Mapping[str, Shown] = field(default_factory=dict)
    heading: bool = False


class BodyRow(NamedTuple):
    order: str  # "1", "4.1"; empty in the total row
    label: str
    values: list[Value]  # none for a heading, or for the note of a form without rows: written across
    level: int = 0  # how far the label is indented


@dataclass(frozen=True)
class FilledForm:
    """A form with its figures, in one language: what both the XLSX and the PDF are drawn from."""

    definition: FormDefinition  # expanded: no repeated group left
    language: str
    issuer: tuple[str, ...]  # top left: "ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"
    heading: tuple[str, ...]  # under the title: the year, the unit covered, what was counted, the notes
    approver: tuple[str, ...]  # the signature block's right side, under the date line
    rows: tuple[FormRow, ...]

    def text(self, label: Label) -> str:
        return label.in_language(self.language)

    @property
    def title(self) -> str:
        return self.text(self.definition.title)

    @property
    def has_levels(self) -> bool:
        """Whether some rows sit under others (then the rows of the first level are set in bold)."""
        return any(row.level for row in self.rows)

    def totals(self) -> dict[str, int]:
        """The measures added over the rows of the first level."""
        sums: dict[str, int] = {}
        for row in self.rows:
            if row.level == 0:
                for measure, value in row.measures.items():
                    sums[measure] = sums.get(measure, 0) + value
        return sums

    def values(
        self, measures: Mapping[str, int], total: bool = False, shown: Mapping[str, Shown] | None = None
    ) -> list[Value]:
        """A row's values in the columns' order: counts, quantities, amounts in the form's unit, and rates
        in per cent (None when the denominator is 0), rates always from the exact measures; what the row
        ``shown`` as it is (None where it shows nothing); in the ``total`` row, None in a column not
        totalled."""
        unit = AMOUNT_UNITS[self.definition.amounts_in]
        values: list[Value] = []
        for leaf in self.definition.leaves():
            if total and not leaf.totalled:
                values.append(None)
            elif leaf.kind in WRITTEN:
                values.append((shown or {}).get(leaf.measure))
            elif leaf.kind == ColumnKind.COUNT:
                values.append(measures.get(leaf.measure, 0))
            elif leaf.kind == ColumnKind.QUANTITY:
                values.append(measures.get(leaf.measure, 0) / HUNDREDTHS)
            elif leaf.kind == ColumnKind.AMOUNT:
                values.append(_in_unit(measures.get(leaf.measure, 0), unit))
            elif leaf.kind == ColumnKind.SUM:
                values.append(sum(_signed(term, measures) for term in leaf.terms))
            else:
                denominator = measures.get(leaf.denominator, 0)
                values.append(100 * measures.get(leaf.numerator, 0) / denominator if denominator else None)
        return values

    def body(self) -> list[BodyRow]:
        """Every row, numbered (a row of the first level by its place among them, unless it has its own
        order), the total row last (no order number) if the form has one; a form without rows says so
        across the table, if its definition words it."""
        definition = self.definition
        if not self.rows and definition.empty_label is not None:
            return [BodyRow("", self.text(definition.empty_label), [])]
        rows, number = [], 0
        for row in self.rows:
            number += row.level == 0
            order = row.order or str(number)
            values = [] if row.heading else self.values(row.measures, shown=row.shown)
            rows.append(BodyRow(order, row.label, values, row.level))
        if definition.total_label is not None:
            total = self.values(self.totals(), total=True)
            rows.append(BodyRow("", self.text(definition.total_label), total))
        return rows

    def written(self, leaf: Leaf, value: Value) -> str:
        """A value as the reader writes it: "1.500.000" and "30,5%" in Vietnamese, "1,500,000" and
        "30.5%" in English, a figure with the places it carries ("12,00"), a year as it is; empty when a
        rate has no denominator or a row shows nothing."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if leaf.kind == ColumnKind.YEAR:
            return str(value)
        if leaf.kind == ColumnKind.RATE:
            return format_percent(value, self.language)
        if leaf.kind == ColumnKind.PERCENT:
            return format_percent(value, self.language, places_of(value))
        if leaf.kind == ColumnKind.FIGURE:
            return format_number(value, self.language, places_of(value))
        return format_number(value, self.language)


def places_of(value: float | Decimal) -> int:
    """The decimal places a figure carries: ``Decimal("12.50")`` → 2; 0 for a whole number (a figure is
    shown, as its page shows it, as a Decimal or an int)."""
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    return max(0, -exponent) if isinstance(exponent, int) else 0
