from django.contrib import admin

from vungcao.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = (
        "created_at",
        "filename",
        "kind",
        "status",
        "user",
        "created_count",
        "updated_count",
        "problem_count",
    )
    list_filter = ("kind", "status")
    # The uploaded file, the rows read from it and the changes described are sealed personal data, never
    # shown.
    exclude = ("rows", "upload", "changes")
    readonly_fields = (
        "user",
        "kind",
        "filename",
        "status",
        "phase",
        "row_count",
        "error",
        "problems",
        "problem_count",
        "applied_at",
        "change_counts",
        "changes_fingerprint",
        "missing_count",
        "missing_must_go",
        "remove_missing",
    )
