"""The registry at scale: importing a province's questionnaire file, and the review dashboard's queries.

    python -m benchmarks.registry                                   # temp SQLite files
    python -m benchmarks.registry --database-url postgres://postgres@127.0.0.1:5432/vungcao_bench
    python -m benchmarks.registry --households 100000 --dashboard-households 1000000 --only import
    python -m benchmarks.registry --only snapshot     # the dashboard's registry written as a snapshot
    python -m benchmarks.registry --only export       # the province's household list exported, downloaded

Each part runs in its own process on its own throw-away database (a temp SQLite file, or a PostgreSQL
database created for the run and dropped afterwards), migrated, with the real units loaded and villages
added to every current commune of Quảng Ninh (22).

1. **Import**: an XLSX questionnaire file of SYNTHETIC households (about 4 members each, one row per
   member, household columns repeated, the answer columns of vn-2022-2025), generated once into
   benchmarks/data/ (git-ignored), is imported as a province officer through
   ``imports.services.import_preview`` then ``import_apply``, exactly as the upload page does. Timed:
   reading the workbook alone, the preview (read + plan + keep the rows read), the apply (the kept rows
   planned again + write, one transaction), then a re-import of the same file (preview + apply), which must find every household
   unchanged. Peak resident memory is measured per phase (Linux ``/proc/self/clear_refs``).
2. **Dashboard**: about a million SYNTHETIC households with assessments in two approved review years
   (2024, 2025) are written by raw bulk inserts (COPY on PostgreSQL); then, as the province officer,
   each query the province dashboard and the household list make is run three times and the best is
   reported.
3. **Snapshot** (only with ``--only snapshot``): the dashboard's registry written by ``vungcao snapshot
   write`` (``registry.services.snapshot``) into a temporary directory: the first run (every partition),
   a second with nothing changed (the fingerprints only), and a third after one commune's review was
   re-opened (its province's 2025 partition written again).
4. **Export** (only with ``--only export``): the province's household list of 2025 (the dashboard's
   registry, every household) exported as the province officer's export button asks, written by the
   background task (``exports.services.export_write``), then downloaded through the download page and read
   piece by piece as a browser reads it. Timed, with the process's peak resident memory for each, and
   the file's size; one commune's list first, to compare.
5. **National** (only with ``--only national``, on PostgreSQL: ``--dashboard-households 5000000``):
   SYNTHETIC households over every province's communes (``seed_national``, written a quarter of a
   million at a time), two approved reviews in every province; then the pages a ministry analyst, the
   province officer of Quảng Ninh and one of its commune officers open, ten times each (p50, p95).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

DATA = Path(__file__).parent / "data"
PROVINCE = "22"  # Quảng Ninh
STANDARD = "vn-2022-2025"
YEAR = 2025
SEED = 2025
IMPORT_VILLAGES_PER_COMMUNE = 12
DASHBOARD_VILLAGES_PER_COMMUNE = 25
DEFAULT_PG_NAME = "vungcao_bench"
PARTS = ("import", "dashboard", "snapshot", "export", "national")
NATIONAL_VILLAGES_PER_COMMUNE = 5
NATIONAL_CHUNK = 250_000
# The columns of an assessment row as the bulk loads write them.
ASSESSMENT_COLUMNS = [
    "created_at",
    "updated_at",
    "cycle_id",
    "year",
    "household_id",
    "commune_review_id",
    "area",
    "income_per_capita_month",
    "answers",
    "status",
    "deprivation_count",
    "deprived_mask",
    "income_threshold",
    "standard_identifier",
    "standard_digest",
]


# ---------------------------------------------------------------------------------------------------------
# Orchestration: one process and one throw-away database per part.


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.registry", description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=100_000, help="households in the imported file")
    parser.add_argument("--dashboard-households", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL server (default: temp SQLite files)")
    parser.add_argument("--only", choices=PARTS)
    parser.add_argument("--profile", action="store_true", help="cProfile the import's preview and apply")
    parser.add_argument("--part", choices=PARTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.part:
        return _run_part(args)
    parts = [args.only] if args.only else ["import", "dashboard"]
    for part in parts:
        with _throwaway_database(args.database_url) as url:
            command = [sys.executable, "-m", "benchmarks.registry", "--part", part, "--database-url", url]
            command += ["--households", str(args.households)]
            command += ["--dashboard-households", str(args.dashboard_households)]
            command += ["--profile"] if args.profile else []
            result = subprocess.run(command, check=False)
            if result.returncode:
                return result.returncode
    return 0


class _throwaway_database:
    """A temp SQLite file, or a PostgreSQL database created on the given server and dropped afterwards."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.directory: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> str:
        if not self.server_url:
            self.directory = tempfile.TemporaryDirectory(prefix="vungcao-bench-")
            return f"sqlite:///{Path(self.directory.name) / 'bench.sqlite3'}"
        parts = urlsplit(self.server_url)
        self.name = parts.path.strip("/") or DEFAULT_PG_NAME
        self.admin = urlunsplit(parts._replace(path="/postgres"))
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')
        return urlunsplit(parts._replace(path=f"/{self.name}"))

    def __exit__(self, *_exc: object) -> None:
        if self.directory is not None:
            self.directory.cleanup()
        else:
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _execute(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)


