"""Reads of uploaded files, scoped by accounts.access."""

from django.db.models import QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.engine.tabular import ValidationProblem
from vungcao.imports.models import ImportBatch

# The rows read from the file (megabytes, sealed) are read only by apply, which locks the batch anew; the
# described changes (sealed) only by the batch's own page.
LARGE_FIELDS = ("rows", "changes")


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


def import_batch_steps(*, batch: ImportBatch) -> list[tuple[str, str]]:
    """The steps of the background work under way on a batch, each with its state ("done", "current" or
    "waiting"), for the page to show where it is; empty when none is under way."""
    Phase = ImportBatch.Phase
    if batch.status == ImportBatch.Status.READING:
        phases = [Phase.QUEUED, Phase.READING, Phase.CHECKING]
    elif batch.status == ImportBatch.Status.APPLYING:
        phases = [Phase.QUEUED, Phase.WRITING]
    else:
        return []
    current = phases.index(Phase(batch.phase)) if batch.phase in phases else 0
    states = [
        "done" if index < current else "current" if index == current else "waiting"
        for index in range(len(phases))
    ]
    return [(str(phase.label), state) for phase, state in zip(phases, states, strict=True)]
