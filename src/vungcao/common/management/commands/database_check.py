"""``vungcao database_check``: is this database complete? Run it after restoring a backup.

    vungcao database_check --write-manifest before.json   # just before the backup: rows of every table
    vungcao database_check --manifest before.json         # after the restore: the same rows, and usable

Exit status 0 when there is no problem, 1 otherwise, with one line per problem.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vungcao.common import database


class Command(BaseCommand):
    help = (
        "Check that the database is complete and usable: every migration applied, each app's data "
        "present and readable (units, identity numbers), and, with --manifest, the same rows as when the "
        "manifest was written. Exit status 1 when a problem is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write-manifest", metavar="FILE", help="write the row count of every table")
        parser.add_argument("--manifest", metavar="FILE", help="compare with a manifest written before")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = database.database_problems()
        if options["manifest"]:
            try:
                expected = json.loads(Path(options["manifest"]).read_text(encoding="utf-8"))["tables"]
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise CommandError(
                    f"{options['manifest']} is not a manifest of this command: {error}"
                ) from error
            if not problems:
                problems.extend(database.manifest_differences(expected, database.database_manifest()))
        if options["write_manifest"]:
            if problems:
                raise CommandError(
                    "the manifest was not written: fix the problems below first\n" + "\n".join(problems)
                )
            manifest = {"tables": database.database_manifest()}
            Path(options["write_manifest"]).write_text(
                json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8"
            )
            self.stdout.write(f"manifest written: {len(manifest['tables'])} tables")
        for problem in problems:
            self.stdout.write(f"problem: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problems found", returncode=1)
        self.stdout.write("the database is complete")
