"""``python -m benchmarks.load``: the review season's load against the production server, on loopback.

    DEBUG=true VUNGCAO_HOME=/tmp/vc IDENTITY_NUMBER_KEY=… vungcao demo --no-serve   # the demo data, once
    IDENTITY_NUMBER_KEY=… python -m benchmarks.load --home /tmp/vc [--database-url postgres://…] \\
        [--workers 1 4] [--users 20 50] [--duration 60] [--server gunicorn|granian]

For each number of workers and of users: starts ``vungcao serve`` (or granian, to compare) on a free
port of 127.0.0.1 with the production settings (DEBUG off, its own SECRET_KEY, the identity key of the
demo data, ALLOWED_HOSTS=127.0.0.1, TRUST_X_FORWARDED_PROTO as behind a TLS proxy), runs locust headless
(``benchmarks/locustfile.py``) for a fixed time, stops the server, and prints p50/p95/max and the errors
per page with the load average of the machine. It only ever talks to 127.0.0.1 and stops by itself.
Needs locust (``pip install locust``).
"""

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"
COMMUNE_OFFICERS = ("bache", "muongphang")
PROVINCE_OFFICERS = ("quangninh", "dienbien")
ANALYST = "analyst"
SPAWN_RATE = 2
SETTLE_SECONDS = 15


