"""What a phone's instances would do to their reviews, decided the same way when they arrive and when an
officer accepts them: first why an instance cannot enter its review at all (the sender may not enter the
commune's answers, the review is closed, the household is unknown, dissolved or of another commune, a
new household's code is taken: :func:`instance_refusals`); then the questionnaire's plan of their rows
(``openrosa.instance_rows``), every household as the web's answers form changes it (its members kept) or
a new one with its members, with the checks a file's cells get and the phone's own (a new household's
code, the longest texts): :func:`instances_plan`."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.bulk import batched
from vungcao.common.files import Table, cell_problems
from vungcao.common.importing import ImportPlan, Rows
from vungcao.common.language import reader_language
from vungcao.engine.tabular import ValidationReport
from vungcao.engine.text import format_number
from vungcao.field_capture.models import Submission
from vungcao.field_capture.openrosa import Instance, instance_rows
from vungcao.field_capture.xlsform import MAX_TEXT, NEW_HOUSEHOLD_CODE, NEW_HOUSEHOLD_CODE_WRONG, TEXT_WRONG
from vungcao.registry.models import CommuneReview, Household
from vungcao.registry.services.questionnaire import questionnaire_plan
from vungcao.registry.services.questionnaire.columns import MEMBER_COLUMNS
from vungcao.registry.services.reviews import ANSWERS_CLOSED, ENTRY_STATES

Received = tuple[CommuneReview, Instance]
"""An instance with the review its form is of."""
Reason = Submission.Reason
_NEW_CODE = re.compile(NEW_HOUSEHOLD_CODE)


@dataclass(frozen=True)
class Refusal:
    """Why an instance cannot enter its review, with the reason's parameters."""

    reason: str
    detail: dict[str, object] = field(default_factory=dict)


def reason_text(reason: str, detail: Mapping[str, object]) -> str:
    """A submission's reason in the reader's words: the review's state when it is closed; the problems
    (the first three) when its answers break the standard's rules; the officer's words when rejected."""
    if reason == Reason.REVIEW_CLOSED:
        state = CommuneReview.State(str(detail.get("state", CommuneReview.State.SUBMITTED)))
        return str(ANSWERS_CLOSED).format(state=state.label)
    text = str(Reason(reason).label)
    problems = detail.get("problems")
    if reason == Reason.INVALID_ANSWERS and isinstance(problems, Mapping):
        found = problems.get(reader_language()) or []
        listed = "; ".join(
            f"{problem.get('label') or problem['field']}: {problem['reason']}" for problem in found[:3]
        )
        return f"{text} ({listed})" if listed else text
    if reason == Reason.REJECTED_BY_OFFICER and detail.get("text"):
        return f"{text}: {detail['text']}"
    return text


def instance_refusals(*, user: User, received: Sequence[Received]) -> list[Refusal | None]:
    """For each instance, why it cannot enter its review, or None: the household's code is looked up in
    the whole registry (a code of another commune is refused as such, never planned)."""
    codes = sorted({instance.household_code for _review, instance in received})
    households = {
        code: (commune_id, dissolved_on is not None)
        for batch in batched(codes)
        for code, commune_id, dissolved_on in Household.objects.filter(code__in=batch).values_list(
            "code", "village__parent_id", "dissolved_on"
        )
    }
    enterable: dict[int, bool] = {}
    refusals: list[Refusal | None] = []
    for review, instance in received:
        if review.pk not in enterable:
            enterable[review.pk] = access.can_enter_answers(user, review.commune)
        code = instance.household_code
        found = households.get(code)
        refusal = None
        if not enterable[review.pk]:
            refusal = Refusal(Reason.NOT_YOUR_COMMUNE, {"commune": review.commune.code})
        elif review.state not in ENTRY_STATES:
            refusal = Refusal(Reason.REVIEW_CLOSED, {"state": review.state})
        elif instance.new_household:
            if found is not None:
                refusal = Refusal(Reason.CODE_TAKEN, {"code": code})
        elif found is None:
            refusal = Refusal(Reason.HOUSEHOLD_UNKNOWN, {"code": code})
        elif found[1]:
            refusal = Refusal(Reason.HOUSEHOLD_DISSOLVED, {"code": code})
        elif found[0] != review.commune_id:
            refusal = Refusal(Reason.HOUSEHOLD_ELSEWHERE, {"code": code})
        refusals.append(refusal)
    return refusals


@dataclass(frozen=True)
class InstancesPlan:
    """The questionnaire's plan of instances' rows, and which instance (by position) each row is of: row
    ``n`` (numbered as a file's, the header being row 1) is of instance ``instance_of_row[n - 2]``."""

    plan: ImportPlan
    rows: Rows
    instance_of_row: list[int]

    def instance_of(self, row: int) -> int | None:
        """The position of the instance of ``row``; None for a problem of no row."""
        index = row - 2
        return self.instance_of_row[index] if 0 <= index < len(self.instance_of_row) else None


def _text_problem(name: str) -> str:
    return str(TEXT_WRONG).format(length=format_number(MAX_TEXT[name], reader_language()))


def _phone_problems(rows: Rows, received: Sequence[Received], instance_of_row: list[int]) -> ValidationReport:
    """What the phone refuses and a file's cells are refused for: a text beginning with ``=`` or holding a
    control character, a text longer than its column, a new household's code not of its village. A
    household's cells, which each of its members' rows repeats, are reported on its first row."""
    report = ValidationReport()
    first_rows = {
        number
        for number, index in enumerate(instance_of_row, start=2)
        if number == 2 or instance_of_row[number - 3] != index
    }
    # A listed household's row has no member columns: a new household's first row may have them.
    columns = list(dict.fromkeys(column for row in rows for column in row))
    report.extend(
        problem
        for problem in cell_problems(
            Table(columns, [[row.get(column, "") for column in columns] for row in rows])
        )
        if problem.row in first_rows or problem.field in MEMBER_COLUMNS
    )
    for number, (row, index) in enumerate(zip(rows, instance_of_row, strict=True), start=2):
        if not received[index][1].new_household:
            continue
        if number in first_rows:
            code = row["household_code"]
            if not _NEW_CODE.match(code) or not code.startswith(row["village_code"] + "-"):
                report.add(number, "household_code", code, str(NEW_HOUSEHOLD_CODE_WRONG))
            if len(row["address"]) > MAX_TEXT["address"]:
                report.add(number, "address", row["address"], _text_problem("address"))
        if len(row["member_name"]) > MAX_TEXT["member_name"]:
            report.add(number, "member_name", row["member_name"], _text_problem("member_name"))
    return report


def instances_plan(*, user: User, received: Sequence[Received]) -> InstancesPlan:
    """The questionnaire's plan of the instances' rows (a listed household's answers only, a new one with
    its members), refused with every problem by row, the phone's checks' first."""
    rows: Rows = []
    instance_of_row: list[int] = []
    for index, (review, instance) in enumerate(received):
        for row in instance_rows(review, instance):
            rows.append(row)
            instance_of_row.append(index)
    report = _phone_problems(rows, received, instance_of_row)
    listed = frozenset(
        instance.household_code for _review, instance in received if not instance.new_household
    )
    plan = questionnaire_plan(user=user, rows=rows, answers_only=listed)
    if not report.ok:
        found = {(problem.row, problem.field) for problem in report}
        report.extend(problem for problem in plan.report if (problem.row, problem.field) not in found)
        plan = ImportPlan(report=report)
    return InstancesPlan(plan, rows, instance_of_row)
