"""The annual review's summary forms (biểu tổng hợp kết quả rà soát), filled for a year and a unit.

A form covers a commune (one row per village), a province (one row per commune) or the country (one row
per province), and counts only the communes whose review of the year is approved, as the national
figures do; its heading says so. The figures come from the review pages' own selectors, never from a
second count: the results and the deprivations of a province or the country from the review's rollups
(``registry.rollups``: households by status, and by pattern of deprivations, of each commune review,
read by :func:`results.counted_in_rollup` as the review dashboard reads them), those of a commune, by
village, from :func:`results.counted` over :func:`results.approved_assessments` (the rollups are kept
by commune); the changes from :func:`changes.changes_between` (the previous review of each province
against this one). The forms themselves are data (``registry/data/forms``, read
by :mod:`vungcao.engine.report_forms`), checked when first loaded.

Only units of the current era: the reviews are kept under the units from 1 July 2025.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Aggregate, Q

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.engine.report_forms import COUNTRY, FilledForm, FormDefinition, FormRow, load_forms
from vungcao.engine.text import Label
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.geo.names import unit_name_with_kind
from vungcao.registry import classification
from vungcao.registry.models import (
    CommuneReview,
    DeprivationPatternCount,
    ReviewCount,
    ReviewCycle,
)
from vungcao.registry.selectors import changes, results

FORMS_DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "forms"
DEPRIVED = "deprived__{indicator}"
MEASURES = {
    "results": frozenset({"households", "poor", "near_poor"}),
    "changes": frozenset(changes.FORM_FLOWS),
    "deprivations": frozenset({"poor", "deprivations", DEPRIVED}),
}
# The field of an assessment (a commune's form) or of a commune review's rollup (a province's or the
# country's) that names the unit of a row, one level below the unit the form covers.
ROW_UNIT: dict[str | None, str] = {
    Level.COMMUNE: "household__village",
    Level.PROVINCE: "commune_review__commune",
    None: "commune_review__cycle__province",
}
# The grouping of the flows between two reviews that gives those rows.
ROW_GROUPING: dict[str | None, str] = {Level.COMMUNE: "village", Level.PROVINCE: "commune", None: "province"}


@cache
def form_definitions() -> dict[str, FormDefinition]:
    """The shipped forms by identifier, each checked against the measures its source counts."""
    return load_forms(FORMS_DIRECTORY, measures=MEASURES)


@dataclass(frozen=True)
class FormScope:
    """What a form covers: ``year`` in ``unit``, a commune or a province of the current era, or the
    country (``None``)."""

    year: int
    unit: AdministrativeUnit | None

    @property
    def level(self) -> str | None:
        return None if self.unit is None else self.unit.level

    def counted(
        self,
        user: User,
        rollup: type[ReviewCount] | type[DeprivationPatternCount],
        *keys: str,
        more: Callable[[results.Counting], dict[str, Aggregate]] = lambda _counting: {},
    ) -> list[tuple[Any, ...]]:
        """(row unit's code, its name, *keys, assessed, poor, near-poor, *more) of the approved reviews the
        form covers: a commune's households by village, from its assessments; a province's or the
        country's, by commune or province, from the rollup ``rollup`` of their commune reviews (``keys``
        and ``more``'s conditions are fields of both)."""
        unit = ROW_UNIT[self.level]
        if self.unit is not None and self.unit.level == Level.COMMUNE:
            assessments = results.approved_assessments(user=user, year=self.year)
            found = assessments.filter(commune_review__commune=self.unit)
            aggregates = more(results.assessments_counted)
            return results.counted(found, f"{unit}__code", f"{unit}__name", *keys, **aggregates)
        counts = access.restrict_for_figures(
            rollup.objects.filter(
                commune_review__cycle__year=self.year, commune_review__state=CommuneReview.State.APPROVED
            ),
            user,
            "commune_review__commune",
        )
        if self.unit is not None:
            counts = counts.filter(commune_review__cycle__province=self.unit)
        aggregates = more(results.households_summed)
        return results.counted_in_rollup(counts, f"{unit}__code", f"{unit}__name", *keys, **aggregates)

    def cycles(self, user: User) -> list[ReviewCycle]:
        """The review cycles of the year the unit takes part in, in the provinces the user may count."""
        cycles = access.restrict_by_province(ReviewCycle.objects.filter(year=self.year), user, "province")
        if self.unit is not None:
            province = self.unit.pk if self.unit.level == Level.PROVINCE else self.unit.parent_id
            cycles = cycles.filter(province=province)
        return list(cycles.select_related("province").order_by("province__code"))


def _results(user: User, scope: FormScope) -> dict[tuple[str, str], dict[str, int]]:
    """Households assessed, poor and near-poor, by row unit, in one grouped query."""
    return {
        (code, name): {"households": assessed, "poor": poor, "near_poor": near_poor}
        for code, name, assessed, poor, near_poor in scope.counted(user, ReviewCount)
    }


def _indicators(cycles: Iterable[ReviewCycle]) -> list[tuple[str, Label]]:
    """The deprivation indicators of the standards of ``cycles``, in their order, each once, named as
    a column's header is written (capital first letter: "Việc làm")."""
    seen: dict[str, Label] = {}
    for cycle in cycles:
        for indicator in classification.standard(cycle.standard_identifier).indicators:
            vi, en = indicator.label.vi, indicator.label.en
            seen.setdefault(indicator.identifier, Label(vi[:1].upper() + vi[1:], en[:1].upper() + en[1:]))
    return list(seen.items())


def _deprivations(
    user: User, scope: FormScope, cycles: list[ReviewCycle]
) -> dict[tuple[str, str], dict[str, int]]:
    """Poor households, their deprivations in all (each household's deprived indicators: the bits of its
    mask), and the poor deprived in each indicator (the bit of the indicator in the standard the
    household was classified under), by row unit, in one grouped query."""
    positions = max(
        (len(classification.standard(c.standard_identifier).indicators) for c in cycles), default=0
    )
    poor = Q(status="poor")

    def bits(households: results.Counting) -> dict[str, Aggregate]:
        return {
            f"bit_{position}": households(poor & results.deprived_in("deprived_mask", 1 << position))
            for position in range(positions)
        }

    rows = scope.counted(user, DeprivationPatternCount, "standard_identifier", more=bits)
    measures: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, name, identifier, _assessed, poor_count, _near_poor, *by_bit in rows:
        row = measures[(code, name)]
        row["poor"] += poor_count
        row["deprivations"] += sum(by_bit)
        for indicator, count in zip(classification.standard(identifier).indicators, by_bit, strict=False):
            row[DEPRIVED.format(indicator=indicator.identifier)] += count
    return measures


def _changes(
    user: User, scope: FormScope, cycles: list[ReviewCycle]
) -> tuple[dict[tuple[str, str], dict[str, int]], list[int]]:
    """The ways into and out of poverty since each province's previous review, by row unit; and the
    years of the previous reviews compared."""
    grouping = ROW_GROUPING[scope.level]
    villages = None
    if scope.level == Level.COMMUNE:
        villages = set(AdministrativeUnit.objects.filter(parent=scope.unit).values_list("code", flat=True))
    measures: dict[tuple[str, str], dict[str, int]] = {}
    earlier_years = []
    for later in cycles:
        earlier = (
            ReviewCycle.objects.filter(province=later.province, year__lt=later.year).order_by("-year").first()
        )
        if earlier is None:
            continue
        earlier_years.append(earlier.year)
        found = changes.changes_between(user=user, earlier=earlier, later=later, flows=changes.FORM_FLOWS)
        for code, counts in found.by_group.get(grouping, {}).items():
            if villages is None or code in villages:
                measures[(code, found.names.get(code, code))] = dict(counts)
    return measures, sorted(set(earlier_years))


def _approved_communes(user: User, scope: FormScope) -> int:
    reviews = access.restrict_by_unit(
        CommuneReview.objects.filter(cycle__year=scope.year, state=CommuneReview.State.APPROVED),
        user,
        "commune",
    )
    if scope.unit is not None and scope.unit.level == Level.COMMUNE:
        reviews = reviews.filter(commune=scope.unit)
    elif scope.unit is not None:
        reviews = reviews.filter(cycle__province=scope.unit)
    return reviews.count()


def report_form_fill(*, user: User, identifier: str, scope: FormScope, language: str) -> FilledForm:
    """The form ``identifier`` filled for ``scope`` with the figures the user may count, in ``language``.
    Raises KeyError for an unknown form."""
    definition = form_definitions()[identifier]
    cycles = scope.cycles(user)
    frame = definition.frame
    heading = [frame.line("period", year=scope.year).in_language(language)]
    if definition.source == "results":
        measures = _results(user, scope)
    elif definition.source == "deprivations":
        measures = _deprivations(user, scope, cycles)
        definition = definition.expanded({"indicator": _indicators(cycles)})
    else:
        measures, earlier_years = _changes(user, scope, cycles)
        if earlier_years:
            years = ", ".join(str(year) for year in earlier_years)
            heading.append(frame.line("compared_with", earlier=years).in_language(language))
    covered = COUNTRY.in_language(language) if scope.unit is None else unit_name_with_kind(scope.unit)
    heading.append(frame.line("covered", unit=covered).in_language(language))
    heading.append(
        frame.line("approved_only", approved=_approved_communes(user, scope)).in_language(language)
    )
    heading += [note.in_language(language) for note in definition.notes]
    issuer, approver = frame.signatories(
        None if scope.unit is None else unit_name_with_kind(scope.unit), language
    )
    rows = tuple(FormRow(name, counts) for (code, name), counts in sorted(measures.items()))
    return FilledForm(definition, language, issuer, tuple(heading), approver, rows)
