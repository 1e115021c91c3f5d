"""Reads of uploaded files, scoped by accounts.access."""

from django.db.models import QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.engine.tabular import ValidationProblem
from vungcao.imports.models import ImportBatch

# The rows read from the file (megabytes, sealed) are read only by apply, which locks the batch anew.
LARGE_FIELDS = ("rows",)


def import_batch_list(*, user: User) -> QuerySet[ImportBatch]:
    return access.restrict_import_batches(ImportBatch.objects.defer(*LARGE_FIELDS), user).select_related(
        "user"
    )


def import_batch_get(*, user: User, batch_id: str) -> ImportBatch:
    batches = access.restrict_import_batches(ImportBatch.objects.defer(*LARGE_FIELDS), user)
    batch = batches.filter(pk=batch_id).first()
    if batch is None:
        raise NotFoundError(f"import {batch_id}")
    return batch


def import_batch_problems(*, batch: ImportBatch) -> list[ValidationProblem]:
    return sorted(ValidationProblem(**problem) for problem in batch.problems)
