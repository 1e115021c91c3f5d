"""``vungcao demo``: migrate, load the real units and the demo data, print the accounts, serve, with a
background task worker beside the server (imports are read and applied by it), stopped with it."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from vungcao.demo import services
from vungcao.demo.data import demo_data_ensure
from vungcao.registry.demo import DEFAULT_HOUSEHOLDS_PER_COMMUNE
from vungcao.registry.services.snapshot import snapshot_write


class Command(BaseCommand):
    help = "Set up (or upgrade in place) the demonstration database and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="prepare the database only")
        parser.add_argument("--address", default="127.0.0.1:8000")
        parser.add_argument(
            "--households-per-commune",
            type=int,
            default=DEFAULT_HOUSEHOLDS_PER_COMMUNE,
            help="mean size of the synthetic communes (smaller for a quick look)",
        )
        parser.add_argument(
            "--communes-per-province",
            type=int,
            default=None,
            help="seed only the first communes of each province",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database migrated")
        call_command("load_units", stdout=self.stdout)
        accounts, summary = demo_data_ensure(
            households_per_commune=options["households_per_commune"],
            communes_per_province=options["communes_per_province"],
        )
        for line in summary:
            self.stdout.write(line)
        # The policy simulation reads the approved reviews from the registry's snapshot: written here (only
        # what changed, when the demo is set up again), and by the worker after every approval.
        written = snapshot_write(directory=settings.SNAPSHOT_DIRECTORY)
        self.stdout.write(
            f"registry snapshot at {settings.SNAPSHOT_DIRECTORY}: {len(written.written)} partitions written, "
            f"{len(written.kept)} unchanged"
        )
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (synthetic; password for all: {services.DEMO_PASSWORD}):")
        for account, user in accounts:
            scope = f"{user.scope.name} ({user.scope.code})" if user.scope else "whole country"
            self.stdout.write(f"  {account.username:<12} {user.get_role_display():<28} {scope}")
        if options["no_serve"]:
            return
        self.stdout.write("")
        with services.demo_worker_running() as worker:
            self.stdout.write(f"Background task worker started (process {worker.pid})")
            self.stdout.write(f"Serving on http://{options['address']}/ — stop with Ctrl+C")
            call_command("runserver", options["address"], use_reloader=False)
