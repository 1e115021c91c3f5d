"""The household export runs as a background task: the list page's button queues it, the export's page
follows it and offers the file when written, to the user who asked alone; the read is recorded at the
download. The task writes what the user may see when it runs, failures are told in words, a task run
twice writes once, and the file is gone after the retention."""

import datetime
import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from tests.common.reports import read_report
from tests.conftest import BA_CHE, TIEN_YEN, client_for, current_unit
from tests.exports.helpers import download, export_started, exported, sealed_pieces
from tests.imports.helpers import english, run_tasks
from vungcao.accounts.models import Role, User
from vungcao.common import sealing
from vungcao.exports import services as exports
from vungcao.exports import tasks
from vungcao.exports.models import Export, ExportPiece
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.services import villages
from vungcao.registry.models import Household, PersonalDataRead
from vungcao.registry.services import exports as household_exports
from vungcao.registry.services.households import MemberData, household_create

pytestmark = pytest.mark.django_db

Status = Export.Status
ADDRESS = "Khe Giấy, lô 7"


def _register(administrator: User, village: AdministrativeUnit, code: str) -> Household:
    head = MemberData(
        full_name="Hoàng Văn A", sex="male", birth_year=1980, ethnic_group="09", relation_to_head="head"
    )
    return household_create(
        user=administrator, village=village, code=code, area="rural", members=[head], address=ADDRESS
    )


@pytest.fixture
def households(administrator: User, ba_che_villages: list[AdministrativeUnit]) -> None:
    """H1 and H2 in Ba Chẽ (the commune officer's), T1 in Tiên Yên (same province)."""
    ba_che_village = current_unit(BA_CHE).children.get(name="Thôn Khe Giấy")
    tien_yen_village = villages.village_create(
        user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Một"
    )
    _register(administrator, ba_che_village, "H1")
    _register(administrator, ba_che_village, "H2")
    _register(administrator, tien_yen_village, "T1")


def codes(content: bytes) -> list[str]:
    """The household codes of an exported list (its second column, after the row number)."""
    return sorted(str(row[1]) for row in read_report(content).rows)


def polls(page: str) -> bool:
    return 'hx-trigger="every 2s"' in page


def test_the_whole_flow_queued_written_ready_downloaded(commune_officer, households) -> None:
    client = english(client_for(commune_officer))
    with translation.override("en"):
        # Given the officer on the household list, when they press the export button
        assert 'id="export"' in client.get("/registry/households/").content.decode()
        response = export_started(client, {"unit": BA_CHE})
        export = Export.objects.get()
        # Then the request answers at once with the export's page, which follows the writing
        assert response["Location"] == f"/exports/{export.pk}/"
        assert (export.user, export.status, export.parameters["unit"]) == (
            commune_officer,
            Status.QUEUED,
            BA_CHE,
        )
        page = client.get(response["Location"]).content.decode()
        assert polls(page)
        assert 'id="waiting"' in page
        assert 'id="download"' not in page
        # and one task waits in the queue, with ids only
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "vungcao.exports.tasks.export_task"
        assert queued.args_kwargs == {"args": [], "kwargs": {"export_id": str(export.pk), "language": "en"}}
        # When the worker runs it
        assert run_tasks() == 1
        # Then the page offers the file and stops asking; nothing has been read yet
        export.refresh_from_db()
        assert (export.status, export.row_count, export.error) == (Status.READY, 2, "")
        assert export.finished_at is not None
        part = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
        assert part.startswith('<div id="export">')
        assert not polls(part)
        assert "The file holds 2 households." in part
        assert 'id="download"' in part
        assert "Download the file (XLSX, " in part
        assert not PersonalDataRead.objects.filter(kind=PersonalDataRead.Kind.EXPORT).exists()
        # When the officer downloads it
        downloaded = download(client, export)
    # Then the file holds their commune's households, and the read is recorded with its count and filter
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].startswith('attachment; filename="households-')
    assert codes(downloaded.content) == ["H1", "H2"]
    read = PersonalDataRead.objects.get(kind=PersonalDataRead.Kind.EXPORT)
    assert (read.user, read.kind, read.household_count, read.query) == (
        commune_officer,
        PersonalDataRead.Kind.EXPORT,
        2,
        f"unit={BA_CHE}",
    )
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_file_is_sealed_to_its_export(commune_officer, households) -> None:
    export = exported(client_for(commune_officer))
    sealed = sealed_pieces(export)
    # Not the workbook (a zip) as written: random ciphertext, which may hold any two bytes such as "H1".
    assert len(sealed) == export.pieces == 1
    assert not zipfile.is_zipfile(io.BytesIO(sealed[0]))
    opened = b"".join(
        sealing.unseal_pieces(sealed, count=1, purpose=exports.SEAL_PURPOSE, associated=export.pk.bytes)
    )
    assert (len(opened), codes(opened)) == (export.size, ["H1", "H2"])
    with pytest.raises(sealing.SealBrokenError):
        list(sealing.unseal_pieces(sealed, count=1, purpose=exports.SEAL_PURPOSE, associated=b"another id"))


