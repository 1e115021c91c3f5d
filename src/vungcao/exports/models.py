"""A report or list written to a spreadsheet by a background task for the user who asked (xuất tệp), and
kept for them alone, sealed, for ``exports.services.RETENTION``.

One model serves every kind of export (the household list, the programme money report): each kind has a
writer (``exports.writers``) that knows what the parameters mean and how to write the file; the queue,
the progress page, the sealing, the retention and the stall are the same for all."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vungcao.common.models import TimeStampedModel


class Export(TimeStampedModel):
    """What the user asked for (its kind and parameters), the state of its writing, and the sealed file.

    A file may hold personal data (the household list's addresses): it is sealed (``common.sealing``,
    bound to the export's id) and removed once the retention has passed. It is written to a temporary
    file and kept, and downloaded, one piece at a time, so that a country's list needs no more memory
    than a commune's."""

    class Kind(models.TextChoices):
        HOUSEHOLDS = "households", _("List of households")
        MONEY = "money", _("Programme money report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Being written")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="exports"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What the page asked for, as its writer reads it (the household list's filter, the money report's
    # unit, years and component): a unit by its code, looked up again, in the user's scope, at writing.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    row_count = models.PositiveIntegerField(_("rows written"), default=0)
    # The spreadsheet is kept sealed in pieces (``ExportPiece``), removed once the export expires: its
    # size in bytes as downloaded and the number of its pieces.
    size = models.BigIntegerField(_("file size (bytes)"), default=0)
    pieces = models.PositiveIntegerField(_("pieces"), default=0)
    filename = models.CharField(_("file name"), max_length=200, default="", blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Why the export failed, in the user's words (never a traceback: that goes to the log).
    error = models.TextField(_("error"), default="", blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="exports_user_recent"),
            # The exports every new export expires when they are older than the retention.
            models.Index(fields=["status", "created_at"], name="exports_status_age"),
        ]

    @property
    def in_progress(self) -> bool:
        """The task is queued or running: the page polls until it ends."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"


class ExportPiece(models.Model):
    """One piece of an export's file, sealed (``common.sealing.seal_pieces``): at most a mebibyte of the
    file, so that neither the writing nor a download holds the file whole."""

    export = models.ForeignKey(Export, verbose_name=_("export"), on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    content = models.BinaryField(_("piece of the file, sealed"))

    class Meta:
        verbose_name = _("piece of an exported file")
        verbose_name_plural = _("pieces of exported files")
        constraints = [models.UniqueConstraint(fields=["export", "number"], name="export_piece_unique")]

    def __str__(self) -> str:
        return f"{self.export_id} #{self.number}"
