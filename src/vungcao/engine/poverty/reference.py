"""The reference implementation for one household: plain Python, read straight off the standard.

It is slow and obvious on purpose. The vectorised backends must agree with it on every household
(tests/engine/poverty/test_properties.py), and `explain` uses it to say why a household got its status.
Values are Python values already of the field's type (``None`` for an unanswered optional question).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vungcao.engine.poverty.expression import (
    Arithmetic,
    Comparison,
    Conjunction,
    Constant,
    Disjunction,
    Expression,
    FieldReference,
    IsMissing,
    Membership,
    Negation,
)
from vungcao.engine.poverty.standard import AREA, DEPRIVATION_COUNT, INCOME, Standard, StatusRule

Value = bool | int | float | str | None


def evaluate(expression: Expression, values: Mapping[str, Value]) -> Value:
    """The value of ``expression`` for one household, with SQL's treatment of missing values."""
    match expression:
        case FieldReference(name=name):
            return values.get(name)
        case Constant(value=value):
            return value
        case Comparison(operator=operator, left=left, right=right):
            return _compare(operator, evaluate(left, values), evaluate(right, values))
        case Arithmetic(operator=operator, left=left, right=right):
            return _calculate(operator, evaluate(left, values), evaluate(right, values))
        case Membership(operand=operand, values=allowed, negated=negated):
            member = evaluate(operand, values)
            if member is None:
                return None
            return (member in allowed) != negated
        case Conjunction(operands=operands):
            results = [evaluate(operand, values) for operand in operands]
            if any(result is False for result in results):
                return False
            return None if any(result is None for result in results) else True
        case Disjunction(operands=operands):
            results = [evaluate(operand, values) for operand in operands]
            if any(result is True for result in results):
                return True
            return None if any(result is None for result in results) else False
        case Negation(operand=operand):
            negated_value = evaluate(operand, values)
            return None if negated_value is None else not negated_value
        case IsMissing(field=field):
            return values.get(field.name) is None


def _compare(operator: str, left: Value, right: Value) -> bool | None:
    if left is None or right is None:
        return None
    match operator:
        case "<":
            return left < right  # type: ignore[operator]
        case "<=":
            return left <= right  # type: ignore[operator]
        case ">":
            return left > right  # type: ignore[operator]
        case ">=":
            return left >= right  # type: ignore[operator]
        case "==":
            return left == right
        case _:
            return left != right


def _calculate(operator: str, left: Value, right: Value) -> Value:
    if not isinstance(left, int | float) or not isinstance(right, int | float):
        return None
    match operator:
        case "+":
            return left + right
        case "-":
            return left - right
        case "*":
            return left * right
        case _:
            return None if right == 0 else float(left) / float(right)


@dataclass(frozen=True)
class HouseholdClassification:
    """One household's result, with what decided it."""

    status: str
    rule: StatusRule
    deprived: dict[str, bool]
    deprivation_count: int
    thresholds: dict[str, int]
    income_threshold: int


def classify_household(answers: Mapping[str, Value], standard: Standard) -> HouseholdClassification:
    """Classify one household whose answers are valid for ``standard``.

    A ``deprived__<indicator>`` answer, when given, is the reviewer's record and is used as it is.
    """
    deprived = {}
    for indicator in standard.indicators:
        recorded = answers.get(indicator.column)
        if recorded is not None or indicator.deprived_when is None:
            deprived[indicator.identifier] = recorded is True
        else:
            deprived[indicator.identifier] = evaluate(indicator.deprived_when, answers) is True
    area = answers[AREA]
    assert isinstance(area, str)
    thresholds = {threshold.name: threshold.values[area] for threshold in standard.thresholds}
    count = sum(deprived.values())
    context: dict[str, Value] = {AREA: area, INCOME: answers[INCOME], DEPRIVATION_COUNT: count, **thresholds}
    rule = next(rule for rule in standard.statuses if evaluate(rule.when, context) is True)
    return HouseholdClassification(
        status=rule.status,
        rule=rule,
        deprived=deprived,
        deprivation_count=count,
        thresholds=thresholds,
        income_threshold=thresholds[standard.income_threshold],
    )
