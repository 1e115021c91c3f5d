"""The background tasks of the registry, run by ``vungcao db_worker`` (Django's tasks API;
``settings.TASKS``): thin entry points, each running one service in the language of the user who queued
it. Their arguments are ids only."""

from django.utils import translation
from django_tasks import task

from vungcao.registry.services import exports


@task()
def household_export_task(*, export_id: str, language: str) -> None:
    with translation.override(language or None):
        exports.household_export_write(export_id=export_id)