def _run_part(args: argparse.Namespace) -> int:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vungcao.settings")
    for key in ("SECRET_KEY", "IDENTITY_NUMBER_KEY"):  # production settings (DEBUG off) unless given
        os.environ.setdefault(key, secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_units", verbosity=0, stdout=io.StringIO())
    print(
        f"[{args.part}] database: {connection.vendor}; migrated, units loaded in {time.perf_counter() - started:.1f} s"
    )
    if args.part == "import":
        import_benchmark(args.households, profile=args.profile)
    elif args.part == "snapshot":
        snapshot_benchmark(args.dashboard_households)
    elif args.part == "export":
        export_benchmark(args.dashboard_households)
    elif args.part == "national":
        national_benchmark(args.dashboard_households)
    else:
        dashboard_benchmark(args.dashboard_households)
    return 0


# ---------------------------------------------------------------------------------------------------------
# Shared set-up: users, villages, review cycles.


def _peak_reset() -> None:
    """Reset the process's peak resident memory (Linux ≥ 4.0), so each phase reports its own peak."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _users() -> tuple[Any, Any]:
    from vungcao.accounts.models import Role, User
    from vungcao.geo.models import AdministrativeUnit, Era

    province = AdministrativeUnit.objects.get(era=Era.CURRENT, code=PROVINCE)
    administrator = User.objects.create(username="bench-admin", role=Role.ADMINISTRATOR)
    officer = User.objects.create(username="bench-province", role=Role.PROVINCE_OFFICER, scope=province)
    return administrator, officer


def _villages(per_commune: int, provinces: Sequence[str] = (PROVINCE,)) -> list[Any]:
    """``per_commune`` new villages in every current commune of the provinces; all of them, by code."""
    from django.db import transaction

    from vungcao.accounts.services import system_actor
    from vungcao.geo.models import AdministrativeUnit, Era, Level
    from vungcao.geo.services import villages

    communes = AdministrativeUnit.objects.filter(
        era=Era.CURRENT, level=Level.COMMUNE, parent__code__in=provinces, valid_to__isnull=True
    ).order_by("code")
    rows = [
        {"commune_code": commune.code, "name": f"Thôn Số {number}", "type": "thôn"}
        for commune in communes
        for number in range(1, per_commune + 1)
    ]
    plan = villages.villages_plan(user=system_actor(), rows=rows)
    assert plan.report.ok, plan.report
    with transaction.atomic():
        plan.write()
    return list(
        AdministrativeUnit.objects.filter(
            level=Level.VILLAGE, valid_to__isnull=True, parent__parent__code__in=provinces
        ).order_by("code")
    )


# ---------------------------------------------------------------------------------------------------------
# 1. Import


SURNAMES = ("Nguyễn", "Hoàng", "Lý", "Đặng", "Triệu", "Bàn", "Trần", "Phạm", "Vi", "Nông", "Lường", "La")
MIDDLE = ("Văn", "Thị", "Đức", "Thu", "Minh", "Tài", "Seo", "A", "Quang", "Ngọc")
GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quý",
    "Sơn",
    "Thảo",
)
ETHNIC = ("01", "01", "01", "02", "09", "09", "Dao", "Tày", "Sán Chay", "Sán Dìu", "04")
SCHOOLING = ("none", "primary", "lower_secondary", "upper_secondary", "vocational", "higher")
WORK = ("own_farm", "own_farm", "wage_without_contract", "wage_with_contract", "own_business", "not_working")
YES, NO = "có", "không"


@dataclass(frozen=True)
class _Person:
    """A SYNTHETIC member as the registry keeps one (relation, schooling and work by their codes)."""

    full_name: str
    female: bool
    born: int
    relation: str
    identity_number: str
    schooling: str
    insured: bool
    disabled: bool
    work: str


RELATION_LABELS = {"head": "chủ hộ", "spouse": "vợ/chồng", "parent": "bố/mẹ", "child": "con"}


def _people(
    rng: random.Random, size: int, surname: str, head_born: int, identity_prefix: str, serial: list[int]
) -> list[_Person]:
    """A household's ``size`` SYNTHETIC members: the head, a spouse, children and, in a household of five
    or more, a parent. Most members of 14 or more hold an identity number (``identity_prefix``, their
    year of birth, then ``serial``'s next number)."""
    people = []
    for position in range(size):
        if position == 0:
            relation, born = "head", head_born
        elif position == 1:
            relation, born = "spouse", head_born + rng.randint(-3, 5)
        elif position == size - 1 and size >= 5:
            relation, born = "parent", head_born - rng.randint(20, 30)
        else:
            relation, born = "child", min(head_born + rng.randint(18, 35), YEAR)
        female = relation == "spouse" or rng.random() < 0.5
        serial[0] += 1
        identity_number = (
            f"{identity_prefix}{born % 100:02d}{serial[0]:07d}"
            if YEAR - born >= 14 and rng.random() < 0.85
            else ""
        )
        people.append(
            _Person(
                f"{surname if position != 1 else rng.choice(SURNAMES)} {'Thị' if female else rng.choice(MIDDLE)} "
                f"{rng.choice(GIVEN)}",
                female,
                born,
                relation,
                identity_number,
                rng.choice(SCHOOLING),
                rng.random() < 0.9,
                rng.random() < 0.05,
                rng.choice(WORK) if YEAR - born >= 15 else "",
            )
        )
    return people


def _household_size(rng: random.Random) -> int:
    return min(max(round(rng.gauss(4, 1.5)), 1), 9)


def _household_rows(rng: random.Random, code: str, village: str, serial: list[int]) -> list[list[object]]:
    """One household's rows: household columns (repeated), member columns, then the answers."""
    size = _household_size(rng)
    surname = rng.choice(SURNAMES)
    group = rng.choice(ETHNIC)
    members = [
        [
            person.full_name,
            "nữ" if person.female else "nam",
            person.born,
            group,
            RELATION_LABELS[person.relation],
            person.identity_number,
            person.schooling,
            YES if person.insured else NO,
            YES if person.disabled else "",
            person.work,
        ]
        for person in _people(rng, size, surname, rng.randint(1950, 1995), "022", serial)
    ]
    hardship = rng.random()
    children = sum(1 for member in members if YEAR - int(str(member[2])) < 16)
    answers: list[object] = [
        size,
        int(hardship > 0.8),
        int(hardship > 0.7),
        min(size, rng.randint(0, 2)),
        (int(hardship > 0.9) if children else ""),
        int(hardship > 0.85),
        "" if hardship < 0.5 else 0,
        (int(hardship > 0.92) if children else ""),
        rng.randint(0, 3) if hardship > 0.75 else 0,
        round(rng.uniform(6, 30) * size, 1),
        NO if hardship > 0.85 else YES,
        NO if hardship > 0.6 else YES,
        YES if hardship > 0.9 else NO,
        YES if hardship > 0.8 else NO,
    ]
    income = int(rng.lognormvariate(14.6 - hardship, 0.45)) // 1000 * 1000
    household = [
        YEAR,
        code,
        village,
        f"{village} Quảng Ninh",
        "nông thôn" if rng.random() < 0.85 else "thành thị",
        income,
    ]
    return [household + member + answers for member in members]


def _column_letters(count: int) -> list[str]:
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A one-sheet workbook as Excel writes it (shared strings, numbers as numbers), without a library:
    openpyxl needs minutes for 400,000 rows."""
    strings: dict[str, int] = {}
    letters = _column_letters(len(header))
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for number, row in enumerate([list(header), *rows], start=1):
        cells = []
        for letter, value in zip(letters, row, strict=True):
            if value == "" or value is None:
                continue
            if isinstance(value, int | float):
                cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    parts.append("</sheetData></worksheet>")
    shared = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">'
    ]
    shared += [f"<si><t>{escape(text)}</t></si>" for text in strings]
    shared.append("</sst>")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{main}" '
            f'xmlns:r="{relationships}"><sheets><sheet name="Phiếu rà soát" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relationships}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": "".join(shared),
        "xl/worksheets/sheet1.xml": "".join(parts),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode())


def questionnaire_file(households: int, village_codes: Sequence[str]) -> Path:
    """The SYNTHETIC questionnaire workbook of ``households`` households over the villages, made once."""
    from vungcao.common.importing import template_header
    from vungcao.registry import classification
    from vungcao.registry.services import questionnaire

    answer_columns = classification.answer_fields(STANDARD)
    key = hashlib.sha256("\n".join([*village_codes, *answer_columns]).encode()).hexdigest()[:10]
    DATA.mkdir(exist_ok=True)
    path = DATA / f"questionnaire-{households}-seed{SEED}-{key}.xlsx"
    if path.exists():
        return path
    started = time.perf_counter()
    rule = classification.standard(STANDARD)
    header = [template_header(column, questionnaire.LABELS[column]) for column in questionnaire.COLUMNS]
    header += [template_header(column, rule.field(column).label.vi) for column in answer_columns]
    rng = random.Random(SEED)
    serial = [0]
    rows: list[list[object]] = []
    for number in range(households):
        village = village_codes[number % len(village_codes)]
        rows.extend(
            _household_rows(rng, f"{village}-{number // len(village_codes) + 1:05d}", village, serial)
        )
    write_xlsx(path, header, rows)
    print(
        f"[import] generated {path.name}: {households:,} households, {len(rows):,} rows, "
        f"{path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
    )
    return path


def _timed(label: str, function: Callable[[], Any], profile: bool = False) -> tuple[Any, float, float]:
    import gc

    gc.collect()
    _peak_reset()
    started, cpu_started = time.perf_counter(), time.process_time()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(function)
        elapsed = time.perf_counter() - started
        stats = pstats.Stats(profiler, stream=sys.stdout)
        print(f"--- profile: {label} ---")
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
    else:
        result = function()
        elapsed = time.perf_counter() - started
    # On a shared machine the wall time varies with the load; this process's CPU time much less.
    print(f"  [{label}] {elapsed:.2f} s, CPU of this process {time.process_time() - cpu_started:.2f} s")
    return result, elapsed, _peak_mb()


def import_benchmark(households: int, *, profile: bool = False) -> None:
    from vungcao.common.files import read_table
    from vungcao.imports import services
    from vungcao.imports.models import ImportBatch
    from vungcao.registry.models import Assessment, Household, Member
    from vungcao.registry.services import reviews

    administrator, officer = _users()
    village_codes = [village.code for village in _villages(IMPORT_VILLAGES_PER_COMMUNE)]
    reviews.review_cycle_open(
        user=administrator, province=officer.scope, year=YEAR, standard_identifier=STANDARD
    )
    path = questionnaire_file(households, village_codes)
    content = path.read_bytes()

    def preview() -> Any:
        return services.import_preview(
            user=officer, kind="questionnaire", stream=io.BytesIO(content), filename=path.name
        )

    rows, read_s, read_mb = _timed("read", lambda: read_table(io.BytesIO(content), path.name))
    member_rows = len(rows)
    del rows
    batch, preview_s, preview_mb = _timed("preview", preview, profile)
    assert batch.status == ImportBatch.Status.READY, batch.problems[:5]
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (households, 0, 0)
    batch, apply_s, apply_mb = _timed(
        "apply", lambda: services.import_apply(user=officer, batch=batch), profile
    )
    counts = (Household.objects.count(), Member.objects.count(), Assessment.objects.count())
    assert counts == (households, member_rows, households), counts
    again, again_preview_s, again_preview_mb = _timed("re-import preview", preview, profile)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, households)
    again, again_apply_s, again_apply_mb = _timed(
        "re-import apply", lambda: services.import_apply(user=officer, batch=again), profile
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, households)
    assert (Household.objects.count(), Member.objects.count(), Assessment.objects.count()) == counts
    print(
        f"[import] {households:,} households, {member_rows:,} member rows, file {len(content) / 1e6:.1f} MB "
        f"({len(village_codes)} villages in 54 communes)"
    )
    print(f"  {'phase':<40} {'s':>8} {'households/s':>14} {'peak RSS MB':>12}")
    for label, seconds, megabytes in (
        ("read the workbook (calamine) alone", read_s, read_mb),
        ("preview: read + plan + keep the rows", preview_s, preview_mb),
        ("apply: kept rows + plan again + write", apply_s, apply_mb),
        ("preview + apply", preview_s + apply_s, max(preview_mb, apply_mb)),
        ("re-import preview (all unchanged)", again_preview_s, again_preview_mb),
        ("re-import apply (all unchanged)", again_apply_s, again_apply_mb),
    ):
        print(f"  {label:<40} {seconds:8.2f} {households / seconds:14,.0f} {megabytes:12.0f}")


# ---------------------------------------------------------------------------------------------------------
# 2. Dashboard


def _copy_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Raw bulk insert: COPY on PostgreSQL, batched executemany elsewhere."""
    from django.db import connection

    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])  # type: ignore[arg-type]


