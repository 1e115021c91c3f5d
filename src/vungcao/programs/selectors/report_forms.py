"""The programme's periodic implementation report (báo cáo tình hình thực hiện chương trình) as official
forms, filled for a programme, a unit (a commune, a province, or the country) and a span of years.

Form 1 (capital) has one row per project of the programme and, indented under each, one per
sub-project; its columns are the money of every capital source (planned, allocated, disbursed, rate) and
their total. Its figures come from the money dashboard's own selector (:func:`money.money_totals_by`,
through :func:`money.money_by_component_and_source`), so they carry money recorded under the units before
1 July 2025 across the crosswalk exactly as the dashboard does, and the user counts only the money they
may see. The forms themselves are data (``programs/data/forms``, read by
:mod:`vungcao.engine.report_forms`), checked when first loaded.

A form whose figures this layer may not read is contributed by the app that reads them
(:func:`report_form_contribute`, when that app is ready): the targets and their progress (form 4) are
the indicators app's, which sits above the programmes. It is framed, addressed, scoped and linked from
the money dashboard as the forms of this app are; only its rows come from its app.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils import translation

from vungcao.accounts.models import User
from vungcao.engine.report_forms import COUNTRY, HUNDREDTHS, FilledForm, FormDefinition, FormRow, load_forms
from vungcao.engine.text import Label
from vungcao.geo.models import Era
from vungcao.geo.names import unit_name_with_kind
from vungcao.programs.models import (
    CapitalSource,
    Component,
    ComponentKind,
    HouseholdStatus,
    Programme,
    SupportKind,
    WorkKind,
    WorkStatus,
)
from vungcao.programs.selectors import activities
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors.money import MoneyScope

FORMS_DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "forms"
MONEY = ("planned", "allocated", "disbursed")
BY_SOURCE = "{measure}__{source}"
MEASURES = {
    "capital": frozenset({*MONEY, *(BY_SOURCE.format(measure=m, source="{source}") for m in MONEY)}),
    "works": frozenset(
        {"works", "works_done", "works_in_progress", "works_waiting", "output_done", "output_in_progress"}
        | {"investment", "households"}
    ),
    "support": frozenset({"supports", "supports_poor", "supports_near_poor", "supports_other", "amount"}),
}
# The column a work of each status is counted in (planned and suspended works together).
WORK_STATUS = {WorkStatus.DONE.value: "done", WorkStatus.IN_PROGRESS.value: "in_progress"}
SUPPORTED_STATUS = {HouseholdStatus.POOR.value: "poor", HouseholdStatus.NEAR_POOR.value: "near_poor"}
NUMBER = re.compile(r"\d+$")
Path_ = tuple[str, ...]  # a component's codes from its project down: ("1719-DA4", "1719-DA4-TDA1")


Rows = Callable[[User, MoneyScope, str], list[FormRow]]  # a form's rows for a scope, in a language


@dataclass(frozen=True)
class ContributedForm:
    """A form of the report filled by another app: its TOML file, the measures its rows carry, and its
    rows for a scope as a user may see them, in a language."""

    path: Path
    measures: frozenset[str]
    rows: Rows


CONTRIBUTED: dict[str, ContributedForm] = {}  # by source


def report_form_contribute(*, source: str, form: ContributedForm) -> None:
    """``form`` becomes a form of the report, its rows those of ``source`` (called by the contributing
    app when it is ready, before any form is read)."""
    CONTRIBUTED[source] = form
    form_definitions.cache_clear()


@cache
def form_definitions() -> dict[str, FormDefinition]:
    """The programme forms by identifier (the shipped ones and those contributed), each checked against
    the measures its source counts."""
    measures = MEASURES | {source: form.measures for source, form in CONTRIBUTED.items()}
    more = [form.path for form in CONTRIBUTED.values()]
    return load_forms(FORMS_DIRECTORY, measures=measures, more=more)


def _name(named: Programme | Component | CapitalSource, language: str) -> str:
    return named.name_en if language == "en" and named.name_en else named.name_vi


def _numbered(component: Component, language: str) -> str:
    """ "Dự án 4: Đầu tư …" as the programme numbers it; in English the kind and the number ("Project 4:
    Essential …"), the numbering as written where it ends in no number."""
    name = _name(component, language)
    numbering = component.numbering
    number = NUMBER.search(numbering)
    if language == "en" and number:
        with translation.override("en"):
            numbering = f"{ComponentKind(component.kind).label} {number.group()}"
    return f"{numbering}: {name}" if numbering else name


def _codes(component: Component) -> Path_:
    return tuple(component.path.strip("/").split("/"))


def _capital_measures(user: User, scope: MoneyScope) -> dict[Path_, dict[str, int]]:
    """Planned, allocated and disbursed money, in all and by source, of every project and sub-project."""
    measures: dict[Path_, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, totals in money_selectors.money_by_component_and_source(user=user, scope=scope).items():
        assert isinstance(key, tuple)  # the selector's keys are (codes, source)
        codes: Path_ = key[0]
        source: str = key[1]
        for depth in range(1, len(codes) + 1):
            row = measures[codes[:depth]]
            for measure in MONEY:
                amount = getattr(totals, measure)
                row[measure] += amount
                row[BY_SOURCE.format(measure=measure, source=source)] += amount
    return measures


def _capital_rows(user: User, scope: MoneyScope, language: str) -> list[FormRow]:
    """A row per project in the programme's order, its sub-projects ("4.1", "4.2") indented under it;
    a retired component only where money was recorded against it."""
    programme = scope.programme
    measures = _capital_measures(user, scope)
    components = Component.objects.filter(programme=programme, parent__parent__isnull=True).order_by(
        "position"
    )
    children: dict[int | None, list[Component]] = defaultdict(list)
    for component in components:
        if component.is_active or _codes(component) in measures:
            children[component.parent_id].append(component)
    rows = []
    for number, project in enumerate(children[None], 1):
        for level, order, component in [
            (0, str(number), project),
            *((1, f"{number}.{place}", child) for place, child in enumerate(children[project.pk], 1)),
        ]:
            rows.append(
                FormRow(
                    _numbered(component, language), dict(measures.get(_codes(component), {})), level, order
                )
            )
    return rows


def _in_language(label: object, language: str) -> str:
    with translation.override(language):
        return str(label)


def _work_rows(user: User, scope: MoneyScope, language: str) -> list[FormRow]:
    """A row per kind of work and unit of output, in the kinds' order: works by status, the output of
    the works done and in progress (in hundredths), investment and households served."""
    assert scope.programme is not None
    rows: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group in activities.work_outputs(
        user=user, unit=scope.unit, programme=scope.programme, to_year=scope.to_year
    ):
        row = rows[(str(group["kind"]), str(group["output_unit"]).strip())]
        works = int(str(group["works"]))
        status = WORK_STATUS.get(str(group["status"]), "waiting")
        row["works"] += works
        row[f"works_{status}"] += works
        if status != "waiting":
            row[f"output_{status}"] += int(Decimal(str(group["output"])) * HUNDREDTHS)
        row["investment"] += int(str(group["investment"]))
        row["households"] += int(str(group["households"]))
    kinds = list(WorkKind.values)
    found = []
    for kind, output_unit in sorted(rows, key=lambda key: (kinds.index(key[0]), key[1])):
        name = _in_language(WorkKind(kind).label, language)
        found.append(
            FormRow(f"{name} ({output_unit})" if output_unit else name, dict(rows[(kind, output_unit)]))
        )
    return found


def _support_rows(user: User, scope: MoneyScope, language: str) -> list[FormRow]:
    """A row per kind of support: households supported by recorded status, and the amounts."""
    assert scope.programme is not None
    rows: dict[str, dict[str, int]] = {kind: defaultdict(int) for kind in SupportKind.values}
    for group in activities.support_counts(
        user=user,
        unit=scope.unit,
        programme=scope.programme,
        from_year=scope.from_year,
        to_year=scope.to_year,
    ):
        row = rows[str(group["kind"])]
        supports = int(str(group["supports"]))
        status = SUPPORTED_STATUS.get(str(group["recorded_status"]), "other")
        row["supports"] += supports
        row[f"supports_{status}"] += supports
        row["amount"] += int(str(group["amount"]))
    return [FormRow(_in_language(SupportKind(kind).label, language), dict(row)) for kind, row in rows.items()]


ROWS: dict[str, Rows] = {"capital": _capital_rows, "works": _work_rows, "support": _support_rows}


def report_form_fill(*, user: User, identifier: str, scope: MoneyScope, language: str) -> FilledForm:
    """The form ``identifier`` of the scope's programme filled for its unit and years with the money the
    user may see, in ``language``. Raises KeyError for an unknown form."""
    programme = scope.programme
    assert programme is not None, "a programme's report is of one programme"
    definition = form_definitions()[identifier]
    frame = definition.frame
    sources = [
        (source.code, Label(source.name_vi, source.name_en or source.name_vi))
        for source in CapitalSource.objects.all()
    ]
    definition = definition.expanded({"source": sources})
    fill = ROWS[definition.source] if definition.source in ROWS else CONTRIBUTED[definition.source].rows
    rows = fill(user, scope, language)
    if scope.from_year == scope.to_year:
        period = frame.line("year", year=scope.from_year)
    else:
        period = frame.line("years", first=scope.from_year, last=scope.to_year)
    covered = COUNTRY.in_language(language) if scope.is_country else unit_name_with_kind(scope.unit)
    heading = [
        frame.line("programme", programme=_name(programme, language)).in_language(language),
        period.in_language(language),
        frame.line("covered", unit=covered).in_language(language),
    ]
    if scope.unit.era == Era.CURRENT:
        heading.append(frame.line("carried").in_language(language))
    heading += [note.in_language(language) for note in definition.notes]
    issuer, approver = frame.signatories(
        None if scope.is_country else unit_name_with_kind(scope.unit), language, subject=programme.code
    )
    return FilledForm(definition, language, issuer, tuple(heading), approver, tuple(rows))
