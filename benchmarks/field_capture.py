"""Phones' submissions at a commune's scale (issue 12): receiving them one by one, then accepting them all
in one batch.

    python -m benchmarks field_capture                                  # a temp SQLite file
    python -m benchmarks field_capture --database-url postgres://postgres@127.0.0.1:5432/fc_bench
    python -m benchmarks field_capture --submissions 5000 --photo-kb 300 --profile

One process on a throw-away database (a temp SQLite file, or a PostgreSQL database created for the run and
dropped afterwards), migrated, with the real units loaded and production settings (DEBUG off):

1. **A commune.** Ba Chẽ (06970) gets 10 villages and ``--households`` (5,000) SYNTHETIC households,
   imported from ``benchmarks.registry``'s questionnaire workbook (about 4 members each) into its open
   review of 2025 (vn-2022-2025), as its province officer would.
2. **Receiving.** ``--submissions`` (5,000) instances of the commune's form, written by
   ``field_capture.demo.instance_xml``: 90 % for listed households, their answers as their assessment
   recorded them (``field_capture.demo.phone_answers``) with the income changed by up to 30 %; 10 % for
   new households with 2–6 members. Each is received as the commune officer's phone sends it: all but
   ``--over-http`` (200) by ``services.intake.submission_receive`` (the time of each, p50 / p95, and the
   total), those over ``POST /odk/submission`` with Django's test client as ODK Collect posts them
   (multipart, HTTPS, Basic credentials, already verified once: requests/s). With ``--photo-kb`` each
   carries a dwelling photo of that size (JPEG magic bytes, random content: sealing cannot compress it).
3. **One batch.** The import of kind ``phone_submissions`` of every waiting submission: its preview (read
   the ids, unseal and parse each instance, plan the questionnaire's rows of all of them) and its apply
   (plan again under lock, write, mark the submissions accepted), timed apart, each with its peak
   resident memory (Linux ``/proc/self/clear_refs``).
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.registry import STANDARD, YEAR, _peak_mb, _peak_reset, _throwaway_database, _timed

PROVINCE, COMMUNE = "22", "06970"  # Quảng Ninh, Ba Chẽ
VILLAGES = 10
PASSWORD = "bench-Vung-Cao-2026"
SEED = 2026
NEW_SHARE = 0.1
NEW_EVERY = 10  # every tenth instance is a new household's
DEVICE = "collect:bench"
USER_AGENT = "org.odk.collect.android/v2025.2.1"
JPEG_MAGIC = b"\xff\xd8\xff\xe0"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks field_capture", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--households", type=int, default=5_000, help="households of the commune")
    parser.add_argument("--submissions", type=int, default=5_000, help="instances received, then accepted")
    parser.add_argument("--over-http", type=int, default=200, help="of them, sent over POST /odk/submission")
    parser.add_argument("--photo-kb", type=int, default=0, help="a photo of this size with each (0: none)")
    parser.add_argument("--database-url", default="", help="PostgreSQL server (default: a temp SQLite file)")
    parser.add_argument("--profile", action="store_true", help="cProfile the batch's preview and apply")
    parser.add_argument("--part", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    listed = args.submissions - round(args.submissions * NEW_SHARE)
    if listed > args.households or args.over_http > args.submissions:
        parser.error("more listed households' submissions than households, or more over HTTP than in all")
    if args.part:
        return _run_part(args)
    with _throwaway_database(args.database_url) as url:
        command = [sys.executable, "-m", "benchmarks.field_capture", *argv, "--part", "--database-url", url]
        return subprocess.run(command, check=False).returncode


def _run_part(args: argparse.Namespace) -> int:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vungcao.settings")
    for key in ("SECRET_KEY", "IDENTITY_NUMBER_KEY"):  # production settings: DEBUG off
        os.environ.setdefault(key, secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_units", verbosity=0, stdout=io.StringIO())
    officer, review = _commune(args.households)
    print(
        f"[field_capture] database: {connection.vendor}; migrated, units loaded, {args.households:,} "
        f"households imported in {time.perf_counter() - started:.1f} s; {_load_average()}",
        flush=True,
    )
    sendings = _sendings(review, args.submissions, args.photo_kb)
    _receive(officer, sendings, args.over_http)
    _batch(officer, len(sendings), profile=args.profile)
    print(f"[field_capture] {_load_average()}")
    return 0


def _load_average() -> str:
    """The machine's load (1, 5, 15 minutes): it is shared, and the times depend on it."""
    return "load average " + " ".join(f"{load:.1f}" for load in os.getloadavg())