HOUSEHOLD_COLUMNS = [
    "created_at",
    "updated_at",
    "code",
    "village_id",
    "province_id",
    "address",
    "area",
    "head_ethnic_group",
    "established_on",
    "dissolved_on",
    "is_synthetic",
]
ETHNIC_GROUPS = ["01"] * 5 + ["02", "09", "09", "04", "05", "08", "03"]


def _household_row(
    rng: random.Random, now: Any, villages: Sequence[Any], province_of: Mapping[int, int], number: int
) -> tuple[object, ...]:
    """The ``number``-th SYNTHETIC household, in the villages in turn (1% dissolved before 2025); the
    villages' provinces by their primary keys (``geo.tree.province_ids``)."""
    import datetime

    village = villages[number % len(villages)]
    dissolved = datetime.date(2025, 3, 1) if rng.random() < 0.01 else None
    return (
        now,
        now,
        f"B{village.code}-{number // len(villages) + 1:06d}",
        village.pk,
        province_of[village.pk],
        f"{village.name}",
        "rural" if rng.random() < 0.85 else "urban",
        rng.choice(ETHNIC_GROUPS),
        None,
        dissolved,
        True,
    )


MEMBER_COLUMNS = [
    "created_at",
    "updated_at",
    "household_id",
    "full_name",
    "sex",
    "birth_year",
    "ethnic_group",
    "relation_to_head",
    "identity_digest",
    "identity_encrypted",
    "identity_last_digits",
    "schooling",
    "has_health_insurance",
    "has_disability",
    "work",
]


