"""``vungcao snapshot write DIR`` (``registry.services.snapshot``): the Parquet snapshot holds every
assessment of the approved reviews with the registry's values, nothing else, and a second run rewrites
only the partitions whose records changed."""

import io
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import BA_CHE, QUANG_NINH
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import INDICATORS, POOR, csv_text
from vungcao.engine.poverty.snapshot import MANIFEST, Partition, partition_files
from vungcao.registry.models import Assessment, CommuneReview
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db


def written(directory: Path) -> str:
    output = io.StringIO()
    call_command("snapshot", "write", str(directory), stdout=output)
    return output.getvalue()


def registry_rows() -> list[dict[str, object]]:
    """Every assessment of an approved review, as the snapshot should hold it, read from the records."""
    rows = []
    approved = Assessment.objects.filter(commune_review__state=CommuneReview.State.APPROVED)
    for assessment in approved.select_related("household", "commune_review__commune", "cycle__province"):
        rows.append(
            {
                "household_id": assessment.household_id,
                "household_code": assessment.household.code,
                "commune_code": assessment.commune_review.commune.code,
                "province_code": assessment.cycle.province.code,
                "year": assessment.year,
                "head_ethnic_group": assessment.household.head_ethnic_group,
                "ethnic_minority": assessment.household.head_ethnic_group != "01",
                "area": assessment.area,
                "income_per_capita_month": assessment.income_per_capita_month,
                "status": assessment.status,
                "standard_identifier": assessment.standard_identifier,
                "deprived_mask": assessment.deprived_mask,
                **{
                    f"deprived__{indicator}": assessment.answers[f"deprived__{indicator}"]
                    for indicator in INDICATORS
                },
            }
        )
    return sorted(rows, key=lambda row: (row["year"], row["household_id"]))


def snapshot_rows(directory: Path) -> list[dict[str, object]]:
    frame = pl.concat([pl.read_parquet(path) for path in partition_files(directory).values()], how="diagonal")
    columns = list(registry_rows()[0])
    return frame.select(columns).sort("year", "household_id").to_dicts()


def test_the_snapshot_holds_every_approved_assessment_with_the_registry_values(three_years, tmp_path) -> None:
    """Given three approved reviews of Ba Chẽ (2023–2025) and an open one in another commune, when the
    snapshot is written, then it has one partition per year of Quảng Ninh and its rows are exactly the
    approved assessments with their values; the answers are typed (recorded yes/no as booleans)."""
    snapshot = tmp_path / "snapshot"
    output = written(snapshot)
    assert "written: 3 (22/2023, 22/2024, 22/2025)" in output
    assert sorted(path.relative_to(snapshot).as_posix() for path in partition_files(snapshot).values()) == [
        f"province={QUANG_NINH}/year={year}/assessments.parquet" for year in (2023, 2024, 2025)
    ]
    assert snapshot_rows(snapshot) == registry_rows()
    assert len(registry_rows()) == 3 + 6 + 6
    schema = pl.read_parquet_schema(snapshot / f"province={QUANG_NINH}/year=2025/assessments.parquet")
    assert schema["members_total"] == pl.Int64
    assert schema["housing_floor_area_m2"] == pl.Float64
    assert schema["deprived__latrine"] == pl.Boolean
    assert schema["ethnic_minority"] == pl.Boolean
    assert not list(snapshot.glob("**/.*"))


def test_a_second_run_rewrites_only_the_partitions_whose_records_changed(
    three_years, province_officer, commune_officer, questionnaire_row, tmp_path
) -> None:
    """Given a written snapshot, when nothing changed, then nothing is written; when the 2024 review is
    re-opened, then only its partition is removed, and written again once approved; when the 2025 review
    is re-opened and a questionnaire changes the ethnic group of household C's head (assessed in 2024 and
    2025), then once approved again the 2024 and 2025 partitions are written, 2023's file is untouched,
    and the snapshot still equals the registry."""
    snapshot = tmp_path / "snapshot"
    written(snapshot)
    stamp_2023 = partition_files(snapshot)[Partition(QUANG_NINH, 2023)].stat().st_mtime_ns
    assert "written: 0 (-)" in written(snapshot)

    review_2024 = three_years[2024].communes.get(commune__code=BA_CHE)
    reviews.commune_review_reopen(user=province_officer, review=review_2024, reason="Kiểm tra lại")
    output = written(snapshot)
    assert "written: 0 (-)" in output
    assert "removed: 1 (22/2024)" in output
    assert [partition.key for partition in partition_files(snapshot)] == ["22/2023", "22/2025"]
    assert snapshot_rows(snapshot) == registry_rows()
    reviews.commune_review_submit(user=commune_officer, review=review_2024)
    reviews.commune_review_approve(user=province_officer, review=review_2024)
    assert "written: 1 (22/2024)" in written(snapshot)

    review_2025 = three_years[2025].communes.get(commune__code=BA_CHE)
    reviews.commune_review_reopen(user=province_officer, review=review_2025, reason="Chủ hộ C")
    row = questionnaire_row("C", "Chủ hộ C", year="2025", ethnic_group="01", **POOR)
    preview_and_apply("questionnaire", csv_text([row]), user=commune_officer)
    reviews.commune_review_submit(user=commune_officer, review=review_2025)
    reviews.commune_review_approve(user=province_officer, review=review_2025)
    assert "written: 2 (22/2024, 22/2025)" in written(snapshot)
    assert snapshot_rows(snapshot) == registry_rows()
    assert {row["year"] for row in snapshot_rows(snapshot) if row["household_code"] == "C"} == {2024, 2025}
    assert all(not row["ethnic_minority"] for row in snapshot_rows(snapshot) if row["household_code"] == "C")
    assert partition_files(snapshot)[Partition(QUANG_NINH, 2023)].stat().st_mtime_ns == stamp_2023


def test_a_damaged_manifest_is_refused_and_nothing_is_written(three_years, tmp_path) -> None:
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    (snapshot / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"manifest .* is not readable"):
        written(snapshot)
    assert sorted(path.name for path in snapshot.iterdir()) == [MANIFEST]


def test_a_file_in_place_of_the_directory_is_refused(three_years, tmp_path) -> None:
    target = tmp_path / "snapshot"
    target.write_text("not a directory", encoding="utf-8")
    with pytest.raises(CommandError, match="is not a directory"):
        written(target)
    assert target.read_text(encoding="utf-8") == "not a directory"
