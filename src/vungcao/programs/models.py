"""Programmes as trees of components, capital sources, money records, works and support to households.

Money is integer dong (``BigIntegerField``), 0 … ``engine.money.MAX_AMOUNT_VND`` (10¹⁵) per amount, held by
CHECK constraints on both databases. Derived figures — disbursement rate, unspent balance,
leverage, budget share — are never stored; ``engine.money`` computes them from summed records.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from vungcao.common.language import reader_language
from vungcao.common.models import TimeStampedModel
from vungcao.engine.money import MAX_AMOUNT_VND
from vungcao.geo.models import AdministrativeUnit


class BilingualName(models.Model):
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """The name in the active language (Vietnamese when no English name was given)."""
        return self.name_en if reader_language() == "en" and self.name_en else self.name_vi


class Programme(BilingualName, TimeStampedModel):
    """A national or provincial programme (chương trình), e.g. NTP 1719 or a provincial resolution."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    owner_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province that defined this programme; empty for national programmes."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="programme_years")
        ]

    def __str__(self) -> str:
        return self.code


class ComponentKind(models.TextChoices):
    PROJECT = "project", _("Project")
    SUB_PROJECT = "sub_project", _("Sub-project")
    CONTENT = "content", _("Content")
    TARGET_GROUP = "target_group", _("Target group")
    TASK = "task", _("Task")


class Component(BilingualName, TimeStampedModel):
    """A project, sub-project, content, target group or task of a programme.

    ``path`` is the materialised path of codes (``1719-DA4/1719-DA4-TDA1/``) so a component and
    everything under it is one prefix query. Components are retired (``is_active``), never deleted
    while money is recorded against them.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="components"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=60, unique=True)
    numbering = models.CharField(_("numbering"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ComponentKind.choices)
    path = models.CharField(_("path"), max_length=500, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme component")
        verbose_name_plural = _("programme components")
        ordering = ["programme__code", "path"]
        indexes = [
            models.Index(fields=["path"], name="component_path_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.numbering} {self.code}".strip()


class CapitalSource(BilingualName, TimeStampedModel):
    """Where money comes from; ``is_budget`` splits state budget from mobilised non-budget money."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    is_budget = models.BooleanField(_("state budget"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("capital source")
        verbose_name_plural = _("capital sources")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class RecordKind(models.TextChoices):
    PLAN = "plan", _("Plan (kế hoạch vốn)")
    ALLOCATION = "allocation", _("Allocation (giao vốn)")
    DISBURSEMENT = "disbursement", _("Disbursement (giải ngân)")
    EXTENSION = "extension", _("Extension into a later year (kéo dài)")


class WorkKind(models.TextChoices):
    ROAD = "road", _("Road")
    SCHOOL = "school", _("School")
    CLINIC = "clinic", _("Clinic")
    WATER = "water", _("Water scheme")
    MARKET = "market", _("Market")
    OTHER_INFRASTRUCTURE = "other_infrastructure", _("Other infrastructure")
    PRODUCTION_SUPPORT = "production_support", _("Production-support project")


class WorkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SUSPENDED = "suspended", _("Suspended")


