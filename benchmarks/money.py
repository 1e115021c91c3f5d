"""The money dashboard's queries over 1 million SYNTHETIC money records.

    python -m benchmarks.money                      # SQLite file benchmarks/data/money-bench.sqlite3
    DATABASE_URL=postgres://… python -m benchmarks.money 1000000

The database is created (migrated, real units loaded) and filled once with SYNTHETIC records kept as a
unit keeps them: current communes (90%) and old pre-2025 communes (10%), each with four components from a
budget source and half the time a non-budget one, and every year from 2021 to 2025 a plan, an allocation
(a fifth of the time two) and two to six disbursements in different months; later runs reuse it. The
records are summed into their totals once, as after any bulk load (``vungcao rollups --rebuild``). Timed, as an analyst: the API summary of a province, of a commune and of
the province carried across the crosswalk, and the whole dashboard (totals, by month, source, component
and unit, alerts) for the province. Each is run three times; the best is reported.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
from fractions import Fraction
from pathlib import Path

DATA = Path(__file__).parent / "data"
SHAPE = "SYN2"  # the documents' prefix: a database filled with records of another shape is filled again


def main(argv: list[str]) -> int:
    size = int(argv[0]) if argv else 1_000_000
    DATA.mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA / 'money-bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vungcao.settings")
    for key in ("SECRET_KEY", "IDENTITY_NUMBER_KEY"):  # production settings (DEBUG off) unless given
        os.environ.setdefault(key, secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command

    from vungcao.accounts.models import Role, User
    from vungcao.programs.models import MoneyRecord

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_units", verbosity=0)
    if (
        MoneyRecord.objects.count() != size
        or not MoneyRecord.objects.filter(document_no=f"{SHAPE}-0").exists()
    ):
        fill(size)
    if django.db.connection.vendor == "postgresql":
        with django.db.connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE"
            )  # what autovacuum does soon after a fill or a migration that fills a table
    analyst, _created = User.objects.get_or_create(
        username="bench-analyst", defaults={"role": Role.MINISTRY_ANALYST}
    )
    administrator, _created = User.objects.get_or_create(
        username="bench-money-admin", defaults={"role": Role.ADMINISTRATOR}
    )
    print(f"database: {django.db.connection.vendor}, money records: {MoneyRecord.objects.count():,}")
    run(analyst)
    run_entry(administrator)
    return 0


def fill(size: int) -> None:
    import datetime

    from django.db import connection, transaction

    from vungcao.common.rollups import rollup_rebuild
    from vungcao.geo.models import AdministrativeUnit, Era, Level
    from vungcao.programs.models import CapitalSource, Component, MoneyRecord, MoneyTotal
    from vungcao.programs.rollups import MONEY_ROLLUPS

    MoneyRecord.objects.all().delete()
    rng = random.Random(2025)
    current = list(
        AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).values_list("pk", flat=True)
    )
    old = list(
        AdministrativeUnit.objects.filter(era=Era.PRE2025, level=Level.COMMUNE).values_list("pk", flat=True)
    )
    components = list(Component.objects.values_list("pk", flat=True))
    budget = list(CapitalSource.objects.filter(is_budget=True).values_list("pk", flat=True))
    non_budget = list(CapitalSource.objects.filter(is_budget=False).values_list("pk", flat=True))
    started = time.perf_counter()
    now = datetime.datetime.now(datetime.UTC)
    rows: list[tuple[object, ...]] = []
    while len(rows) < size:
        # A unit's money as it is kept: a few components, each from a budget source and sometimes a
        # non-budget one, every year a plan, an allocation (sometimes two) and several disbursements.
        unit = rng.choice(current) if rng.random() < 0.9 else rng.choice(old)
        for component in rng.sample(components, 4):
            for source in [rng.choice(budget)] + ([rng.choice(non_budget)] if rng.random() < 0.5 else []):
                for year in range(2021, 2026):
                    documents = [("plan", 1), ("allocation", 2)] + (
                        [("allocation", 8)] if rng.random() < 0.2 else []
                    )
                    months = sorted(rng.sample(range(3, 13), rng.randint(2, 6)))
                    documents += [("disbursement", month) for month in months]
                    for kind, month in documents:
                        number = len(rows)
                        rows.append(
                            (
                                kind,
                                year,
                                None,
                                unit,
                                component,
                                source,
                                rng.randint(1, 5000) * 1_000_000,
                                f"{SHAPE}-{number}",
                                datetime.date(year, month, rng.randint(1, 28)),
                                now,
                                now,
                            )
                        )
    del rows[size:]
    table = MoneyRecord._meta.db_table
    placeholders = ", ".join(["%s"] * 11)
    sql = (
        f"INSERT INTO {table} (kind, year, to_year, unit_id, component_id, source_id, amount_vnd, document_no, "
        f"document_date, created_at, updated_at) VALUES ({placeholders})"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, size, 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])
    filled = time.perf_counter()
    for rollup in MONEY_ROLLUPS:  # written past the services: summed once, as after any bulk load
        rollup_rebuild(rollup)
    print(
        f"filled {size:,} SYNTHETIC records in {filled - started:.1f} s, "
        f"summed them in {time.perf_counter() - filled:.1f} s ({MoneyTotal.objects.count():,} totals)"
    )


def best_of(label: str, function, repeat: int = 3) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    print(f"  {label:<58} {min(times):7.3f} s")


def run(analyst) -> None:
    import datetime

    from vungcao.programs.selectors import dashboard
    from vungcao.programs.selectors import money as money_selectors

    def national_money(scope) -> None:
        """What the national dashboard reads of money: one year of the country by province and source."""
        money_selectors.money_by_child_unit(user=analyst, scope=scope)
        money_selectors.money_by_source(user=analyst, scope=scope)

    def scope(code: str, **kwargs):
        return money_selectors.money_scope_get(
            user=analyst, era="current", unit_code=code, from_year=2021, to_year=2025, **kwargs
        )

    best_of(
        "summary: province 22 (with old-era records carried)",
        lambda: money_selectors.money_summary(user=analyst, scope=scope("22")),
    )
    best_of(
        "summary: commune 06970", lambda: money_selectors.money_summary(user=analyst, scope=scope("06970"))
    )
    best_of(
        "summary: province 22, component 1719-DA4",
        lambda: money_selectors.money_summary(user=analyst, scope=scope("22", component_code="1719-DA4")),
    )
    best_of(
        "dashboard: province 22 (totals, month, source, component, unit, alerts)",
        lambda: dashboard.money_dashboard(
            user=analyst, scope=scope("22"), threshold=Fraction(1, 2), on=datetime.date(2025, 12, 31)
        ),
    )
    best_of(
        "dashboard: Hà Nội 01 (largest province)",
        lambda: dashboard.money_dashboard(
            user=analyst, scope=scope("01"), threshold=Fraction(1, 2), on=datetime.date(2025, 12, 31)
        ),
    )
    best_of(
        "national dashboard's money of 2025 (by province, by source)",
        lambda: national_money(
            money_selectors.MoneyScope(money_selectors.country(era="current"), 2025, 2025)
        ),
    )
    best_of(
        "dashboard: whole country",
        lambda: dashboard.money_dashboard(
            user=analyst, scope=scope(""), threshold=Fraction(1, 2), on=datetime.date(2025, 12, 31)
        ),
    )


def run_entry(administrator) -> None:
    """A plan entered for a commune as an officer enters it (checked, locked, written, its unit's totals
    summed again; for a commune before 1 July 2025, also carried across the crosswalk again), each in a
    transaction rolled back so that the database stays as filled."""
    from django.db import transaction
    from django.db.models import Count

    from vungcao.geo.models import AdministrativeUnit
    from vungcao.programs.models import MoneyTotal
    from vungcao.programs.services.money import money_record_create

    # The old commune with the most money: its totals are carried again after the entry.
    old = (
        MoneyTotal.objects.filter(unit__era="pre2025")
        .values_list("unit__code", flat=True)
        .annotate(totals=Count("pk"))
        .order_by("-totals")
        .first()
    )
    for era, code in (("current", "06970"), ("pre2025", old)):
        values = {
            "kind": "plan",
            "year": 2025,
            "era": era,
            "unit_code": code,
            "component": "1719-DA4-TDA1",
            "source": "central_investment",
            "amount_vnd": "1.500.000.000",
            "document_no": "BENCH-1",
            "document_date": "2025-01-15",
        }

        def entered(values=values) -> None:
            with transaction.atomic():
                money_record_create(user=administrator, values=values)
                transaction.set_rollback(True)

        unit = AdministrativeUnit.objects.get(era=era, code=code)
        summed = MoneyTotal.objects.filter(unit=unit).count()
        best_of(f"a plan entered for {era} commune {code} ({summed} totals summed again)", entered, repeat=10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
