"""What phones send (bản ghi từ điện thoại): each instance of a review's form that ODK Collect posted, kept
as received (its XML and photos sealed, ``common.sealing``, bound to the submission's id) with where it
stands: waiting for an officer, accepted into the review, rejected, or refused on arrival with its
reason. Phones never write the review: an officer accepts a submission, which enters it as an import."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vungcao.common.models import TimeStampedModel


class FormWording(TimeStampedModel):
    """A province's own wording of its review's phone form (cách diễn đạt của tỉnh): new texts for the
    labels, hints, messages and appearance of the form's questions and choices, laid over the form generated
    from the standard. Kept as these texts only, never the uploaded file, so the questions, their names and
    their rules stay the server's."""

    cycle = models.OneToOneField(
        "registry.ReviewCycle",
        verbose_name=_("review cycle"),
        on_delete=models.CASCADE,
        related_name="form_wording",
    )
    # ``{"survey": {name: {column: text}}, "choices": {"list/name": {column: text}}}``: only what differs
    # from the generated form (``field_capture.xlsform.Wording``).
    wording = models.JSONField(_("wording"))
    filename = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("form wording")
        verbose_name_plural = _("form wordings")

    def __str__(self) -> str:
        return f"{self.cycle} ({self.filename})"

    @property
    def text_count(self) -> int:
        """How many texts the province reworded."""
        return sum(len(columns) for rows in self.wording.values() for columns in rows.values())


class Submission(TimeStampedModel):
    """One household's answers as a phone sent them, for one commune's review."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an officer")
        ACCEPTED = "accepted", _("Accepted into the review")
        REJECTED = "rejected", _("Rejected")
        REFUSED = "refused", _("Refused on arrival")

    class Reason(models.TextChoices):
        """Why a submission is not (or no longer) waiting to enter the review."""

        REVIEW_CLOSED = "review_closed", _("The commune's review is not open for entry")
        NOT_YOUR_COMMUNE = "not_your_commune", _("The sender may not enter this commune's answers")
        HOUSEHOLD_UNKNOWN = "household_unknown", _("No such household")
        HOUSEHOLD_DISSOLVED = "household_dissolved", _("The household is dissolved")
        HOUSEHOLD_ELSEWHERE = "household_elsewhere", _("The household lives in another commune")
        CODE_TAKEN = "code_taken", _("The new household's code is taken")
        INVALID_ANSWERS = "invalid_answers", _("The answers break the standard's rules")
        SUPERSEDED = "superseded", _("A later submission for the household replaced it")
        REJECTED_BY_OFFICER = "rejected_by_officer", _("Rejected by an officer")

    # Seals are bound to it, as an import's are to its batch's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    commune_review = models.ForeignKey(
        "registry.CommuneReview", verbose_name=_("commune review"), on_delete=models.PROTECT, related_name="+"
    )
    form_id = models.CharField(_("form"), max_length=100)
    form_version = models.CharField(_("form version"), max_length=100, blank=True)
    # The phone's identifier of the instance (``meta/instanceID``), and of the one an edit replaces
    # (``meta/deprecatedID``).
    instance_id = models.CharField(_("instance"), max_length=100)
    deprecated_id = models.CharField(_("replaced instance"), max_length=100, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    household_code = models.CharField(_("household code"), max_length=40)
    new_household = models.BooleanField(_("new household"))
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # When the officer finished the form on the phone (its ``end``): orders two for one household.
    completed_at = models.DateTimeField(_("completed on the phone at"), null=True, blank=True)
    device_id = models.CharField(_("device"), max_length=100, blank=True)
    user_agent = models.CharField(_("application"), max_length=255, blank=True)
    # The instance's XML as received, sealed (purpose "vungcao odk submission", bound to the id).
    xml = models.BinaryField(_("instance, sealed"))
    # SHA-256 of the bytes received: tells the same instance sent again from another one with its id.
    xml_digest = models.CharField(_("digest of the instance"), max_length=64)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices, blank=True)
    # The reason's parameters; for invalid answers, the problems in Vietnamese and English.
    reason_detail = models.JSONField(_("reason in detail"), default=dict, blank=True)
    # The standard's status for these answers, as the engine classified them on arrival.
    status_after = models.CharField(_("status after"), max_length=24, blank=True)
    # The household's change these answers describe, sealed like the XML.
    changes = models.BinaryField(_("changes, sealed"), default=b"", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone submission")
        verbose_name_plural = _("phone submissions")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_id", "instance_id"], name="field_submission_instance_unique"
            ),
            models.UniqueConstraint(
                fields=["commune_review", "household_code"],
                condition=Q(state="pending"),
                name="field_submission_one_pending_per_household",
            ),
        ]
        indexes = [
            # A commune's submissions by state, newest first (the commune's page).
            models.Index(fields=["commune_review", "state", "-received_at"], name="field_submission_list"),
            models.Index(fields=["submitted_by", "-received_at"], name="field_submission_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.household_code} ({self.state})"


PICTURE_TYPES = frozenset({"image/jpeg", "image/png"})


class SubmissionAttachment(models.Model):
    """A file sent with a submission (the dwelling's photo), sealed and bound to the submission and its
    file name."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    md5 = models.CharField(_("MD5"), max_length=32)
    content = models.BinaryField(_("content, sealed"))

    class Meta:
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")
        ordering = ["submission", "filename"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "filename"], name="field_attachment_unique")
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_picture(self) -> bool:
        """A JPEG or PNG picture (as its first bytes said on arrival): shown in the page; any other file
        is downloaded."""
        return self.content_type in PICTURE_TYPES
