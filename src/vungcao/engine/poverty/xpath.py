"""The XPath backend: a standard's rules compiled to XPath 1.0 as ODK Collect (JavaRosa) evaluates it.

A phone form checks the answers while an official types them: each check of the standard becomes a
``constraint`` of the form's questions (`xpath_holds`). The form names a question ``${name}`` (pyxform
turns that into the question's path). An unanswered question is the empty text, a yes/no question holds
``'yes'`` or ``'no'`` — the answer to the field's `InputField.asked`, whose stored value is
`InputField.stored_from_answer` — and the others hold their number or their category's value.

XPath has no missing value, so each expression is compiled to several XPath expressions, each telling
one thing about it, with the engine's three-valued semantics (`expression`):

- `xpath_missing`: true when the expression is missing (an unanswered field, an arithmetic or a
  comparison on a missing side, a division by zero — where JavaRosa would give Infinity or NaN);
- `xpath_value`: its value, meaningful only when it is not missing;
- for a truth value, `xpath_true` and `xpath_false`: true when it is true, resp. false, by Kleene's
  logic (``and`` is false when any operand is false, true when all are true; ``or`` dually);
- `xpath_holds`: a check as the engine applies it, refused only when false (a missing result passes,
  as `validation` does).

Every compound is parenthesised, as in `sql.py`; a text starting with ``(`` is one parenthesised group.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeAlias

from vungcao.engine.poverty.expression import (
    Arithmetic,
    Comparison,
    Conjunction,
    Constant,
    Disjunction,
    Expression,
    FieldReference,
    IsMissing,
    LiteralValue,
    Membership,
    Negation,
)
from vungcao.engine.poverty.standard import InputField, Standard

FieldResolver: TypeAlias = Callable[[str], InputField]
"""The input field a name in a rule reads (`standard_fields`)."""

NOT_A_TRUTH_VALUE = "XPath: {expression} is not a yes/no value, so it cannot be true or false."
TEXTS_NOT_ORDERED = "XPath: {expression} orders texts; XPath 1.0 orders numbers only."
NOT_A_FINITE_NUMBER = "XPath: {value} is not a finite number."

TRUE = "true()"
FALSE = "false()"
_EQUALITY = {"==": "=", "!=": "!="}


class XPathError(ValueError):
    """An expression that XPath cannot state with the engine's meaning."""


def standard_fields(standard: Standard) -> FieldResolver:
    """The resolver of the names ``standard``'s checks and indicators read (`Standard.all_fields`)."""
    return {input_field.name: input_field for input_field in standard.all_fields}.__getitem__


def xpath_holds(expression: Expression, fields: FieldResolver) -> str:
    """A check as a form's constraint: it fails only when the check is false."""
    return _not(xpath_false(expression, fields))


def xpath_true(expression: Expression, fields: FieldResolver) -> str:
    """True exactly when the truth value ``expression`` is true (neither false nor missing)."""
    match expression:
        case Constant(value=bool(value)):
            return TRUE if value else FALSE
        case FieldReference(name=name) if fields(name).type == "boolean":
            return _answer_is(fields(name), stored=True)
        case Comparison() | Membership():
            return _all([_not(xpath_missing(expression, fields)), _relation(expression, fields)])
        case Conjunction(operands=operands):
            return _all([xpath_true(operand, fields) for operand in operands])
        case Disjunction(operands=operands):
            return _any([xpath_true(operand, fields) for operand in operands])
        case Negation(operand=operand):
            return xpath_false(operand, fields)
        case IsMissing(field=field):
            return xpath_missing(field, fields)
    raise XPathError(NOT_A_TRUTH_VALUE.format(expression=expression))


def xpath_false(expression: Expression, fields: FieldResolver) -> str:
    """True exactly when the truth value ``expression`` is false (neither true nor missing)."""
    match expression:
        case Constant(value=bool(value)):
            return FALSE if value else TRUE
        case FieldReference(name=name) if fields(name).type == "boolean":
            return _answer_is(fields(name), stored=False)
        case Comparison() | Membership():
            return _all([_not(xpath_missing(expression, fields)), _not(_relation(expression, fields))])
        case Conjunction(operands=operands):
            return _any([xpath_false(operand, fields) for operand in operands])
        case Disjunction(operands=operands):
            return _all([xpath_false(operand, fields) for operand in operands])
        case Negation(operand=operand):
            return xpath_true(operand, fields)
        case IsMissing(field=field):
            return _not(xpath_missing(field, fields))
    raise XPathError(NOT_A_TRUTH_VALUE.format(expression=expression))


