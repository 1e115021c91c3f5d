"""``vungcao snapshot write DIR``: the registry's columnar snapshot for the policy simulation and Spark.

    vungcao snapshot write DIR    # write the partitions that changed since the last run, remove the gone

One Parquet file per province and year (``DIR/province=22/year=2025/assessments.parquet``) holding the
approved reviews' assessments, and ``DIR/manifest.json`` (``registry.services.snapshot``). Read it with
``vungcao poverty simulate DIR --standard ID``.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vungcao.engine.poverty.snapshot import SnapshotError
from vungcao.registry.services.snapshot import snapshot_write


class Command(BaseCommand):
    help = "Write the registry's columnar snapshot (Parquet by province and year), only what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["write"])
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = snapshot_write(directory=options["directory"])
        except SnapshotError as error:
            raise CommandError(str(error)) from error
        for label, partitions in (
            ("written", result.written),
            ("removed", result.removed),
            ("unchanged", result.kept),
        ):
            names = ", ".join(partition.key for partition in partitions) or "-"
            self.stdout.write(f"{label}: {len(partitions)} ({names})")
