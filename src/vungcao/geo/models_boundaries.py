"""The drawn boundary of an administrative unit (ranh giới hành chính), imported from GeoJSON."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vungcao.common.models import TimeStampedModel


class UnitBoundary(TimeStampedModel):
    """The outline of one unit as a validated GeoJSON Polygon or MultiPolygon (WGS 84 degrees).

    ``geometry`` is the canonical text written by :meth:`vungcao.engine.geometry.Geometry.to_json`,
    so re-importing the same outline compares equal; the bounding box lets a map select its units
    without reading every outline.
    """

    unit = models.OneToOneField(
        "geo.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="boundary",
    )
    geometry = models.TextField(_("geometry (GeoJSON)"))
    west = models.FloatField(_("west longitude"))
    south = models.FloatField(_("south latitude"))
    east = models.FloatField(_("east longitude"))
    north = models.FloatField(_("north latitude"))
    source = models.CharField(_("source"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("unit boundary")
        verbose_name_plural = _("unit boundaries")
        ordering = ["unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(west__lte=models.F("east")) & models.Q(south__lte=models.F("north")),
                name="boundary_bbox_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} boundary ({self.source})"
