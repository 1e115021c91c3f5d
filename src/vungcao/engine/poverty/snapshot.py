"""The registry's columnar snapshot: one Parquet file per province and year, hive-style
(``province=22/year=2025/assessments.parquet``), and a manifest of what each partition was written from
and of when the registry was read for it (``written``: the snapshot holds what was approved by then).

Each row is one assessment of an approved commune review: the household, its commune and province
(codes of the current era), the year, the head's ethnic group and whether it is a minority, area,
income, the status, standard and deprivation mask stored in the registry, and the answers as typed
columns, each of the type its standard declares (whole number, number, yes/no, text). A file holds
its partition's key columns too, so it reads alone.

A partition is written to a hidden temporary file and renamed over the old one, so a reader sees the
old partition or the new one, never part of one; the manifest is replaced the same way, after the
files. Nothing here knows the registry: the caller gives rows and fingerprints.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from vungcao.engine.poverty.standard import AREA, INCOME, STATUS, InputField, Standard
from vungcao.engine.poverty.validation import TARGET_TYPES, field_conversion, known_fields
from vungcao.engine.text import Label

HOUSEHOLD_ID = "household_id"
HOUSEHOLD_CODE = "household_code"
COMMUNE_CODE = "commune_code"
PROVINCE_CODE = "province_code"
YEAR = "year"
ETHNIC_GROUP = "head_ethnic_group"
ETHNIC_MINORITY = "ethnic_minority"
STANDARD_IDENTIFIER = "standard_identifier"
DEPRIVED_MASK = "deprived_mask"
RECORD_SCHEMA: dict[str, pl.DataType] = {
    HOUSEHOLD_ID: pl.Int64(),
    HOUSEHOLD_CODE: pl.String(),
    COMMUNE_CODE: pl.String(),
    PROVINCE_CODE: pl.String(),
    YEAR: pl.Int64(),
    ETHNIC_GROUP: pl.String(),
    ETHNIC_MINORITY: pl.Boolean(),
    AREA: pl.String(),
    INCOME: pl.Int64(),
    STATUS: pl.String(),
    STANDARD_IDENTIFIER: pl.String(),
    DEPRIVED_MASK: pl.Int64(),
}
"""The columns every partition holds before its answers, in this order."""

# Changing what a partition holds changes this, and every partition is written again.
SNAPSHOT_FORMAT = 1
MANIFEST = "manifest.json"
LOCK = "write.lock"
PARTITION_FILE = "assessments.parquet"
PARTITION_PATTERN = re.compile(
    r"^province=(?P<province>[^/]+)/year=(?P<year>[0-9]{4})/" + PARTITION_FILE + "$"
)
TEMPORARY_PREFIX = "."

NO_SNAPSHOT = Label(
    "Không có bản chụp dữ liệu (snapshot) tại {path}: tạo bằng lệnh 'vungcao snapshot write {path}'.",
    "No snapshot at {path}: write one with 'vungcao snapshot write {path}'.",
)
EMPTY_SNAPSHOT = Label(
    "Bản chụp dữ liệu tại {path} không có phân vùng nào (province=…/year=…/assessments.parquet).",
    "The snapshot at {path} holds no partition (province=…/year=…/assessments.parquet).",
)
UNREADABLE_PARTITION = Label(
    "Tệp {path} của bản chụp dữ liệu không phải là tệp Parquet đọc được ({error}).",
    "The snapshot's file {path} is not a readable Parquet file ({error}).",
)
NO_PROVINCE = Label(
    "Bản chụp dữ liệu không có phiếu rà soát nào của tỉnh {provinces}.",
    "The snapshot holds no assessment of the province {provinces}.",
)
NO_YEAR = Label(
    "Bản chụp dữ liệu không có phiếu rà soát nào của năm {year}; chỉ có các năm {years}.",
    "The snapshot holds no assessment of {year}; it holds {years}.",
)
NOT_A_DIRECTORY = Label(
    "{path} không phải là thư mục: bản chụp dữ liệu được ghi vào một thư mục.",
    "{path} is not a directory: the snapshot is written into a directory.",
)
LOCKED = Label(
    "Một lần ghi bản chụp dữ liệu khác đang chạy tại {path} (quá {seconds} giây): lần này không ghi gì.",
    "Another write of the snapshot at {path} is under way (for over {seconds} seconds): nothing was written.",
)
UNREADABLE_MANIFEST = Label(
    "Không đọc được tệp kê khai {path} của bản chụp dữ liệu ({error}); xoá tệp này để ghi lại mọi phân vùng.",
    "The snapshot's manifest {path} is not readable ({error}); delete it to write every partition again.",
)


class SnapshotError(ValueError):
    """A snapshot that is missing, empty or damaged; ``message`` in both languages (English as text)."""

    def __init__(self, message: Label) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True)
class Partition:
    province_code: str
    year: int

    @property
    def key(self) -> str:
        return f"{self.province_code}/{self.year}"

    @property
    def relative_path(self) -> str:
        return f"province={self.province_code}/year={self.year}/{PARTITION_FILE}"


def answer_columns(standards: Sequence[Standard]) -> dict[str, InputField]:
    """The answers a partition holds: every field its standards read (their own and the reviewers'
    recorded yes/no for each indicator), by name, the first standard's declaration first."""
    fields: dict[str, InputField] = {}
    for standard in standards:
        for name, input_field in known_fields(standard).items():
            if name not in (AREA, INCOME):
                fields.setdefault(name, input_field)
    return fields


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "text"


