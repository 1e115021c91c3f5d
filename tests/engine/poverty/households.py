"""Hypothesis strategies for households valid under a standard, with its boundaries made likely."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from vungcao.engine.poverty.reference import evaluate
from vungcao.engine.poverty.standard import INCOME, InputField, Standard


def field_values(standard: Standard, input_field: InputField) -> st.SearchStrategy[Any]:
    if input_field.name == INCOME:
        lines = [value for threshold in standard.thresholds for value in threshold.values.values()]
        boundaries = st.sampled_from([line + offset for line in lines for offset in (-1, 0, 1)])
        return st.one_of(boundaries, st.integers(0, 5_000_000))
    if input_field.type == "boolean":
        values: st.SearchStrategy[Any] = st.booleans()
    elif input_field.type == "category":
        values = st.sampled_from(sorted(input_field.allowed_values))
    elif input_field.type == "integer":
        low = int(input_field.minimum or 0)
        values = st.integers(low, min(int(input_field.maximum or 10), low + 6))
    else:
        values = st.one_of(st.sampled_from([0.0, 7.99, 8.0, 16.0, 24.0, 8.01]), st.floats(0, 120))
    return values if input_field.required else st.one_of(st.none(), values)


def households(standard: Standard) -> st.SearchStrategy[dict[str, Any]]:
    strategy = st.fixed_dictionaries(
        {input_field.name: field_values(standard, input_field) for input_field in standard.all_fields}
    )
    return strategy.filter(
        lambda household: all(evaluate(check.holds, household) is not False for check in standard.checks)
    )
