"""Official report forms as data (biểu mẫu báo cáo): one definition per form, one filled form per report.

A form is what an official files: a title, the issuing unit and the national motto above it, a table
whose header is a tree of column groups over numbered columns ("1", "2", "4 = 3/1 × 100"), one row per
unit one level down and a total row, and a signature block. Its definition is a TOML file, so a form
corrected or replaced by a new circular is a change of data, not of code:

* ``[title]``, ``[unit_of_measure]`` and ``[rows]`` (the labels of the columns "STT" and "Đơn vị" and of
  the total row), each ``{ vi = "…", en = "…" }``; ``source``, the figures the form is filled from;
  ``provenance``, how sure its layout is (``text``, ``secondary`` or ``inferred``, as
  docs REPORT-FORMS.md labels them) and ``notes``, what it leaves out and why;
* ``[[columns]]``: a group (``label`` and its own ``[[columns.columns]]``) or a leaf: ``key``, ``label``,
  ``kind`` — ``count`` (of ``measure``), ``rate`` (``numerator`` / ``denominator``, two measures, in per
  cent) or ``sum`` (of ``terms``, measures each added or, written ``"-measure"``, taken away). A group with ``each = "indicator"`` holds one leaf template, repeated for every deprivation
  indicator of the year's standard (``{indicator}`` in its measures and label is the indicator).

Columns are numbered in order when the form is filled; a rate's number shows its formula when both of its
measures are columns of the form ("4 = 3/1 × 100"). The total row adds the measures of the rows and
recomputes every rate from the sums: a rate is never averaged, so the total's rate is the rate of the
total. The heading's two sides, its lines and the signature block are shared by the forms
(``frame.toml``).

The XLSX and the PDF are both drawn from one :class:`FilledForm` (the header grid of
:func:`header_cells`, the values of :meth:`FilledForm.values`), so the two files cannot disagree.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from vungcao.engine.text import Label, format_number, format_percent

EACH_INDICATOR = "indicator"
FRAME_FILE = "frame.toml"

FORM_KEY_REPEATED = "column key {key!r} is used twice"
FORM_UNKNOWN_MEASURE = "column {key!r} reads {measure!r}, which the source {source!r} does not count"
FORM_UNKNOWN_SOURCE = "unknown source {source!r}; known: {known}"
FORM_UNKNOWN_KIND = "column {key!r}: kind must be 'count', 'rate' or 'sum', not {kind!r}"
FORM_UNKNOWN_PROVENANCE = "provenance must be 'text', 'secondary' or 'inferred', not {provenance!r}"
FORM_EMPTY_GROUP = "the group {label!r} has no columns"
FORM_EACH_ONE_LEAF = "a group repeated for each indicator holds exactly one column, without groups"
FORM_MISSING_FIELD = "{where}: {field!r} is missing"
FORM_NOT_LANGUAGES = "{where}: give the text as {{ vi = …, en = … }}"


class ColumnKind(StrEnum):
    COUNT = "count"  # a whole number of households (or persons)
    RATE = "rate"  # numerator / denominator, in per cent
    SUM = "sum"  # counts added and taken away: the poor at the end = at the start − decreases + increases


class Provenance(StrEnum):
    """How sure a form's layout is: read in the legal text, copied from a third party, or reasoned."""

    TEXT = "text"
    SECONDARY = "secondary"
    INFERRED = "inferred"


@dataclass(frozen=True)
class Leaf:
    """A numbered column: a count of ``measure``, the rate ``numerator`` / ``denominator`` × 100, or the
    sum of ``terms`` (a term ``"-measure"`` is taken away)."""

    key: str
    label: Label
    kind: ColumnKind
    measure: str = ""
    numerator: str = ""
    denominator: str = ""
    terms: tuple[str, ...] = ()

    @property
    def measures(self) -> tuple[str, ...]:
        if self.kind == ColumnKind.SUM:
            return tuple(term.removeprefix("-") for term in self.terms)
        return (self.measure,) if self.kind == ColumnKind.COUNT else (self.numerator, self.denominator)

    def for_indicator(self, identifier: str, label: Label) -> Leaf:
        def filled(text: str) -> str:
            return text.format(indicator=identifier)

        return replace(
            self,
            key=filled(self.key),
            label=self.label.format(indicator=label),
            measure=filled(self.measure),
            numerator=filled(self.numerator),
            denominator=filled(self.denominator),
        )


@dataclass(frozen=True)
class Group:
    """Column groups under one header spanning them; ``each`` repeats its one leaf per indicator."""

    label: Label
    columns: tuple[Group | Leaf, ...]
    each: str = ""


@dataclass(frozen=True)
class FormFrame:
    """What surrounds every form's table: the heading's two sides, its lines, and the signature block."""

    issuer_prefix: Label  # "ỦY BAN NHÂN DÂN", above the issuing unit's name
    national_issuer: Label  # the ministry, for the country's forms
    motto: tuple[Label, ...]  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
    period: Label  # "Năm {year}"
    compared_with: Label  # "So với kết quả rà soát năm {earlier}"
    covered: Label  # "Địa bàn: {unit}"
    approved_only: Label  # "Chỉ tính {approved} xã đã được phê duyệt …"
    preparer: tuple[Label, ...]  # "Người lập biểu", "(Ký, ghi rõ họ tên)"
    date_line: Label  # "…, ngày … tháng … năm …"
    approver: tuple[Label, ...]  # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, ghi rõ họ tên, đóng dấu)"
    national_approver: tuple[Label, ...]


