"""Regenerate ``src/vungcao/geo/data/units-pre2025.csv`` from vietnam-provinces 0.6.0.

The administrative units in force before 1 July 2025 (63 provinces, 696 districts, 10,051 communes)
were last published in the PyPI package ``vietnam-provinces`` version 0.6.0. The project depends on
the 2025.x version, which lists the current units only, and both cannot be installed together, so
this script installs 0.6.0 into a throw-away virtual environment, reads its nested data file and
writes the compact CSV that the project ships.

Run: ``python scripts/generate_pre2025_units.py``.
"""

import csv
import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

PACKAGE_REQUIREMENT = "vietnam-provinces==0.6.0"
OUTPUT = Path(__file__).resolve().parents[1] / "src" / "vungcao" / "geo" / "data" / "units-pre2025.csv"

# Version 0.6.0 writes every province "tỉnh", every district "huyện" and every commune "xã"; the real
# type is the first words of the official name.
PROVINCE_TYPES = {"Tỉnh": "tỉnh", "Thành phố": "thành phố trung ương"}
DISTRICT_TYPES = {"Quận": "quận", "Huyện": "huyện", "Thị xã": "thị xã", "Thành phố": "thành phố"}
COMMUNE_TYPES = {"Xã": "xã", "Phường": "phường", "Thị trấn": "thị trấn"}


def division_type(name: str, types: dict[str, str]) -> str:
    folded = name.casefold()
    for prefix, kind in sorted(types.items(), key=lambda item: -len(item[0])):
        if folded.startswith(prefix.casefold() + " "):
            return kind
    raise ValueError(f"cannot tell the division type of {name!r}")


def read_nested_divisions() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as directory:
        venv.create(directory, with_pip=True)
        python = Path(directory) / "bin" / "python"
        subprocess.run([python, "-m", "pip", "install", "--quiet", PACKAGE_REQUIREMENT], check=True)
        found = subprocess.run(
            [
                python,
                "-c",
                "import vietnam_provinces, pathlib; print(pathlib.Path(vietnam_provinces.__file__).parent)",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        data_file = Path(found.stdout.strip()) / "data" / "nested-divisions.json"
        return list(json.loads(data_file.read_text(encoding="utf-8")))


def main() -> int:
    provinces = read_nested_divisions()
    rows: list[tuple[str, str, str, str, str]] = []
    for province in provinces:
        province_code = f"{province['code']:02d}"
        rows.append(
            (province_code, "province", division_type(province["name"], PROVINCE_TYPES), province["name"], "")
        )
        for district in province["districts"]:
            district_code = f"{district['code']:03d}"
            rows.append(
                (
                    district_code,
                    "district",
                    division_type(district["name"], DISTRICT_TYPES),
                    district["name"],
                    province_code,
                )
            )
            for commune in district["wards"]:
                rows.append(
                    (
                        f"{commune['code']:05d}",
                        "commune",
                        division_type(commune["name"], COMMUNE_TYPES),
                        commune["name"],
                        district_code,
                    )
                )
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["code", "level", "division_type", "name", "parent_code"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} units from {PACKAGE_REQUIREMENT} to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
