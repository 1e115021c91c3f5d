"""``vungcao identity_key_rotate``: seal every stored identity number under a new key.

The new key is ``IDENTITY_NUMBER_KEY``; the previous one is read from the environment variable
``IDENTITY_NUMBER_KEY_PREVIOUS`` (or the one named by ``--previous-key-env``), never from the command
line, where other users of the machine could read it. Stop the application servers and workers first.
"""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vungcao.common.errors import ApplicationError
from vungcao.registry.services import identity_keys


class Command(BaseCommand):
    help = "Re-encrypt every stored identity number under IDENTITY_NUMBER_KEY and recompute its digest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--previous-key-env",
            default="IDENTITY_NUMBER_KEY_PREVIOUS",
            help="the environment variable holding the previous key (default IDENTITY_NUMBER_KEY_PREVIOUS)",
        )
        parser.add_argument("--batch-size", type=int, default=identity_keys.ROTATION_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        previous_key = os.environ.get(options["previous_key_env"], "")
        try:
            rotation = identity_keys.identity_key_rotate(
                previous_key=previous_key, batch_size=options["batch_size"]
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"identity numbers: {rotation.resealed} sealed under the new key, "
            f"{rotation.already_current} already under it"
        )