def members_seed(chunk: int = NATIONAL_CHUNK) -> int:
    """SYNTHETIC members for every household of a registry that has none (about four each, most adults
    with an identity number sealed and digested as the registry keeps it, ``registry.identity``), written
    a ``chunk`` of households at a time by raw bulk inserts; returns the number written."""
    from django.db import transaction
    from django.utils import timezone

    from vungcao.registry import identity
    from vungcao.registry.models import Household, Member

    assert not Member.objects.exists(), "members are written once, into a registry without any"
    rng = random.Random(SEED + 1)
    now = timezone.now()
    serials: dict[str, list[int]] = {}
    written = last = 0
    while batch := list(
        Household.objects.filter(pk__gt=last)
        .order_by("pk")
        .values_list("pk", "head_ethnic_group", "province__code")[:chunk]
    ):
        last = batch[-1][0]
        people = [
            (pk, group, person)
            for pk, group, province in batch
            for person in _people(
                rng,
                _household_size(rng),
                rng.choice(SURNAMES),
                rng.randint(1950, 1995),
                f"0{province}",
                serials.setdefault(province, [0]),
            )
        ]
        numbers = [person.identity_number for _pk, _group, person in people if person.identity_number]
        digests, sealed = identity.identity_digests(numbers), identity.encrypt_many(numbers)
        rows = [
            (
                now,
                now,
                pk,
                person.full_name,
                "female" if person.female else "male",
                person.born,
                group,
                person.relation,
                digests.get(person.identity_number, ""),
                sealed.get(person.identity_number, ""),
                person.identity_number[-3:],
                person.schooling,
                person.insured,
                person.disabled,
                person.work,
            )
            for pk, group, person in people
        ]
        with transaction.atomic():
            _copy_rows(Member._meta.db_table, MEMBER_COLUMNS, rows)
        written += len(rows)
    return written


