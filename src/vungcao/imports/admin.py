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
    # The rows read from the file are sealed personal data, never shown.
    exclude = ("rows",)
    readonly_fields = ("user", "kind", "filename", "status", "problems", "problem_count", "applied_at")