# ---------------------------------------------------------------------------------------------------------
# 1. The commune


def _commune(households: int) -> tuple[Any, Any]:
    """The commune officer (with a password) and the commune's open review of ``YEAR``, its
    ``households`` imported as the province officer imports a questionnaire file."""
    from django.db import transaction

    from benchmarks.registry import questionnaire_file
    from vungcao.accounts.models import Role, User
    from vungcao.accounts.services import system_actor
    from vungcao.geo.models import AdministrativeUnit, Era, Level
    from vungcao.geo.services import villages
    from vungcao.imports import services
    from vungcao.imports.models import ImportBatch
    from vungcao.registry.models import CommuneReview
    from vungcao.registry.services import reviews

    province = AdministrativeUnit.objects.get(era=Era.CURRENT, code=PROVINCE)
    commune = AdministrativeUnit.objects.get(era=Era.CURRENT, code=COMMUNE)
    administrator = User.objects.create(username="bench-admin", role=Role.ADMINISTRATOR)
    province_officer = User.objects.create(
        username="bench-province", role=Role.PROVINCE_OFFICER, scope=province
    )
    officer = User.objects.create(username="bench-commune", role=Role.COMMUNE_OFFICER, scope=commune)
    officer.set_password(PASSWORD)
    officer.save()
    rows = [{"commune_code": COMMUNE, "name": f"Thôn Số {n}", "type": "thôn"} for n in range(1, VILLAGES + 1)]
    plan = villages.villages_plan(user=system_actor(), rows=rows)
    assert plan.report.ok, plan.report
    with transaction.atomic():
        plan.write()
    village_codes = list(
        AdministrativeUnit.objects.filter(level=Level.VILLAGE, parent=commune)
        .order_by("code")
        .values_list("code", flat=True)
    )
    cycle = reviews.review_cycle_open(
        user=administrator, province=province, year=YEAR, standard_identifier=STANDARD
    )
    path = questionnaire_file(households, village_codes)
    batch = services.import_preview(
        user=province_officer, kind="questionnaire", stream=io.BytesIO(path.read_bytes()), filename=path.name
    )
    assert batch.status == ImportBatch.Status.READY, batch.problems[:5]
    services.import_apply(user=province_officer, batch=batch)
    review = CommuneReview.objects.select_related("cycle", "commune").get(cycle=cycle, commune=commune)
    return officer, review


# ---------------------------------------------------------------------------------------------------------
# 2. Receiving


SURNAMES = ("Triệu", "Bàn", "Lý", "Đặng", "Hoàng", "Chíu", "Phùn", "Nịnh")
GIVEN = ("Pao", "Sần", "Mai", "Chòi", "Seo", "Quý", "Lan", "Phin", "Dếnh", "Mùi")


def _new_members(rng: random.Random, serial: list[int]) -> list[dict[str, str]]:
    """A new household's 2–6 SYNTHETIC members as the phone records them: a head, a spouse, children (and
    a parent in a large one); the adults with identity numbers of their own (``099…``, never the file's)."""
    from vungcao.engine.choices import NO, YES
    from vungcao.registry.models import Member

    size = rng.randint(2, 6)
    surname = rng.choice(SURNAMES)
    head_born = rng.randint(1960, 2000)
    group = rng.choice(("01", "09", "09", "12", "04"))
    members = []
    for position in range(size):
        if position == 0:
            relation, born, sex = Member.Relation.HEAD, head_born, Member.Sex.MALE
        elif position == 1:
            relation, born, sex = Member.Relation.SPOUSE, head_born + rng.randint(-2, 5), Member.Sex.FEMALE
        elif position == 5:
            relation, born, sex = Member.Relation.PARENT, head_born - rng.randint(20, 30), Member.Sex.FEMALE
        else:
            relation, born = Member.Relation.CHILD, min(head_born + rng.randint(18, 35), YEAR)
            sex = rng.choice((Member.Sex.MALE, Member.Sex.FEMALE))
        adult = YEAR - born >= 15
        serial[0] += 1
        members.append(
            {
                "member_name": f"{surname} {'Thị' if sex == Member.Sex.FEMALE else 'Văn'} {rng.choice(GIVEN)}",
                "sex": sex,
                "birth_year": str(born),
                "ethnic_group": group,
                "relation_to_head": relation,
                "identity_number": f"099{born % 100:02d}{serial[0]:07d}" if adult else "",
                "schooling": rng.choice(Member.Schooling.values),
                "health_insurance": YES if rng.random() < 0.9 else NO,
                "disability": YES if rng.random() < 0.05 else NO,
                "work": rng.choice(Member.Work.values) if adult else Member.Work.STUDENT,
            }
        )
    return members