KIND_TYPES: dict[str, pl.DataType] = {"boolean": pl.Boolean(), "number": pl.Float64(), "text": pl.String()}


def _converted(series: pl.Series, input_field: InputField) -> pl.Series:
    conversion = field_conversion(input_field, series.dtype)
    assert conversion is not None
    return series.to_frame().select(conversion).to_series()


def _typed_column(values: list[Any], input_field: InputField) -> pl.Series:
    name = input_field.name
    try:
        # Answers of one kind (and missing ones): one series, converted at once.
        parts = [pl.Series(name, values, strict=True)]
    except TypeError:
        # Kinds mixed (a number here, a text there): each kind apart, as each was read when recorded.
        kinds = sorted({_kind(value) for value in values if value is not None})
        parts = [
            pl.Series(
                name,
                [value if value is not None and _kind(value) == kind else None for value in values],
                dtype=KIND_TYPES[kind],
                strict=False,
            )
            for kind in kinds
        ]
    converted = [_converted(part, input_field) for part in parts]
    return pl.select(pl.coalesce([pl.lit(part) for part in converted])).to_series().alias(name)


def typed_answers(answers: Sequence[Mapping[str, Any]], fields: Mapping[str, InputField]) -> pl.DataFrame:
    """The answers (one mapping per household, as stored) as one column per field, of the field's type.

    Each value is read as the engine read it when the answer was recorded alone: a text is parsed, a
    number or a yes/no converted (`validation.field_conversion`); a column mixing kinds is converted kind
    by kind. A value that does not convert (never stored: answers are validated) is missing."""
    return pl.DataFrame(
        [_typed_column([row.get(name) for row in answers], field) for name, field in fields.items()],
        schema={name: TARGET_TYPES[field.type] for name, field in fields.items()},
    )


def partition_frame(
    records: Mapping[str, Sequence[Any]],
    answers: Sequence[Mapping[str, Any]],
    fields: Mapping[str, InputField],
) -> pl.DataFrame:
    """A partition's rows: ``records`` holds the columns of `RECORD_SCHEMA`, ``answers`` each row's."""
    frame = pl.DataFrame({name: records[name] for name in RECORD_SCHEMA}, schema=RECORD_SCHEMA)
    return pl.concat([frame, typed_answers(answers, fields)], how="horizontal")


