"""Indicator figures through the app's selectors, at national scale, on SQLite and PostgreSQL (issue 11).

    python -m benchmarks indicators                                  # both databases
    python -m benchmarks indicators --only sqlite --runs 30 --profile
    python -m benchmarks indicators --households 200000 --database-url postgres://postgres@127.0.0.1:5432/bench_ind

A SYNTHETIC country is written once into each database and kept (the SQLite file
``benchmarks/data/indicators-<households>.sqlite3``, or the PostgreSQL database, default ``bench_ind``),
and reused while it holds the same sizes: the real units (34 provinces, 3,321 communes; 63 former
provinces, ~10,000 former communes, the crosswalk), one village per current commune, ``--households``
households (1,000,000) spread evenly over the villages, each assessed in the 2025 review under
vn-2022-2025, approved in every commune; and ``--values`` entered values (100,000): households and
poor households for each former province in 2015–2024, and, for the rest, communes with a hardened road
entered for former communes in 2015–2024 (1 or 0).

Timed as the ministry analyst, each call a fresh resolver (one request), through
``indicators.selectors.figures.indicator_figures`` as the scorecard and explorer pages call it, every
figure's value and reason read as a page shows them:

- the scorecard of one province (every indicator of the shipped catalogue, 2015–2025: the latest year and
  the trend; its history carried across the crosswalk from its former provinces);
- the pivot of the 34 provinces (and the country) × 2015–2024 of ``poverty_rate`` (entered by former
  province), and of ``communes_with_hardened_road`` (entered by former commune).

Each is run ``--runs`` times after one warm-up call; p50, p95 and the slowest are printed, with a digest
of the figures (values and reasons) so that two versions of the code can be checked to agree. A process
keeps the figures of entered indicators until their values change (``indicators.selectors.kept``): the
pivot of an entered indicator is timed again as the first request after a write of its values (each call
right after one value is corrected through the service, 1 ↔ 0, the write not timed; the values are put
back before its digest is taken).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import os
import pstats
import random
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks.registry import ASSESSMENT_COLUMNS, HOUSEHOLD_COLUMNS, STANDARD, _copy_rows

DATA = Path(__file__).parent / "data"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/bench_ind"
REVIEW_YEAR = 2025
HISTORY = range(2015, 2025)
SCORECARD_YEARS = list(range(2015, REVIEW_YEAR + 1))
SCORECARD_PROVINCE = "08"  # Tuyên Quang: Hà Giang merged into it in 2025
PIVOT_INDICATORS = ("poverty_rate", "communes_with_hardened_road")
SEED = 2025


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks indicators", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--values", type=int, default=100_000, help="entered indicator values")
    parser.add_argument("--runs", type=int, default=20, help="timed calls of each figure set")
    parser.add_argument(
        "--database-url", default="", help=f"PostgreSQL database (default {DEFAULT_POSTGRES})"
    )
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--profile", action="store_true", help="cProfile one call of each")
    parser.add_argument("--part", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.part:
        return _run_part(args)
    urls = {
        "sqlite": f"sqlite:///{DATA / f'indicators-{args.households}.sqlite3'}",
        "postgresql": args.database_url or DEFAULT_POSTGRES,
    }
    for name in [args.only] if args.only else list(urls):
        url = urls[name]
        if name == "postgresql" and not _database_ready(url):
            continue
        DATA.mkdir(exist_ok=True)
        command = [sys.executable, "-m", "benchmarks.indicators", "--part", "--database-url", url]
        command += [
            "--households",
            str(args.households),
            "--values",
            str(args.values),
            "--runs",
            str(args.runs),
        ]
        command += ["--profile"] if args.profile else []
        result = subprocess.run(command, check=False)
        if result.returncode:
            return result.returncode
    return 0


def _database_ready(url: str) -> bool:
    """Whether the PostgreSQL server answers; the database is created when missing (and kept between
    runs, like the SQLite file)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.strip("/")
    try:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"[indicators] PostgreSQL skipped: {error}", flush=True)
        return False
    return True


