"""``vungcao rollups``: are the tables of counts and sums equal to the records they count? (``common.rollups``)

    vungcao rollups --check      # count every rollup again from its records; print each difference
    vungcao rollups --rebuild    # count every rollup again and store it

Exit status 0 when no rollup differs from its records (after ``--rebuild``, always), 1 otherwise.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vungcao.common.rollups import declared_rollups, rollup_differences, rollup_rebuild


class Command(BaseCommand):
    help = (
        "Check the rollups (the review's counts and money's totals, which every figure reads) against the "
        "records they count, or rebuild them. Exit status 1 when --check finds a difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="print every difference; change nothing")
        action.add_argument("--rebuild", action="store_true", help="count every rollup again and store it")
        parser.add_argument(
            "--most", type=int, default=20, help="differences printed per rollup (default 20)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rollups = declared_rollups()
        if options["rebuild"]:
            for rollup in rollups:
                started = time.perf_counter()
                rollup_rebuild(rollup)
                rows = rollup.table._base_manager.count()
                self.stdout.write(f"{rollup.name}: {rows} rows in {time.perf_counter() - started:.1f} s")
            return
        found = 0
        for rollup in rollups:
            differences = rollup_differences(rollup, most=options["most"])
            found += bool(differences)
            for line in differences:
                self.stdout.write(line)
            if not differences:
                self.stdout.write(f"{rollup.name}: equal to its records")
        if found:
            raise CommandError(f"{found} rollups differ from their records", returncode=1)
