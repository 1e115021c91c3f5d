"""Reference lists of the registry: Vietnam's 54 ethnic groups with the statistics office's codes.

Source: the list of ethnic groups of Vietnam (Danh mục các dân tộc Việt Nam) issued by the General
Statistics Office, Decision 121-TCTK/PPCĐ of 2 March 1979, codes 01–54 as used by the censuses.
"""

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from vungcao.common.language import reader_language


@dataclass(frozen=True)
class EthnicGroup:
    code: str
    name_vi: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if reader_language() == "en" else self.name_vi

    @property
    def is_minority(self) -> bool:
        return is_minority(self.code)


KINH = "01"


def is_minority(code: str) -> bool:
    """Every group but the Kinh is an ethnic minority (dân tộc thiểu số)."""
    return code != KINH


@cache
def ethnic_groups() -> dict[str, EthnicGroup]:
    text = resources.files("vungcao.registry").joinpath("data/ethnic-groups.csv").read_text(encoding="utf-8")
    return {row["code"]: EthnicGroup(**row) for row in csv.DictReader(text.splitlines())}


def ethnic_group_choices() -> list[tuple[str, str]]:
    return [(group.code, f"{group.code} {group.name_vi}") for group in ethnic_groups().values()]
