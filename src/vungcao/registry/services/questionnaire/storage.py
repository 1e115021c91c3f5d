"""The shapes the questionnaire import's planning keeps of stored households (read as values, written
in bulk by ``common.bulk``)."""

from dataclasses import dataclass
from typing import cast

# After writing this many households, refresh PostgreSQL's statistics of the registry's tables (as
# autovacuum would, later): with the tables' sizes unknown, the next plan of the file reads them whole.
ANALYZE_AFTER = 10_000


@dataclass(frozen=True)
class StoredHousehold:
    """What planning needs of a stored household (read as values, not as model instances)."""

    pk: int
    village_id: int
    commune_id: int | None
    address: str
    area: str
    # The village as the preview names it: "name (code)".
    village: str = ""


@dataclass(frozen=True, slots=True)
class StoredMember:
    """A current member of a stored household: its primary key, the values the file's member is compared
    with (``MemberRow.key``, in the order of ``MEMBER_KEY_FIELDS``) and its identity number, encrypted
    (opened only for the few changes a preview shows)."""

    pk: int
    key: tuple[object, ...]
    identity_encrypted: str

    @property
    def full_name(self) -> str:
        return str(self.key[0])

    @property
    def birth_year(self) -> int:
        return int(cast("int", self.key[2]))

    @property
    def relation_to_head(self) -> str:
        return str(self.key[4])

    @property
    def identity_digest(self) -> str:
        return str(self.key[5])


# A stored assessment: its primary key, answers and income.
StoredAssessment = tuple[int, dict[str, object], int]

# The member's fields compared with the file, in the order of ``MemberRow.key``.
MEMBER_KEY_FIELDS = (
    "full_name",
    "sex",
    "birth_year",
    "ethnic_group",
    "relation_to_head",
    "identity_digest",
    "schooling",
    "has_health_insurance",
    "has_disability",
    "work",
)
