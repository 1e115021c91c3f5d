"""An uploaded file on its way in: read (in the background), previewed, then applied, refused, expired or
failed, and kept as the record of it (who, when, what it did or why it was refused). The file itself is
kept only sealed, and only until the background task has read it; then only the rows read from it,
sealed, while its preview waits to be applied (``imports.services.RETENTION``)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vungcao.common.models import TimeStampedModel


class ImportBatch(TimeStampedModel):
    class Status(models.TextChoices):
        READING = "reading", _("Being read")
        READY = "ready", _("Ready to apply")
        APPLYING = "applying", _("Being applied")
        REFUSED = "refused", _("Refused")
        APPLIED = "applied", _("Applied")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")

    class Phase(models.TextChoices):
        """Where the background work on the file is (``imports.tasks``); empty when none is under way."""

        NONE = "", _("Nothing under way")
        QUEUED = "queued", _("Waiting for a worker")
        READING = "reading", _("Reading the file")
        CHECKING = "checking", _("Checking every row")
        WRITING = "writing", _("Checking again and writing")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Who imported: an official through the pages, or the system actor for an operator's command.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    kind = models.CharField(_("kind"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    # The rows read from the file at preview (``common.files.Table.packed``), so that apply plans them
    # again without the file (seconds for a large workbook). They repeat the file's personal data (identity
    # numbers), so they are sealed (``common.sealing``, bound to the batch's id) and emptied once the batch
    # is applied, refused or expired (``imports.services.RETENTION`` after its preview).
    rows = models.BinaryField(_("rows read at preview"), default=b"", blank=True)
    # The uploaded file between the upload and the background task that reads it (seconds, or minutes when
    # the workers are busy): sealed like the rows (another purpose, bound to the batch's id) and emptied by
    # that task as soon as it has read it, whatever it found; never kept past ``RETENTION``.
    upload = models.BinaryField(_("uploaded file, until read"), default=b"", blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default="", blank=True)
    # Data rows found in the file (known once it is read), shown while they are checked.
    row_count = models.PositiveIntegerField(_("rows in the file"), default=0)
    # Why the background work failed, in the uploader's words (never a traceback: that goes to the log).
    error = models.TextField(_("error"), default="", blank=True)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    # The first problems by row (``engine.tabular.MAX_PROBLEMS``) and how many there were in all.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    # What applying the file would change, as the preview found it (``imports.changes``): the first changes
    # of each kind, sealed like the rows and emptied with them; how many of each kind in all; and the plan's
    # fingerprint, which the apply must find again under lock (or it writes nothing and shows the new one).
    changes = models.BinaryField(_("changes, sealed"), default=b"", blank=True)
    change_counts = models.JSONField(_("changes by kind"), default=dict, blank=True)
    changes_fingerprint = models.CharField(_("fingerprint of the changes"), max_length=200, blank=True)
    # Stored records the file leaves out (a household's members): kept, unless the person applying chose
    # to record them as removed (``remove_missing``, recorded at apply); ``missing_must_go`` when some of
    # them cannot be kept (a household's head the file replaced), so only that choice applies.
    missing_count = models.PositiveIntegerField(_("records missing from the file"), default=0)
    missing_must_go = models.BooleanField(_("records missing from the file cannot be kept"), default=False)
    remove_missing = models.BooleanField(_("records missing from the file removed"), default=False)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="import_user_recent"),
            # The batches every upload expires when they waited too long (``import_batches_expire``).
            models.Index(fields=["status", "created_at"], name="import_status_age"),
        ]

    @property
    def in_progress(self) -> bool:
        """Background work is queued or running: the page polls until it ends."""
        return self.status in (self.Status.READING, self.Status.APPLYING)

    @property
    def problems_omitted(self) -> int:
        """Problems counted but not kept."""
        return max(self.problem_count - len(self.problems), 0)

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"