def _sendings(review: Any, submissions: int, photo_kb: int) -> list[tuple[bytes, list[Any]]]:
    """The instances the phones send, each with its files: every tenth for a new household, the others for
    the commune's listed households in order of code, their income changed."""
    from vungcao.engine.choices import NO, YES
    from vungcao.engine.poverty.standard import INCOME
    from vungcao.field_capture import xforms
    from vungcao.field_capture.demo import instance_xml, phone_answers
    from vungcao.field_capture.services.intake import ReceivedFile
    from vungcao.field_capture.xlsform import PHOTO
    from vungcao.registry import classification
    from vungcao.registry.models import Assessment

    started = time.perf_counter()
    rng = random.Random(SEED)
    form = xforms.review_xlsform(review=review)
    standard = classification.standard(review.cycle.standard_identifier)
    new_count = round(submissions * NEW_SHARE)
    assessments = (
        Assessment.objects.filter(commune_review=review)
        .select_related("household__village")
        .order_by("household__code")[: submissions - new_count]
    )
    listed = [
        {
            "village_code": assessment.household.village.code,
            "new_household": NO,
            "household_code": assessment.household.code,
            **phone_answers(standard, assessment),
        }
        for assessment in assessments
    ]
    villages = sorted({answers["village_code"] for answers in listed})
    photo = JPEG_MAGIC + os.urandom(photo_kb * 1024 - len(JPEG_MAGIC)) if photo_kb else b""
    serial = [0]
    new = 0
    sendings = []
    for number in range(submissions):
        finished = f"{YEAR}-11-{1 + number % 28:02d}T{8 + number % 10:02d}:{number % 60:02d}:00.000+07:00"
        answers = {"end": finished, "deviceid": DEVICE}
        members: list[dict[str, str]] = []
        if number % NEW_EVERY == 0 and new < new_count:
            # Answered as a listed household was, with a new code in the next village and its members.
            village = villages[new % len(villages)]
            code = f"{village}-{new // len(villages) + 1:04d}"
            answers |= {**listed[new], "village_code": village, "new_household": YES, "household_code": ""}
            answers |= {"new_household_code": code, "address": f"{village} Ba Chẽ"}
            members = _new_members(rng, serial)
            new += 1
        else:
            answers |= listed[number - new]
            answers[INCOME] = str(round(int(answers[INCOME]) * rng.uniform(0.7, 1.3) / 1000) * 1000)
        files = []
        if photo:
            answers[PHOTO] = f"dwelling-{number}.jpg"
            files.append(ReceivedFile(answers[PHOTO], photo))
        sendings.append((instance_xml(form, answers=answers, members=members), files))
    print(
        f"[field_capture] {submissions:,} instances written ({new_count:,} new households) in "
        f"{time.perf_counter() - started:.1f} s, {sum(len(xml) for xml, _ in sendings) / submissions:,.0f} "
        f"bytes each{f', a {photo_kb} kB photo each' if photo_kb else ''}",
        flush=True,
    )
    return sendings


def _percentiles(label: str, seconds: Sequence[float]) -> None:
    cut = statistics.quantiles(seconds, n=20, method="inclusive") if len(seconds) > 1 else [seconds[0]] * 19
    print(
        f"  {label:<44} {len(seconds):>6,} {statistics.median(seconds) * 1000:9.1f} {cut[18] * 1000:9.1f} "
        f"{max(seconds) * 1000:9.1f} {sum(seconds):9.1f} {len(seconds) / sum(seconds):9.1f}",
        flush=True,
    )


def _each(
    sendings: Sequence[tuple[bytes, list[Any]]], send: Callable[[bytes, list[Any]], None]
) -> list[float]:
    times = []
    for xml, files in sendings:
        started = time.perf_counter()
        send(xml, files)
        times.append(time.perf_counter() - started)
    return times


