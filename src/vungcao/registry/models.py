"""Households and their members, the yearly review cycles and each household's assessment in a cycle."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vungcao.common.models import TimeStampedModel
from vungcao.geo import tree


class Area(models.TextChoices):
    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


class Household(TimeStampedModel):
    """A household (hộ gia đình) living in a village of a commune."""

    code = models.CharField(_("household code"), max_length=40, unique=True)
    village = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    # The province of the village, kept with the household so that a province's households are one range
    # of an index in code order (its list's first page reads 50 rows, not the country's households up to
    # them). ``save`` sets it; the writes that do not call it (bulk inserts and updates) set it the same way.
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # the index on (province, code) serves it
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    area = models.CharField(_("area"), max_length=8, choices=Area.choices)
    head_ethnic_group = models.CharField(_("ethnic group of the head"), max_length=2)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made by the demo generator: not a real household.")
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["village", "code"], name="household_village_code"),
            models.Index(fields=["province", "code"], name="household_province_code"),
            models.Index(fields=["head_ethnic_group"], name="household_ethnic_group"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved with the province of its village whenever the village is saved."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "village" in update_fields:
            self.province_id = tree.province_ids([self.village])[self.village_id]
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "province"]
        super().save(*args, **kwargs)


class Member(TimeStampedModel):
    """A person of a household. The identity number is kept encrypted, with a keyed digest to find
    duplicates and its last digits to show it masked."""

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", pgettext_lazy("family relation", "Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other relative")

    class Schooling(models.TextChoices):
        NONE = "none", _("No schooling")
        PRESCHOOL = "preschool", _("Pre-school")
        PRIMARY = "primary", _("Primary")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary")
        VOCATIONAL = "vocational", _("Vocational training")
        HIGHER = "higher", _("College or university")

    class Work(models.TextChoices):
        WAGE_WITH_CONTRACT = "wage_with_contract", _("Wage job with a labour contract")
        WAGE_WITHOUT_CONTRACT = "wage_without_contract", _("Wage job without a labour contract")
        OWN_FARM = "own_farm", _("Own farm, forestry or fishery")
        OWN_BUSINESS = "own_business", _("Own business")
        UNEMPLOYED = "unemployed", _("Unemployed")
        STUDENT = "student", _("Student")
        NOT_WORKING = "not_working", _("Not working (retired, ill, caring, too young)")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    ethnic_group = models.CharField(_("ethnic group"), max_length=2)
    relation_to_head = models.CharField(_("relation to the head"), max_length=16, choices=Relation.choices)
    identity_digest = models.CharField(_("identity number digest"), max_length=64, blank=True, db_index=True)
    identity_encrypted = models.TextField(_("identity number (encrypted)"), blank=True)
    identity_last_digits = models.CharField(_("last digits of the identity number"), max_length=4, blank=True)
    schooling = models.CharField(_("schooling"), max_length=16, choices=Schooling.choices, blank=True)
    has_health_insurance = models.BooleanField(_("health insurance"), default=False)
    has_disability = models.BooleanField(_("disability"), default=False)
    work = models.CharField(_("work"), max_length=24, choices=Work.choices, blank=True)
    left_on = models.DateField(_("left the household on"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household", "pk"]
        constraints = [
            # A person belongs to one household at a time: two writes at once cannot both register
            # the same identity number (the loser is refused; see the services).
            models.UniqueConstraint(
                fields=["identity_digest"],
                condition=models.Q(left_on__isnull=True) & ~models.Q(identity_digest=""),
                name="member_identity_current_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class HouseholdEvent(TimeStampedModel):
    """What happened to a household: created, moved, split from or merged into another, dissolved."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        MOVED = "moved", _("Moved to another village")
        SPLIT_FROM = "split_from", _("Split from another household")
        MERGED_INTO = "merged_into", _("Merged into another household")
        DISSOLVED = "dissolved", _("Dissolved")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    other_household = models.ForeignKey(
        Household,
        verbose_name=_("other household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_village = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("from village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_village = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("to village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("household event")
        verbose_name_plural = _("household events")
        ordering = ["household", "happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.kind} {self.happened_on}"


class ReviewCycle(TimeStampedModel):
    """A province's annual review (rà soát hộ nghèo, hộ cận nghèo) for a year under one standard."""

    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="review_cycles",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    standard_identifier = models.CharField(_("poverty standard"), max_length=40)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        ordering = ["province", "-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="review_cycle_unique_year")]

    def __str__(self) -> str:
        return f"{self.province.name} {self.year}"


class CommuneReview(TimeStampedModel):
    """One commune's part of a review cycle and where it stands."""

    class State(models.TextChoices):
        OPEN = "open", _("Open for entry")
        SUBMITTED = "submitted", _("Submitted to the province")
        RETURNED = "returned", _("Returned to the commune")
        APPROVED = "approved", _("Approved")

    cycle = models.ForeignKey(
        ReviewCycle, verbose_name=_("review cycle"), on_delete=models.CASCADE, related_name="communes"
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="commune_reviews",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)

    class Meta:
        verbose_name = _("commune review")
        verbose_name_plural = _("commune reviews")
        ordering = ["cycle", "commune__path"]
        constraints = [models.UniqueConstraint(fields=["cycle", "commune"], name="commune_review_unique")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.commune.name}"


class ReviewEvent(TimeStampedModel):
    """Every step of a commune's review, with who took it and why: the audit trail."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Opened")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Re-opened")
        RECALLED = "recalled", _("Recalled by the commune")

    commune_review = models.ForeignKey(
        CommuneReview, verbose_name=_("commune review"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["commune_review", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.commune_review} {self.action}"


class Assessment(TimeStampedModel):
    """A household's questionnaire answers in a review cycle and the status they produce.

    ``answers`` holds the fields the cycle's standard reads (its data file names them); the result
    columns are written by classification and stamped with the standard and its digest, so every
    status can be explained again from the answers and the rule version that produced it.
    """

    cycle = models.ForeignKey(
        ReviewCycle, verbose_name=_("review cycle"), on_delete=models.CASCADE, related_name="assessments"
    )
    # The cycle's year, kept on the assessment: a household has one status a year, and the household
    # list filters a million households on "status in year Y" and "status the year before" by index.
    year = models.PositiveSmallIntegerField(_("year"))
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="assessments"
    )
    commune_review = models.ForeignKey(
        CommuneReview, verbose_name=_("commune review"), on_delete=models.CASCADE, related_name="assessments"
    )
    area = models.CharField(_("area"), max_length=8, choices=Area.choices)
    income_per_capita_month = models.BigIntegerField(_("income per person per month (VND)"))
    answers = models.JSONField(_("answers"), default=dict)
    status = models.CharField(_("status"), max_length=24, blank=True)
    deprivation_count = models.PositiveSmallIntegerField(_("deprivations"), null=True, blank=True)
    deprived_mask = models.BigIntegerField(
        _("deprived indicators"),
        default=0,
        help_text=_("Bit i is set when the household is deprived in the standard's indicator i."),
    )
    income_threshold = models.BigIntegerField(_("income threshold applied (VND)"), null=True, blank=True)
    standard_identifier = models.CharField(_("standard"), max_length=40, blank=True)
    standard_digest = models.CharField(_("standard version"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["cycle", "household"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "household"], name="assessment_unique_household"),
            models.UniqueConstraint(fields=["household", "year"], name="assessment_one_a_year"),
            models.CheckConstraint(
                condition=Q(income_per_capita_month__gte=0), name="assessment_income_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["commune_review", "status"], name="assessment_review_status"),
            models.Index(fields=["cycle", "status"], name="assessment_cycle_status"),
            models.Index(fields=["year", "status", "household"], name="assessment_year_status"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.cycle.year}: {self.status}"


class ReviewCount(models.Model):
    """A commune review's assessments counted by status and by the ethnic group of the household's head,
    kept in the same transaction as every write that changes them (``registry.services.rollups``): what
    the review's figures read, at any level, without counting households.

    Whatever the review's state: the readers join the review and count the approved ones."""

    commune_review = models.ForeignKey(
        CommuneReview, verbose_name=_("commune review"), on_delete=models.CASCADE, related_name="counts"
    )
    status = models.CharField(_("status"), max_length=24, blank=True)
    head_ethnic_group = models.CharField(_("ethnic group of the head"), max_length=2)
    households = models.PositiveIntegerField(_("households"))

    class Meta:
        verbose_name = _("review count")
        verbose_name_plural = _("review counts")
        constraints = [
            models.UniqueConstraint(
                fields=["commune_review", "status", "head_ethnic_group"], name="review_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_review_id} {self.status} {self.head_ethnic_group}: {self.households}"


class ReviewStatusCount(models.Model):
    """A commune review's assessments counted by status alone, kept as :class:`ReviewCount` is: what the
    figures that need no ethnic group read (the country's communes and years, a cycle's list of communes),
    in a few rows a review instead of one per status and ethnic group."""

    commune_review = models.ForeignKey(
        CommuneReview,
        verbose_name=_("commune review"),
        on_delete=models.CASCADE,
        related_name="status_counts",
    )
    status = models.CharField(_("status"), max_length=24, blank=True)
    households = models.PositiveIntegerField(_("households"))

    class Meta:
        verbose_name = _("count by status")
        verbose_name_plural = _("counts by status")
        constraints = [
            models.UniqueConstraint(fields=["commune_review", "status"], name="review_status_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commune_review_id} {self.status}: {self.households}"


class DeprivationPatternCount(models.Model):
    """A commune review's assessments counted by status and by their pattern of deprivations (the mask of
    the standard they were classified under), kept as :class:`ReviewCount` is: what Alkire-Foster's
    measures and the deprivation forms are computed from, each pattern scored once."""

    commune_review = models.ForeignKey(
        CommuneReview,
        verbose_name=_("commune review"),
        on_delete=models.CASCADE,
        related_name="deprivation_patterns",
    )
    status = models.CharField(_("status"), max_length=24, blank=True)
    standard_identifier = models.CharField(_("standard"), max_length=40, blank=True)
    deprived_mask = models.BigIntegerField(_("deprived indicators"))
    households = models.PositiveIntegerField(_("households"))

    class Meta:
        verbose_name = _("deprivation pattern count")
        verbose_name_plural = _("deprivation pattern counts")
        constraints = [
            models.UniqueConstraint(
                fields=["commune_review", "status", "standard_identifier", "deprived_mask"],
                name="deprivation_pattern_count_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_review_id} {self.standard_identifier} {self.deprived_mask}: {self.households}"


class FlowCount(models.Model):
    """A commune review's households counted by their status in it and in the province's review of the
    year before (its previous review cycle), by the household's village and the head's ethnic group: the
    flows between two consecutive reviews (escaped, fell into poverty, …) read from counts, kept as
    :class:`ReviewCount` is.

    ``earlier_review`` is the commune review of the household's assessment in the previous cycle (another
    commune's when it moved; none when it was not assessed), so a reader comparing only the communes
    approved in both reviews knows which previous statuses to count. ``fell_back``: poor in a review
    before the previous one; ``dissolved``: the household has been dissolved."""

    commune_review = models.ForeignKey(
        CommuneReview, verbose_name=_("commune review"), on_delete=models.CASCADE, related_name="flow_counts"
    )
    earlier_review = models.ForeignKey(
        CommuneReview,
        verbose_name=_("previous commune review"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    village = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    head_ethnic_group = models.CharField(_("ethnic group of the head"), max_length=2)
    review_status = models.CharField(_("status"), max_length=24, blank=True)
    # None: not assessed in the previous cycle (a blank status is an assessment not yet classified).
    previous_review_status = models.CharField(_("previous status"), max_length=24, null=True)  # noqa: DJ001
    fell_back = models.BooleanField(_("poor before the previous review"))
    dissolved = models.BooleanField(_("dissolved"))
    households = models.PositiveIntegerField(_("households"))

    class Meta:
        verbose_name = _("flow count")
        verbose_name_plural = _("flow counts")
        indexes = [models.Index(fields=["earlier_review"], name="flow_count_earlier_review")]

    def __str__(self) -> str:
        return f"{self.commune_review_id} {self.previous_review_status} → {self.review_status}: {self.households}"


class NotReassessedCount(models.Model):
    """A commune review's households that have no assessment in the province's next review cycle, counted
    by status, village, the head's ethnic group and whether the household was dissolved: the households
    that leave the flows between two consecutive reviews (not reviewed again, dissolved), kept as
    :class:`ReviewCount` is."""

    commune_review = models.ForeignKey(
        CommuneReview,
        verbose_name=_("commune review"),
        on_delete=models.CASCADE,
        related_name="not_reassessed_counts",
    )
    village = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    head_ethnic_group = models.CharField(_("ethnic group of the head"), max_length=2)
    review_status = models.CharField(_("status"), max_length=24, blank=True)
    dissolved = models.BooleanField(_("dissolved"))
    households = models.PositiveIntegerField(_("households"))

    class Meta:
        verbose_name = _("count of households not reassessed")
        verbose_name_plural = _("counts of households not reassessed")

    def __str__(self) -> str:
        return f"{self.commune_review_id} {self.review_status}: {self.households}"


class PersonalDataRead(models.Model):
    """One response that showed a household's personal data to a user (nhật ký truy cập dữ liệu cá nhân):
    who, when, what kind of read, which household (none for a list or an export) and how many households,
    the filter given, and the request's address.

    Personal data are the members (names, years of birth, ethnic groups, identity numbers), the address
    and the answers. A request is one row, however many households it showed: an export of a million
    households is one row with its count and its filter. The log holds no personal data itself beyond
    the household code: the filter's search text is masked.

    Append-only: no service changes or deletes a row, the admin is read-only, and the database refuses
    an UPDATE (both databases) and a DELETE (PostgreSQL; see migration 0004)."""

    class Kind(models.TextChoices):
        HOUSEHOLD_PAGE = "household_page", _("Household page")
        ANSWERS_PAGE = "answers_page", _("Answers page")
        LIST_PAGE = "list_page", _("Household list page")
        EXPORT = "export", _("Household export")
        API_DETAIL = "api_detail", _("API: one household")
        API_LIST = "api_list", _("API: household list")
        # Field capture (ODK Collect): the households a phone's form is given, the submissions' list
        # page, one submission's page and a file sent with it (opened alone or shown in the page).
        PHONE_HOUSEHOLDS = "phone_households", _("Phone form: household list")
        PHONE_LIST = "phone_list", _("Phone submissions: list page")
        PHONE_DETAIL = "phone_detail", _("Phone submissions: one submission")
        PHONE_FILE = "phone_file", _("Phone submissions: a file sent (the dwelling's photo)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now, editable=False)
    kind = models.CharField(_("kind of read"), max_length=16, choices=Kind.choices)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a list or an export: the filter says which households."),
    )
    household_count = models.PositiveIntegerField(_("number of households"))
    identity_numbers_whole = models.BooleanField(
        _("identity numbers shown whole"),
        default=False,
        help_text=_("The response showed members' identity numbers whole, not masked."),
    )
    query = models.CharField(
        _("filter"),
        max_length=500,
        blank=True,
        help_text=_("The filter of a list or an export, its search text masked."),
    )
    address = models.GenericIPAddressField(_("network address"), null=True, blank=True)

    class Meta:
        verbose_name = _("read of personal data")
        verbose_name_plural = _("reads of personal data")
        ordering = ["-read_at", "-pk"]
        # One per filter the log page offers, each with the time it is ordered by.
        indexes = [
            models.Index(fields=["household", "read_at"], name="read_household_time"),
            models.Index(fields=["user", "read_at"], name="read_user_time"),
            models.Index(fields=["kind", "read_at"], name="read_kind_time"),
            models.Index(fields=["read_at"], name="read_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=True) | Q(household_count=1),
                name="read_one_household_counts_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.household_id or self.query} {self.read_at:%Y-%m-%d %H:%M}"
