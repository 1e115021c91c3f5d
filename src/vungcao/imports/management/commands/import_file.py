"""``vungcao import_file KIND FILE [--dry-run]``: the same preview and apply as the web page, for operators."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vungcao.accounts.services import system_actor
from vungcao.common.errors import ApplicationError, ImportRefusedError
from vungcao.imports import services
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file: villages, crosswalk (the official commune crosswalk) or unit_attributes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(importers()))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and count only; write nothing")
        parser.add_argument(
            "--remove-missing",
            action="store_true",
            help="record the stored records the file leaves out (a household's members) as removed; "
            "without it they are kept",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        file = Path(options["file"])
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            with file.open("rb") as stream:
                batch = services.import_preview(
                    user=system_actor(), kind=options["kind"], stream=stream, filename=file.name
                )
            if batch.status == ImportBatch.Status.REFUSED:
                for problem in batch.problems:
                    self.stderr.write("row {row}, {field}: {reason} (value: {value!r})".format(**problem))
                if batch.problems_omitted:
                    self.stderr.write(f"… and {batch.problems_omitted} more problems")
                raise CommandError(str(services.FILE_REFUSED))
            if not options["dry_run"]:
                batch = services.import_apply(
                    user=system_actor(), batch=batch, remove_missing=options["remove_missing"]
                )
        except ImportRefusedError as error:
            for problem in error.report:
                self.stderr.write(str(problem))
            if error.report.omitted:
                self.stderr.write(f"… and {error.report.omitted} more problems")
            raise CommandError(error.message) from error
        except ApplicationError as error:
            raise CommandError(error.message) from error
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{batch.created_count} new, {batch.updated_count} changed, {batch.unchanged_count} unchanged {verb} written"
        )
        if batch.missing_count:
            fate = (
                "recorded as removed" if options["remove_missing"] else "kept (--remove-missing removes them)"
            )
            self.stdout.write(f"{batch.missing_count} stored records missing from the file {verb} {fate}")
