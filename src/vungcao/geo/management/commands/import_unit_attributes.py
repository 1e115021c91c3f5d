"""``vungcao import_unit_attributes FILE``: commune and village classifications with their periods."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vungcao.geo import services
from vungcao.geo.management.commands._importing import run_file_import


class Command(BaseCommand):
    help = "Import classifications (code, kind, value, valid_from, valid_to, legal_basis) from CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        run_file_import(
            self,
            options["file"],
            lambda stream, name: services.unit_attributes_import(user=None, stream=stream, filename=name),
        )
