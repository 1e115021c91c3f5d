"""``vungcao poverty simulate SNAPSHOT_DIR --standard ID``: the registry's snapshot reclassified under
another standard, printed as tables or JSON, the same figures in-process and on Spark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.engine.poverty.sessions import spark
from tests.engine.poverty.simulated_snapshot import without_waste_treatment, write_snapshot
from vungcao.commands import poverty, synth
from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.simulation import assumption, simulate

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["spark"]  # the session fixture, shared with the engine's Spark tests


def test_simulate_prints_the_tables_and_the_json_of_the_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the six households of the hand-computed snapshot
    snapshot = write_snapshot(tmp_path / "snapshot")
    # When they are simulated under vn-2027-2030, then the JSON is the engine's simulation
    assert poverty.main(["simulate", str(snapshot), "--standard", "vn-2027-2030", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == simulate(snapshot, "vn-2027-2030").as_dict()
    # And the tables say how many change status, the transitions and H, A, M0 under both standards
    assert poverty.main(["simulate", str(snapshot), "--standard", "vn-2027-2030"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:6] == [
        "2025: vn-2022-2025 → vn-2027-2030, k = 1/3",
        "households 6, changing status 3",
        "  average→near_poor 1, average→poor 1, near_poor→poor 1, not_poor→not_poor 1, poor→poor 2",
        "H  = 0.333333 → 0.333333",
        "A  = 0.333333 → 0.361111",
        "M0 = 0.111111 → 0.120370",
    ]
    assert "22\t3\t2\tH 0.3333→0.3333\tM0 0.1111→0.1296" in printed


def test_simulate_refuses_a_standard_the_answers_cannot_feed_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = write_snapshot(tmp_path / "snapshot")
    before = {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")}
    # vn-2016-2020 reads ten recorded deprivations: two of them the 2025 answers do not hold
    assert poverty.main(["simulate", str(snapshot), "--standard", "vn-2016-2020"]) == 2
    assert capsys.readouterr().err == (
        "Standard vn-2016-2020 reads “The household is deprived in access to health-care services” "
        "(deprived__health_care_access); “The household is deprived in assets for access to information” "
        "(deprived__information_assets), which the snapshot's answers of 2025 do not hold for every household: the households cannot be classified "
        "under it unless one value is assumed for every household for each of these fields. Nothing was "
        "simulated. To simulate anyway, assume one value for every household of each with --assume "
        "FIELD=VALUE (--assume deprived__health_care_access=no).\n"
    )
    assert {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")} == before
    assert poverty.main(["simulate", str(tmp_path / "nowhere"), "--standard", "vn-2027-2030"]) == 2
    assert "No snapshot at" in capsys.readouterr().err


def test_simulate_with_an_assumption_prints_it_with_the_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the six households without waste-treatment answers
    snapshot = without_waste_treatment(write_snapshot(tmp_path / "snapshot"))
    standard = get_standard("vn-2027-2030")
    simulation = ["simulate", str(snapshot), "--standard", "vn-2027-2030"]
    # When no household is assumed deprived in it, then the JSON is the engine's with that assumption
    assume = ["--assume", "deprived__waste_treatment=not-deprived"]
    assert poverty.main([*simulation, *assume, "--json"]) == 0
    expected = simulate(
        snapshot, standard, assumptions=[assumption(standard, "deprived__waste_treatment", "no")]
    )
    assert json.loads(capsys.readouterr().out) == expected.as_dict()
    # And the tables say what the figures rest on, under the headline
    assert poverty.main([*simulation, *assume]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:3] == [
        "2025: vn-2022-2025 → vn-2027-2030, k = 1/3",
        "households 6, changing status 2",
        "Assumed for every household: not deprived in household waste treatment (not in the snapshot's "
        "answers of 2025)",
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--assume", "deprived__waste_treatment"],
            "--assume takes FIELD=VALUE (e.g. deprived__waste_treatment",
        ),
        (["--assume", "=no"], "--assume takes FIELD=VALUE"),
        (
            ["--assume", "deprived__waste_treatment=no", "--assume", "deprived__waste_treatment=yes"],
            "deprived__waste_treatment is assumed twice: give one value for every household.",
        ),
        (["--assume", "deprived__luck=no"], "Standard vn-2027-2030 reads no field deprived__luck"),
        (["--assume", "members_total=1000"], "The value assumed for members_total (1000) is outside"),
        (["--assume", "deprived__waste_treatment=sometimes"], "must be yes or no (deprived / not deprived)"),
        (
            ["--assume", "area=rural"],
            "Nothing is assumed for area: the simulation of 2025 under vn-2027-2030 does not need it",
        ),
    ],
)
def test_simulate_refuses_a_bad_assumption_clearly_and_writes_nothing(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = without_waste_treatment(write_snapshot(tmp_path / "snapshot"))
    before = {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")}
    assert poverty.main(["simulate", str(snapshot), "--standard", "vn-2027-2030", *options, "--json"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")} == before


def test_simulate_on_spark_prints_what_the_in_process_engine_does(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a SYNTHETIC snapshot of 3,000 households in 34 provinces, answered for vn-2027-2030 too
    snapshot = tmp_path / "snapshot"
    assert synth.main(["snapshot", str(snapshot), "--n", "3000", "--seed", "5"]) == 0
    capsys.readouterr()
    for standard in ("vn-2027-2030", "qn-2023-2025"):
        # When it is simulated in-process and on Spark, then the JSON printed is the same, to the last bit
        simulation = ["simulate", str(snapshot), "--standard", standard, "--k", "1/4", "--json"]
        assert poverty.main(simulation) == 0
        in_process = capsys.readouterr().out
        assert poverty.main([*simulation, "--engine", "spark"]) == 0
        assert capsys.readouterr().out == in_process
        assert json.loads(in_process)["households"] == 3000


def test_simulate_on_spark_with_an_assumption_prints_what_the_in_process_engine_does(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a SYNTHETIC snapshot of 2,000 households whose answers lack waste treatment
    snapshot = tmp_path / "snapshot"
    assert synth.main(["snapshot", str(snapshot), "--n", "2000", "--seed", "7"]) == 0
    without_waste_treatment(snapshot)
    capsys.readouterr()
    # When every household is assumed deprived in it, in-process and on Spark, then the JSON is the same
    simulation = ["simulate", str(snapshot), "--standard", "vn-2027-2030", "--json"]
    simulation += ["--assume", "deprived__waste_treatment=deprived"]
    assert poverty.main(simulation) == 0
    in_process = capsys.readouterr().out
    assert poverty.main([*simulation, "--engine", "spark"]) == 0
    assert capsys.readouterr().out == in_process
    assert json.loads(in_process)["assumptions"][0]["value"] is True