@dataclass(frozen=True)
class FormDefinition:
    identifier: str  # the file's name: official-results
    number: str  # "1": the form's place among the review's summary forms
    title: Label
    unit_of_measure: Label
    source: str
    provenance: Provenance
    legal_basis: Label
    notes: tuple[Label, ...]
    order_label: Label  # "STT"
    unit_label: Label  # "Đơn vị"
    total_label: Label  # "Tổng cộng"
    columns: tuple[Group | Leaf, ...]
    frame: FormFrame

    def expanded(self, indicators: Sequence[tuple[str, Label]]) -> FormDefinition:
        """The definition with each per-indicator group written out for ``indicators`` (identifier, name)."""
        return replace(self, columns=tuple(_expanded(column, indicators) for column in self.columns))

    def leaves(self) -> list[Leaf]:
        return list(_leaves(self.columns))


def _expanded(column: Group | Leaf, indicators: Sequence[tuple[str, Label]]) -> Group | Leaf:
    if isinstance(column, Leaf):
        return column
    if column.each == EACH_INDICATOR:
        (template,) = column.columns
        assert isinstance(template, Leaf)
        leaves = tuple(template.for_indicator(identifier, label) for identifier, label in indicators)
        return Group(column.label, leaves)
    return Group(column.label, tuple(_expanded(child, indicators) for child in column.columns))


def _leaves(columns: Iterable[Group | Leaf]) -> Iterable[Leaf]:
    for column in columns:
        if isinstance(column, Leaf):
            yield column
        else:
            yield from _leaves(column.columns)


# --- Reading and checking the definitions ------------------------------------------------------------


class FormDefinitionError(ValueError):
    pass


def _label(data: Mapping[str, Any], field: str, where: str) -> Label:
    if field not in data:
        raise FormDefinitionError(FORM_MISSING_FIELD.format(where=where, field=field))
    value = data[field]
    if not isinstance(value, Mapping) or not isinstance(value.get("vi"), str) or "en" not in value:
        raise FormDefinitionError(FORM_NOT_LANGUAGES.format(where=where))
    return Label(value["vi"], value["en"])


def _labels(data: Mapping[str, Any], field: str, where: str) -> tuple[Label, ...]:
    return tuple(_label({field: item}, field, where) for item in data.get(field, ()))


def _column(data: Mapping[str, Any], where: str) -> Group | Leaf:
    label = _label(data, "label", where)
    if "columns" in data:
        children = tuple(_column(child, f"{where} › {child.get('key', '')}") for child in data["columns"])
        if not children:
            raise FormDefinitionError(FORM_EMPTY_GROUP.format(label=label.vi))
        each = data.get("each", "")
        if each and (each != EACH_INDICATOR or len(children) != 1 or not isinstance(children[0], Leaf)):
            raise FormDefinitionError(FORM_EACH_ONE_LEAF)
        return Group(label, children, each)
    if "key" not in data:
        raise FormDefinitionError(FORM_MISSING_FIELD.format(where=where, field="key"))
    key, kind = data["key"], data.get("kind", "")
    if kind not in set(ColumnKind):
        raise FormDefinitionError(FORM_UNKNOWN_KIND.format(key=key, kind=kind))
    fields = {
        ColumnKind.COUNT: ("measure",),
        ColumnKind.RATE: ("numerator", "denominator"),
        ColumnKind.SUM: ("terms",),
    }[ColumnKind(kind)]
    for field in fields:
        if field not in data:
            raise FormDefinitionError(FORM_MISSING_FIELD.format(where=f"column {key!r}", field=field))
    return Leaf(
        key,
        label,
        ColumnKind(kind),
        measure=data.get("measure", ""),
        numerator=data.get("numerator", ""),
        denominator=data.get("denominator", ""),
        terms=tuple(data.get("terms", ())),
    )


def read_frame(data: Mapping[str, Any]) -> FormFrame:
    where = FRAME_FILE
    return FormFrame(
        issuer_prefix=_label(data, "issuer_prefix", where),
        national_issuer=_label(data, "national_issuer", where),
        motto=_labels(data, "motto", where),
        period=_label(data, "period", where),
        compared_with=_label(data, "compared_with", where),
        covered=_label(data, "covered", where),
        approved_only=_label(data, "approved_only", where),
        preparer=_labels(data, "preparer", where),
        date_line=_label(data, "date_line", where),
        approver=_labels(data, "approver", where),
        national_approver=_labels(data, "national_approver", where),
    )


