"""``vungcao api_token_create USERNAME NAME``: print a new API token for a user (shown once)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vungcao.accounts import services
from vungcao.accounts.models import User


class Command(BaseCommand):
    help = "Create an API token for a user and print it; only its digest is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. the script that uses it")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        _token, secret = services.api_token_create(user=user, name=options["name"])
        self.stdout.write(secret)
