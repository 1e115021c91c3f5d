"""``vungcao serve`` runs the production server under the production settings.

Given a migrated SQLite database and collected static files, when the server is started as a deployment
starts it (a fresh process, DEBUG off, its own keys, behind an imagined TLS proxy), then it answers the
login page and a static asset, redirects plain HTTP to HTTPS, survives a graceful restart and stops
cleanly on TERM. Every wait is bounded; nothing is timed.
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from vungcao.server import ClientAddressFromProxy

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "production-secret-key-" + "k3y" * 20,
    "IDENTITY_NUMBER_KEY": "production-identity-number-key-" + "1d" * 20,
    "ALLOWED_HOSTS": "127.0.0.1",
    "TRUST_X_FORWARDED_PROTO": "true",
}
INHERITED_SETTINGS = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "IDENTITY_NUMBER_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "STATIC_ROOT",
    "VUNGCAO_HOME",
}
FROM_PROXY = {"X-Forwarded-Proto": "https"}
STATIC_ASSET = Path(__file__).resolve().parents[1] / "src/vungcao/web/static/web/app.css"


def environment(**variables: str) -> dict[str, str]:
    inherited = {key: value for key, value in os.environ.items() if key not in INHERITED_SETTINGS}
    return {**inherited, **variables}


def vungcao(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "vungcao.cli", *arguments]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(
    url: str, headers: dict[str, str] | None = None, data: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with opener.open(request, timeout=20) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped: {process.communicate(timeout=10)}"
        try:
            if get(url, FROM_PROXY)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"no answer from {url} within {seconds} s")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The server on a free port of 127.0.0.1, with the database in ``tmp_path / "vungcao.sqlite3"``."""
    env = environment(
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'vungcao.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        VUNGCAO_HOME=str(tmp_path),
    )
    for step in (("migrate", "--no-input"), ("collectstatic", "--no-input")):
        done = subprocess.run(
            vungcao(*step), env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
    port = free_port()
    server = subprocess.Popen(
        vungcao("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--graceful-timeout", "10"),
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/accounts/login/", server)
        yield f"http://127.0.0.1:{port}", server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.communicate(timeout=30)


def test_the_production_server_serves_pages_and_static_files_and_stops_on_term(
    deployment: tuple[str, subprocess.Popen[str]],
) -> None:
    url, server = deployment

    status, headers, body = get(url + "/accounts/login/", FROM_PROXY)
    assert status == 200
    assert b'name="csrfmiddlewaretoken"' in body
    assert "Content-Security-Policy" in headers
    status, _, body = get(url + "/static/web/app.css", FROM_PROXY)
    assert status == 200
    assert body == STATIC_ASSET.read_bytes()
    status, headers, _ = get(url + "/accounts/login/")
    assert status == 301
    assert headers["Location"].startswith("https://")

    server.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    statuses: list[int] = []
    while time.monotonic() < deadline and len(statuses) < 5:
        statuses.append(get(url + "/accounts/login/", FROM_PROXY)[0])
    assert statuses == [200] * 5

    server.send_signal(signal.SIGTERM)
    output, _ = server.communicate(timeout=60)
    assert server.returncode == 0
    assert '"GET /accounts/login/ HTTP/1.1" 200' in output
    assert '"GET /static/web/app.css HTTP/1.1" 200' in output
    # The graceful restart started two new workers before the two old ones left.
    assert output.count("Booting worker with pid") == 4


def test_the_lockout_counts_the_address_the_proxy_saw_not_the_proxys(
    deployment: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    url, _ = deployment
    _, headers, _ = get(url + "/accounts/login/", FROM_PROXY)
    token = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)  # type: ignore[union-attr]
    form = urllib.parse.urlencode({"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token})

    status, _, _ = get(
        url + "/accounts/login/",
        {
            **FROM_PROXY,
            "X-Forwarded-For": "203.0.113.9",
            "Cookie": f"csrftoken={token}",
            "Referer": url.replace("http://", "https://") + "/accounts/login/",
        },
        data=form.encode(),
    )

    assert status == 200
    with sqlite3.connect(tmp_path / "vungcao.sqlite3") as database:
        addresses = database.execute("SELECT ip_address, username FROM axes_accessattempt").fetchall()
    assert addresses == [("203.0.113.9", "nobody")]


def test_only_a_trusted_proxy_says_where_the_request_came_from() -> None:
    seen: list[str] = []

    def application(environ: dict[str, str], start_response: object) -> list[bytes]:
        seen.append(environ["REMOTE_ADDR"])
        return []

    behind = ClientAddressFromProxy(application, "127.0.0.1,::1")
    behind({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"}, None)
    behind({"REMOTE_ADDR": "192.0.2.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, None)
    behind({"REMOTE_ADDR": "127.0.0.1"}, None)
    behind({"REMOTE_ADDR": "", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}, None)

    assert seen == ["203.0.113.9", "192.0.2.7", "127.0.0.1", "203.0.113.10"]


def test_serve_refuses_to_start_without_the_production_keys(tmp_path: Path) -> None:
    env = environment(DEBUG="false", DATABASE_URL=f"sqlite:///{tmp_path / 'vungcao.sqlite3'}")
    done = subprocess.run(
        vungcao("serve", "--bind", f"127.0.0.1:{free_port()}"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "SECRET_KEY is the demo key" in done.stderr
