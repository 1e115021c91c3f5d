"""Official report forms as data (biểu mẫu báo cáo): one definition per form, one filled form per report.

A form is what an official files: a title, the issuing unit and the national motto above it, a table
whose header is a tree of column groups over numbered columns ("1", "2", "4 = 3/1 × 100"), its rows (one
per unit one level down, or one per component of a programme with its sub-components indented under it)
and a total row, and a signature block. Its definition is a TOML file, so a form
corrected or replaced by a new circular is a change of data, not of code:

* ``[title]``, ``[unit_of_measure]`` and ``[rows]`` (the labels of the columns "STT" and "Đơn vị" — or
  "Nội dung" — and of the total row; a form without ``total`` has no total row, and its ``empty`` is
  written across the table when the form has no row), each ``{ vi = "…", en = "…" }``; ``[labels]``, the
  form's own words its filler writes (a section's heading); ``source``, the figures the form is filled
  from; ``amounts_in``, ``"dong"`` (the default) or ``"million_dong"``, how its sums of money are
  written;
  ``provenance``, how sure its layout is (``text``, ``secondary`` or ``inferred``, as
  docs REPORT-FORMS.md labels them) and ``notes``, what it leaves out and why;
* ``[[columns]]``: a group (``label`` and its own ``[[columns.columns]]``) or a leaf: ``key``, ``label``,
  ``kind`` — ``count`` (of ``measure``), ``amount`` (of ``measure``, a sum of money in dong, written in
  the form's ``amounts_in``), ``rate`` (``numerator`` / ``denominator``, two measures, in per cent) or
  ``sum`` (of ``terms``, measures each added or, written ``"-measure"``, taken away); or, for a row that
  is not a count (a target and its progress), ``text`` (the row's words), ``year``, ``figure`` (a decimal
  written with the places it carries, as its page shows it) or ``percent`` (a figure in per cent), none
  of them totalled. A group with
  ``each = "<dimension>"`` holds leaf templates written out for every item of the dimension the filler
  names (the deprivation indicators of the year's standard, the capital sources): ``{<dimension>}`` in
  their keys, labels and measures is the item. One template becomes one column per item, headed by the
  item's name; several become one group per item, headed by its name, over those columns.

Columns are numbered in order when the form is filled; a rate's number shows its formula when both of its
measures are columns of the form ("4 = 3/1 × 100"). The total row adds the measures of the rows of the
first level (a sub-project's row is already in its project's) and recomputes every rate from the sums: a
rate is never averaged, so the total's rate is the rate of the total; an amount is rounded to the form's
unit from the exact sum in dong, as the rows are. The heading's two sides, its lines and the signature
block are shared by the forms of a directory (its ``frame.toml``).

The filled form and its header grid are :mod:`vungcao.engine.report_forms.filled`'s.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from vungcao.engine.text import Label

FRAME_FILE = "frame.toml"
COUNTRY = Label("TOÀN QUỐC", "THE WHOLE COUNTRY")  # the area of a form of the whole country

FORM_KEY_REPEATED = "column key {key!r} is used twice"
FORM_UNKNOWN_MEASURE = "column {key!r} reads {measure!r}, which the source {source!r} does not count"
FORM_UNKNOWN_SOURCE = "unknown source {source!r}; known: {known}"
FORM_UNKNOWN_KIND = (
    "column {key!r}: kind must be 'count', 'amount', 'quantity', 'rate', 'sum', 'text', 'year', 'figure' "
    "or 'percent', not {kind!r}"
)
FORM_UNKNOWN_AMOUNTS_IN = "amounts_in must be 'dong' or 'million_dong', not {amounts_in!r}"
FORM_UNKNOWN_PROVENANCE = "provenance must be 'text', 'secondary' or 'inferred', not {provenance!r}"
FORM_EMPTY_GROUP = "the group {label!r} has no columns"
FORM_EACH_LEAVES = "a group repeated for each {each} holds columns, not groups"
FORM_MISSING_FIELD = "{where}: {field!r} is missing"
FORM_NOT_LANGUAGES = "{where}: give the text as {{ vi = …, en = … }}"


class ColumnKind(StrEnum):
    COUNT = "count"  # a whole number of households (or persons)
    AMOUNT = "amount"  # a sum of money in dong, written in the form's unit (triệu đồng)
    QUANTITY = "quantity"  # a physical output (km, classrooms) counted in hundredths, two decimals at most
    RATE = "rate"  # numerator / denominator, in per cent
    SUM = "sum"  # counts added and taken away: the poor at the end = at the start − decreases + increases
    TEXT = "text"  # words: an indicator's unit of measure, a target, a status
    YEAR = "year"  # a year, written as it is (2024)
    FIGURE = "figure"  # a decimal as its page shows it, with the places it carries (12,50)
    PERCENT = "percent"  # a figure already in per cent (the share of a target achieved)


# How many dong one written unit of an amount is: officials' money tables are in triệu đồng.
AMOUNT_UNITS = {"dong": 1, "million_dong": 1_000_000}
COUNTED = (ColumnKind.COUNT, ColumnKind.AMOUNT, ColumnKind.QUANTITY)  # kinds that count one measure
# Kinds that write one figure or text of a row as it is: never totalled, never in a formula.
WRITTEN = (ColumnKind.TEXT, ColumnKind.YEAR, ColumnKind.FIGURE, ColumnKind.PERCENT)
HUNDREDTHS = 100  # a quantity's measure is in hundredths of its unit
A4_COLUMNS = 16  # the most figures a row of an A4 landscape form holds legibly


class Provenance(StrEnum):
    """How sure a form's layout is: read in the legal text, copied from a third party, or reasoned."""

    TEXT = "text"
    SECONDARY = "secondary"
    INFERRED = "inferred"


