"""Which standards exist, and which one applies to a year and a province.

The catalogue reads the standards shipped in ``standards/`` and, for a deployment that adds its own
(a provincial standard, say), every ``*.toml`` in the directories named by the environment variable
``VUNGCAO_STANDARDS_DIRS`` (separated like ``PATH``) or passed explicitly. No code changes are needed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from vungcao.engine.poverty.standard import Standard, StandardError, read_standard_file, standard_from_mapping

STANDARDS_DIRS_VARIABLE = "VUNGCAO_STANDARDS_DIRS"
UNKNOWN_STANDARD = "There is no poverty standard {identifier!r}; known standards: {known}."
NO_STANDARD_FOR_YEAR = "No poverty standard applies in {year}{where}."
DUPLICATE_STANDARD = "Poverty standard {identifier!r} is defined twice ({first} and {second})."
UNKNOWN_BASE = "Standard {identifier!r} derives from {base!r}, which is not defined."


class StandardNotFound(LookupError):
    """No standard has the identifier asked for, or none applies in the year asked for."""


class StandardCatalogue:
    """The standards known to this installation, keyed by identifier."""

    def __init__(self, standards: Iterable[Standard]) -> None:
        self._standards = {standard.identifier: standard for standard in standards}

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> StandardCatalogue:
        raw: dict[str, tuple[Path, dict[str, Any]]] = {}
        for path in paths:
            data = read_standard_file(path)
            identifier = str(data["identifier"])
            if identifier in raw:
                raise StandardError(
                    DUPLICATE_STANDARD.format(identifier=identifier, first=raw[identifier][0], second=path)
                )
            raw[identifier] = (path, data)
        built: dict[str, Standard] = {}

        def build(identifier: str) -> Standard:
            if identifier not in built:
                data = raw[identifier][1]
                base_identifier = data.get("derives_from")
                if base_identifier is not None and base_identifier not in raw:
                    raise StandardError(UNKNOWN_BASE.format(identifier=identifier, base=base_identifier))
                base = build(base_identifier) if base_identifier is not None else None
                built[identifier] = standard_from_mapping(data, base)
            return built[identifier]

        return cls(build(identifier) for identifier in raw)

    def __iter__(self) -> Iterator[Standard]:
        return iter(sorted(self._standards.values(), key=lambda standard: standard.identifier))

    def __len__(self) -> int:
        return len(self._standards)

    def get(self, identifier: str) -> Standard:
        try:
            return self._standards[identifier]
        except KeyError:
            known = ", ".join(sorted(self._standards))
            raise StandardNotFound(UNKNOWN_STANDARD.format(identifier=identifier, known=known)) from None

    def for_year(self, year: int, province: int | None = None) -> Standard:
        """The provincial standard of ``province`` in force in ``year``, else the national one."""
        applicable = [standard for standard in self._standards.values() if standard.applies_in(year)]
        provincial = [
            standard for standard in applicable if province is not None and standard.province == province
        ]
        national = [standard for standard in applicable if standard.province is None]
        for candidates in (provincial, national):
            if candidates:
                return min(candidates, key=lambda standard: standard.identifier)
        where = "" if province is None else f" (province {province})"
        raise StandardNotFound(NO_STANDARD_FOR_YEAR.format(year=year, where=where))


def shipped_standard_files() -> list[Path]:
    folder = resources.files("vungcao.engine.poverty") / "standards"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".toml"))


def deployment_standard_files(directories: Iterable[Path]) -> list[Path]:
    return [path for directory in directories for path in sorted(Path(directory).glob("*.toml"))]


def load_catalogue(extra_directories: Iterable[Path] = ()) -> StandardCatalogue:
    """The shipped standards plus those in ``extra_directories`` and ``$VUNGCAO_STANDARDS_DIRS``."""
    from_environment = [
        Path(part) for part in os.environ.get(STANDARDS_DIRS_VARIABLE, "").split(os.pathsep) if part
    ]
    directories = [*from_environment, *extra_directories]
    return StandardCatalogue.from_files([*shipped_standard_files(), *deployment_standard_files(directories)])


@cache
def default_catalogue() -> StandardCatalogue:
    return load_catalogue()


def get_standard(identifier: str) -> Standard:
    return default_catalogue().get(identifier)


def standard_for(year: int, province: int | None = None) -> Standard:
    """The standard to classify households of ``province`` (2025 province code) in ``year``."""
    return default_catalogue().for_year(year, province)
