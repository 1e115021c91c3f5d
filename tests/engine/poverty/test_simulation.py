"""Policy simulation over a registry snapshot (``engine.poverty.simulation``): the figures equal a
computation by hand on six households; a standard reading answers the snapshot lacks, a missing snapshot
and a damaged file are refused with a message, and nothing is written."""

from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest

from tests.engine.poverty.simulated_snapshot import without_waste_treatment, write_snapshot
from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.simulation import SimulationRefused, _standards_in, assumption, simulate
from vungcao.engine.poverty.snapshot import SnapshotError

ALTERNATIVE = get_standard("vn-2027-2030")
WASTE = "deprived__waste_treatment"

H, A, M0 = "H", "A", "M0"


def measures(figures: dict, which: str) -> tuple[float, float, float]:
    found = figures["alkire_foster"][which]
    return found[H], found[A], found[M0]


def exact(h: Fraction, a: Fraction, m0: Fraction) -> tuple[float, float, float]:
    return float(h), float(a), float(m0)


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return write_snapshot(tmp_path / "snapshot")


def test_the_simulation_under_2027_2030_equals_the_hand_computation(snapshot: Path) -> None:
    """Given six households of 2025 (simulated_snapshot), when they are reclassified under vn-2027-2030
    at k = 1/3, then:
    - statuses (poverty line 2.2 M rural, 2.8 M urban; poor with 3 deprivations): 1 poor→poor; 2
      average→poor (1.8 M, 4 deprivations); 3 average→near-poor (2.5 M urban, 1); 4 near-poor→poor
      (waste treatment is the third); 5 not poor→not poor; 6 poor→poor: 3 change;
    - Alkire-Foster under vn-2022-2025 (12 indicators, 1/12 each; poor from 4): 2 and 6 poor with 4/12:
      H = 1/3, A = 1/3, M0 = 1/9; under vn-2027-2030 (telecom 1/6, water, latrine, waste 1/18 each,
      the others 1/12): 2 scores 14/36, 6 scores 12/36: H = 1/3, A = 13/36, M0 = 13/108."""
    result = simulate(snapshot, "vn-2027-2030", cutoff="1/3").as_dict()
    assert result["year"] == 2025
    assert result["current_standards"] == ["vn-2022-2025"]
    assert result["households"] == 6
    assert result["changed"] == 3
    assert {(row["current"], row["simulated"]): row["households"] for row in result["transitions"]} == {
        ("average", "near_poor"): 1,
        ("average", "poor"): 1,
        ("near_poor", "poor"): 1,
        ("not_poor", "not_poor"): 1,
        ("poor", "poor"): 2,
    }
    assert measures(result, "current") == exact(Fraction(1, 3), Fraction(1, 3), Fraction(1, 9))
    assert measures(result, "simulated") == exact(Fraction(1, 3), Fraction(13, 36), Fraction(13, 108))
    provinces = result["groups"]["province_code"]
    assert {province: figures["changed"] for province, figures in provinces.items()} == {"08": 1, "22": 2}
    assert measures(provinces["22"], "current") == exact(Fraction(1, 3), Fraction(1, 3), Fraction(1, 9))
    assert measures(provinces["22"], "simulated") == exact(Fraction(1, 3), Fraction(7, 18), Fraction(7, 54))
    assert measures(provinces["08"], "simulated") == exact(Fraction(1, 3), Fraction(1, 3), Fraction(1, 9))
    groups = result["groups"]["head_ethnic_group"]
    assert {group: (figures["households"], figures["changed"]) for group, figures in groups.items()} == {
        "01": (2, 2),
        "09": (4, 1),
    }
    minority = result["groups"]["ethnic_minority"]
    assert {group: figures["changed"] for group, figures in minority.items()} == {"false": 2, "true": 1}
    # Every indicator of vn-2027-2030 is read from the reviewers' recorded answers (all complete).
    assert len(result["recorded_indicators"]) == 12


def test_a_year_is_chosen_and_an_unknown_year_refused(snapshot: Path) -> None:
    result = simulate(snapshot, "qn-2023-2025", year=2024)
    # 1.0 M ≤ Quảng Ninh's 2.1 M line, one deprivation: near-poor, as under vn-2022-2025.
    assert (result.year, result.total.households, result.total.changed) == (2024, 1, 0)
    with pytest.raises(SnapshotError, match="holds no assessment of 2023; it holds 2024, 2025"):
        simulate(snapshot, "qn-2023-2025", year=2023)


def test_the_simulation_of_some_provinces_reads_only_theirs(snapshot: Path) -> None:
    """Given the six households, when only Quảng Ninh (22) is simulated, then its three households are,
    with the figures of its province above; a province the snapshot does not hold is refused."""
    result = simulate(snapshot, "vn-2027-2030", provinces={"22"}).as_dict()
    assert (result["households"], result["changed"]) == (3, 2)
    assert list(result["groups"]["province_code"]) == ["22"]
    assert measures(result, "simulated") == exact(Fraction(1, 3), Fraction(7, 18), Fraction(7, 54))
    with pytest.raises(SnapshotError, match="holds no assessment of the province 01"):
        simulate(snapshot, "vn-2027-2030", provinces={"01"})


