"""Phone submissions in Django's admin, read-only: they change state through the field capture pages
alone, and their XML and files are sealed personal data, never shown here."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from vungcao.accounts import access
from vungcao.field_capture.models import Submission, SubmissionAttachment


class SubmissionAttachmentInline(admin.TabularInline[SubmissionAttachment, Submission]):
    model = SubmissionAttachment
    fields = ("filename", "content_type", "size", "md5")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = (
        "received_at",
        "form_id",
        "household_code",
        "new_household",
        "state",
        "reason",
        "submitted_by",
    )
    list_filter = ("state", "reason", "new_household")
    search_fields = ("=household_code", "=form_id", "=instance_id", "=submitted_by__username")
    date_hierarchy = "received_at"
    list_select_related = ("submitted_by",)
    show_full_result_count = False
    exclude = ("xml", "changes")
    inlines = (SubmissionAttachmentInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Submission]:
        return access.restrict_field_submissions(
            super().get_queryset(request).defer("xml", "changes"), access.request_user(request)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False
