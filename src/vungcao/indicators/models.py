"""Indicators (chỉ tiêu) a province adds, values entered per unit and year, groups of units, targets.

The shipped indicators live in the engine's catalogue file; a province's own are rows here, checked by
the same rules (``engine.indicators.catalogue``) before they are stored. A value names its indicator by
code, so shipped and provincial indicators are entered alike. The choices of every field come from the
engine's enumerations: the allowed values are declared once.
"""

from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from vungcao.common.models import TimeStampedModel
from vungcao.engine.indicators.calendar import ReportingLevel, ReportSubject
from vungcao.engine.indicators.definitions import Aggregation, Direction, IndicatorKind, MeasureUnit
from vungcao.engine.indicators.targets import TargetKind
from vungcao.engine.text import Label
from vungcao.geo.models import AdministrativeUnit, Era

FIRST_YEAR, LAST_YEAR = 2000, 2100
CODE_LENGTH = 60
# Up to 10¹⁸ (a national total in dong) with four decimals (a rate or a mean): 19 + 4 digits, and a sign.
VALUE_DIGITS, VALUE_DECIMALS = 24, 4


class Labelled(Protocol):
    @property
    def value(self) -> str: ...

    @property
    def label(self) -> Label: ...


def _choices(enumeration: Iterable[Labelled]) -> list[tuple[str, str]]:
    """Field choices from an engine enumeration whose members carry a bilingual ``label``."""
    return [(member.value, member.label.en) for member in enumeration]


def _author(label: StrOrPromise) -> "models.ForeignKey[Any, Any]":
    """Who wrote a row: kept when the account is deactivated (accounts are never deleted)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=label, on_delete=models.PROTECT, null=True, related_name="+"
    )


OWN_KINDS = (IndicatorKind.ENTERED, IndicatorKind.DERIVED)
"""A province's own indicator is entered or derived; only the shipped catalogue computes from records."""


class Indicator(TimeStampedModel):
    """A province's own indicator, with the fields of an engine ``Indicator`` (``formula`` as its TOML
    table, e.g. ``{"op": "ratio", "numerator": "a", "denominator": "b", "scale": 100}``)."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    unit = models.CharField(_("unit of measure"), max_length=30, choices=_choices(MeasureUnit))
    kind = models.CharField(
        _("kind"), max_length=16, choices=[(kind.value, kind.label.en) for kind in OWN_KINDS]
    )
    aggregation = models.CharField(_("aggregation"), max_length=16, choices=_choices(Aggregation))
    source = models.CharField(_("source"), max_length=500)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), null=True, blank=True)
    minimum = models.DecimalField(
        _("minimum"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, null=True, blank=True
    )
    direction = models.CharField(_("direction"), max_length=20, choices=_choices(Direction), blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    formula = models.JSONField(_("formula"), null=True, blank=True)
    owner = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="own_indicators",
    )
    created_by = _author(_("created by"))

    class Meta:
        verbose_name = _("province indicator")
        verbose_name_plural = _("province indicators")
        ordering = ["owner__code", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in OWN_KINDS]), name="indicator_entered_or_derived"
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name="indicator_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name_vi}"


class IndicatorValue(TimeStampedModel):
    """The value of an indicator for one unit (of its era) and year, as an official entered it; entered
    again, it is updated in place and says who changed it last and when."""

    indicator = models.CharField(_("indicator"), max_length=CODE_LENGTH)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS)
    note = models.CharField(_("note or source"), max_length=500, blank=True)
    entered_by = _author(_("entered by"))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "unit__path", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "year"], name="indicator_value_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="indicator_value_year_range"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="indicator_value_code_year")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit_id} {self.year} = {self.value}"


class IndicatorValueRevision(models.Model):
    """The revision of one indicator's entered values: a token that every write of them replaces
    (``indicators.services.revisions``) in the transaction that writes them, so that a process keeping
    figures made of them (``indicators.selectors.kept``) makes them again when the stored token is not the
    one it made them at. An indicator without a row has its figures made on every request.

    Writes are numbered too (``number``, the last write's), and what each changed is logged
    (:class:`IndicatorValueChange`): every write numbered after ``logged_after`` is in the log, so a
    process holding the values of an earlier write reads only those changed since."""

    indicator = models.CharField(_("indicator"), max_length=CODE_LENGTH, unique=True)
    token = models.CharField(_("token"), max_length=32)
    number = models.PositiveBigIntegerField(_("number"), default=0)
    logged_after = models.PositiveBigIntegerField(_("logged after"), default=0)

    class Meta:
        verbose_name = _("indicator value revision")
        verbose_name_plural = _("indicator value revisions")

    def __str__(self) -> str:
        return f"{self.indicator} {self.number} {self.token}"


class IndicatorValueChange(models.Model):
    """One unit and year whose value of an indicator a write changed (entered, corrected or removed), with
    the write's number and token (``IndicatorValueRevision``); the log of an indicator's last writes."""

    indicator = models.CharField(_("indicator"), max_length=CODE_LENGTH)
    number = models.PositiveBigIntegerField(_("number"))
    token = models.CharField(_("token"), max_length=32)
    unit_id = models.BigIntegerField(_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("indicator value change")
        verbose_name_plural = _("indicator value changes")
        indexes = [models.Index(fields=["indicator", "number"], name="indicator_value_change_number")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.number} {self.unit_id} {self.year}"


class UnitGroup(TimeStampedModel):
    """A named group of units of one era ("the six poor districts", "Programme 135 communes"), kept by
    the unit that owns it (its scope), with its own aggregates and targets."""

    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="unit_groups"
    )
    era = models.CharField(_("era"), max_length=16, choices=Era.choices)
    members = models.ManyToManyField(AdministrativeUnit, verbose_name=_("members"), related_name="+")
    created_by = _author(_("created by"))

    class Meta:
        verbose_name = _("group of units")
        verbose_name_plural = _("groups of units")
        ordering = ["owner__code", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unit_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class Plan(TimeStampedModel):
    """A unit's plan over a period (e.g. a province's action programme 2021–2025), holding targets grouped
    under its objectives (21 target groups and 73 tasks fit: objectives have a position, targets many)."""

    name = models.CharField(_("name"), max_length=300)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    from_year = models.PositiveSmallIntegerField(_("first year"))
    to_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["unit__code", "from_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_year__lte=models.F("to_year")), name="plan_period_ordered"
            ),
            models.UniqueConstraint(fields=["unit", "name", "from_year", "to_year"], name="plan_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.from_year}–{self.to_year})"


class Objective(TimeStampedModel):
    """One objective (nhóm mục tiêu) of a plan, in its place."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="objectives"
    )
    name = models.CharField(_("name"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="objective_unique_position")]

    def __str__(self) -> str:
        return self.name