def test_a_standard_reading_answers_the_snapshot_lacks_is_refused_naming_them(snapshot: Path) -> None:
    """Given a snapshot whose 2025 answers lack waste treatment in one province, when it is simulated
    under vn-2027-2030, then it is refused naming the field, and no file changed."""
    partition = snapshot / "province=08/year=2025/assessments.parquet"
    pl.read_parquet(partition).drop("deprived__waste_treatment").write_parquet(partition)
    before = {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")}
    with pytest.raises(SimulationRefused) as refused:
        simulate(snapshot, "vn-2027-2030")
    assert str(refused.value) == (
        "Standard vn-2027-2030 reads “The household is deprived in household waste treatment” "
        "(deprived__waste_treatment), which the snapshot's answers of 2025 do not hold for every household: the households cannot be classified under it unless one value is "
        "assumed for every household for each of these fields. Nothing was simulated."
    )
    assert {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")} == before


def test_a_missing_snapshot_and_a_damaged_file_are_refused_clearly(snapshot: Path, tmp_path: Path) -> None:
    with pytest.raises(
        SnapshotError, match=r"No snapshot at .*nowhere: write one with 'vungcao snapshot write"
    ):
        simulate(tmp_path / "nowhere", "vn-2027-2030")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SnapshotError, match="holds no partition"):
        simulate(tmp_path / "empty", "vn-2027-2030")
    damaged = snapshot / "province=08/year=2025/assessments.parquet"
    damaged.write_bytes(b"PAR1 not really")
    with pytest.raises(
        SnapshotError, match=r"province=08/year=2025/assessments.parquet is not a readable Parquet"
    ):
        simulate(snapshot, "vn-2027-2030")


def test_an_assumption_stands_in_for_a_field_no_household_was_asked(snapshot: Path, tmp_path: Path) -> None:
    """Given the six households without their waste-treatment answers, when vn-2027-2030 is simulated
    with no household assumed deprived in it, then household 4 (waste treatment was its third
    deprivation) stays near-poor: 2 change, not 3; Alkire-Foster is unchanged (its 4/18 and 5/18 are
    both under k); the result says what it assumed — and it equals the snapshot whose every household
    answered "not deprived"."""
    answered_no = write_snapshot(tmp_path / "answered")
    for partition in answered_no.rglob("*.parquet"):
        pl.read_parquet(partition).with_columns(pl.lit(False).alias(WASTE)).write_parquet(partition)
    without_waste_treatment(snapshot)
    with pytest.raises(SimulationRefused) as refused:
        simulate(snapshot, ALTERNATIVE)
    assert [field.name for field in refused.value.missing] == [WASTE]

    assumed = simulate(snapshot, ALTERNATIVE, assumptions=[assumption(ALTERNATIVE, WASTE, "not deprived")])

    result = assumed.as_dict()
    assert (result["households"], result["changed"]) == (6, 2)
    assert {(row["current"], row["simulated"]): row["households"] for row in result["transitions"]} == {
        ("average", "near_poor"): 1,
        ("average", "poor"): 1,
        ("near_poor", "near_poor"): 1,
        ("not_poor", "not_poor"): 1,
        ("poor", "poor"): 2,
    }
    assert measures(result, "simulated") == exact(Fraction(1, 3), Fraction(13, 36), Fraction(13, 108))
    assert result["assumptions"] == [
        {
            "field": WASTE,
            "value": False,
            "replaces_answers": False,
            "text": "Assumed for every household: not deprived in household waste treatment (not in the "
            "snapshot's answers of 2025)",
        }
    ]
    assert assumed.assumed[0].vi == (
        "Giả định cho mọi hộ: không thiếu hụt chỉ số xử lý rác thải sinh hoạt (không có trong câu trả lời "
        "năm 2025 của bản chụp dữ liệu)"
    )
    answered = simulate(answered_no, ALTERNATIVE).as_dict()
    assert {**result, "assumptions": []} == answered


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("deprived__wealth", "no", "Standard vn-2027-2030 reads no field deprived__wealth: nothing can be "),
        ("'; DROP TABLE", "1", "Standard vn-2027-2030 reads no field '; DROP TABLE: nothing can be"),
        (
            WASTE,
            "maybe",
            "The value assumed for deprived__waste_treatment must be yes or no (deprived / not ",
        ),
        (WASTE, "", "The value assumed for deprived__waste_treatment must be yes or no"),
        (
            "members_total",
            "many",
            "The value assumed for members_total is not a number ('many'): Not a number",
        ),
        ("members_total", "nan", "The value assumed for members_total is not a number ('nan')"),
        ("members_total", "inf", "The value assumed for members_total is not a number ('inf')"),
        ("members_total", "2.5", "The value assumed for members_total is not a number ('2.5')"),
        (
            "members_total",
            "0",
            "The value assumed for members_total (0) is outside the field's bounds: Below ",
        ),
        (
            "members_total",
            "61",
            "The value assumed for members_total (61) is outside the field's bounds: Above",
        ),
        ("members_total", "9" * 40, "The value assumed for members_total is not a number"),
        ("area", "mountain", "The value assumed for area must be one of rural, urban, not 'mountain'."),
    ],
)
def test_an_assumption_of_a_field_the_standard_lacks_or_of_a_wrong_value_is_refused(
    name: str, value: str, expected: str
) -> None:
    with pytest.raises(SimulationRefused) as refused:
        assumption(ALTERNATIVE, name, value)
    assert str(refused.value).startswith(expected)