def _receive(officer: Any, sendings: Sequence[tuple[bytes, list[Any]]], over_http: int) -> None:
    """Receive the sendings, all but the last ``over_http`` through the service, those over HTTP."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from vungcao.field_capture.models import Submission
    from vungcao.field_capture.services import intake

    def receive(xml: bytes, files: list[Any]) -> None:
        receipt = intake.submission_receive(
            user=officer,
            xml=xml,
            attachments=files,
            incomplete=False,
            device_id=DEVICE,
            user_agent=USER_AGENT,
        )
        assert receipt.submission.state == Submission.State.PENDING, receipt.message

    credentials = base64.b64encode(f"{officer.username}:{PASSWORD}".encode()).decode()
    client = Client(
        headers={
            "X-OpenRosa-Version": "1.0",
            "User-Agent": USER_AGENT,
            "Authorization": f"Basic {credentials}",
        },
        SERVER_NAME="localhost",
    )

    def post(xml: bytes, files: list[Any]) -> None:
        data = {"xml_submission_file": SimpleUploadedFile("instance.xml", xml, "text/xml")}
        data |= {
            file.filename: SimpleUploadedFile(file.filename, file.content, "image/jpeg") for file in files
        }
        response = client.post(f"/odk/submission?deviceID={DEVICE}", data, secure=True)
        assert response.status_code == 201, response.content

    _peak_reset()
    by_service = len(sendings) - over_http
    print(
        f"  {'receiving (ms)':<44} {'count':>6} {'p50':>9} {'p95':>9} {'max':>9} {'total s':>9} {'per s':>9}"
    )
    _percentiles("submission_receive", _each(sendings[:by_service], receive))
    if over_http:
        # Collect asks first (HEAD) with the credentials it was challenged for: verified once, remembered.
        assert client.head("/odk/submission", secure=True).status_code == 204
        _percentiles("POST /odk/submission (test client)", _each(sendings[by_service:], post))
    waiting = Submission.objects.filter(state=Submission.State.PENDING).count()
    assert waiting == len(sendings), waiting
    print(f"  peak RSS receiving: {_peak_mb():.0f} MB", flush=True)


# ---------------------------------------------------------------------------------------------------------
# 3. One batch


def _batch(officer: Any, submissions: int, *, profile: bool) -> None:
    """Every waiting submission accepted in one batch: its preview and apply, timed apart."""
    import csv

    from vungcao.field_capture.importers import COLUMN, KIND
    from vungcao.field_capture.models import Submission
    from vungcao.imports import services
    from vungcao.imports.models import ImportBatch
    from vungcao.registry.models import Household

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([COLUMN])
    writer.writerows(
        [str(pk)] for pk in Submission.objects.filter(state="pending").values_list("pk", flat=True)
    )
    content = text.getvalue().encode()
    households = Household.objects.count()

    def preview() -> Any:
        return services.import_preview(
            user=officer, kind=KIND, stream=io.BytesIO(content), filename=f"odk-{submissions}.csv"
        )

    batch, preview_s, preview_mb = _timed("preview", preview, profile)
    assert batch.status == ImportBatch.Status.READY, batch.problems[:5]
    batch, apply_s, apply_mb = _timed(
        "apply", lambda: services.import_apply(user=officer, batch=batch), profile
    )
    accepted = Submission.objects.filter(state=Submission.State.ACCEPTED).count()
    assert accepted == submissions, accepted
    print(
        f"[field_capture] one batch of {submissions:,} submissions: {batch.created_count:,} households "
        f"created ({Household.objects.count() - households:,} new in the registry), "
        f"{batch.updated_count:,} changed, {batch.unchanged_count:,} unchanged"
    )
    print(f"  {'phase':<44} {'s':>8} {'submissions/s':>14} {'peak RSS MB':>12}")
    for label, seconds, megabytes in (
        ("preview: ids, unseal + parse, plan", preview_s, preview_mb),
        ("apply: plan again under lock + write", apply_s, apply_mb),
        ("preview + apply", preview_s + apply_s, max(preview_mb, apply_mb)),
    ):
        print(f"  {label:<44} {seconds:8.2f} {submissions / seconds:14,.0f} {megabytes:12.0f}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
