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
    # The uploaded file and the rows read from it are sealed personal data, never shown.
    exclude = ("rows", "upload")
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
    )
