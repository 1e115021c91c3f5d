"""The registry's background task, run by ``vungcao db_worker`` (Django's tasks API; ``settings.TASKS``): the
snapshot written again after a commune review is approved or re-opened (``services.snapshot``). Its
argument is the time the decision committed; it returns the partitions written and removed."""

from datetime import datetime

from django.conf import settings
from django_tasks import task

from vungcao.registry.services import snapshot


@task()
def snapshot_write_task(*, requested_at: str) -> dict[str, list[str]] | None:
    written = snapshot.snapshot_write_requested(
        directory=settings.SNAPSHOT_DIRECTORY, requested_at=datetime.fromisoformat(requested_at)
    )
    if written is None:
        return None
    return {
        "written": [partition.key for partition in written.written],
        "removed": [partition.key for partition in written.removed],
    }
