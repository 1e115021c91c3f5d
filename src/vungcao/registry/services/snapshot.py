"""The registry's columnar snapshot (``engine.poverty.snapshot``), written incrementally: what the
policy simulation and the Spark engine read, at national scale, without touching the database.

A partition is one review cycle: a province of the current era and a year. It holds every assessment of
the cycle's approved commune reviews. Its fingerprint is read for every cycle in one grouped query:

    count, sum of ids, latest updated_at of the assessments, of their commune reviews and of their
    households, and the version of the cycle's standard (and the snapshot's format).

Every write of the registry stamps ``updated_at`` (``TimeStampedModel``; the bulk paths set it too), so
an assessment recorded or corrected, a commune approved or re-opened (its assessments come or go, and
its review's stamp moves), a household whose head's ethnic group or code changed, all change the
fingerprint; an assessment deleted changes the count, one replaced by another the sum of ids. The
query reads index-sized columns of the approved assessments only — no answers — so it costs a fraction
of writing one partition. A second run writes only the partitions whose fingerprint changed and removes
those no longer in the registry. A write landing between the fingerprints and a partition's read is in
the file but not in its recorded fingerprint: the next run writes that partition again, never misses it. The whole registry, for the operator (``vungcao snapshot write DIR``):
no user's scope applies.

Kept current without cron: when ``settings.SNAPSHOT_WRITE_AFTER_DECISIONS`` (``SNAPSHOT_DIRECTORY`` set in
the environment), approving or re-opening a commune review queues one write once it commits
(`snapshot_write_after_commit`). Writes take the directory's lock, one at a time; a queued write whose
decision an earlier write already read (the manifest's ``written`` is later) does nothing, so a row of
approvals costs one write, not one each.
"""

import itertools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from vungcao.engine.poverty import snapshot
from vungcao.engine.poverty.snapshot import Partition
from vungcao.engine.poverty.standard import AREA, INCOME, STATUS
from vungcao.registry import classification
from vungcao.registry.models import Assessment, CommuneReview, ReviewCycle
from vungcao.registry.reference import is_minority

ROWS_PER_QUERY = 20_000
LOCK_TIMEOUT_SECONDS = 3600.0
"""How long a write waits for another to finish before it is refused (a national write takes minutes)."""


@dataclass(frozen=True)
class SnapshotWritten:
    written: tuple[Partition, ...]
    removed: tuple[Partition, ...]
    kept: tuple[Partition, ...]


def snapshot_fingerprints() -> dict[Partition, tuple[int, str]]:
    """The cycle and fingerprint of every partition the registry holds (see the module)."""
    rows = (
        Assessment.objects.filter(commune_review__state=CommuneReview.State.APPROVED)
        .order_by()
        .values("cycle")
        .annotate(
            households=Count("id"),
            identifiers=Sum("id"),
            assessed=Max("updated_at"),
            reviewed=Max("commune_review__updated_at"),
            registered=Max("household__updated_at"),
        )
    )
    cycles = ReviewCycle.objects.select_related("province").in_bulk([row["cycle"] for row in rows])
    fingerprints = {}
    for row in rows:
        cycle = cycles[row["cycle"]]
        parts = [
            snapshot.SNAPSHOT_FORMAT,
            row["households"],
            row["identifiers"],
            row["assessed"].isoformat(),
            row["reviewed"].isoformat(),
            row["registered"].isoformat(),
            classification.standard_digest(cycle.standard_identifier),
        ]
        fingerprints[Partition(cycle.province.code, cycle.year)] = (
            cycle.pk,
            ":".join(str(part) for part in parts),
        )
    return fingerprints


RECORD_FIELDS = (
    ("household_id", snapshot.HOUSEHOLD_ID),
    ("household__code", snapshot.HOUSEHOLD_CODE),
    ("commune_review__commune__code", snapshot.COMMUNE_CODE),
    ("year", snapshot.YEAR),
    ("household__head_ethnic_group", snapshot.ETHNIC_GROUP),
    ("area", AREA),
    ("income_per_capita_month", INCOME),
    ("status", STATUS),
    ("standard_identifier", snapshot.STANDARD_IDENTIFIER),
    ("deprived_mask", snapshot.DEPRIVED_MASK),
)