def test_a_file_larger_than_a_piece_is_kept_and_sent_in_pieces(
    commune_officer, households, monkeypatch
) -> None:
    """Given pieces of 1,000 bytes, when the list is exported and downloaded, then its file is kept in
    several sealed pieces and sent whole, with its length, opened one piece at a time."""
    monkeypatch.setattr(sealing, "PIECE_BYTES", 1000)
    client = client_for(commune_officer)
    export = exported(client)
    assert export.pieces == len(sealed_pieces(export)) == -(-export.size // 1000) > 2

    response = client.get(f"/exports/{export.pk}/download/")

    assert response.streaming
    assert response["Content-Length"] == str(export.size)
    received = [bytes(piece) for piece in response.streaming_content]
    assert [len(piece) for piece in received[:-1]] == [1000] * (export.pieces - 1)
    assert codes(b"".join(received)) == ["H1", "H2"]


@pytest.mark.parametrize("change", ["a piece removed", "the last piece removed", "two pieces swapped"])
def test_a_file_whose_pieces_were_changed_is_refused_before_anything_is_sent(
    commune_officer, households, monkeypatch, change: str
) -> None:
    """Given a file kept in pieces, when one is removed or two are swapped behind the application's back,
    then the download is refused with the export's words and nothing is read: a file cut short or
    reordered never reaches the user."""
    monkeypatch.setattr(sealing, "PIECE_BYTES", 1000)
    client = english(client_for(commune_officer))
    export = exported(client)
    pieces = ExportPiece.objects.filter(export=export)
    if change == "a piece removed":
        pieces.filter(number=1).delete()
    elif change == "the last piece removed":
        pieces.filter(number=export.pieces - 1).delete()
        Export.objects.filter(pk=export.pk).update(pieces=export.pieces - 1)
    else:
        first, second = sealed_pieces(export)[:2]
        pieces.filter(number=0).update(content=second)
        pieces.filter(number=1).update(content=first)

    response = client.get(f"/exports/{export.pk}/download/")

    assert response.status_code == 302
    with translation.override("en"):
        assert "This export has expired" in client.get(response["Location"]).content.decode()
    assert PersonalDataRead.objects.count() == 0


def test_a_commune_officers_export_holds_only_their_households(commune_officer, households) -> None:
    # Given an officer of Ba Chẽ who asks for another commune's list
    client = client_for(commune_officer)
    export = exported(client, {"unit": TIEN_YEN})
    # Then the unit out of scope is no filter and the file holds their households only
    assert export.row_count == 2
    downloaded = download(client, export)
    assert codes(downloaded.content) == ["H1", "H2"]


def test_the_task_applies_the_scope_the_user_has_when_it_runs(province_officer, households) -> None:
    # Given a province officer who asks for every household they see
    client = client_for(province_officer)
    export_started(client)
    # When their scope is narrowed to Ba Chẽ before the worker writes the file
    province_officer.role, province_officer.scope = Role.COMMUNE_OFFICER, current_unit(BA_CHE)
    province_officer.save(update_fields=["role", "scope"])
    run_tasks()
    # Then the file holds Ba Chẽ's households only
    export = Export.objects.get()
    assert export.row_count == 2
    assert codes(download(client, export).content) == ["H1", "H2"]


def test_another_user_neither_sees_nor_downloads_the_export(
    commune_officer, administrator, households
) -> None:
    export = exported(client_for(commune_officer))
    for user in (administrator, User.objects.create_user("other-officer", role=Role.COMMUNE_OFFICER)):
        client = client_for(user)
        for url in (
            f"/exports/{export.pk}/",
            f"/exports/{export.pk}/download/",
        ):
            assert client.get(url).status_code == 404, (user, url)
    assert PersonalDataRead.objects.count() == 0


def test_a_unit_gone_out_of_scope_fails_the_export_in_words(province_officer, households) -> None:
    client = english(client_for(province_officer))
    # Given a province officer who exports Tiên Yên's list
    export_started(client, {"unit": TIEN_YEN})
    # When their scope becomes Ba Chẽ before the worker runs
    province_officer.role, province_officer.scope = Role.COMMUNE_OFFICER, current_unit(BA_CHE)
    province_officer.save(update_fields=["role", "scope"])
    run_tasks()
    # Then the export failed, told in words, and has no file
    export = Export.objects.get()
    with translation.override("en"):
        assert (export.status, export.error, sealed_pieces(export)) == (
            Status.FAILED,
            str(household_exports.UNIT_OUT_OF_SCOPE),
            [],
        )
        page = client.get(f"/exports/{export.pk}/").content.decode()
    assert "no longer within your scope" in page
    assert 'id="download"' not in page
    assert download(client, export).status_code == 302
    assert PersonalDataRead.objects.count() == 0


def test_an_error_in_the_writing_is_told_in_words_never_as_a_traceback(
    commune_officer, households, monkeypatch
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("secret detail of the server")

    monkeypatch.setattr(household_exports, "household_workbook", broken)
    client = english(client_for(commune_officer))
    export_started(client)
    run_tasks()
    export = Export.objects.get()
    with translation.override("en"):
        assert (export.status, export.error) == (Status.FAILED, str(exports.WRITING_FAILED))
        page = client.get(f"/exports/{export.pk}/").content.decode()
    assert "could not be written because of an error on the server" in page
    assert "secret detail" not in page
    assert "Traceback" not in page
    assert DBTaskResult.objects.get().status == "FAILED"


def test_a_long_writing_tells_its_progress_on_its_page(commune_officer, households, monkeypatch) -> None:
    """Given a word of progress after every household, while the list is written its page says how many
    rows are written so far, and the export's time moves with them (a writing of a country's list, longer
    than the 15 minutes after which a silent one is taken for stopped, is never ended while it moves)."""
    monkeypatch.setattr(household_exports, "PROGRESS_EVERY", 1)
    client = english(client_for(commune_officer))
    written = household_exports.household_workbook
    seen: list[tuple[str, int, str]] = []

    def watched(households: Iterator[Household], **kwargs: object) -> None:
        def watching() -> Iterator[Household]:
            for household in households:
                yield household
                export = Export.objects.get()
                with translation.override("en"):
                    part = client.get(
                        f"/exports/{export.pk}/", headers={"HX-Request": "true"}
                    ).content.decode()
                shown = re.search(r'<p id="written">([^<]*)</p>', part)
                seen.append((export.status, export.row_count, shown.group(1) if shown else ""))
                assert export.updated_at > export.created_at

        written(watching(), **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(household_exports, "household_workbook", watched)
    export = exported(client)

    assert seen == [
        (Status.RUNNING, 1, "1 household written so far."),
        (Status.RUNNING, 2, "2 households written so far."),
    ]
    assert (export.status, export.row_count) == (Status.READY, 2)


def test_the_task_run_twice_writes_once(commune_officer, households) -> None:
    export = exported(client_for(commune_officer))
    sealed, finished = sealed_pieces(export), export.finished_at
    tasks.export_task.enqueue(export_id=str(export.pk), language="en")
    assert run_tasks() == 1
    export.refresh_from_db()
    assert (export.status, sealed_pieces(export), export.finished_at) == (Status.READY, sealed, finished)


def test_the_file_expires_after_the_retention(commune_officer, households) -> None:
    client = english(client_for(commune_officer))
    export = exported(client)
    # When the retention has passed
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - exports.RETENTION - datetime.timedelta(minutes=1)
    )
    # Then the download is refused, the file removed, and nothing read
    response = download(client, export)
    assert response.status_code == 302
    export.refresh_from_db()
    assert (export.status, sealed_pieces(export)) == (Status.EXPIRED, [])
    with translation.override("en"):
        page = client.get(response["Location"]).content.decode()
    assert "This export has expired: its file is kept for 24 hours only." in page
    assert PersonalDataRead.objects.count() == 0


def test_a_new_export_and_the_purge_command_expire_the_old_files(commune_officer, households) -> None:
    client = client_for(commune_officer)
    old = exported(client)
    older = timezone.now() - exports.RETENTION - datetime.timedelta(minutes=1)
    Export.objects.filter(pk=old.pk).update(created_at=older)
    # When another export is asked for, then the old one expires
    export_started(client)
    old.refresh_from_db()
    assert (old.status, sealed_pieces(old)) == (Status.EXPIRED, [])
    # And the daily command expires what the pages left
    run_tasks()
    fresh = Export.objects.get(status=Status.READY)
    Export.objects.filter(pk=fresh.pk).update(created_at=older)
    out = io.StringIO()
    call_command("exports_purge", stdout=out)
    assert out.getvalue().strip() == "1 exports older than 24 hours expired"
    assert set(Export.objects.values_list("status", "pieces")) == {(Status.EXPIRED, 0)}
    assert not ExportPiece.objects.exists()


def test_a_writing_whose_worker_stopped_fails_after_the_timeout(commune_officer, households) -> None:
    client = english(client_for(commune_officer))
    export_started(client)
    export = Export.objects.get()
    stale = timezone.now() - exports.STALLED_AFTER - datetime.timedelta(minutes=1)
    Export.objects.filter(pk=export.pk).update(status=Status.RUNNING, updated_at=stale)
    with translation.override("en"):
        page = client.get(f"/exports/{export.pk}/").content.decode()
    assert "stopped before it ended" in page
    assert not polls(page)
    assert Export.objects.get().status == Status.FAILED


def test_the_page_of_an_export_past_the_retention_says_it_expired(commune_officer, households) -> None:
    client = english(client_for(commune_officer))
    export = exported(client)
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - exports.RETENTION - datetime.timedelta(minutes=1)
    )
    with translation.override("en"):
        page = client.get(f"/exports/{export.pk}/").content.decode()
    assert 'id="expired"' in page
    assert 'id="download"' not in page
    export.refresh_from_db()
    assert (export.status, sealed_pieces(export)) == (Status.EXPIRED, [])
