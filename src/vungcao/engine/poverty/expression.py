"""The small expression language in which a standard says "deprived when …" and how it classifies.

A standard's data file holds its rules as text such as
``housing_type in ["less_solid", "makeshift"] or housing_area_per_person_m2 < 8``. The text is parsed
(with Python's own tokenizer, never evaluated) into the immutable nodes below, and each backend
compiles the nodes with its own visitor: Polars (`dataframe.py`), SQL (`sql.py`) and the one-household
reference interpreter (`reference.py`).

Semantics, the same in every backend — those of SQL:

- a missing value (an unanswered optional question) makes a comparison or an arithmetic result missing;
- ``and``, ``or`` and ``not`` follow three-valued (Kleene) logic: ``false and missing`` is false,
  ``true or missing`` is true, anything else involving a missing value is missing;
- division by zero gives a missing value;
- an indicator is deprived, and a status rule matches, only when its expression is true, so a missing
  result counts as "not deprived" / "does not match";
- ``missing(field)`` is true when the field has no value.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias

LiteralValue: TypeAlias = bool | int | float | str
ComparisonOperator: TypeAlias = Literal["<", "<=", ">", ">=", "==", "!="]
ArithmeticOperator: TypeAlias = Literal["+", "-", "*", "/"]

INVALID_SYNTAX = "The expression is not valid: {detail}."
UNSUPPORTED_CONSTRUCT = "The expression uses {construct}, which the rule language does not support."
MEMBERSHIP_NEEDS_LITERALS = "The right side of 'in' must be a list of literal values."
MISSING_TAKES_ONE_FIELD = "missing(…) takes exactly one field name."


class ExpressionError(ValueError):
    """An expression in a standard's data file cannot be parsed."""


@dataclass(frozen=True)
class FieldReference:
    """The value of an input field (or of a name the context provides, such as a threshold)."""

    name: str


@dataclass(frozen=True)
class Constant:
    """A literal number, text or truth value."""

    value: LiteralValue


@dataclass(frozen=True)
class Comparison:
    operator: ComparisonOperator
    left: Expression
    right: Expression


@dataclass(frozen=True)
class Arithmetic:
    operator: ArithmeticOperator
    left: Expression
    right: Expression


@dataclass(frozen=True)
class Membership:
    """``operand in [values]`` (or ``not in`` when ``negated``)."""

    operand: Expression
    values: tuple[LiteralValue, ...]
    negated: bool = False


@dataclass(frozen=True)
class Conjunction:
    operands: tuple[Expression, ...]


@dataclass(frozen=True)
class Disjunction:
    operands: tuple[Expression, ...]


@dataclass(frozen=True)
class Negation:
    operand: Expression


@dataclass(frozen=True)
class IsMissing:
    field: FieldReference


Expression: TypeAlias = (
    FieldReference
    | Constant
    | Comparison
    | Arithmetic
    | Membership
    | Conjunction
    | Disjunction
    | Negation
    | IsMissing
)

_COMPARISONS: dict[type[ast.cmpop], ComparisonOperator] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
_ARITHMETIC: dict[type[ast.operator], ArithmeticOperator] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}
_TRUTH_NAMES = {"true": True, "false": False, "True": True, "False": False}


def parse_expression(text: str) -> Expression:
    """Parse rule text into an expression tree; raise `ExpressionError` on anything unsupported."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(INVALID_SYNTAX.format(detail=error.msg)) from error
    return _convert(tree.body)


def _convert(node: ast.expr) -> Expression:
    match node:
        case ast.Name(id=name) if name in _TRUTH_NAMES:
            return Constant(_TRUTH_NAMES[name])
        case ast.Name(id=name):
            return FieldReference(name)
        case ast.Constant(value=value) if isinstance(value, bool | int | float | str):
            return Constant(value)
        case ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=value)) if isinstance(value, int | float):
            return Constant(-value)
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return Negation(_convert(operand))
        case ast.BoolOp(op=ast.And(), values=values):
            return Conjunction(tuple(_convert(value) for value in values))
        case ast.BoolOp(op=ast.Or(), values=values):
            return Disjunction(tuple(_convert(value) for value in values))
        case ast.BinOp(op=operator, left=left, right=right) if type(operator) in _ARITHMETIC:
            return Arithmetic(_ARITHMETIC[type(operator)], _convert(left), _convert(right))
        case ast.Compare(left=left, ops=operators, comparators=comparators):
            return _convert_comparison(left, operators, comparators)
        case ast.Call(func=ast.Name(id="missing"), args=arguments, keywords=[]):
            if len(arguments) != 1 or not isinstance(arguments[0], ast.Name):
                raise ExpressionError(MISSING_TAKES_ONE_FIELD)
            return IsMissing(FieldReference(arguments[0].id))
    raise ExpressionError(UNSUPPORTED_CONSTRUCT.format(construct=type(node).__name__))


def _convert_comparison(
    left: ast.expr, operators: list[ast.cmpop], comparators: list[ast.expr]
) -> Expression:
    """``a < b <= c`` means ``a < b and b <= c``, as in Python."""
    links: list[Expression] = []
    for operator, right in zip(operators, comparators, strict=True):
        if isinstance(operator, ast.In | ast.NotIn):
            links.append(Membership(_convert(left), _literal_list(right), isinstance(operator, ast.NotIn)))
        elif type(operator) in _COMPARISONS:
            links.append(Comparison(_COMPARISONS[type(operator)], _convert(left), _convert(right)))
        else:
            raise ExpressionError(UNSUPPORTED_CONSTRUCT.format(construct=type(operator).__name__))
        left = right
    return links[0] if len(links) == 1 else Conjunction(tuple(links))


def _literal_list(node: ast.expr) -> tuple[LiteralValue, ...]:
    if not isinstance(node, ast.List | ast.Tuple):
        raise ExpressionError(MEMBERSHIP_NEEDS_LITERALS)
    values: list[LiteralValue] = []
    for element in node.elts:
        converted = _convert(element)
        if not isinstance(converted, Constant):
            raise ExpressionError(MEMBERSHIP_NEEDS_LITERALS)
        values.append(converted.value)
    return tuple(values)


def children(expression: Expression) -> Iterator[Expression]:
    """The direct sub-expressions of a node."""
    match expression:
        case Comparison(left=left, right=right) | Arithmetic(left=left, right=right):
            yield left
            yield right
        case Membership(operand=operand) | Negation(operand=operand):
            yield operand
        case Conjunction(operands=operands) | Disjunction(operands=operands):
            yield from operands
        case IsMissing(field=field):
            yield field


def referenced_names(expression: Expression) -> frozenset[str]:
    """Every field (or context) name the expression reads."""
    if isinstance(expression, FieldReference):
        return frozenset({expression.name})
    names: set[str] = set()
    for child in children(expression):
        names |= referenced_names(child)
    return frozenset(names)
