"""The rule version stamped on every result is a digest of the standard's data file, not of the code.

Given the shipped data files, when a standard is read twice, the version is the same; when a threshold
changes in the file, it changes; when only the file's layout or the code's classes change, it does not.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
import tomllib
from pathlib import Path

import pytest

from vungcao.engine.poverty import get_standard
from vungcao.engine.poverty.catalogue import StandardCatalogue, shipped_standard_files
from vungcao.engine.poverty.standard import (
    Standard,
    content_version,
    read_standard_file,
    standard_from_mapping,
)

STANDARDS = {path.stem: path for path in shipped_standard_files()}
NATIONAL = "vn-2022-2025"
PROVINCIAL = "qn-2023-2025"


def national_data() -> dict[str, object]:
    return read_standard_file(STANDARDS[NATIONAL])


def test_two_loads_of_a_standard_give_the_same_version() -> None:
    first = StandardCatalogue.from_files(STANDARDS.values())
    second = StandardCatalogue.from_files(STANDARDS.values())
    versions = {standard.identifier: standard.version for standard in first}
    assert versions == {standard.identifier: standard.version for standard in second}
    assert versions[NATIONAL] == get_standard(NATIONAL).version
    assert len(set(versions.values())) == len(versions)
    assert all(len(version) == 64 for version in versions.values())


def test_the_version_is_the_digest_of_the_files_content_as_canonical_json() -> None:
    """Computed here without the engine's classes: what an auditor can recompute from the file alone."""
    with STANDARDS[NATIONAL].open("rb") as handle:
        content = tomllib.load(handle)
    canonical = json.dumps(
        {"base": None, "standard": content}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert get_standard(NATIONAL).version == hashlib.sha256(canonical.encode()).hexdigest()


def test_changing_a_threshold_changes_the_version() -> None:
    data = national_data()
    changed = copy.deepcopy(data)
    changed["thresholds"]["poverty_line"]["values"]["rural"] = 1_500_001  # type: ignore[index]
    assert standard_from_mapping(changed).version != standard_from_mapping(data).version


def test_changing_a_rule_changes_the_version() -> None:
    data = national_data()
    changed = copy.deepcopy(data)
    changed["statuses"][0]["when"] = "income_per_capita_month <= poverty_line and deprivation_count >= 4"  # type: ignore[index]
    assert standard_from_mapping(changed).version != standard_from_mapping(data).version


def test_key_order_comments_and_spacing_in_the_file_do_not_change_the_version(tmp_path: Path) -> None:
    text = STANDARDS[NATIONAL].read_text(encoding="utf-8")
    rewritten = tmp_path / f"{NATIONAL}.toml"
    spaced = re.sub(r"^(\w+) = ", r"\1   =   ", text, flags=re.MULTILINE)
    rewritten.write_text("# a comment added by an operator\n\n" + spaced, encoding="utf-8")
    reordered = dict(reversed(list(national_data().items())))
    versions = {
        standard_from_mapping(read_standard_file(rewritten)).version,
        standard_from_mapping(reordered).version,
        get_standard(NATIONAL).version,
    }
    assert len(versions) == 1


def test_the_version_does_not_depend_on_the_classes_fields() -> None:
    """A field added to ``Standard`` (or any change to how the code holds a standard) leaves the version
    as it was: the version is computed from the data alone, before any object is built."""

    @dataclasses.dataclass(frozen=True)
    class StandardWithAnotherField(Standard):
        added_by_a_later_release: str = "anything"

    standard = get_standard(NATIONAL)
    widened = StandardWithAnotherField(
        **{field.name: getattr(standard, field.name) for field in dataclasses.fields(standard)}
    )
    assert repr(widened) != repr(standard)
    assert widened.version == standard.version == content_version(national_data())


def test_a_derived_standard_changes_version_with_its_base() -> None:
    base = standard_from_mapping(national_data())
    provincial_data = read_standard_file(STANDARDS[PROVINCIAL])
    changed_data = copy.deepcopy(national_data())
    changed_data["thresholds"]["average_living_standard_line"]["values"]["urban"] = 3_000_001  # type: ignore[index]
    changed_base = standard_from_mapping(changed_data)
    provincial = standard_from_mapping(provincial_data, base)
    assert provincial.version == get_standard(PROVINCIAL).version
    assert standard_from_mapping(provincial_data, changed_base).version != provincial.version


@pytest.mark.parametrize("identifier", sorted(STANDARDS))
def test_every_shipped_standard_has_its_version(identifier: str) -> None:
    assert get_standard(identifier).version
