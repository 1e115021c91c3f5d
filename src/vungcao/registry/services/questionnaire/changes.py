"""What a questionnaire file would change in the registry, household by household and member by member.

**Which stored member a file's member is.** Within a household, a member of the file is the stored (current)
member

1. with the same identity number, when both have one;
2. otherwise — when at most one of them has a number — with the same full name (ignoring case and extra
   spaces, not diacritics: "Lý" and "Ly" are different names) and the same year of birth; the first such
   stored member, in the order they were registered.

Two people with different identity numbers are never the same member, whatever their names. A matched
member whose other values differ is *changed* (updated in place: the same member, with its history); a
member of the file matched with no stored member is *added*; a stored member matched with no member of the
file is *missing*. A missing member is kept as they are unless the person applying the file chooses to
record the missing members as having left (``ImportPlan.remove_missing``; their ``left_on`` is then the
day of the apply). A household whose stored head is missing cannot keep them: the file names another head.

**What the preview keeps.** Every change is counted and goes into the plan's digest (which the apply
compares, ``ImportPlan.digest``); only the first ``MAX_CHANGES`` households of each kind (added, changed,
with members missing) are described, in a compact JSON shape the imports app shows (``imports.changes``):

    {"code": "H1", "row": 2, "kind": "added" | "changed" | "missing", "missing": 1,
     "fields": [[label, old, new], ...],
     "members": [["added" | "changed" | "missing", name, birth year, [[label, old, new], ...]], ...],
     "more_members": 0}

A label is ``"app.Model.field"`` (its verbose name and choices give the words, in the reader's language),
``"identity_number"`` (shown masked unless the reader may see numbers whole) or a question's label in both
languages (``{"vi": …, "en": …}``). Values are codes, numbers and yes/no, turned into words when shown.
"""

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import gettext_lazy

from vungcao.common.importing import MAX_CHANGES
from vungcao.registry import classification, identity
from vungcao.registry.models import Member
from vungcao.registry.reference import ethnic_groups
from vungcao.registry.services.questionnaire.reading import HouseholdRows, MemberRow
from vungcao.registry.services.questionnaire.storage import MEMBER_KEY_FIELDS, StoredHousehold, StoredMember

HEAD_NOT_IN_FILE = gettext_lazy(
    "The head of household {code} in the registry is not in the file, which names another head: record the "
    "members missing from the file as having left, or add them to the file."
)
# How many members of one household a described change lists.
MAX_MEMBERS = 30
IDENTITY = "identity_number"
_DIGEST_INDEX = MEMBER_KEY_FIELDS.index("identity_digest")
_ETHNIC_INDEX = MEMBER_KEY_FIELDS.index("ethnic_group")
_MEMBER_LABELS = tuple(
    IDENTITY if name == "identity_digest" else f"registry.Member.{name}" for name in MEMBER_KEY_FIELDS
)
# The values an added member is described by (beyond name and year of birth), by index in the key.
_ADDED_MEMBER_SHOWN = tuple(
    i for i, name in enumerate(MEMBER_KEY_FIELDS) if name not in ("full_name", "birth_year")
)
_HEAD = Member.Relation.HEAD.value
_RELATION = "registry.Member.relation_to_head"

Label = str | dict[str, str]
FieldChange = tuple[Label, object, object]


def _person(name: str, birth_year: object) -> tuple[str, object]:
    return " ".join(name.split()).casefold(), birth_year


def match_members(
    members: Sequence[MemberRow], stored: Sequence[StoredMember]
) -> tuple[list[tuple[MemberRow, StoredMember]], list[MemberRow], list[StoredMember]]:
    """The file's members matched with the stored ones (see the module): the pairs, the members added
    and the stored members missing, each in order."""
    by_digest = {member.identity_digest: member for member in stored if member.identity_digest}
    matched: dict[int, StoredMember] = {}  # index in ``members`` → stored member
    taken: set[int] = set()
    for index, member in enumerate(members):
        found = by_digest.get(member.digest()) if member.digest() else None
        if found is not None:
            matched[index] = found
            taken.add(found.pk)
    by_person: dict[tuple[str, object], list[StoredMember]] = defaultdict(list)
    for person in stored:
        if person.pk not in taken:
            by_person[_person(person.full_name, person.birth_year)].append(person)
    for index, member in enumerate(members):
        if index in matched:
            continue
        candidates = by_person.get(_person(member.full_name, member.birth_year), [])
        found = next(
            (c for c in candidates if not (c.identity_digest and member.digest())),
            None,
        )
        if found is not None:
            candidates.remove(found)
            matched[index] = found
            taken.add(found.pk)
    pairs = [(member, matched[index]) for index, member in enumerate(members) if index in matched]
    added = [member for index, member in enumerate(members) if index not in matched]
    missing = [member for member in stored if member.pk not in taken]
    return pairs, added, missing