def read_form(
    identifier: str, data: Mapping[str, Any], *, frame: FormFrame, measures: Mapping[str, frozenset[str]]
) -> FormDefinition:
    """A form from its TOML's ``data``, checked against the ``measures`` each source counts (a measure
    with ``{indicator}`` stands for every indicator)."""
    where = f"form {identifier}"
    source = data.get("source", "")
    if source not in measures:
        raise FormDefinitionError(FORM_UNKNOWN_SOURCE.format(source=source, known=sorted(measures)))
    provenance = data.get("provenance", "")
    if provenance not in set(Provenance):
        raise FormDefinitionError(FORM_UNKNOWN_PROVENANCE.format(provenance=provenance))
    rows = data.get("rows", {})
    form = FormDefinition(
        identifier=identifier,
        number=str(data.get("number", "")),
        title=_label(data, "title", where),
        unit_of_measure=_label(data, "unit_of_measure", where),
        source=source,
        provenance=Provenance(provenance),
        legal_basis=_label(data, "legal_basis", where),
        notes=_labels(data, "notes", where),
        order_label=_label(rows, "order", f"{where} [rows]"),
        unit_label=_label(rows, "unit", f"{where} [rows]"),
        total_label=_label(rows, "total", f"{where} [rows]"),
        columns=tuple(_column(column, where) for column in data.get("columns", ())),
        frame=frame,
    )
    keys: set[str] = set()
    for leaf in form.leaves():
        if leaf.key in keys:
            raise FormDefinitionError(FORM_KEY_REPEATED.format(key=leaf.key))
        keys.add(leaf.key)
        for measure in leaf.measures:
            if measure not in measures[source]:
                raise FormDefinitionError(
                    FORM_UNKNOWN_MEASURE.format(key=leaf.key, measure=measure, source=source)
                )
    return form


def load_forms(directory: Path, *, measures: Mapping[str, frozenset[str]]) -> dict[str, FormDefinition]:
    """Every form of ``directory`` (one TOML file each, beside ``frame.toml``), by identifier."""
    frame = read_frame(tomllib.loads((directory / FRAME_FILE).read_text(encoding="utf-8")))
    forms = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name == FRAME_FILE:
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        forms[path.stem] = read_form(path.stem, data, frame=frame, measures=measures)
    return forms


# --- The header grid and the filled form -------------------------------------------------------------


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
    """ "3/1 × 100" or "1 − 2 + 5" in the columns' numbers; empty when a measure is not a column."""
    if leaf.kind == ColumnKind.COUNT or not all(measure in numbers for measure in leaf.measures):
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
    numbers = {
        leaf.measure: str(index) for index, leaf in enumerate(leaves, 1) if leaf.kind == ColumnKind.COUNT
    }
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
                width = len(list(_leaves(item.columns)))
                cells.append(HeaderCell(row, column, 1, width, item.label.in_language(language)))
                place(item.columns, row + 1, column)
                column += width
        return column

    place(form.columns, 0, 2)
    numbers = ["A", "B", *column_numbers(form.leaves())]
    cells += [HeaderCell(depth, index, 1, 1, text) for index, text in enumerate(numbers)]
    return cells, depth + 1


Value = int | float | None


def _signed(term: str, measures: Mapping[str, int]) -> int:
    return -measures.get(term[1:], 0) if term.startswith("-") else measures.get(term, 0)


@dataclass(frozen=True)
class FormRow:
    label: str
    measures: Mapping[str, int]


@dataclass(frozen=True)
class FilledForm:
    """A form with its figures, in one language: what both the XLSX and the PDF are drawn from."""

    definition: FormDefinition  # expanded: no per-indicator group left
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

    def totals(self) -> dict[str, int]:
        sums: dict[str, int] = {}
        for row in self.rows:
            for measure, value in row.measures.items():
                sums[measure] = sums.get(measure, 0) + value
        return sums

    def values(self, measures: Mapping[str, int]) -> list[Value]:
        """A row's values in the columns' order: counts, and rates in per cent (None when the
        denominator is 0)."""
        values: list[Value] = []
        for leaf in self.definition.leaves():
            if leaf.kind == ColumnKind.COUNT:
                values.append(measures.get(leaf.measure, 0))
            elif leaf.kind == ColumnKind.SUM:
                values.append(sum(_signed(term, measures) for term in leaf.terms))
            else:
                denominator = measures.get(leaf.denominator, 0)
                values.append(100 * measures.get(leaf.numerator, 0) / denominator if denominator else None)
        return values

    def body(self) -> list[tuple[str, str, list[Value]]]:
        """Every row as (order, unit, values), the total row last (no order number)."""
        rows = [(str(index), row.label, self.values(row.measures)) for index, row in enumerate(self.rows, 1)]
        rows.append(("", self.text(self.definition.total_label), self.values(self.totals())))
        return rows

    def written(self, leaf: Leaf, value: Value) -> str:
        """A value as the reader writes it: "1.500.000" and "30,5%" in Vietnamese, "1,500,000" and
        "30.5%" in English; empty when a rate has no denominator."""
        if value is None:
            return ""
        if leaf.kind == ColumnKind.RATE:
            return format_percent(value, self.language)
        return format_number(value, self.language)