def _replace(path: Path, write: Any) -> None:
    """Write ``path`` through a hidden temporary file in its directory, renamed over it when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX + path.name + ".", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def partition_write(directory: Path, partition: Partition, frame: pl.DataFrame) -> None:
    _replace(directory / partition.relative_path, frame.write_parquet)


def partitions_write(directory: Path, frame: pl.DataFrame) -> list[Partition]:
    """Write rows of any provinces and years (columns of `RECORD_SCHEMA` first) as their partitions."""
    written = []
    for (province, year), rows in sorted(frame.partition_by([PROVINCE_CODE, YEAR], as_dict=True).items()):
        partition = Partition(str(province), int(str(year)))
        partition_write(directory, partition, rows)
        written.append(partition)
    return written


def partition_remove(directory: Path, partition: Partition) -> None:
    path = directory / partition.relative_path
    path.unlink(missing_ok=True)
    for parent in (path.parent, path.parent.parent):
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()


def manifest_read(directory: Path) -> dict[str, str]:
    """Fingerprint of each partition (by `Partition.key`) when it was written; none before the first
    write, or when the format changed since. Refused when ``directory`` is not one."""
    if directory.exists() and not directory.is_dir():
        raise SnapshotError(NOT_A_DIRECTORY.format(path=directory))
    path = directory / MANIFEST
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("format") != SNAPSHOT_FORMAT:
            return {}
        return {str(key): str(value) for key, value in manifest["partitions"].items()}
    except (ValueError, KeyError, AttributeError) as error:
        raise SnapshotError(UNREADABLE_MANIFEST.format(path=path, error=error)) from error


def manifest_write(directory: Path, fingerprints: Mapping[str, str], written: datetime) -> None:
    """The manifest: each partition's fingerprint, and ``written``, when the registry was read (an
    aware time: what was approved before it is in the snapshot)."""
    manifest = {
        "format": SNAPSHOT_FORMAT,
        "written": written.isoformat(),
        "partitions": dict(sorted(fingerprints.items())),
    }
    text = json.dumps(manifest, indent=1)
    _replace(directory / MANIFEST, lambda path: path.write_text(text + "\n", encoding="utf-8"))


def manifest_written(directory: Path) -> datetime | None:
    """When the registry was read for the snapshot in ``directory`` (None when its manifest does not
    say, or there is none)."""
    try:
        stamp = json.loads((directory / MANIFEST).read_text(encoding="utf-8")).get("written")
        return datetime.fromisoformat(stamp) if isinstance(stamp, str) else None
    except (OSError, ValueError, AttributeError):
        return None


@contextlib.contextmanager
def snapshot_lock(directory: Path, *, timeout: float) -> Iterator[None]:
    """Held by one write of the snapshot in ``directory`` at a time, across processes and machines
    sharing the directory (an exclusive ``flock`` on ``directory/write.lock``, released when the holder
    ends, even by a crash); another write waits up to ``timeout`` seconds, then is refused."""
    directory.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    with open(directory / LOCK, "a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SnapshotError(LOCKED.format(path=directory, seconds=f"{timeout:g}")) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass(frozen=True)
class SnapshotCoverage:
    """What a snapshot holds (of some provinces): when the registry was read for it (None when its
    manifest does not say), its years and its provinces."""

    written: datetime | None
    years: tuple[int, ...]
    provinces: tuple[str, ...]


def snapshot_coverage(directory: Path | str, provinces: Collection[str] | None = None) -> SnapshotCoverage:
    """The snapshot in ``directory`` as far as ``provinces`` (every one when not given) go; refused when
    there is none."""
    root = Path(directory)
    partitions = [
        partition
        for partition in snapshot_partitions(root)
        if provinces is None or partition.province_code in provinces
    ]
    return SnapshotCoverage(
        manifest_written(root),
        tuple(sorted({partition.year for partition in partitions})),
        tuple(sorted({partition.province_code for partition in partitions})),
    )


def partition_of(relative_path: str) -> Partition | None:
    matched = PARTITION_PATTERN.match(relative_path)
    if matched is None:
        return None
    return Partition(matched["province"], int(matched["year"]))


def partition_of_key(key: str) -> Partition:
    province, year = key.split("/")
    return Partition(province, int(year))


def partition_files(directory: Path) -> dict[Partition, Path]:
    """The partitions found in ``directory`` and their files."""
    found = {}
    for path in sorted(directory.glob("province=*/year=*/" + PARTITION_FILE)):
        partition = partition_of(path.relative_to(directory).as_posix())
        if partition is not None:
            found[partition] = path
    return found


def snapshot_partitions(directory: Path | str) -> dict[Partition, Path]:
    """The partitions of the snapshot in ``directory`` and their files; refused when there is none."""
    root = Path(directory)
    if not root.is_dir():
        raise SnapshotError(NO_SNAPSHOT.format(path=root))
    found = partition_files(root)
    if not found:
        raise SnapshotError(EMPTY_SNAPSHOT.format(path=root))
    return found


def snapshot_fingerprint(directory: Path | str, provinces: Collection[str] | None = None) -> str:
    """A digest of the partitions of ``provinces`` (every one when not given) as they are now: each one's
    manifest fingerprint (when the registry wrote it) and its file's size, modification time and inode
    (a partition is replaced whole, by a new file): it changes whenever a reader could read something
    else. Refused when there is no snapshot."""
    root = Path(directory)
    try:
        recorded = manifest_read(root)
    except SnapshotError:
        recorded = {}
    state = []
    for partition, path in sorted(snapshot_partitions(root).items(), key=lambda item: item[0].key):
        if provinces is None or partition.province_code in provinces:
            stat = path.stat()
            state.append(
                [partition.key, recorded.get(partition.key), stat.st_size, stat.st_mtime_ns, stat.st_ino]
            )
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def snapshot_year(
    directory: Path | str, year: int | None = None, provinces: Collection[str] | None = None
) -> tuple[int, list[Path]]:
    """The files of ``year`` (the latest year of the snapshot when not given) of ``provinces`` (every
    province when not given), each checked readable from its footer; refused with the file's name when
    one is not."""
    partitions = snapshot_partitions(directory)
    if provinces is not None:
        partitions = {
            partition: path for partition, path in partitions.items() if partition.province_code in provinces
        }
        if not partitions:
            raise SnapshotError(NO_PROVINCE.format(provinces=", ".join(sorted(provinces))))
    years = sorted({partition.year for partition in partitions})
    chosen = years[-1] if year is None else year
    if chosen not in years:
        raise SnapshotError(NO_YEAR.format(year=chosen, years=", ".join(map(str, years))))
    files = [path for partition, path in partitions.items() if partition.year == chosen]
    for path in files:
        try:
            pq.read_metadata(path)
        except (OSError, ValueError) as error:
            raise SnapshotError(UNREADABLE_PARTITION.format(path=path, error=error)) from error
    return chosen, files


def file_columns(path: Path) -> dict[str, pl.DataType]:
    """A partition's columns and types, from its footer."""
    return dict(pl.read_parquet_schema(path))