@dataclass(frozen=True)
class Leaf:
    """A numbered column: a count or an amount of ``measure``, the rate ``numerator`` / ``denominator`` ×
    100, or the sum of ``terms`` (a term ``"-measure"`` is taken away)."""

    key: str
    label: Label
    kind: ColumnKind
    measure: str = ""
    numerator: str = ""
    denominator: str = ""
    terms: tuple[str, ...] = ()
    totalled: bool = True  # False: the total row leaves it empty (quantities in different units)

    @property
    def measures(self) -> tuple[str, ...]:
        if self.kind == ColumnKind.SUM:
            return tuple(term.removeprefix("-") for term in self.terms)
        if self.kind == ColumnKind.RATE:
            return (self.numerator, self.denominator)
        return (self.measure,)

    def for_item(self, dimension: str, identifier: str, label: Label) -> Leaf:
        """This template written out for one item of ``dimension`` (its identifier and its name)."""

        def filled(text: str) -> str:
            return text.replace("{" + dimension + "}", identifier)

        return replace(
            self,
            key=filled(self.key),
            label=self.label.format(**{dimension: label}),
            measure=filled(self.measure),
            numerator=filled(self.numerator),
            denominator=filled(self.denominator),
        )


@dataclass(frozen=True)
class Group:
    """Column groups under one header spanning them; ``each`` names the dimension its leaves are written
    out for."""

    label: Label
    columns: tuple[Group | Leaf, ...]
    each: str = ""


@dataclass(frozen=True)
class FormFrame:
    """What surrounds every form's table: the heading's two sides, its lines, and the signature block."""

    issuer_prefix: Label  # "ỦY BAN NHÂN DÂN", above the issuing unit's name
    national_issuer: Label  # the ministry, for the country's forms
    motto: tuple[Label, ...]  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
    lines: Mapping[str, Label]  # the heading's line templates by name: period = "Năm {year}", covered, …
    preparer: tuple[Label, ...]  # "Người lập biểu", "(Ký, ghi rõ họ tên)"
    date_line: Label  # "…, ngày … tháng … năm …"
    approver: tuple[Label, ...]  # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, ghi rõ họ tên, đóng dấu)"
    national_approver: tuple[Label, ...]
    # The body issuing the country's form of a subject (a programme, by its code), where not the ministry
    national_issuers: Mapping[str, Label]

    def line(self, name: str, **values: object) -> Label:
        """The heading line ``name`` with ``values`` filled in."""
        return self.lines[name].format(**values)

    def signatories(
        self, unit_name: str | None, language: str, subject: str = ""
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The issuer at the top left and the approver's block for a unit's form ("ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG NINH"), or for the country's (``unit_name`` None: the body in charge of ``subject``,
        or the ministry)."""
        if unit_name is None:
            issuer = self.national_issuers.get(subject, self.national_issuer)
            return (issuer.in_language(language),), tuple(
                x.in_language(language) for x in self.national_approver
            )
        issuer_lines = (self.issuer_prefix.in_language(language), unit_name.upper())
        return issuer_lines, tuple(label.in_language(language) for label in self.approver)


@dataclass(frozen=True)
class FormDefinition:
    identifier: str  # the file's name: official-results
    number: str  # "1": the form's place among the review's summary forms
    title: Label
    unit_of_measure: Label
    source: str
    amounts_in: str  # a key of AMOUNT_UNITS
    provenance: Provenance
    legal_basis: Label
    notes: tuple[Label, ...]
    order_label: Label  # "STT"
    unit_label: Label  # "Đơn vị"
    total_label: Label | None  # "Tổng cộng"; None: the form has no total row
    empty_label: Label | None  # written across the table of a form without rows
    labels: Mapping[str, Label]  # the form's own words its filler writes, by name
    columns: tuple[Group | Leaf, ...]
    frame: FormFrame

    def expanded(self, items: Mapping[str, Sequence[tuple[str, Label]]]) -> FormDefinition:
        """The definition with each repeated group written out for the ``items`` (identifier, name) of
        its dimension."""
        return replace(self, columns=tuple(_expanded(column, items) for column in self.columns))

    def leaves(self) -> list[Leaf]:
        return list(leaves_of(self.columns))

    @property
    def paper(self) -> str:
        """ "A3" for a form of more than :data:`A4_COLUMNS` figures a row (printed landscape, as officials
        print the programmes' wide capital tables), else "A4"."""
        return "A3" if len(self.leaves()) > A4_COLUMNS else "A4"


def _expanded(column: Group | Leaf, items: Mapping[str, Sequence[tuple[str, Label]]]) -> Group | Leaf:
    if isinstance(column, Leaf):
        return column
    if not column.each:
        return Group(column.label, tuple(_expanded(child, items) for child in column.columns))
    templates = [child for child in column.columns if isinstance(child, Leaf)]
    written = [
        (label, tuple(template.for_item(column.each, identifier, label) for template in templates))
        for identifier, label in items[column.each]
    ]
    if len(templates) == 1:
        return Group(column.label, tuple(leaf for _label, (leaf,) in written))
    return Group(column.label, tuple(Group(label, leaves) for label, leaves in written))


def leaves_of(columns: Iterable[Group | Leaf]) -> Iterable[Leaf]:
    for column in columns:
        if isinstance(column, Leaf):
            yield column
        else:
            yield from leaves_of(column.columns)


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
        if each and not all(isinstance(child, Leaf) for child in children):
            raise FormDefinitionError(FORM_EACH_LEAVES.format(each=each))
        return Group(label, children, each)
    if "key" not in data:
        raise FormDefinitionError(FORM_MISSING_FIELD.format(where=where, field="key"))
    key, kind = data["key"], data.get("kind", "")
    if kind not in set(ColumnKind):
        raise FormDefinitionError(FORM_UNKNOWN_KIND.format(key=key, kind=kind))
    fields = {ColumnKind.RATE: ("numerator", "denominator"), ColumnKind.SUM: ("terms",)}.get(
        ColumnKind(kind), ("measure",)
    )
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
        totalled=bool(data.get("total", True)) and ColumnKind(kind) not in WRITTEN,
    )


