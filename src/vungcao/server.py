"""The production web server: gunicorn running ``vungcao.wsgi`` with worker processes.

``vungcao serve`` (the management command) checks the settings, then replaces its own process with
``python -m vungcao.server OPTIONS`` (:func:`exec_server`): gunicorn's master never imports Django, so
that every worker it starts imports the code as it is then. The master process binds the address, starts the workers and restarts any that dies or stays
silent longer than the request timeout; signals to the master: ``HUP`` reloads the code and the
configuration with new workers while the old ones finish their requests (graceful restart), ``TERM``
stops after the requests in flight (at most ``graceful_timeout`` seconds), ``TTIN``/``TTOU`` add or
remove a worker. The choice of gunicorn's synchronous workers and their number was measured on the
review-season load (benchmarks/README.md, "Production server").

Long work (imports, national exports) belongs to the background tasks, not to a request: a request
that takes longer than ``timeout`` seconds has its worker killed and restarted, and the client gets an
error from the proxy.
"""

import dataclasses
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from gunicorn.app.base import BaseApplication

DEFAULT_BIND = "127.0.0.1:8000"
# Seconds a worker may spend on one request before the master kills and replaces it.
DEFAULT_TIMEOUT = 60
# Seconds the workers get to finish their requests on a restart or stop before they are killed.
DEFAULT_GRACEFUL_TIMEOUT = 30
# A worker is replaced after this many requests (± the jitter), so that memory cannot creep up forever.
DEFAULT_MAX_REQUESTS = 2000
MAX_REQUESTS_JITTER = 200
# The client address (the proxy's, unless it is the proxy itself), the address the proxy was asked by,
# the request line, status, bytes and the time the request took in milliseconds.
ACCESS_LOG_FORMAT = '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'


def default_workers() -> int:
    """Two worker processes per core plus one: the CPU-bound page rendering of one worker overlaps
    the database waits of another (measured in benchmarks/README.md)."""
    return 2 * (os.cpu_count() or 1) + 1


@dataclass(frozen=True)
class ServerOptions:
    bind: list[str] = field(default_factory=lambda: [DEFAULT_BIND])
    workers: int = field(default_factory=default_workers)
    threads: int = 1
    timeout: int = DEFAULT_TIMEOUT
    graceful_timeout: int = DEFAULT_GRACEFUL_TIMEOUT
    max_requests: int = DEFAULT_MAX_REQUESTS
    access_log: str | None = "-"
    error_log: str = "-"
    log_level: str = "info"
    pid_file: str | None = None
    # Addresses of the reverse proxy, trusted to say the request came over HTTPS (X-Forwarded-Proto,
    # read by gunicorn) and from which client (X-Forwarded-For, see ClientAddressFromProxy).
    forwarded_allow_ips: str = "127.0.0.1,::1"


def gunicorn_settings(options: ServerOptions) -> dict[str, Any]:
    """Gunicorn's settings for these options (its names, as in a gunicorn configuration file)."""
    return {
        "bind": options.bind,
        "workers": options.workers,
        # Synchronous workers unless threads are asked for; behind a buffering proxy (nginx) a slow client
        # never holds a worker.
        "worker_class": "gthread" if options.threads > 1 else "sync",
        "threads": options.threads,
        "timeout": options.timeout,
        "graceful_timeout": options.graceful_timeout,
        "keepalive": 5,
        "max_requests": options.max_requests,
        "max_requests_jitter": MAX_REQUESTS_JITTER if options.max_requests else 0,
        "accesslog": options.access_log,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": options.error_log,
        "loglevel": options.log_level,
        "pidfile": options.pid_file,
        "forwarded_allow_ips": options.forwarded_allow_ips,
        # Workers import the application themselves, so HUP loads new code; the master stays small.
        "preload_app": False,
        # Runtime control goes through signals; no control socket shared by every gunicorn of the user.
        "control_socket_disable": True,
        "proc_name": "vungcao",
    }


class _Application(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: dict[str, Any]) -> None:
        self._settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._settings.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from vungcao.wsgi import application

        return ClientAddressFromProxy(application, self._settings["forwarded_allow_ips"])


class ClientAddressFromProxy:
    """Sets ``REMOTE_ADDR`` to the client's address as the reverse proxy saw it.

    Behind nginx every request comes from the proxy's address, so the login lockout, which counts
    failures per address (``accounts/lockout.py``), would count every user's failures together and lock
    everyone out after 20. When the request comes from a trusted proxy (``forwarded_allow_ips``, or a
    unix socket) and carries ``X-Forwarded-For``, the address the nearest proxy appended (the last one)
    becomes ``REMOTE_ADDR``; a client's own ``X-Forwarded-For`` sent straight to the server is ignored.
    """

    def __init__(self, application: Any, trusted: str) -> None:
        self.application = application
        self.trusted = {address.strip() for address in trusted.split(",") if address.strip()}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        peer = environ.get("REMOTE_ADDR") or ""
        if forwarded and ("*" in self.trusted or peer in self.trusted or not peer):
            client = forwarded.split(",")[-1].strip()
            if client:
                environ["REMOTE_ADDR"] = client
        return self.application(environ, start_response)


def serve(options: ServerOptions) -> None:
    """Run the server in this process until it is stopped (``TERM``, ``INT`` or ``QUIT``)."""
    _Application(gunicorn_settings(options)).run()


def exec_server(options: ServerOptions) -> None:
    """Replace this process (same process id, same environment) with a server master free of Django."""
    sys.stdout.flush()
    sys.stderr.flush()
    arguments = [sys.executable, "-m", "vungcao.server", json.dumps(dataclasses.asdict(options))]
    os.execv(sys.executable, arguments)


def main(argv: list[str]) -> None:
    serve(ServerOptions(**json.loads(argv[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