class _Assessed:
    """SYNTHETIC assessments of households under vn-2022-2025: hardship drawn at random, the status and
    deprivations following it (a little harder in 2024)."""

    STATUSES = ("poor", "near_poor", "average", "not_poor")

    def __init__(self) -> None:
        from vungcao.registry import classification

        self.indicators = len(classification.standard(STANDARD).indicators)
        self.digest = classification.standard_digest(STANDARD)

    def row(
        self, rng: random.Random, now: Any, cycle: Any, household: int, review: int, dissolved: Any
    ) -> tuple[object, ...] | None:
        """The household's assessment row in ``cycle``'s review ``review``; None when it was not assessed
        (dissolved before the 2025 review, new since 2024)."""
        import json

        year = cycle.year
        if (year == 2025 and dissolved) or (year == 2024 and rng.random() < 0.02):
            return None
        hardship = rng.random() + (0.05 if year == 2024 else 0)
        status = self.STATUSES[0 if hardship > 0.9 else 1 if hardship > 0.82 else 2 if hardship > 0.5 else 3]
        mask = sum(1 << bit for bit in range(self.indicators) if rng.random() < hardship * 0.35)
        answers = {
            "members_total": 4,
            "members_working_age_unemployed": int(hardship > 0.8),
            "members_wage_job_without_contract": 1,
            "dependants": 1,
            "children_under16_malnourished": None,
            "members_age6plus_without_health_insurance": 0,
            "members_16_30_without_required_education": None,
            "children_3_15_not_in_age_appropriate_school": None,
            "main_structures_non_durable": 0,
            "housing_floor_area_m2": 62.5,
            "has_clean_water_source": hardship < 0.85,
            "uses_hygienic_latrine": hardship < 0.6,
            "deprived__telecom": False,
            "deprived__information_access": hardship > 0.8,
        }
        return (
            now,
            now,
            cycle.pk,
            year,
            household,
            review,
            "rural",
            int(rng.lognormvariate(14.6 - hardship, 0.45)),
            json.dumps(answers),
            status,
            bin(mask).count("1"),
            mask,
            1_500_000,
            STANDARD,
            self.digest,
        )