@dataclass(slots=True)
class HouseholdChange:
    """A stored household the file changes: its fields old → new, and its members matched."""

    rows: HouseholdRows
    stored: StoredHousehold
    fields: list[FieldChange]
    changed_members: list[tuple[MemberRow, StoredMember]]
    added_members: list[MemberRow]
    missing_members: list[StoredMember]
    # Whether the household's answers, area or income differ from its stored assessment (or it has none).
    assessment_differs: bool = False

    @property
    def writes(self) -> bool:
        """Something changes even when the missing members are kept."""
        return bool(self.fields or self.changed_members or self.added_members)

    @property
    def head_missing(self) -> bool:
        return any(member.relation_to_head == _HEAD for member in self.missing_members)


@cache
def _answer_labels(identifier: str) -> Mapping[str, dict[str, str]]:
    """Each answer column's question, in both languages: the standard's fields and, for every indicator,
    the reviewer's recorded yes/no."""
    rule = classification.standard(identifier)
    fields = [*(indicator.recorded_field for indicator in rule.indicators), *rule.all_fields]
    return {field.name: {"vi": field.label.vi, "en": field.label.en} for field in fields}


def household_change(
    rows: HouseholdRows,
    stored: StoredHousehold,
    members: Sequence[StoredMember],
    assessment: tuple[int, Mapping[str, object], int] | None,
    answers: Mapping[str, object],
) -> HouseholdChange:
    """How the file's ``rows`` differ from the ``stored`` household, its current ``members`` and its
    assessment of the review's year (None when it has none): fields in the order of the file's columns."""
    assert rows.village is not None
    assert rows.review is not None
    fields: list[FieldChange] = []
    if stored.village_id != rows.village.pk:
        fields.append(
            ("registry.Household.village", stored.village, f"{rows.village.name} ({rows.village.code})")
        )
    if stored.address != rows.address:
        fields.append(("registry.Household.address", stored.address, rows.address))
    if stored.area != rows.area:
        fields.append(("registry.Household.area", stored.area, rows.area))
    income = int(rows.income)
    old_answers: Mapping[str, object] = assessment[1] if assessment is not None else {}
    old_income = assessment[2] if assessment is not None else None
    if old_income != income:
        fields.append(("registry.Assessment.income_per_capita_month", old_income, income))
    labels = _answer_labels(rows.review.cycle.standard_identifier)
    for name in sorted(set(old_answers) | set(answers)):
        if old_answers.get(name) != answers.get(name):
            fields.append(
                (labels.get(name, {"vi": name, "en": name}), old_answers.get(name), answers.get(name))
            )
    pairs: list[tuple[MemberRow, StoredMember]] = []
    added: list[MemberRow] = []
    missing: list[StoredMember] = []
    if not rows.members_kept and [member.key() for member in rows.members] != [m.key for m in members]:
        pairs, added, missing = match_members(rows.members, members)
        pairs = [(member, old) for member, old in pairs if member.key() != old.key]
    differs = assessment is None or old_answers != answers or old_income != income or stored.area != rows.area
    return HouseholdChange(rows, stored, fields, pairs, added, missing, differs)


def _member_fields(member: MemberRow, stored: StoredMember | None, shown: Sequence[int]) -> list[list[Any]]:
    """[label, old, new] of the member's ``shown`` values (by index in its key), identity numbers as
    digests (the digest form; ``_described`` puts the numbers in)."""
    new = member.key()
    return [[_MEMBER_LABELS[i], stored.key[i] if stored else None, new[i]] for i in shown]


def _differing(member: MemberRow, stored: StoredMember) -> list[int]:
    new = member.key()
    return [i for i, value in enumerate(new) if value != stored.key[i]]


def _added_shown(member: MemberRow) -> list[int]:
    new = member.key()
    return [i for i in _ADDED_MEMBER_SHOWN if new[i] not in ("", False)]


def _ethnic_name(code: object) -> object:
    group = ethnic_groups().get(str(code)) if code else None
    return group.name_vi if group is not None else code