def read_frame(data: Mapping[str, Any]) -> FormFrame:
    where = FRAME_FILE
    lines, issuers = data.get("lines", {}), data.get("national_issuers", {})
    return FormFrame(
        issuer_prefix=_label(data, "issuer_prefix", where),
        national_issuer=_label(data, "national_issuer", where),
        motto=_labels(data, "motto", where),
        lines={name: _label(lines, name, f"{where} [lines]") for name in lines},
        preparer=_labels(data, "preparer", where),
        date_line=_label(data, "date_line", where),
        approver=_labels(data, "approver", where),
        national_approver=_labels(data, "national_approver", where),
        national_issuers={code: _label(issuers, code, f"{where} [national_issuers]") for code in issuers},
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
    amounts_in = data.get("amounts_in", "dong")
    if amounts_in not in AMOUNT_UNITS:
        raise FormDefinitionError(FORM_UNKNOWN_AMOUNTS_IN.format(amounts_in=amounts_in))
    rows, labels = data.get("rows", {}), data.get("labels", {})
    form = FormDefinition(
        identifier=identifier,
        number=str(data.get("number", "")),
        title=_label(data, "title", where),
        unit_of_measure=_label(data, "unit_of_measure", where),
        source=source,
        amounts_in=amounts_in,
        provenance=Provenance(provenance),
        legal_basis=_label(data, "legal_basis", where),
        notes=_labels(data, "notes", where),
        order_label=_label(rows, "order", f"{where} [rows]"),
        unit_label=_label(rows, "unit", f"{where} [rows]"),
        total_label=_label(rows, "total", f"{where} [rows]") if "total" in rows else None,
        empty_label=_label(rows, "empty", f"{where} [rows]") if "empty" in rows else None,
        labels={name: _label(labels, name, f"{where} [labels]") for name in labels},
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


def load_forms(
    directory: Path, *, measures: Mapping[str, frozenset[str]], more: Iterable[Path] = ()
) -> dict[str, FormDefinition]:
    """Every form of ``directory`` (one TOML file each, beside ``frame.toml``) and the form files ``more``
    (kept elsewhere, framed as the directory's forms), by identifier."""
    frame = read_frame(tomllib.loads((directory / FRAME_FILE).read_text(encoding="utf-8")))
    forms = {}
    for path in [*sorted(directory.glob("*.toml")), *more]:
        if path.name == FRAME_FILE:
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        forms[path.stem] = read_form(path.stem, data, frame=frame, measures=measures)
    return forms
