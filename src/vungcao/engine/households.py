"""A household's and its members' rules (hộ gia đình, nhân khẩu), checked the same way by the household
form, the API and the questionnaire import: each returns the problems it finds, nothing when all is
well, every reason in both languages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vungcao.engine.text import Label

FIRST_BIRTH_YEAR = 1900
"""No member alive was born earlier (the oldest Vietnamese on record was born in the 1890s)."""
IDENTITY_LENGTHS = (9, 12)
"""A personal identity number (số định danh cá nhân, on the citizen identity card) has 12 digits; an old
identity card (chứng minh nhân dân) 9."""
HEAD = "head"

BORN_IN_FUTURE = Label("Năm sinh không thể ở tương lai.", "A member cannot be born in the future.")
BORN_TOO_EARLY = Label(
    "Năm sinh trước 1900 là không hợp lý.", "A year of birth before 1900 is not plausible."
)
BAD_IDENTITY = Label("Số định danh cá nhân có 9 hoặc 12 chữ số.", "An identity number has 9 or 12 digits.")
NOT_ONE_HEAD = Label(
    "Mỗi hộ có đúng một chủ hộ; hộ này có {count}.", "A household has exactly one head; this one has {count}."
)
SAME_IDENTITY_TWICE = Label(
    "Cùng một số định danh cá nhân được ghi cho hai thành viên.",
    "The same identity number is given for two members.",
)


@dataclass(frozen=True)
class Problem:
    """A broken rule: the member it concerns (its position in the household, or None for the household
    as a whole), the field and the reason."""

    member: int | None
    field: str
    reason: Label


@dataclass(frozen=True)
class MemberFacts:
    """What the rules read of a member; ``identity_number`` as normalised (digits), empty when none."""

    relation_to_head: str
    birth_year: int
    identity_number: str = ""


def birth_year_problem(birth_year: int, *, this_year: int) -> Label | None:
    if birth_year > this_year:
        return BORN_IN_FUTURE
    if birth_year < FIRST_BIRTH_YEAR:
        return BORN_TOO_EARLY
    return None


def identity_number_problem(number: str) -> Label | None:
    """``number`` normalised (``registry.identity.normalise``); empty is no number, which is allowed."""
    if number and not (number.isascii() and number.isdigit() and len(number) in IDENTITY_LENGTHS):
        return BAD_IDENTITY
    return None


def member_problems(member: MemberFacts, *, this_year: int, position: int = 0) -> list[Problem]:
    problems = []
    if (reason := birth_year_problem(member.birth_year, this_year=this_year)) is not None:
        problems.append(Problem(position, "birth_year", reason))
    if (reason := identity_number_problem(member.identity_number)) is not None:
        problems.append(Problem(position, "identity_number", reason))
    return problems


def head_count_problem(relations: Sequence[str]) -> Label | None:
    heads = sum(relation == HEAD for relation in relations)
    if heads != 1:
        return Label(NOT_ONE_HEAD.vi.format(count=heads), NOT_ONE_HEAD.en.format(count=heads))
    return None


def household_problems(members: Sequence[MemberFacts], *, this_year: int) -> list[Problem]:
    """Every member's problems, then the household's: exactly one head, no identity number twice."""
    problems = [
        problem
        for position, member in enumerate(members)
        for problem in member_problems(member, this_year=this_year, position=position)
    ]
    if (reason := head_count_problem([member.relation_to_head for member in members])) is not None:
        problems.append(Problem(None, "relation_to_head", reason))
    seen: set[str] = set()
    for position, member in enumerate(members):
        if member.identity_number and member.identity_number in seen:
            problems.append(Problem(position, "identity_number", SAME_IDENTITY_TWICE))
        seen.add(member.identity_number)
    return problems
