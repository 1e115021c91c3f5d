"""``vungcao import_crosswalk FILE``: the official commune crosswalk (old_code, new_code, share)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vungcao.geo import services
from vungcao.geo.management.commands._importing import run_file_import


class Command(BaseCommand):
    help = (
        "Import the official crosswalk from CSV or XLSX (columns old_code, new_code, share); all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--level", choices=["commune", "province"], default="commune")

    def handle(self, *args: Any, **options: Any) -> None:
        run_file_import(
            self,
            options["file"],
            lambda stream, name: services.crosswalk_import(
                user=None, stream=stream, filename=name, level=options["level"]
            ),
        )
