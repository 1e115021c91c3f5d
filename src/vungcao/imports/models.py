"""An uploaded file on its way in: previewed, then applied, refused or expired, and kept as the record of
it (who, when, what it did or why it was refused). The file itself is never kept: only the rows read from
it, sealed, while its preview waits to be applied (``imports.services.RETENTION``)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vungcao.common.models import TimeStampedModel


class ImportBatch(TimeStampedModel):
    class Status(models.TextChoices):
        READY = "ready", _("Ready to apply")
        REFUSED = "refused", _("Refused")
        APPLIED = "applied", _("Applied")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
        help_text=_("Empty when imported by an operator from the command line."),
    )
    kind = models.CharField(_("kind"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    # The rows read from the file at preview (``common.files.Table.packed``), so that apply plans them
    # again without the file (seconds for a large workbook). They repeat the file's personal data (identity
    # numbers), so they are sealed (``common.sealing``, bound to the batch's id) and emptied once the batch
    # is applied, refused or expired (``imports.services.RETENTION`` after its preview).
    rows = models.BinaryField(_("rows read at preview"), default=b"", blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    # The first problems by row (``engine.tabular.MAX_PROBLEMS``) and how many there were in all.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="import_user_recent")]

    @property
    def problems_omitted(self) -> int:
        """Problems counted but not kept."""
        return max(self.problem_count - len(self.problems), 0)

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"