def _partition_frame(cycle: ReviewCycle) -> pl.DataFrame:
    """The rows of a cycle's approved assessments as the snapshot holds them, read and typed
    `ROWS_PER_QUERY` at a time (a province's million households never sit in Python objects at once)."""
    assessments = (
        Assessment.objects.filter(cycle=cycle, commune_review__state=CommuneReview.State.APPROVED)
        .order_by("household_id")
        .values_list(*(field for field, _column in RECORD_FIELDS), "answers")
    )
    identifiers = [
        cycle.standard_identifier,
        *assessments.order_by().values_list("standard_identifier", flat=True).distinct(),
    ]
    fields = snapshot.answer_columns(
        [classification.standard(identifier) for identifier in dict.fromkeys(identifiers) if identifier]
    )
    chunks = []
    rows = assessments.iterator(chunk_size=ROWS_PER_QUERY)
    while chunk := list(itertools.islice(rows, ROWS_PER_QUERY)):
        records: dict[str, list[object]] = {
            column: [row[position] for row in chunk]
            for position, (_field, column) in enumerate(RECORD_FIELDS)
        }
        records[snapshot.PROVINCE_CODE] = [cycle.province.code] * len(chunk)
        records[snapshot.ETHNIC_MINORITY] = [
            is_minority(str(code)) for code in records[snapshot.ETHNIC_GROUP]
        ]
        chunks.append(snapshot.partition_frame(records, [row[-1] for row in chunk], fields))
    empty: dict[str, list[object]] = {name: [] for name in snapshot.RECORD_SCHEMA}
    return pl.concat(chunks) if chunks else snapshot.partition_frame(empty, [], fields)


def snapshot_write(*, directory: Path, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> SnapshotWritten:
    """Bring the snapshot in ``directory`` up to date with the registry (see the module), holding its
    lock (refused after ``lock_timeout`` seconds of another write)."""
    snapshot.manifest_read(directory)  # a file in place of the directory is refused before the lock
    with snapshot.snapshot_lock(directory, timeout=lock_timeout):
        return _snapshot_write(directory)


def snapshot_write_requested(*, directory: Path, requested_at: datetime) -> SnapshotWritten | None:
    """`snapshot_write` for a decision committed at ``requested_at``; None, writing nothing, when a write
    read the registry after it (the decision is in the snapshot already)."""
    snapshot.manifest_read(directory)
    with snapshot.snapshot_lock(directory, timeout=LOCK_TIMEOUT_SECONDS):
        written = snapshot.manifest_written(directory)
        if written is not None and written > requested_at:
            return None
        return _snapshot_write(directory)


def snapshot_write_after_commit() -> None:
    """When the snapshot is kept current (``settings.SNAPSHOT_WRITE_AFTER_DECISIONS``), queue one write
    for once the current transaction commits, stamped with the time of the commit."""
    if settings.SNAPSHOT_WRITE_AFTER_DECISIONS:
        transaction.on_commit(_snapshot_write_enqueue)


def _snapshot_write_enqueue() -> None:
    from vungcao.registry import tasks  # the task calls this module's functions

    tasks.snapshot_write_task.enqueue(requested_at=timezone.now().isoformat())


def _snapshot_write(directory: Path) -> SnapshotWritten:
    written_before = snapshot.manifest_read(directory)
    # What is approved by now is in the snapshot (a later write changes a fingerprint: the next run).
    read_at = timezone.now()
    current = snapshot_fingerprints()
    written, kept = [], []
    fingerprints = dict(written_before)
    for partition, (cycle_id, fingerprint) in sorted(current.items(), key=lambda item: item[0].key):
        if (
            written_before.get(partition.key) == fingerprint
            and (directory / partition.relative_path).exists()
        ):
            kept.append(partition)
            continue
        cycle = ReviewCycle.objects.select_related("province").get(pk=cycle_id)
        snapshot.partition_write(directory, partition, _partition_frame(cycle))
        fingerprints[partition.key] = fingerprint
        written.append(partition)
    # Partitions the registry no longer holds: known to the manifest, or found on disk.
    gone = {snapshot.partition_of_key(key) for key in fingerprints} | set(snapshot.partition_files(directory))
    removed = sorted(gone - set(current), key=lambda partition: partition.key)
    for partition in removed:
        snapshot.partition_remove(directory, partition)
        fingerprints.pop(partition.key, None)
    snapshot.manifest_write(directory, fingerprints, read_at)
    return SnapshotWritten(tuple(written), tuple(removed), tuple(kept))