def seed_dashboard(size: int) -> tuple[Any, Any, Any]:
    """``size`` SYNTHETIC households over the province's villages, assessed in 2024 and 2025 (both approved
    in every commune but a few), written by raw bulk inserts. Returns the officer and the two cycles."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from vungcao.geo import tree
    from vungcao.registry.models import Assessment, CommuneReview, Household
    from vungcao.registry.services import reviews

    administrator, officer = _users()
    villages = _villages(DASHBOARD_VILLAGES_PER_COMMUNE)
    cycles = {
        year: reviews.review_cycle_open(
            user=administrator, province=officer.scope, year=year, standard_identifier=STANDARD
        )
        for year in (2024, 2025)
    }
    CommuneReview.objects.update(state=CommuneReview.State.APPROVED)
    still_open = list(cycles[2025].communes.order_by("commune__code").values_list("pk", flat=True)[:4])
    CommuneReview.objects.filter(pk__in=still_open).update(state=CommuneReview.State.SUBMITTED)
    review_of = {
        (cycle.pk, commune): pk
        for year, cycle in cycles.items()
        for pk, commune in cycle.communes.values_list("pk", "commune_id")
    }
    started = time.perf_counter()
    rng = random.Random(SEED)
    now = timezone.now()
    province_of = tree.province_ids(villages)
    households = [_household_row(rng, now, villages, province_of, number) for number in range(size)]
    with transaction.atomic():
        _copy_rows(Household._meta.db_table, HOUSEHOLD_COLUMNS, households)
    ids = list(Household.objects.order_by("pk").values_list("pk", "village__parent_id", "dissolved_on"))
    assessed = _Assessed()
    for cycle in cycles.values():
        rows = [
            row
            for pk, commune, dissolved in ids
            if (row := assessed.row(rng, now, cycle, pk, review_of[(cycle.pk, commune)], dissolved))
        ]
        with transaction.atomic():
            _copy_rows(Assessment._meta.db_table, ASSESSMENT_COLUMNS, rows)
        del rows
    # A bulk load bypasses the services, which keep the rollups: count them once, as after any bulk load.
    call_command("rollups", rebuild=True, stdout=io.StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load
    assessments = Assessment.objects.count()
    print(
        f"[dashboard] seeded {size:,} SYNTHETIC households, {assessments:,} assessments (2024, 2025) "
        f"in {len(villages):,} villages in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return officer, cycles[2024], cycles[2025]


def seed_national(size: int) -> None:
    """``size`` SYNTHETIC households over every current province (five villages in each of the 3,321
    communes, the households in the villages in turn), each province's reviews of 2024 and 2025 open and
    approved (but four communes of Quảng Ninh's 2025 review), written by raw bulk inserts a chunk at a
    time, so that five million households need no more memory than a quarter of a million."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from vungcao.accounts.models import Role, User
    from vungcao.geo import tree
    from vungcao.geo.models import AdministrativeUnit, Era, Level
    from vungcao.registry.models import Assessment, CommuneReview, Household
    from vungcao.registry.services import reviews

    started = time.perf_counter()
    administrator, officer = _users()
    User.objects.create(username="bench-analyst", role=Role.MINISTRY_ANALYST)
    commune = officer.scope.children.filter(level=Level.COMMUNE).order_by("code").first()
    User.objects.create(username="bench-commune", role=Role.COMMUNE_OFFICER, scope=commune)
    provinces = list(
        AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, valid_to__isnull=True)
    )
    villages = _villages(NATIONAL_VILLAGES_PER_COMMUNE, [province.code for province in provinces])
    cycles = [
        reviews.review_cycle_open(
            user=administrator, province=province, year=year, standard_identifier=STANDARD
        )
        for province in provinces
        for year in (2024, 2025)
    ]
    CommuneReview.objects.update(state=CommuneReview.State.APPROVED)
    later = next(cycle for cycle in cycles if cycle.province_id == officer.scope_id and cycle.year == 2025)
    still_open = list(later.communes.order_by("commune__code").values_list("pk", flat=True)[:4])
    CommuneReview.objects.filter(pk__in=still_open).update(state=CommuneReview.State.SUBMITTED)
    review_of = {
        (year, commune): (cycle, pk)
        for cycle in cycles
        for year, pk, commune in cycle.communes.values_list("cycle__year", "pk", "commune_id")
    }
    print(
        f"[national] {len(villages):,} villages, {len(cycles)} reviews opened in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    rng = random.Random(SEED)
    now = timezone.now()
    assessed = _Assessed()
    province_of = tree.province_ids(villages)
    last = 0
    for start in range(0, size, NATIONAL_CHUNK):
        numbers = range(start, min(size, start + NATIONAL_CHUNK))
        with transaction.atomic():
            _copy_rows(
                Household._meta.db_table,
                HOUSEHOLD_COLUMNS,
                [_household_row(rng, now, villages, province_of, number) for number in numbers],
            )
            written = list(
                Household.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "village__parent_id", "dissolved_on")
            )
            last = written[-1][0]
            for year in (2024, 2025):
                rows = []
                for pk, commune, dissolved in written:
                    cycle, review = review_of[(year, commune)]
                    row = assessed.row(rng, now, cycle, pk, review, dissolved)
                    if row:
                        rows.append(row)
                _copy_rows(Assessment._meta.db_table, ASSESSMENT_COLUMNS, rows)
        print(f"  {numbers.stop:,} households written, {time.perf_counter() - started:.0f} s", flush=True)
    counting = time.perf_counter()
    call_command("rollups", rebuild=True, stdout=io.StringIO())
    print(f"  rollups counted in {time.perf_counter() - counting:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"[national] seeded {size:,} SYNTHETIC households, {Assessment.objects.count():,} assessments in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )


