"""``vungcao serve``: the production web server (gunicorn, worker processes) for ``vungcao.wsgi``.

    vungcao serve                                   # 127.0.0.1:8000, 2 × cores + 1 workers
    vungcao serve --bind 127.0.0.1:8000 --workers 5 --timeout 60

Runs under the production settings: the settings are loaded and Django's checks run here first, so a
missing ``SECRET_KEY`` or ``IDENTITY_NUMBER_KEY`` stops it before any worker starts. Then this process
becomes the server's master (same process id). See ``vungcao.server`` for the signals.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from vungcao import server


class Command(BaseCommand):
    help = (
        "Serve the application with gunicorn's worker processes, behind an HTTPS reverse proxy. Signals "
        "to the process: HUP restarts the workers gracefully with new code, TERM stops after the requests "
        "in flight."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            action="append",
            metavar="ADDRESS",
            help=f"host:port or unix:PATH to listen on, may be repeated (default {server.DEFAULT_BIND})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=server.default_workers(),
            help="worker processes (default: 2 × cores + 1 = %(default)s)",
        )
        parser.add_argument(
            "--threads", type=int, default=1, help="threads per worker (default 1: synchronous workers)"
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=server.DEFAULT_TIMEOUT,
            help="seconds a request may take before its worker is killed and replaced (default %(default)s)",
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=server.DEFAULT_GRACEFUL_TIMEOUT,
            help="seconds the workers get to finish their requests on restart or stop (default %(default)s)",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=server.DEFAULT_MAX_REQUESTS,
            help="replace a worker after about this many requests; 0 never (default %(default)s)",
        )
        parser.add_argument(
            "--access-log", default="-", help="file of the access log, '-' for standard output (default)"
        )
        parser.add_argument("--no-access-log", action="store_true", help="write no access log")
        parser.add_argument("--error-log", default="-", help="file of the server's own log (default '-')")
        parser.add_argument("--pid-file", help="write the master's process id to this file")
        parser.add_argument(
            "--forwarded-allow-ips",
            default="127.0.0.1,::1",
            metavar="ADDRESSES",
            help="comma-separated addresses of the reverse proxy, whose X-Forwarded-For and "
            "X-Forwarded-Proto are believed (default %(default)s; a unix socket is always trusted)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("workers", "threads", "timeout", "graceful_timeout"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1")
        if settings.DEBUG:
            self.stderr.write("Warning: DEBUG is on; never serve a deployment with it.")
        options_for_server = server.ServerOptions(
            bind=options["bind"] or [server.DEFAULT_BIND],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
            graceful_timeout=options["graceful_timeout"],
            max_requests=max(options["max_requests"], 0),
            access_log=None if options["no_access_log"] else options["access_log"],
            error_log=options["error_log"],
            pid_file=options["pid_file"],
            forwarded_allow_ips=options["forwarded_allow_ips"],
        )
        # Nothing opened here may leak into the server process that replaces this one.
        connections.close_all()
        server.exec_server(options_for_server)