class Target(TimeStampedModel):
    """A target (mục tiêu) of an indicator for a unit or a group of units: a level to reach by
    ``target_year`` (at most / at least ``value``) or an average annual change over the period from
    ``baseline_year`` (``value`` per year, e.g. −3 percentage points)."""

    indicator = models.CharField(_("indicator"), max_length=CODE_LENGTH)
    era = models.CharField(_("era"), max_length=16, choices=Era.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.ForeignKey(
        UnitGroup,
        verbose_name=_("group of units"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    kind = models.CharField(_("kind"), max_length=16, choices=_choices(TargetKind))
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS)
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
    )
    created_by = _author(_("created by"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "target_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(unit__isnull=True) & Q(group__isnull=False)),
                name="target_unit_or_group",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__gte=FIRST_YEAR)
                & Q(target_year__lte=LAST_YEAR)
                & Q(baseline_year__lt=models.F("target_year")),
                name="target_years_ordered",
            ),
        ]
        indexes = [models.Index(fields=["unit", "indicator"], name="target_unit_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.kind} {self.value} by {self.target_year}"

    @property
    def owner(self) -> AdministrativeUnit:
        """The unit whose target this is: its unit, or its group's owner (whose officers set it)."""
        if self.unit is not None:
            return self.unit
        assert self.group is not None
        return self.group.owner


class ReportingPeriod(TimeStampedModel):
    """A reporting period (kỳ báo cáo): what is asked (an entered indicator's values, or the annual
    review) for a year, of which units (every commune of the owner province, or every province of the
    era for a national period), by a deadline. Completeness reads who reported by it."""

    subject = models.CharField(_("subject"), max_length=16, choices=_choices(ReportSubject))
    indicator = models.CharField(_("indicator"), max_length=CODE_LENGTH, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("who reports"), max_length=16, choices=_choices(ReportingLevel))
    era = models.CharField(_("era"), max_length=16, choices=Era.choices)
    owner = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporting_periods",
        help_text=_("Empty for a national period, to which the provinces report."),
    )
    deadline = models.DateField(_("deadline"))
    source = models.CharField(_("source of the deadline"), max_length=500, blank=True)
    created_by = _author(_("created by"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "subject", "indicator", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject=ReportSubject.REVIEW.value) & Q(indicator=""))
                | (Q(subject=ReportSubject.INDICATOR.value) & ~Q(indicator="")),
                name="reporting_period_subject",
            ),
            models.CheckConstraint(
                condition=(Q(level=ReportingLevel.COMMUNE.value) & Q(owner__isnull=False))
                | (Q(level=ReportingLevel.PROVINCE.value) & Q(owner__isnull=True)),
                name="reporting_period_level_owner",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="reporting_period_year_range"
            ),
            models.UniqueConstraint(
                fields=["subject", "indicator", "year", "owner"],
                condition=Q(owner__isnull=False),
                name="reporting_period_unique_province",
            ),
            models.UniqueConstraint(
                fields=["subject", "indicator", "year", "era"],
                condition=Q(owner__isnull=True),
                name="reporting_period_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator or self.subject} {self.year} ({self.deadline})"