def national_benchmark(size: int) -> None:
    """The pages an analyst, a province officer and a commune officer open, over a national registry:
    p50 and p95 of ten requests each (after one not timed), through the pages as a browser asks them."""
    import statistics

    from django.test import Client

    from vungcao.accounts.models import User
    from vungcao.registry.models import Household, Member, ReviewCycle

    if not Household.objects.exists():
        seed_national(size)
    if not Member.objects.exists():
        started = time.perf_counter()
        written = members_seed()
        print(f"[national] {written:,} members written in {time.perf_counter() - started:.0f} s", flush=True)
    officer = User.objects.get(username="bench-province")
    earlier = ReviewCycle.objects.get(province=officer.scope, year=2024)
    later = ReviewCycle.objects.get(province=officer.scope, year=2025)
    commune = User.objects.get(username="bench-commune").scope
    household = Household.objects.filter(village__parent=commune).order_by("code").first()
    print(
        f"[national] {Household.objects.count():,} households; the province officer's Quảng Ninh holds "
        f"{Household.objects.filter(village__parent__parent=officer.scope).count():,}",
        flush=True,
    )
    pages = {
        "bench-analyst": [
            "/dashboards/",
            f"/dashboards/current/{PROVINCE}/",
            "/registry/",
            f"/registry/reviews/{later.pk}/",
            f"/registry/changes/?earlier={earlier.pk}&later={later.pk}",
            "/registry/households/",
            "/registry/households/?year=2025&status=poor",
            f"/registry/households/?unit={PROVINCE}",
            f"/registry/households/?unit={PROVINCE}&year=2025&status=poor",
            f"/indicators/units/current/{PROVINCE}/",
            "/programs/",
        ],
        "bench-province": [
            f"/dashboards/current/{PROVINCE}/",
            f"/registry/reviews/{later.pk}/",
            "/registry/households/",
            "/registry/households/?year=2025",
            "/registry/households/?year=2025&status=poor",
            "/registry/households/?year=2025&change=escaped",
            f"/registry/changes/?earlier={earlier.pk}&later={later.pk}&flow=escaped",
            f"/registry/households/{household.code}/",
        ],
        "bench-commune": [
            f"/registry/reviews/{later.pk}/{commune.code}/",
            "/registry/households/?year=2025",
            "/registry/households/?year=2025&status=poor",
            f"/registry/households/{household.code}/",
        ],
    }
    print(f"  {'page (10 requests after one)':<66} {'p50 ms':>8} {'p95 ms':>8}")
    for username, addresses in pages.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        for address in addresses:
            response = client.get(address, secure=True)
            assert response.status_code == 200, (address, response.status_code)
            times = []
            for _ in range(10):
                begun = time.perf_counter()
                client.get(address, secure=True)
                times.append((time.perf_counter() - begun) * 1000)
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"  {username[6:]:<9} {address:<56} {statistics.median(times):8.0f} {p95:8.0f}", flush=True)
    approval_benchmark(officer, later)


def _best_of(label: str, function: Callable[[], object], repeat: int = 3) -> float:
    times: list[float] = []
    while len(times) < repeat and sum(times) < 30:  # a very slow query is run fewer times
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    print(f"  {label:<58} {min(times):8.3f}", flush=True)
    return min(times)


def snapshot_benchmark(size: int) -> None:
    """The seeded registry written as a snapshot: all of it, then nothing changed, then one commune."""
    from vungcao.registry.services import reviews
    from vungcao.registry.services.snapshot import snapshot_write

    officer, _earlier, later = seed_dashboard(size)
    with tempfile.TemporaryDirectory(prefix="vungcao-snapshot-") as directory:
        for label in ("first run, every partition", "second run, nothing changed"):
            written, _seconds, peak = _timed(label, lambda: snapshot_write(directory=Path(directory)))
            print(f"    partitions written {len(written.written)}, peak memory {peak:.0f} MB")
        review = later.communes.filter(state="approved").order_by("commune__code").first()
        reviews.commune_review_reopen(user=officer, review=review, reason="benchmark")
        label = "one commune re-opened"
        written, _seconds, peak = _timed(label, lambda: snapshot_write(directory=Path(directory)))
        print(f"    partitions written {len(written.written)}, peak memory {peak:.0f} MB")


def export_benchmark(size: int) -> None:
    """The province's list of 2025 (and of one commune, for comparison) written by the export task and
    downloaded piece by piece: time, the process's peak memory, the file's size and pieces."""
    from django.test import Client

    from vungcao.registry.models import Household

    if not Household.objects.exists():
        seed_dashboard(size)
    from vungcao.accounts.models import User

    officer = User.objects.get(username="bench-province")
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    commune = officer.scope.children.order_by("code").first()
    for label, parameters in (
        (f"one commune ({commune.code})", {"year": YEAR, "unit": commune.code}),
        ("the province", {"year": YEAR}),
    ):
        _export_timed(client, officer, label, parameters)


