"""The snapshot's format (``engine.poverty.snapshot``): answers typed as the engine read them when they
were recorded, and partitions replaced whole or not at all."""

from pathlib import Path

import polars as pl
import pytest

from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.snapshot import Partition, answer_columns, partition_write, typed_answers

FIELDS = answer_columns([get_standard("vn-2022-2025")])


def test_answers_of_mixed_kinds_are_typed_as_each_was_read() -> None:
    """Given answers stored as texts by one path and as numbers or yes/no by another, when typed, then
    each column has its field's type and each value the one the engine reads ("1.500" is 1500 in
    Vietnamese writing, "có" is yes); an answer not given is missing."""
    answers = [
        {"members_total": "4", "housing_floor_area_m2": 30, "uses_hygienic_latrine": "có"},
        {"members_total": 3, "housing_floor_area_m2": "1.500", "uses_hygienic_latrine": False},
        {"housing_floor_area_m2": 12.5, "deprived__telecom": "không"},
    ]
    typed = typed_answers(answers, FIELDS)
    assert typed.select(
        "members_total", "housing_floor_area_m2", "uses_hygienic_latrine", "deprived__telecom"
    ).rows() == [
        (4, 30.0, True, None),
        (3, 1500.0, False, None),
        (None, 12.5, None, False),
    ]
    assert typed.schema["members_total"] == pl.Int64
    assert typed.schema["dependants"] == pl.Int64


def test_a_partition_that_fails_to_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    partition = Partition("22", 2025)
    partition_write(tmp_path, partition, pl.DataFrame({"household_id": [1]}))

    class Unwritable(pl.DataFrame):
        def write_parquet(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        partition_write(tmp_path, partition, Unwritable({"household_id": [2]}))
    directory = tmp_path / "province=22/year=2025"
    assert [path.name for path in directory.iterdir()] == ["assessments.parquet"]
    assert pl.read_parquet(directory / "assessments.parquet")["household_id"].to_list() == [1]
