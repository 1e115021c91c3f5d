"""Six households of 2025 in two provinces, and one of 2024, as a registry snapshot, worked out by hand.

The registry classified them under vn-2022-2025 (status and stored mask written below by hand); every
answer is a reviewer's recorded yes/no, for the 12 indicators of vn-2022-2025 and for waste_treatment,
which only vn-2027-2030 has, so that both standards can classify them.
"""

from pathlib import Path

import polars as pl

from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.snapshot import Partition, answer_columns, partition_frame, partition_write

CURRENT = get_standard("vn-2022-2025")
ALTERNATIVE = get_standard("vn-2027-2030")
INDICATORS = sorted({indicator.identifier for indicator in (*CURRENT.indicators, *ALTERNATIVE.indicators)})

# (province, ethnic group, area, income, deprived in, status under vn-2022-2025, its stored mask)
HOUSEHOLDS_2025 = [
    ("22", "09", "rural", 1_000_000, {"employment", "nutrition", "latrine"}, "poor", 1 + 4 + 512),
    ("22", "09", "rural", 1_800_000, {"employment", "nutrition", "latrine", "telecom"}, "average", 1541),
    ("22", "01", "urban", 2_500_000, {"employment"}, "average", 1),
    ("08", "01", "rural", 1_200_000, {"telecom", "water_source", "waste_treatment"}, "near_poor", 1024 + 256),
    ("08", "09", "rural", 5_000_000, set(), "not_poor", 0),
    (
        "08",
        "09",
        "urban",
        1_900_000,
        {"employment", "dependants", "nutrition", "health_insurance"},
        "poor",
        15,
    ),
]
HOUSEHOLDS_2024 = [("22", "09", "rural", 1_000_000, {"employment"}, "near_poor", 1)]


def write_partition(directory: Path, year: int, province: str, households: list, first_id: int) -> None:
    chosen = [household for household in households if household[0] == province]
    records = {
        "household_id": list(range(first_id, first_id + len(chosen))),
        "household_code": [f"{province}-{number}" for number in range(len(chosen))],
        "commune_code": ["06970" if province == "22" else "02290"] * len(chosen),
        "province_code": [province] * len(chosen),
        "year": [year] * len(chosen),
        "head_ethnic_group": [household[1] for household in chosen],
        "ethnic_minority": [household[1] != "01" for household in chosen],
        "area": [household[2] for household in chosen],
        "income_per_capita_month": [household[3] for household in chosen],
        "status": [household[5] for household in chosen],
        "standard_identifier": [CURRENT.identifier] * len(chosen),
        "deprived_mask": [household[6] for household in chosen],
    }
    answers = [
        {f"deprived__{indicator}": indicator in household[4] for indicator in INDICATORS}
        for household in chosen
    ]
    fields = answer_columns([CURRENT, ALTERNATIVE])
    partition_write(directory, Partition(province, year), partition_frame(records, answers, fields))


def write_snapshot(directory: Path) -> Path:
    write_partition(directory, 2025, "22", HOUSEHOLDS_2025, 1)
    write_partition(directory, 2025, "08", HOUSEHOLDS_2025, 10)
    write_partition(directory, 2024, "22", HOUSEHOLDS_2024, 1)
    return directory


def without_waste_treatment(snapshot: Path) -> Path:
    """The snapshot as 2022–2025 questionnaires leave it: no answer on waste treatment."""
    for partition in snapshot.rglob("*.parquet"):
        pl.read_parquet(partition).drop("deprived__waste_treatment").write_parquet(partition)
    return snapshot
