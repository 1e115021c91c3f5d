"""``vungcao api_token_create USERNAME NAME [--scope read_write] [--days N]``: print a new API token for a
user (shown once). Read-only and 90 days unless said otherwise."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vungcao.accounts import services
from vungcao.accounts.models import ApiToken, User
from vungcao.common.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an API token for a user and print it; only its digest is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. the script that uses it")
        parser.add_argument(
            "--scope",
            choices=ApiToken.Scope.values,
            default=ApiToken.Scope.READ_ONLY,
            help="read_only (the default) or read_write",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=services.TOKEN_LIFETIME_DAYS_DEFAULT,
            help="days until the token expires (default %(default)s, at most "
            f"{services.TOKEN_LIFETIME_DAYS_MAXIMUM})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        try:
            token, secret = services.api_token_create(
                user=user, name=options["name"], scope=options["scope"], lifetime_days=options["days"]
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(secret)
        self.stderr.write(
            f"{ApiToken.Scope(token.scope).label}, expires {token.expires_at:%Y-%m-%d %H:%M %Z}"
        )