def xpath_missing(expression: Expression, fields: FieldResolver) -> str:
    """True exactly when ``expression`` has no value."""
    match expression:
        case FieldReference(name=name):
            return f"({_reference(name)} = '')"
        case Constant() | IsMissing():
            return FALSE
        case Comparison(left=left, right=right) | Arithmetic(left=left, right=right):
            missing = [xpath_missing(left, fields), xpath_missing(right, fields)]
            if isinstance(expression, Arithmetic) and expression.operator == "/":
                missing.append(f"({xpath_value(right, fields)} = 0)")
            return _any(missing)
        case Membership(operand=operand) | Negation(operand=operand):
            return xpath_missing(operand, fields)
        case Conjunction() | Disjunction():
            return _all([_not(xpath_true(expression, fields)), _not(xpath_false(expression, fields))])


def xpath_value(expression: Expression, fields: FieldResolver) -> str:
    """The value of ``expression`` where it is not missing: a number, a text or a truth value."""
    match expression:
        case FieldReference(name=name) if fields(name).type == "boolean":
            return xpath_true(expression, fields)
        case FieldReference(name=name):
            return _reference(name)
        case Constant(value=value):
            return xpath_literal(value)
        case Arithmetic(operator=operator, left=left, right=right):
            symbol = "div" if operator == "/" else operator
            return f"({xpath_value(left, fields)} {symbol} {xpath_value(right, fields)})"
    return xpath_true(expression, fields)


def xpath_literal(value: LiteralValue) -> str:
    """A literal as XPath writes it: numbers in plain decimals (XPath 1.0 has no exponent), texts
    quoted with whichever quote they do not hold, or joined by ``concat`` when they hold both."""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise XPathError(NOT_A_FINITE_NUMBER.format(value=value))
        return format(Decimal(repr(value)), "f")
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    parts: list[str] = []
    for index, piece in enumerate(value.split("'")):
        if index:
            parts.append('"\'"')
        if piece:
            parts.append(f"'{piece}'")
    return "concat(" + ", ".join(parts) + ")"


def _reference(name: str) -> str:
    return "${" + name + "}"


def _answer_is(input_field: InputField, *, stored: bool) -> str:
    """The yes/no question of ``input_field`` answered so that its stored value is ``stored``."""
    answer = "yes" if input_field.stored_from_answer(True) == stored else "no"
    return f"({_reference(input_field.name)} = '{answer}')"


def _relation(expression: Comparison | Membership, fields: FieldResolver) -> str:
    """Whether the comparison or membership holds, given that no side is missing."""
    if isinstance(expression, Membership):
        operand = _compared(expression.operand, fields)
        member = _any([f"({operand} = {xpath_literal(value)})" for value in expression.values])
        return _not(member) if expression.negated else member
    operator, left, right = expression.operator, expression.left, expression.right
    if operator in _EQUALITY:
        return f"({_compared(left, fields)} {_EQUALITY[operator]} {_compared(right, fields)})"
    if _is_text(left, fields) or _is_text(right, fields):
        raise XPathError(TEXTS_NOT_ORDERED.format(expression=expression))
    return f"({xpath_value(left, fields)} {operator} {xpath_value(right, fields)})"


def _compared(expression: Expression, fields: FieldResolver) -> str:
    """An operand of an equality. A number question is read with ``number()``: XPath compares two
    questions by their text, where ``8`` and ``8.0`` differ."""
    value = xpath_value(expression, fields)
    if isinstance(expression, FieldReference) and fields(expression.name).type in ("integer", "number"):
        return f"number({value})"
    return value


def _is_text(expression: Expression, fields: FieldResolver) -> bool:
    match expression:
        case Constant(value=str()):
            return True
        case FieldReference(name=name):
            return fields(name).type == "category"
    return False


def _not(condition: str) -> str:
    if condition in (TRUE, FALSE):
        return FALSE if condition == TRUE else TRUE
    return "not" + condition if condition.startswith("(") else f"not({condition})"


def _all(conditions: Sequence[str]) -> str:
    """``and`` of the conditions, the constant ones folded."""
    if FALSE in conditions:
        return FALSE
    kept = [condition for condition in conditions if condition != TRUE]
    return _joined(kept, " and ", TRUE)


def _any(conditions: Sequence[str]) -> str:
    """``or`` of the conditions, the constant ones folded."""
    if TRUE in conditions:
        return TRUE
    kept = [condition for condition in conditions if condition != FALSE]
    return _joined(kept, " or ", FALSE)


def _joined(conditions: list[str], operator: str, empty: str) -> str:
    if not conditions:
        return empty
    return conditions[0] if len(conditions) == 1 else "(" + operator.join(conditions) + ")"
