"""Administrative units of both eras, villages, commune classifications and the 2025 crosswalk."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vungcao.common.models import TimeStampedModel

REORGANISATION_DATE = datetime.date(2025, 7, 1)


class Era(models.TextChoices):
    PRE2025 = "pre2025", _("Before 1 July 2025")
    CURRENT = "current", _("From 1 July 2025")


class Level(models.TextChoices):
    PROVINCE = "province", pgettext_lazy("administrative level", "Province")
    DISTRICT = "district", pgettext_lazy("administrative level", "District")
    COMMUNE = "commune", pgettext_lazy("administrative level", "Commune")
    VILLAGE = "village", pgettext_lazy("administrative level", "Village")


# Depth of each level in the materialised path, per era: the current era has no districts.
LEVEL_DEPTH = {
    Era.PRE2025: {Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3, Level.VILLAGE: 4},
    Era.CURRENT: {Level.PROVINCE: 1, Level.COMMUNE: 2, Level.VILLAGE: 3},
}
CHILD_LEVEL = {
    Era.PRE2025: {
        Level.PROVINCE: Level.DISTRICT,
        Level.DISTRICT: Level.COMMUNE,
        Level.COMMUNE: Level.VILLAGE,
    },
    Era.CURRENT: {Level.PROVINCE: Level.COMMUNE, Level.COMMUNE: Level.VILLAGE},
}


class AdministrativeUnit(TimeStampedModel):
    """A province, district, commune (xã, phường, đặc khu) or village (thôn, bản, tổ dân phố).

    ``path`` is the materialised path of codes from the province down, prefixed by the era
    (``current/08/02290/``), so every descendant of a unit is one indexed prefix query.
    """

    era = models.CharField(_("era"), max_length=16, choices=Era.choices)
    code = models.CharField(_("code"), max_length=24)
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(_("name without diacritics"), max_length=200, editable=False)
    division_type = models.CharField(_("division type"), max_length=40)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    is_official = models.BooleanField(
        _("official"),
        default=True,
        help_text=_("Official units come from the General Statistics Office list."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["era", "code"], name="unit_unique_code_per_era"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["era", "level", "code"], name="unit_era_level_code"),
            models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name"], name="unit_parent_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to the parent, read from the path without a query."""
        return self.path.strip("/").split("/")[1:-1]


class UnitAttribute(TimeStampedModel):
    """A classification of a commune or village valid over a period, with its legal source.

    E.g. ethnic-minority development region III (Decision 861/QD-TTg), an especially-difficult
    village (thôn đặc biệt khó khăn), a border or island commune.
    """

    class Kind(models.TextChoices):
        ETHNIC_REGION = "ethnic_region", _("Ethnic-minority development region")
        ESPECIALLY_DIFFICULT_VILLAGE = "especially_difficult_village", _("Especially difficult village")
        BORDER = "border", _("Border commune")
        ISLAND = "island", _("Island commune")

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="attributes"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit attribute")
        verbose_name_plural = _("unit attributes")
        ordering = ["unit__path", "kind", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "valid_from"], name="attribute_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="attribute_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.kind}={self.value} from {self.valid_from}"


class CrosswalkLink(TimeStampedModel):
    """``share`` (0–1) of ``old_unit`` became part of ``new_unit``."""

    class Provenance(models.TextChoices):
        DERIVED_PROVINCE = (
            "derived_province",
            _("Derived: the province of the communes that kept their codes"),
        )
        DERIVED_ANCHOR = "derived_anchor", _("Derived: the new commune kept this old commune's code")
        OFFICIAL_IMPORT = "official_import", _("Imported from the official crosswalk")
        VILLAGE_CHANGE = "village_change", _("Recorded village merge")

    old_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("old unit"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    new_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("new unit"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    share = models.DecimalField(_("share"), max_digits=9, decimal_places=6)
    provenance = models.CharField(_("provenance"), max_length=32, choices=Provenance.choices)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk links")
        ordering = ["old_unit__path", "new_unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="crosswalk_unique_pair"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="crosswalk_share_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit.code} → {self.new_unit.code} × {self.share}"


class UnitTreeRevision(models.Model):
    """The revision of the units and the crosswalk (one row): a token that every write to them replaces
    (``geo.services.revision``), so that a process holding them in memory (``geo.unit_tree``) reads them
    again when the stored token is not the one it read them at."""

    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("unit tree revision")
        verbose_name_plural = _("unit tree revisions")

    def __str__(self) -> str:
        return self.token


from vungcao.geo.models_boundaries import UnitBoundary as UnitBoundary  # noqa: E402
