"""The snapshot kept current without cron (``registry.services.snapshot``, ``registry.tasks``): approving
or re-opening a commune review queues one incremental write once it commits; a row of decisions costs one
write; two writes never run at once in the same directory."""

import io
import threading
import time

import pytest
from django.core.management import call_command
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from tests.conftest import BA_CHE
from tests.imports.helpers import run_tasks
from vungcao.engine.poverty.snapshot import LOCK, SnapshotError, partition_files, snapshot_lock
from vungcao.registry.services import reviews
from vungcao.registry.services.snapshot import snapshot_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_current(settings, tmp_path):
    settings.SNAPSHOT_DIRECTORY = tmp_path / "snapshot"
    settings.SNAPSHOT_WRITE_AFTER_DECISIONS = True
    return settings.SNAPSHOT_DIRECTORY


def committed(decision, **arguments) -> None:
    """A decision as its page takes it: what it left for after its commit runs (queueing its task)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        decision(**arguments)


def test_decisions_in_a_row_queue_writes_that_cost_one(
    three_years, province_officer, commune_officer, kept_current
) -> None:
    """Given the snapshot written after three approved years of Ba Chẽ, when the 2024 and the 2025 reviews
    are re-opened one after the other, then each queues a write once committed; when the worker runs
    them, then the first removes both partitions and the second, finding both decisions read, writes
    nothing; when 2024 is approved again, then its write brings the partition back."""
    call_command("snapshot", "write", str(kept_current), stdout=io.StringIO())
    review_2024, review_2025 = (three_years[year].communes.get(commune__code=BA_CHE) for year in (2024, 2025))
    committed(reviews.commune_review_reopen, user=province_officer, review=review_2024, reason="Kiểm tra")
    committed(reviews.commune_review_reopen, user=province_officer, review=review_2025, reason="Kiểm tra")
    assert DBTaskResult.objects.ready().count() == 2

    assert run_tasks() == 2

    results = DBTaskResult.objects.order_by("finished_at")
    assert [result.status for result in results] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert [result.return_value for result in results] == [
        {"written": [], "removed": ["22/2024", "22/2025"]},
        None,
    ]
    assert [partition.key for partition in partition_files(kept_current)] == ["22/2023"]

    reviews.commune_review_submit(user=commune_officer, review=review_2024)
    committed(reviews.commune_review_approve, user=province_officer, review=review_2024)
    assert run_tasks() == 1
    assert [partition.key for partition in partition_files(kept_current)] == ["22/2023", "22/2024"]


def test_without_the_setting_a_decision_queues_nothing(three_years, province_officer, settings) -> None:
    settings.SNAPSHOT_WRITE_AFTER_DECISIONS = False
    review = three_years[2025].communes.get(commune__code=BA_CHE)
    committed(reviews.commune_review_reopen, user=province_officer, review=review, reason="Kiểm tra")
    assert not DBTaskResult.objects.exists()


def holding_the_lock(directory, release: threading.Event) -> threading.Event:
    """Another write (a thread) holding the directory's lock until ``release`` is set."""
    held = threading.Event()

    def hold() -> None:
        with snapshot_lock(directory, timeout=5):
            held.set()
            release.wait(10)

    threading.Thread(target=hold, daemon=True).start()
    assert held.wait(5)
    return held


def test_a_write_waits_for_the_one_under_way_then_writes(three_years, tmp_path) -> None:
    """Given another write holding the snapshot's lock for 0.4 s, when a write starts, then it waits for
    it and then writes the three partitions."""
    directory = tmp_path / "snapshot"
    release = threading.Event()
    holding_the_lock(directory, release)
    threading.Timer(0.4, release.set).start()
    started = time.monotonic()
    result = snapshot_write(directory=directory, lock_timeout=10)
    assert time.monotonic() - started >= 0.35
    assert [partition.key for partition in result.written] == ["22/2023", "22/2024", "22/2025"]


def test_a_write_that_cannot_get_the_lock_is_refused_and_writes_nothing(three_years, tmp_path) -> None:
    directory = tmp_path / "snapshot"
    release = threading.Event()
    holding_the_lock(directory, release)
    try:
        with pytest.raises(SnapshotError) as refused:
            snapshot_write(directory=directory, lock_timeout=0.2)
    finally:
        release.set()
    assert str(refused.value) == (
        f"Another write of the snapshot at {directory} is under way (for over 0.2 seconds): nothing was written."
    )
    assert [path.name for path in directory.iterdir()] == [LOCK]
