"""The background tasks of imports, run by ``vungcao db_worker`` (Django's tasks API; ``settings.TASKS``).

Thin entry points, like views: each runs one service in the language of the user who queued it (the
problems and messages it records are read by that user). Their arguments are ids only: the file itself
waits sealed on its batch (``imports.services``), never in the queue's table.
"""

from django.utils import translation
from django_tasks import task

from vungcao.imports import background


@task()
def import_batch_read_task(*, batch_id: str, language: str) -> None:
    with translation.override(language or None):
        background.import_batch_read(batch_id=batch_id)


@task()
def import_batch_apply_task(*, batch_id: str, user_id: int, language: str) -> None:
    with translation.override(language or None):
        background.import_batch_apply(batch_id=batch_id, user_id=user_id)
