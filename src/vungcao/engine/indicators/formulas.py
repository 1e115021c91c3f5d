"""Reading a derived indicator's formula from its catalogue table.

``{ op = "ratio", numerator = "poor_households", denominator = "households", scale = 100 }``;
``{ op = "sum", terms = ["a", "b"] }``; ``{ op = "difference", minuend = "a", subtrahend = "b" }``;
``{ op = "annual_change", of = "poverty_rate" }``. Each part names an indicator by its code; whether
that indicator exists is the catalogue's check, made once every indicator is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from vungcao.engine.indicators.definitions import (
    FORMULA_OPS,
    AnnualChange,
    Difference,
    Formula,
    Ratio,
    Total,
)
from vungcao.engine.indicators.reasons import (
    BAD_FORMULA,
    BAD_SCALE,
    EMPTY_SUM,
    FORMULA_MISSING_PART,
    UNKNOWN_FIELD,
    UNKNOWN_OP,
    CatalogueProblem,
    problem,
)

PARTS = {
    "ratio": ("numerator", "denominator", "scale"),
    "sum": ("terms",),
    "difference": ("minuend", "subtrahend"),
    "annual_change": ("of",),
}


def read_formula(code: str, data: object) -> tuple[Formula | None, list[CatalogueProblem]]:
    """The formula of indicator ``code`` from its ``formula`` table, and the problems found in it."""
    if not isinstance(data, Mapping) or "op" not in data:
        return None, [problem(BAD_FORMULA, code, about="formula")]
    op = data["op"]
    if op not in FORMULA_OPS:
        return None, [problem(UNKNOWN_OP, code, about="formula.op", op=op, allowed=", ".join(FORMULA_OPS))]
    problems = [
        problem(UNKNOWN_FIELD, code, field=f"formula.{key}") for key in sorted(set(data) - {"op", *PARTS[op]})
    ]

    def part(name: str) -> str:
        value = data.get(name)
        if isinstance(value, str) and value:
            return value
        problems.append(problem(FORMULA_MISSING_PART, code, about=f"formula.{name}", op=op, part=name))
        return ""

    formula: Formula
    if op == "ratio":
        formula = Ratio(part("numerator"), part("denominator"), _scale(code, data, problems))
    elif op == "sum":
        terms = data.get("terms")
        if not isinstance(terms, list) or not terms or not all(isinstance(term, str) for term in terms):
            problems.append(problem(EMPTY_SUM, code, about="formula.terms"))
            terms = []
        formula = Total(tuple(terms))
    elif op == "difference":
        formula = Difference(part("minuend"), part("subtrahend"))
    else:
        formula = AnnualChange(part("of"))
    return (None if problems else formula), problems


def _scale(code: str, data: Mapping[str, object], problems: list[CatalogueProblem]) -> Decimal:
    scale = data.get("scale", 1)
    if isinstance(scale, bool) or not isinstance(scale, int | Decimal) or not _positive(Decimal(scale)):
        problems.append(problem(BAD_SCALE, code, about="formula.scale"))
        return Decimal(1)
    return Decimal(scale)


def _positive(number: Decimal) -> bool:
    return number.is_finite() and number > 0
