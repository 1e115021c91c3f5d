"""The background task of exports, run by ``vungcao db_worker`` (Django's tasks API; ``settings.TASKS``):
a thin entry point running the writing in the language of the user who asked. Its arguments are ids only."""

from django.utils import translation
from django_tasks import task

from vungcao.exports import services


@task()
def export_task(*, export_id: str, language: str) -> None:
    with translation.override(language or None):
        services.export_write(export_id=export_id)
