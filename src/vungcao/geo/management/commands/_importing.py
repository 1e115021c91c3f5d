"""Shared by the import commands: run a file import service and print its refusal row by row."""

from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.core.management.base import BaseCommand, CommandError

from vungcao.common.errors import ApplicationError, ImportRefusedError
from vungcao.geo.services import LoadResult


def run_file_import(command: BaseCommand, path: str, service: Callable[[IO[bytes], str], LoadResult]) -> None:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        with file.open("rb") as stream:
            result = service(stream, file.name)
    except ImportRefusedError as error:
        for problem in error.report:
            command.stderr.write(str(problem))
        raise CommandError(error.message) from error
    except ApplicationError as error:
        raise CommandError(error.message) from error
    command.stdout.write(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged")