class Work(TimeStampedModel):
    """An infrastructure work or a production-support project of a component in a unit."""

    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, related_name="works"
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=WorkKind.choices)
    name = models.CharField(_("name"), max_length=300)
    investment_total_vnd = models.BigIntegerField(_("total investment (VND)"))
    output_quantity = models.DecimalField(_("physical output"), max_digits=14, decimal_places=2, default=0)
    output_unit = models.CharField(
        _("unit of output"), max_length=40, blank=True, help_text=_("km, classrooms, households served, ha …")
    )
    households = models.PositiveIntegerField(_("households taking part or served"), default=0)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    planned_end_date = models.DateField(_("planned completion"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.PLANNED
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    class Meta:
        verbose_name = _("work or activity")
        verbose_name_plural = _("works and activities")
        ordering = ["unit__path", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(investment_total_vnd__gte=0), name="work_investment_positive"),
            models.CheckConstraint(
                condition=Q(investment_total_vnd__lte=MAX_AMOUNT_VND), name="work_investment_within_bound"
            ),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="work_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name


class MoneyRecord(TimeStampedModel):
    """One plan, allocation, disbursement or extension of capital, in whole dong, with its document.

    ``year`` is the budget year of the capital; an extension carries unspent allocation of ``year``
    into ``to_year``. The natural key (kind, year, to_year, unit, component, source, document) makes
    re-importing the same file change nothing.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=RecordKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    to_year = models.PositiveSmallIntegerField(_("extended into year"), null=True, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, related_name="money_records"
    )
    source = models.ForeignKey(
        CapitalSource, verbose_name=_("capital source"), on_delete=models.PROTECT, related_name="+"
    )
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    document_no = models.CharField(_("document number"), max_length=100)
    document_date = models.DateField(_("document date"))
    work = models.ForeignKey(
        Work,
        verbose_name=_("work or activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="money_records",
    )

    class Meta:
        verbose_name = _("money record")
        verbose_name_plural = _("money records")
        ordering = ["-year", "document_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gte=0), name="money_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_vnd__lte=MAX_AMOUNT_VND), name="money_amount_within_bound"
            ),
            models.CheckConstraint(
                condition=(Q(kind="extension") & Q(to_year__gt=models.F("year")))
                | (~Q(kind="extension") & Q(to_year__isnull=True)),
                name="money_extension_to_later_year",
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "unit", "component", "source", "document_no"],
                condition=~Q(kind="extension"),
                name="money_unique_document",
            ),
            models.UniqueConstraint(
                fields=["year", "to_year", "unit", "component", "source", "document_no"],
                condition=Q(kind="extension"),
                name="money_unique_extension",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "year", "kind"], name="money_unit_year_kind"),
            models.Index(fields=["year", "kind"], name="money_year_kind"),
            models.Index(fields=["component", "year"], name="money_component_year"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.unit.code} {self.component.code} {self.amount_vnd}"


def _rollup_unit(verbose_name: StrOrPromise) -> "models.ForeignKey[AdministrativeUnit, AdministrativeUnit]":
    """A money rollup's row's unit: deleted with the unit, no way back from the unit, no index of its own
    (the rollup's indexes lead with it)."""
    return models.ForeignKey(
        AdministrativeUnit,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )


class MoneySummed(models.Model):
    """A row of a money rollup (``programs.rollups``): money records of a budget year and kind (superseded
    extensions apart) summed and counted."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=RecordKind.choices)
    superseded = models.BooleanField(_("superseded by a later extension"))
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    records = models.PositiveIntegerField(_("records"))

    class Meta:
        abstract = True


class MoneySums(MoneySummed):
    """Money records summed by component, source, budget year and kind (and, for an extension, the year
    it carries the money into), and counted: of a unit or of a province."""

    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    source = models.ForeignKey(
        CapitalSource,
        verbose_name=_("capital source"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    to_year = models.PositiveSmallIntegerField(_("extended into year"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.component_id} {self.source_id}: {self.amount_vnd}"


class MoneyTotal(MoneySums):
    """The money records of a unit summed, kept in the same transaction as every write of the records
    (``programs.rollups``): what the dashboards, the reports and the indicators read, so that a
    province's money costs its units' rows, not its documents.

    ``superseded`` marks extensions of an allocation that a later extension of it (into a later year)
    replaced: the totals leave them out, so extended money is counted once, and the alert on allocations
    extended more than once counts them. A total as of a past date is read from the records."""

    unit = _rollup_unit(_("unit"))

    class Meta:
        verbose_name = _("money total")
        verbose_name_plural = _("money totals")
        indexes = [models.Index(fields=["unit", "year"], name="money_total_unit_year")]


class MoneyProvinceTotal(MoneySums):
    """The money totals (``MoneyTotal``) of the units of a province, in the province's own era, summed
    again, in the same transaction (``programs.rollups``): what the country's figures read, so that the
    country's money costs its provinces' rows, not its units'. Money kept under the units before 1 July
    2025 is in their old provinces' rows; the country of the current era carries it across the crosswalk
    from the old units' totals, as any current unit's figures do."""

    province = _rollup_unit(_("province"))

    class Meta:
        verbose_name = _("money total of a province")
        verbose_name_plural = _("money totals of provinces")
        indexes = [models.Index(fields=["province", "year"], name="money_province_total_year")]


class MoneyCarriedTotal(MoneySums):
    """The money totals (``MoneyTotal``) of a unit before 1 July 2025 carried across the crosswalk into a
    unit of the current era, kept in the same transaction as every write of the old unit's records and
    again whenever the crosswalk changes (``programs.rollups``): what a current unit's figures read of its
    history, so that the country's history costs its provinces' rows, not every old unit's.

    The most specific old unit linked to the current era that holds ``old_unit`` (itself, or its commune)
    carries it: each of that unit's links gives ``unit`` its share of every total, rounded half-even to
    the dong total by total. ``province`` is the province ``unit`` lies in (or ``unit`` itself), for the
    country's figures by province. ``records`` counts the old unit's records behind the total."""

    old_unit = _rollup_unit(_("unit before 1 July 2025"))
    unit = _rollup_unit(_("unit"))
    province = _rollup_unit(_("province"))

    class Meta:
        verbose_name = _("money total carried across the crosswalk")
        verbose_name_plural = _("money totals carried across the crosswalk")
        indexes = [
            models.Index(fields=["old_unit"], name="money_carried_old_unit"),
            models.Index(fields=["unit", "year"], name="money_carried_unit_year"),
            models.Index(fields=["province", "year"], name="money_carried_province_year"),
        ]


class MoneyMonthSums(MoneySummed):
    """Money records summed by month of the document, budget year, kind and whether their source is the
    state budget, under a province. ``document_month`` is the year and month as one number (202403:
    March 2024)."""

    province = _rollup_unit(_("province"))
    is_budget = models.BooleanField(_("state budget"))
    document_month = models.PositiveIntegerField(_("month of the document"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.province_id} {self.document_month}: {self.amount_vnd}"


class MoneyCarriedMonth(MoneyMonthSums):
    """The money records of a unit before 1 July 2025 summed by month of the document (as
    ``MoneyProvinceMonth`` sums a province's) and carried across the crosswalk into the provinces of the
    current era, as ``MoneyCarriedTotal`` carries its totals (the month's sum rounded to the dong link by
    link, the links into one province added), kept with them: what the country's chart by month reads of
    its history."""

    old_unit = _rollup_unit(_("unit before 1 July 2025"))

    class Meta:
        verbose_name = _("money by month carried across the crosswalk")
        verbose_name_plural = _("money by month carried across the crosswalk")
        indexes = [
            models.Index(fields=["old_unit"], name="money_carried_month_old_unit"),
            models.Index(fields=["province", "year"], name="money_carried_month_year"),
        ]


class MoneyProvinceMonth(MoneyMonthSums):
    """The money records of a province's units (in the province's own era) summed by month of the
    document, budget year, kind and whether their source is the state budget, in the same transaction as
    every write of the records (``programs.rollups``): what the country's chart of allocations and
    disbursements by month reads, so that it costs the provinces' months, not the country's documents."""

    class Meta:
        verbose_name = _("money of a province by month")
        verbose_name_plural = _("money of provinces by month")
        indexes = [models.Index(fields=["province", "year"], name="money_province_month_year")]


class SupportKind(models.TextChoices):
    HOUSING = "housing", _("Housing support")
    BREEDING_ANIMALS = "breeding_animals", _("Breeding animals")
    SEEDLINGS = "seedlings", _("Seedlings")
    WATER_TANK = "water_tank", _("Water tank")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    CREDIT = "credit", _("Policy credit")


class HouseholdStatus(models.TextChoices):
    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    AVERAGE = "average", _("Average income (neither poor nor near-poor)")
    NOT_POOR = "not_poor", _("Neither poor nor near-poor")
    UNKNOWN = "unknown", _("No recorded status")


class HouseholdSupport(TimeStampedModel):
    """What a household of the registry received under a component in a year.

    ``household`` is the registry's household; ``household_code`` and ``unit`` (its village when the
    support was given) are kept as written, so rows recorded before the registry existed — with a
    code and no household — still list and count. The status, its review year and the deprivations
    the household was found eligible with are copied from its latest approved assessment at the time, so the
    decision can be explained later even after a new review.
    """

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("village or commune"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programme_supports",
        help_text=_("Empty only for support recorded before the household registry was linked."),
    )
    household_code = models.CharField(_("household code"), max_length=40)
    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, related_name="supports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of support"), max_length=30, choices=SupportKind.choices)
    amount_vnd = models.BigIntegerField(_("amount (VND)"), default=0)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=0)
    description = models.CharField(_("description"), max_length=300, blank=True)
    recorded_status = models.CharField(_("recorded status"), max_length=20, choices=HouseholdStatus.choices)
    status_year = models.PositiveSmallIntegerField(
        _("status recorded in the review of"), null=True, blank=True
    )
    recorded_deprivations = models.JSONField(_("recorded deprivations"), default=list)

    class Meta:
        verbose_name = _("support to a household")
        verbose_name_plural = _("support to households")
        ordering = ["-year", "unit__path", "household_code"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gte=0), name="support_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_vnd__lte=MAX_AMOUNT_VND), name="support_amount_within_bound"
            ),
            models.UniqueConstraint(
                fields=["unit", "household_code", "component", "year", "kind"], name="support_unique"
            ),
            models.UniqueConstraint(
                fields=["household", "component", "year", "kind"],
                condition=Q(household__isnull=False),
                name="support_unique_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_code} {self.kind} {self.year}"


class RevolvingModel(TimeStampedModel):
    """A revolving-fund model (mô hình quay vòng): an animal or a sum passed from one household to the next."""

    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, related_name="revolving_models"
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    item = models.CharField(_("what is passed on"), max_length=200)

    class Meta:
        verbose_name = _("revolving-fund model")
        verbose_name_plural = _("revolving-fund models")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class RevolvingHolding(TimeStampedModel):
    """A household holding the item of a revolving model until it hands it on (by ``due_on``)."""

    model = models.ForeignKey(
        RevolvingModel, verbose_name=_("model"), on_delete=models.CASCADE, related_name="holdings"
    )
    sequence = models.PositiveSmallIntegerField(_("turn"))
    household_code = models.CharField(_("household code"), max_length=40)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("to hand on by"))
    handed_on = models.DateField(_("handed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("revolving-fund holding")
        verbose_name_plural = _("revolving-fund holdings")
        ordering = ["model", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["model", "sequence"], name="revolving_unique_turn"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="revolving_due_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} #{self.sequence} {self.household_code}"