def _run_part(args: argparse.Namespace) -> int:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vungcao.settings")
    for key in ("SECRET_KEY", "IDENTITY_NUMBER_KEY"):  # production settings: DEBUG off
        os.environ.setdefault(key, secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.db import connection

    analyst = _seeded(args.households, args.values)
    print(f"[indicators] {connection.vendor}: {_sizes()}", flush=True)
    measure(analyst, runs=args.runs, profile=args.profile)
    return 0


# ---------------------------------------------------------------------------------------------------------
# The synthetic country, written once.


def _sizes() -> str:
    from vungcao.indicators.models import IndicatorValue
    from vungcao.registry.models import Assessment, Household

    return (
        f"{Household.objects.count():,} households, {Assessment.objects.count():,} assessments "
        f"({REVIEW_YEAR}, approved), {IndicatorValue.objects.count():,} entered values"
    )


def _seeded(households: int, values: int) -> Any:
    """The analyst of a database holding the synthetic country, written when it does not (yet)."""
    from django.core.management import call_command
    from django.db import connection

    from vungcao.accounts.models import Role, User
    from vungcao.indicators.models import IndicatorValue
    from vungcao.registry.models import Household

    call_command("migrate", interactive=False, verbosity=0)
    analyst = User.objects.filter(username="bench-analyst").first()
    if analyst and Household.objects.count() == households and IndicatorValue.objects.count() == values:
        return analyst
    if analyst or Household.objects.exists():
        raise SystemExit(f"{connection.settings_dict['NAME']} holds other data: delete it and run again")
    started = time.perf_counter()
    call_command("load_units", verbosity=0, stdout=io.StringIO())
    User.objects.create(username="bench-admin", role=Role.ADMINISTRATOR)
    _seed_households(households)
    # The assessments were copied in bulk, past the services that keep the rollups: count them once.
    call_command("rollups", rebuild=True, stdout=io.StringIO())
    _seed_values(values)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"[indicators] seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return User.objects.create(username="bench-analyst", role=Role.MINISTRY_ANALYST)


def _seed_households(size: int) -> None:
    """One village per current commune, ``size`` households over them, each assessed in an approved 2025
    review of its province."""
    import json

    from django.db import transaction
    from django.utils import timezone

    from vungcao.accounts.models import User
    from vungcao.accounts.services import system_actor
    from vungcao.geo.models import AdministrativeUnit, Era, Level
    from vungcao.geo.services import villages
    from vungcao.registry import classification
    from vungcao.registry.models import Assessment, CommuneReview, Household
    from vungcao.registry.services import reviews

    current = AdministrativeUnit.objects.filter(era=Era.CURRENT, valid_to__isnull=True)
    rows = [
        {"commune_code": code, "name": "Thôn Một", "type": "thôn"}
        for code in current.filter(level=Level.COMMUNE).order_by("code").values_list("code", flat=True)
    ]
    plan = villages.villages_plan(user=system_actor(), rows=rows)
    assert plan.report.ok, plan.report
    with transaction.atomic():
        plan.write()
    administrator = User.objects.get(username="bench-admin")
    for province in current.filter(level=Level.PROVINCE):
        reviews.review_cycle_open(
            user=administrator, province=province, year=REVIEW_YEAR, standard_identifier=STANDARD
        )
    CommuneReview.objects.update(state=CommuneReview.State.APPROVED)
    village_rows = list(
        current.filter(level=Level.VILLAGE)
        .order_by("code")
        .values_list("pk", "code", "parent_id", "parent__parent_id")  # the current era: province, commune
    )
    review_of = dict(CommuneReview.objects.values_list("commune_id", "pk"))
    cycle_of = dict(CommuneReview.objects.values_list("pk", "cycle_id"))
    rng = random.Random(SEED)
    now = timezone.now()
    groups = ["01"] * 5 + ["02", "09", "09", "04", "05", "08", "03"]
    with transaction.atomic():
        _copy_rows(
            Household._meta.db_table,
            HOUSEHOLD_COLUMNS,
            [
                (
                    *(now, now, f"B{code}-{number:06d}", pk, province, "Thôn Một", "rural"),
                    *(rng.choice(groups), None, None, True),
                )
                for number in range(size)
                for pk, code, _commune, province in [village_rows[number % len(village_rows)]]
            ],
        )
    commune_of = {pk: commune for pk, _code, commune, _province in village_rows}
    indicators = len(classification.standard(STANDARD).indicators)
    digest = classification.standard_digest(STANDARD)
    answers = json.dumps({"members_total": 4})
    statuses = ("poor", "near_poor", "average", "not_poor")
    assessments = []
    for pk, village in (
        Household.objects.order_by("pk").values_list("pk", "village_id").iterator(chunk_size=50_000)
    ):
        review = review_of[commune_of[village]]
        hardship = rng.random()
        status = statuses[0 if hardship > 0.9 else 1 if hardship > 0.82 else 2 if hardship > 0.5 else 3]
        mask = sum(1 << bit for bit in range(indicators) if rng.random() < hardship * 0.35)
        counted = (mask.bit_count(), mask, 1_500_000, STANDARD, digest)
        assessments.append(
            (
                now,
                now,
                cycle_of[review],
                REVIEW_YEAR,
                pk,
                review,
                "rural",
                1_000_000,
                answers,
                status,
                *counted,
            )
        )
    with transaction.atomic():
        _copy_rows(
            Assessment._meta.db_table,
            ASSESSMENT_COLUMNS,
            assessments,
        )


def _seed_values(size: int) -> None:
    """Households and poor households of every former province in 2015–2024; the rest of ``size``:
    communes with a hardened road, by former commune, year after year."""
    from django.db import transaction
    from django.utils import timezone

    from vungcao.geo.models import AdministrativeUnit, Era, Level
    from vungcao.indicators.models import IndicatorValue
    from vungcao.indicators.services.revisions import indicator_values_changed

    rng = random.Random(SEED)
    now = timezone.now()
    former = AdministrativeUnit.objects.filter(era=Era.PRE2025)
    rows = []
    for pk in former.filter(level=Level.PROVINCE).order_by("code").values_list("pk", flat=True):
        for year in HISTORY:
            households = rng.randrange(150_000, 600_000)
            poor = households * rng.randrange(2, 40) // 100
            rows += [
                (now, now, "households", pk, year, households, ""),
                (now, now, "poor_households", pk, year, poor, ""),
            ]
    communes = list(former.filter(level=Level.COMMUNE).order_by("code").values_list("pk", flat=True))
    for year in HISTORY:
        rows += [
            (now, now, "communes_with_hardened_road", pk, year, int(rng.random() < 0.7), "")
            for pk in communes
        ]
    with transaction.atomic():
        _copy_rows(
            IndicatorValue._meta.db_table,
            ["created_at", "updated_at", "indicator", "unit_id", "year", "value", "note"],
            rows[:size],
        )
        indicator_values_changed(changed=[(code, pk, year) for _, _, code, pk, year, *_ in rows[:size]])


# ---------------------------------------------------------------------------------------------------------
# The measurements.


def measure(analyst: Any, *, runs: int, profile: bool) -> None:
    from decimal import Decimal

    from vungcao.accounts.models import User
    from vungcao.geo.models import AdministrativeUnit, Era
    from vungcao.indicators.models import IndicatorValue
    from vungcao.indicators.selectors.catalogue import catalogue_for
    from vungcao.indicators.selectors.figures import indicator_figures
    from vungcao.indicators.selectors.values import needed
    from vungcao.indicators.services import indicator_value_update
    from vungcao.programs.selectors.money import country

    province = AdministrativeUnit.objects.get(era=Era.CURRENT, code=SCORECARD_PROVINCE)
    catalogue = catalogue_for(user=analyst)
    codes = [indicator.code for indicator in catalogue]
    nation = country(era=Era.CURRENT)
    history = list(HISTORY)

    def scorecard() -> str:
        return _read(
            indicator_figures(user=analyst, indicator_codes=codes, unit=province, years=SCORECARD_YEARS)
        )

    def pivot(code: str) -> Callable[[], str]:
        return lambda: _read(
            indicator_figures(user=analyst, indicator_codes=[code], unit=nation, years=history, children=True)
        )

    administrator = User.objects.get(username="bench-admin")
    rng = random.Random(SEED)
    corrected: dict[int, Decimal] = {}  # the values as seeded, by id

    def correct(code: str) -> Callable[[], None]:
        """A write of one of ``code``'s values as an official corrects it (a value of a random former
        commune and year, 1 ↔ 0), through the service."""
        ids = list(IndicatorValue.objects.filter(indicator=code).values_list("pk", flat=True))

        def write() -> None:
            value_id = rng.choice(ids)
            value = IndicatorValue.objects.get(pk=value_id).value
            corrected.setdefault(value_id, value)
            indicator_value_update(
                user=administrator, value_id=value_id, values={"value": str(1 - value), "note": ""}
            )

        return write

    def restore() -> None:
        for value_id, value in corrected.items():
            indicator_value_update(
                user=administrator, value_id=value_id, values={"value": str(value), "note": ""}
            )
        corrected.clear()

    _timed(
        f"scorecard of {province.name} ({len(codes)} indicators × {len(SCORECARD_YEARS)} years)",
        scorecard,
        runs,
        profile,
    )
    for code in PIVOT_INDICATORS:
        _timed(f"pivot 34 provinces × {len(history)} years of {code}", pivot(code), runs, profile)
        if all(catalogue.get(base).kind == "entered" for base in needed(catalogue, [code], history)):
            label = "  the same, each right after a value is corrected"
            _timed(label, pivot(code), runs, profile, before=correct(code), restore=restore)


def _read(found: Any) -> str:
    """Every figure's value and reason read as a page shows them; a digest of them all."""
    digest = hashlib.sha256()
    for row in found.rows:
        for (code, year), figure in sorted(row.figures.items()):
            reason = found.reason(figure)
            digest.update(
                f"{row.unit}|{code}|{year}|{figure.value}|{reason}|{len(figure.contributions)}\n".encode()
            )
    return digest.hexdigest()[:12]


def _timed(
    label: str,
    function: Callable[[], str],
    runs: int,
    profile: bool,
    *,
    before: Callable[[], None] = lambda: None,
    restore: Callable[[], None] = lambda: None,
) -> None:
    """``function`` timed ``runs`` times after a warm-up, each time after ``before`` (not timed); its
    digest once ``restore`` has undone what ``before`` did."""
    before()
    function()
    times = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    restore()
    digest = function()
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"  {label:<62} p50 {statistics.median(times):7.0f} ms  p95 {p95:7.0f} ms  "
        f"max {times[-1]:7.0f} ms  figures {digest}",
        flush=True,
    )
    if profile:
        before()
        profiler = cProfile.Profile()
        profiler.runcall(function)
        stream = io.StringIO()
        restore()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
        print(stream.getvalue(), flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