def ramp_seconds(users: int) -> int:
    """Seconds until every user has started."""
    return -(-users // SPAWN_RATE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def plan(database_url: str, home: str) -> dict[str, object]:
    """What the simulated users click on, read from the demo database (a child process, so this one
    keeps no connection open while the server runs); on PostgreSQL, the tables are analysed first."""
    code = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vungcao.settings_development")
django.setup()
from django.db import connection
if connection.vendor == "postgresql":
    # Fresh statistics, as autovacuum keeps them on a production server (the demo writes in bulk).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
from vungcao.accounts.models import User
from vungcao.demo.services import DEMO_PASSWORD
from vungcao.registry.models import Household, ReviewCycle

accounts = {}
for username in %r:
    commune = User.objects.get(username=username).scope
    cycle = ReviewCycle.objects.filter(province=commune.parent).order_by("-year").first()
    codes = list(Household.objects.filter(village__parent=commune).order_by("code").values_list("code", flat=True)[:400])
    answered = list(Household.objects.filter(village__parent=commune, assessments__cycle=cycle).order_by("code").values_list("code", flat=True)[:400])
    accounts[username] = {"commune": commune.code, "cycle": cycle.pk, "year": cycle.year, "households": codes, "answered": answered}
for username in %r:
    province = User.objects.get(username=username).scope
    cycles = list(ReviewCycle.objects.filter(province=province).order_by("-year"))
    communes = sorted({code for code in Household.objects.filter(village__parent__parent=province).values_list("village__parent__code", flat=True).distinct()})
    accounts[username] = {"cycle": cycles[0].pk, "year": cycles[0].year, "later": cycles[1].pk, "earlier": cycles[2].pk, "communes": communes}
accounts[%r] = {"cycles": [cycle.pk for cycle in ReviewCycle.objects.order_by("-year")[:2]]}
print(json.dumps({"password": DEMO_PASSWORD, "accounts": accounts}))
""" % (COMMUNE_OFFICERS, PROVINCE_OFFICERS, ANALYST)  # noqa: UP031
    environment = {**os.environ, "DATABASE_URL": database_url, "VUNGCAO_HOME": home, "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True, timeout=120
    )
    return dict(json.loads(result.stdout))


def server_command(server: str, port: int, workers: int, threads: int, access_log: str) -> list[str]:
    if server == "granian":
        return [
            *(sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1"),
            *("--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads)),
            *("--log-level", "warning", "vungcao.wsgi:application"),
        ]
    return [
        *(sys.executable, "-m", "vungcao.cli", "serve", "--bind", f"127.0.0.1:{port}"),
        *("--workers", str(workers), "--threads", str(threads), "--access-log", access_log),
    ]


def wait_until_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(url + "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with status {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {seconds:.0f} s")


def read_stats(prefix: str) -> list[dict[str, str]]:
    with open(prefix + "_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_failures(prefix: str) -> list[dict[str, str]]:
    path = Path(prefix + "_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run_once(
    *,
    arguments: argparse.Namespace,
    workers: int,
    users: int,
    plan_file: str,
    work: Path,
) -> dict[str, object]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    label = f"{arguments.server}-w{workers}-t{arguments.threads}-u{users}-think{arguments.think}"
    environment = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": arguments.database_url,
        "VUNGCAO_HOME": arguments.home,
        "TRUST_X_FORWARDED_PROTO": "true",
        "DJANGO_SETTINGS_MODULE": "vungcao.settings",
    }
    log = open(work / f"{label}-server.log", "wb")  # noqa: SIM115
    command = server_command(
        arguments.server, port, workers, arguments.threads, str(work / f"{label}-access.log")
    )
    server = subprocess.Popen(
        command, env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=arguments.home
    )
    try:
        wait_until_ready(url, server)
        load_before = os.getloadavg()
        prefix = str(work / label)
        locust = [
            *(sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"),
            # Users start two a second, each logging in once (the password hash costs ~0.5 s of CPU, a
            # burst of 50 logins would saturate the machine); the figures count from SETTLE_SECONDS
            # after the last has started (the locustfile resets them then), for the given duration.
            *("-u", str(users), "-r", str(SPAWN_RATE)),
            *("--run-time", f"{ramp_seconds(users) + SETTLE_SECONDS + arguments.duration}s"),
            *("--stop-timeout", "10", "--host", url, "--csv", prefix, "--loglevel", "WARNING"),
        ]
        started = time.monotonic()
        subprocess.run(
            locust,
            env={
                **os.environ,
                "VUNGCAO_LOAD_PLAN": plan_file,
                "VUNGCAO_LOAD_THINK": arguments.think,
                "VUNGCAO_LOAD_SETTLE": str(SETTLE_SECONDS),
            },
            stdout=subprocess.DEVNULL,
            stderr=open(work / f"{label}-locust.log", "wb"),  # noqa: SIM115
            timeout=ramp_seconds(users) + SETTLE_SECONDS + arguments.duration + 120,
            check=False,
        )
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return {
        "label": label,
        "workers": workers,
        "users": users,
        "seconds": arguments.duration,
        "ramp_seconds": ramp_seconds(users) + SETTLE_SECONDS,
        "elapsed_seconds": round(elapsed, 1),
        "load_before": [round(value, 2) for value in load_before],
        "load_after": [round(value, 2) for value in load_after],
        "stats": read_stats(prefix),
        "failures": read_failures(prefix),
    }


def report(result: dict[str, object]) -> str:
    lines = [
        "### {label}: {workers} worker(s), {users} users, {seconds} s measured after {ramp} s of ramp and logins; load average before {before}, after {after}".format(
            label=result["label"],
            workers=result["workers"],
            users=result["users"],
            seconds=result["seconds"],
            ramp=result["ramp_seconds"],
            before=" / ".join(str(value) for value in result["load_before"]),  # type: ignore[attr-defined]
            after=" / ".join(str(value) for value in result["load_after"]),  # type: ignore[attr-defined]
        ),
        "",
        "| page | requests | errors | p50 ms | p95 ms | max ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["stats"]:  # type: ignore[attr-defined]
        if row["Request Count"] == "0":
            continue
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} | "
            f"{float(row['Max Response Time']):.0f} | {float(row['Requests/s']):.1f} |"
        )
    for failure in result["failures"]:  # type: ignore[attr-defined]
        lines.append(
            f"\nerror: {failure['Method']} {failure['Name']}: {failure['Error']} × {failure['Occurrences']}"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    parser.add_argument("--home", required=True, help="VUNGCAO_HOME of the demo data")
    parser.add_argument("--database-url", help="default: the SQLite file of --home")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per run (default 60)")
    parser.add_argument(
        "--think",
        default="5-15",
        help="seconds each user waits between two pages, drawn evenly from MIN-MAX (default 5-15; 1-3 stresses)",
    )
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--results", help="also write the results as JSON to this file")
    arguments = parser.parse_args(argv)
    arguments.home = str(Path(arguments.home).resolve())
    if not arguments.database_url:
        arguments.database_url = f"sqlite:///{arguments.home}/var/vungcao.sqlite3"
    if not os.environ.get("IDENTITY_NUMBER_KEY"):
        parser.error("set IDENTITY_NUMBER_KEY to the key the demo data was made with")
    work = Path(tempfile.mkdtemp(prefix="vungcao-load-"))
    plan_file = work / "plan.json"
    plan_file.write_text(json.dumps(plan(arguments.database_url, arguments.home)), encoding="utf-8")
    print(f"database {arguments.database_url.split('@')[-1]}; logs and CSV files in {work}", flush=True)
    results = []
    for workers in arguments.workers:
        for users in arguments.users:
            result = run_once(
                arguments=arguments, workers=workers, users=users, plan_file=str(plan_file), work=work
            )
            results.append(result)
            print(report(result), flush=True)
    if arguments.results:
        Path(arguments.results).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