def test_an_assumption_in_place_of_answers_the_snapshot_holds_is_refused(snapshot: Path) -> None:
    """Given the six households, answered on waste treatment, when it is assumed anyway, then the
    simulation is refused (an assumption never overrides records), and no file changed."""
    before = {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")}
    with pytest.raises(SimulationRefused) as refused:
        simulate(snapshot, ALTERNATIVE, assumptions=[assumption(ALTERNATIVE, WASTE, "deprived")])
    assert str(refused.value) == (
        "Nothing is assumed for deprived__waste_treatment: the simulation of 2025 under vn-2027-2030 does "
        "not need it (the snapshot holds it for every household, or the standard's rule decides from other "
        "answers). Nothing was simulated."
    )
    assert {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")} == before


def test_a_number_assumed_within_bounds_feeds_the_rule(snapshot: Path) -> None:
    """Values are read as their type: "deprived"/"không thiếu hụt"/"yes", and numbers as written in
    Vietnamese ("1.500.000")."""
    assert assumption(ALTERNATIVE, WASTE, " Deprived ").value is True
    assert assumption(ALTERNATIVE, WASTE, "không thiếu hụt").value is False
    assert assumption(ALTERNATIVE, WASTE, "not-deprived").value is False
    income = assumption(ALTERNATIVE, "income_per_capita_month", "1.500.000")
    assert income.value == 1_500_000
    assert income.value_text.en == "Income per person per month: 1,500,000"


def test_an_assumption_over_a_field_some_households_answered_says_it_sets_their_answers_aside(
    snapshot: Path,
) -> None:
    """Given 2025's answers on waste treatment in Quảng Ninh (22) but not in Tuyên Quang (08), when every
    household is assumed not deprived in it, then the figures are those of every household not deprived,
    and the result says that the answers the snapshot held were set aside."""
    partition = snapshot / "province=08/year=2025/assessments.parquet"
    pl.read_parquet(partition).drop(WASTE).write_parquet(partition)
    result = simulate(snapshot, ALTERNATIVE, assumptions=[assumption(ALTERNATIVE, WASTE, "no")])
    assert (result.total.households, result.total.changed) == (6, 2)
    assert result.as_dict()["assumptions"][0]["replaces_answers"] is True
    assert result.assumed[0].en == (
        "Assumed for every household: not deprived in household waste treatment (the snapshot's answers of "
        "2025 hold it for some households only; theirs are set aside)"
    )


def test_an_indicator_the_review_measured_is_carried_from_its_deprivations(snapshot: Path) -> None:
    """Given the six households without the recorded yes/no of health insurance, water source and latrine
    (the 2022–2025 questionnaires ask the answers vn-2022-2025's rules read, not vn-2027-2030's yes/no),
    when they are simulated under vn-2027-2030, then those three indicators are carried from the
    review's stored deprivations (vn-2022-2025 measured them), the figures are the hand computation's, and
    the result says what was carried."""
    carried = ["deprived__health_insurance", "deprived__water_source", "deprived__latrine"]
    for partition in snapshot.rglob("*.parquet"):
        pl.read_parquet(partition).drop(carried).write_parquet(partition)
    simulation = simulate(snapshot, "vn-2027-2030", cutoff="1/3")
    result = simulation.as_dict()
    assert result["carried_indicators"] == carried
    assert (result["households"], result["changed"]) == (6, 3)
    assert measures(result, "simulated") == exact(Fraction(1, 3), Fraction(13, 36), Fraction(13, 108))
    assert simulation.assumed[0].en == (
        "Carried from the review of 2025: a household is deprived in health insurance, domestic water "
        "source, hygienic latrine as the review found it under vn-2022-2025"
    )


def test_the_standards_of_a_file_come_from_its_statistics_or_else_its_column(tmp_path: Path) -> None:
    """A file of one standard is read from its row groups' statistics; a file whose row group holds two
    (min ≠ max) from its column: both give every standard."""
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    pl.DataFrame({"standard_identifier": ["vn-2022-2025"] * 3}).write_parquet(one)
    pl.DataFrame({"standard_identifier": ["vn-2022-2025", "qn-2023-2025", "vn-2022-2025"]}).write_parquet(two)
    assert _standards_in(one) == {"vn-2022-2025"}
    assert _standards_in(two) == {"vn-2022-2025", "qn-2023-2025"}
