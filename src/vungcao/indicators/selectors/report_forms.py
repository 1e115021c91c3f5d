"""The targets of the programme's implementation report (form 4, kết quả thực hiện các chỉ tiêu, mục tiêu),
contributed to the programme's forms (``programs.selectors.report_forms``), which may not read targets.

For the report's unit and years: the targets of the unit and of the groups of units it keeps whose years
(baseline to target) meet the period, as the user may see them, under their plan's objectives in their
order (those without an objective last, under "other targets", or alone when none has one). Each row is
the target page's progress (:func:`.figures.targets_progress`) as of the period's last year (at most the
current year, so that a report of the current period says what the target page says), its figures
rounded as that page rounds them. A target is of a unit or of a group, never of the whole country: the
country's form says it has none.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.targets import TargetKind, target_in_words
from vungcao.engine.report_forms import FormDefinition, FormRow, Shown
from vungcao.engine.text import roman
from vungcao.geo.models import AdministrativeUnit
from vungcao.indicators.models import Objective, Target
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.figures import TargetProgress, targets_progress
from vungcao.indicators.selectors.pages import this_year
from vungcao.programs.selectors.money import MoneyScope
from vungcao.programs.selectors.report_forms import ContributedForm, form_definitions

FORM_FILE = Path(__file__).resolve().parent.parent / "data" / "forms" / "programme-targets.toml"
SOURCE = "targets"
MEASURES = frozenset(
    {
        "unit_of_measure",
        "baseline_year",
        "baseline_value",
        "target",
        "target_year",
        "latest_year",
        "latest_value",
        "average_change",
        "share_achieved",
        "status",
        "years_ahead",
    }
)


def report_targets(*, user: User, unit: AdministrativeUnit, from_year: int, to_year: int) -> list[Target]:
    """The targets of ``unit`` and of the groups of units it keeps whose years meet ``from_year``–
    ``to_year``, as ``user`` may see them, with their objectives, plans and the groups' members."""
    targets = Target.objects.filter(
        Q(unit=unit) | Q(group__owner=unit), baseline_year__lte=to_year, target_year__gte=from_year
    )
    return list(
        access.restrict_targets(targets, user)
        .select_related("unit", "group", "objective__plan")
        .prefetch_related("group__members")
        .order_by("target_year", "pk")
    )


@dataclass(frozen=True)
class _Writer:
    """What a row is written with: the catalogue (names, units, order) and the form's words."""

    catalogue: Catalogue
    form: FormDefinition
    language: str

    def words(self, name: str, **values: object) -> str:
        return self.form.labels[name].format(**values).in_language(self.language)

    def row(self, measured: TargetProgress, *, order: str, level: int) -> FormRow:
        target, progress, language = measured.target, measured.progress, self.language
        indicator = self.catalogue.get(target.indicator)
        name = indicator.name.in_language(language)
        if target.group is not None:
            name = self.words("group", indicator=name, group=target.group.name)
        status = progress.status.label.in_language(language)
        if progress.slipped:
            status = self.words("slipped", status=status)
        shown: dict[str, Shown | None] = {
            "unit_of_measure": indicator.unit.label.in_language(language),
            "baseline_year": target.baseline_year,
            "baseline_value": measured.baseline_shown,
            "target": target_in_words(TargetKind(target.kind), target.value, indicator.unit, language),
            "target_year": target.target_year,
            "latest_year": progress.latest_year,
            "latest_value": measured.latest_shown,
            "average_change": measured.average_change_shown,
            "share_achieved": measured.share_percent,
            "status": status,
            "years_ahead": progress.years_ahead,
        }
        written = {key: value for key, value in shown.items() if value is not None}
        return FormRow(name, {}, level=level, order=order, shown=written)

    def rows(self, targets: list[TargetProgress], *, level: int) -> list[FormRow]:
        """``targets`` in the catalogue's order of their indicators, numbered from 1."""
        place = {indicator.code: index for index, indicator in enumerate(self.catalogue)}
        ordered = sorted(targets, key=lambda measured: place[measured.target.indicator])
        return [
            self.row(measured, order=str(number), level=level) for number, measured in enumerate(ordered, 1)
        ]


def target_rows(user: User, scope: MoneyScope, language: str) -> list[FormRow]:
    """The form's rows for the scope's unit and years, in ``language``: a heading per objective ("I", "II")
    over its targets ("1", "2"), or the targets alone when none has an objective."""
    if scope.is_country:
        return []
    targets = report_targets(user=user, unit=scope.unit, from_year=scope.from_year, to_year=scope.to_year)
    if not targets:  # the years may be any a URL holds: 0, or 2200
        return []
    writer = _Writer(catalogue_for(user=user), form_definitions()[FORM_FILE.stem], language)
    as_of = datetime.date(min(scope.to_year, this_year()), 12, 31)  # a target's years lie in 2000–2100
    sections: defaultdict[Objective | None, list[TargetProgress]] = defaultdict(list)
    for measured in targets_progress(user=user, targets=list(targets), today=as_of):
        sections[measured.target.objective].append(measured)
    objectives = sorted(
        (objective for objective in sections if objective is not None),
        key=lambda objective: (objective.plan.from_year, objective.plan_id, objective.position),
    )
    if not objectives:
        return writer.rows(sections[None], level=0)
    plans = {objective.plan_id for objective in objectives}
    rows = []
    for number, objective in enumerate(objectives, 1):
        heading = objective.name if len(plans) == 1 else f"{objective.name} ({objective.plan.name})"
        rows += [FormRow(heading, {}, order=roman(number), heading=True)]
        rows += writer.rows(sections[objective], level=1)
    if sections[None]:
        rows += [FormRow(writer.words("other"), {}, order=roman(len(objectives) + 1), heading=True)]
        rows += writer.rows(sections[None], level=1)
    return rows


CONTRIBUTION = ContributedForm(FORM_FILE, MEASURES, target_rows)