def _readable(fields: list[list[Any]], numbers: Mapping[str, str]) -> list[list[Any]]:
    """The digest form's fields with identity digests replaced by the numbers and ethnic codes by names."""
    out = []
    for label, old, new in fields:
        if label == IDENTITY:
            old, new = numbers.get(str(old or ""), ""), numbers.get(str(new or ""), "")
        elif label == "registry.Member.ethnic_group":
            old, new = _ethnic_name(old), _ethnic_name(new)
        elif label == "registry.Member.birth_year":
            old, new = (str(value) if value is not None else None for value in (old, new))
        out.append([label, old, new])
    return out


class ChangeCollector:
    """Counts every change, digests it, and describes the first ``MAX_CHANGES`` of each kind."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.entries: list[dict[str, Any]] = []
        self.kept: Counter[str] = Counter()
        self._digest = hashlib.sha256()

    @property
    def digest(self) -> str:
        return self._digest.hexdigest()

    def _hash(self, value: object) -> None:
        self._digest.update(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
        self._digest.update(b"\n")

    def added(self, rows: HouseholdRows) -> None:
        # The file alone says what a new household is: its code and rows are the digest's part.
        self.counts["households_added"] += 1
        self.counts["members_in_added"] += len(rows.members)
        self._hash(["added", rows.code, rows.row, len(rows.members)])
        if self.kept["added"] >= MAX_CHANGES:
            return
        self.kept["added"] += 1
        assert rows.village is not None
        fields: list[FieldChange] = [
            ("registry.Household.village", None, f"{rows.village.name} ({rows.village.code})"),
            ("registry.Household.address", None, rows.address),
            ("registry.Household.area", None, rows.area),
            ("registry.Assessment.income_per_capita_month", None, int(rows.income)),
        ]
        numbers = {
            member.digest(): member.identity_number for member in rows.members if member.identity_number
        }
        members = [
            [
                "added",
                m.full_name,
                str(m.birth_year),
                _readable(_member_fields(m, None, _added_shown(m)), numbers),
            ]
            for m in rows.members[:MAX_MEMBERS]
        ]
        self._keep("added", rows, fields, members, 0, len(rows.members))

    def changed(self, change: HouseholdChange) -> None:
        counts = self.counts
        if change.writes:
            counts["households_changed"] += 1
        if change.missing_members:
            counts["households_missing"] += 1
        counts["heads_missing"] += change.head_missing
        counts["members_added"] += len(change.added_members)
        counts["members_changed"] += len(change.changed_members)
        counts["members_missing"] += len(change.missing_members)
        members: list[list[Any]] = [
            *(
                ["changed", m.full_name, str(m.birth_year), _member_fields(m, old, _differing(m, old))]
                for m, old in change.changed_members
            ),
            *(
                ["added", m.full_name, str(m.birth_year), _member_fields(m, None, _added_shown(m))]
                for m in change.added_members
            ),
            # A missing member is described by their relation to the head (a missing head cannot stay).
            *(
                ["missing", m.full_name, str(m.birth_year), [[_RELATION, m.relation_to_head, None]]]
                for m in change.missing_members
            ),
        ]
        kind = "changed" if change.writes else "missing"
        self._hash([kind, change.rows.code, change.rows.row, change.fields, members])
        # Kept when its kind, or the missing members it has, are not yet described ``MAX_CHANGES`` times.
        kinds = [kind] + (["missing"] if change.missing_members and kind != "missing" else [])
        kept = [name for name in kinds if self.kept[name] < MAX_CHANGES]
        if not kept:
            return
        self.kept.update(kept)
        numbers = {m.digest(): m.identity_number for m in change.rows.members if m.identity_number}
        numbers.update(
            {
                old.identity_digest: identity.reveal(old.identity_encrypted)
                for _member, old in change.changed_members
                if old.identity_digest and old.identity_encrypted
            }
        )
        shown = [
            [kind_, name, born, _readable(fields, numbers)]
            for kind_, name, born, fields in members[:MAX_MEMBERS]
        ]
        self._keep(kind, change.rows, change.fields, shown, len(change.missing_members), len(members))

    def _keep(
        self,
        kind: str,
        rows: HouseholdRows,
        fields: Sequence[FieldChange],
        members: list[list[Any]],
        missing: int,
        member_count: int,
    ) -> None:
        self.entries.append(
            {
                "code": rows.code,
                "row": rows.row,
                "kind": kind,
                "missing": missing,
                "fields": [list(change) for change in fields],
                "members": members,
                "more_members": max(member_count - len(members), 0),
            }
        )