def _export_timed(client: Any, officer: Any, label: str, parameters: dict[str, object]) -> None:
    from vungcao.exports import services as exports
    from vungcao.exports.models import Export

    export = exports.export_start(user=officer, kind=Export.Kind.HOUSEHOLDS, parameters=parameters)
    _, _seconds, peak = _timed(
        f"export written: {label}", lambda: exports.export_write(export_id=str(export.pk))
    )
    export.refresh_from_db()
    print(
        f"    {export.row_count:,} households, {export.size / 1e6:.1f} MB in {export.pieces} pieces, "
        f"peak memory {peak:.0f} MB"
    )

    def downloaded() -> int:
        response = client.get(f"/exports/{export.pk}/download/", secure=True)
        return sum(len(piece) for piece in response.streaming_content)

    received, _seconds, peak = _timed(f"export downloaded: {label}", downloaded)
    print(f"    {received / 1e6:.1f} MB received, peak memory {peak:.0f} MB")


def dashboard_benchmark(size: int) -> None:
    dashboard_queries(*seed_dashboard(size))


def dashboard_queries(officer: Any, earlier: Any, later: Any) -> None:
    """Each query of the province dashboard, the household list and the changes page, best of 3."""
    from vungcao.common.pagination import PagesCountedUpTo
    from vungcao.registry.selectors import changes, households, results, reviews

    def first_page(found: Any) -> tuple[int, list[Any]]:
        page = PagesCountedUpTo(found, 50).get_page(1)  # as the household list page counts
        return page.paginator.count, list(page.object_list)

    def list_page(**filters: Any) -> Callable[[], object]:
        return lambda: first_page(
            households.household_list(user=officer, filters=households.HouseholdFilter(**filters))
        )

    def changed_page(flow: str) -> Callable[[], object]:
        found = changes.changes_between(user=officer, earlier=earlier, later=later)
        return lambda: list(
            changes.changed_households_pages(user=officer, changes=found, flow=flow, per_page=50).get_page(1)
        )

    print(f"  {'query (province officer of Quảng Ninh, best of 3)':<58} {'s':>8}")
    _best_of(
        "review_results (2025: total, communes, ethnic groups, years)",
        lambda: results.review_results(user=officer, cycle=later),
    )
    _best_of(
        "commune_review_list (2025)", lambda: list(reviews.commune_review_list(user=officer, cycle=later))
    )
    _best_of("cycle_states (2025)", lambda: reviews.cycle_states(cycle=later))
    _best_of("household_list page 1, no year", list_page())
    _best_of("household_list page 1, year 2025", list_page(year=2025))
    _best_of("household_list page 1, 2025, status poor", list_page(year=2025, status="poor"))
    _best_of("household_list page 1, 2025, deprived latrine", list_page(year=2025, deprived="latrine"))
    _best_of("household_list page 1, 2025, change escaped", list_page(year=2025, change="escaped"))
    _best_of(
        "changes_between (2024, 2025)",
        lambda: changes.changes_between(user=officer, earlier=earlier, later=later),
    )
    _best_of("changed_households page 1, escaped (2024 → 2025)", changed_page("escaped"))
    _best_of("changed_households page 1, fell back (2024 → 2025)", changed_page("fell_back"))
    approval_benchmark(officer, later)


def approval_benchmark(officer: Any, cycle: Any) -> None:
    """The largest commune of ``cycle`` approved by the province officer through the page, as the
    officer's browser posts it (the redirect not followed), then the commune's review page it leads to;
    before each, the review re-opened and submitted again by the commune's officer (not timed). Best of
    3, then left approved."""
    from django.db.models import Count
    from django.test import Client

    from vungcao.accounts.models import Role, User
    from vungcao.registry.services import reviews

    review = (
        cycle.communes.annotate(assessed=Count("assessments")).order_by("-assessed", "commune__code").first()
    )
    commune_officer = User.objects.get_or_create(
        username=f"bench-commune-{review.commune.code}",
        defaults={"role": Role.COMMUNE_OFFICER, "scope": review.commune},
    )[0]
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    base = f"/registry/reviews/{cycle.pk}/{review.commune.code}/"

    def submitted() -> None:
        review.refresh_from_db()
        if review.state == "approved":
            reviews.commune_review_reopen(user=officer, review=review, reason="benchmark")
            review.refresh_from_db()
        if review.state != "submitted":
            reviews.commune_review_submit(user=commune_officer, review=review)

    def approve() -> None:
        answer = client.post(f"{base}approve/", secure=True)
        assert answer.status_code == 302, answer.status_code

    def page() -> None:
        answer = client.get(base, secure=True)
        assert answer.status_code == 200, answer.status_code

    label = f"approve {review.commune.name} ({review.assessed:,} households), the POST"
    times = []
    for _ in range(3):
        submitted()
        started = time.perf_counter()
        approve()
        times.append(time.perf_counter() - started)
    print(f"  {label:<58} {min(times):8.3f}", flush=True)
    _best_of("  the commune review page it leads to", page)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
