"""The SQL each shipped standard compiles to, per dialect, against golden files.

The golden files under ``golden/`` are the SQL as it is today, one per standard and dialect
(``<standard>.<dialect>.sql``). When a change to the compiler or to a standard changes the SQL on
purpose, regenerate them and review the difference with ``git diff``:

    VUNGCAO_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/engine/poverty/test_sql.py

Without that variable a difference fails the test with a unified diff of the two texts.
"""

from __future__ import annotations

import difflib
import os
import sqlite3
from pathlib import Path

import pytest

from vungcao.engine.poverty import classification_query, default_catalogue
from vungcao.engine.poverty.expression import parse_expression
from vungcao.engine.poverty.sql import DIALECTS, UNKNOWN_CONNECTION, Dialect, dialect_of, sql_expression

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("VUNGCAO_REGENERATE_GOLDEN") == "1"
STANDARDS = [standard.identifier for standard in default_catalogue()]


def generated(identifier: str, dialect: Dialect) -> str:
    standard = default_catalogue().get(identifier)
    return (
        classification_query(standard, "households", keep=["household_id"], dialect=dialect, pretty=True)
        + "\n"
    )


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("identifier", STANDARDS)
def test_the_generated_sql_is_the_golden_sql(identifier: str, dialect: Dialect) -> None:
    path = GOLDEN / f"{identifier}.{dialect}.sql"
    text = generated(identifier, dialect)
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
    golden = path.read_text(encoding="utf-8") if path.exists() else ""
    difference = "".join(
        difflib.unified_diff(
            golden.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"golden/{path.name}",
            "generated",
        )
    )
    if difference:
        pytest.fail(
            "The SQL changed (VUNGCAO_REGENERATE_GOLDEN=1 to accept it):\n" + difference, pytrace=False
        )


def test_every_golden_file_belongs_to_a_standard_and_a_dialect() -> None:
    expected = {f"{identifier}.{dialect}.sql" for identifier in STANDARDS for dialect in DIALECTS}
    assert {path.name for path in GOLDEN.glob("*.sql")} == expected


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("sqlite", """((CAST("a" AS REAL) / NULLIF("b", 0)) > CAST(0.5 AS REAL))"""),
        (
            "postgres",
            """((CAST("a" AS DOUBLE PRECISION) / NULLIF("b", 0)) > CAST(0.5 AS DOUBLE PRECISION))""",
        ),
        ("spark", """((CAST(`a` AS DOUBLE) / NULLIF(`b`, 0)) > CAST(0.5 AS DOUBLE))"""),
    ],
)
def test_division_is_in_floating_point_and_decimal_literals_are_doubles(
    dialect: Dialect, expected: str
) -> None:
    assert sql_expression(parse_expression("a / b > 0.5")).sql(dialect=dialect) == expected


def test_texts_are_quoted_by_the_dialect_never_spliced() -> None:
    expression = parse_expression("""name in ["it's", "a\\\\b"]""")
    assert sql_expression(expression).sql(dialect="postgres") == """("name" IN ('it''s', 'a\\b'))"""
    assert sql_expression(expression).sql(dialect="spark") == """(`name` IN ('it\\'s', 'a\\\\b'))"""


def test_a_connection_of_an_unknown_kind_is_refused_by_name() -> None:
    class Elsewhere:
        def execute(self, query: str, /) -> None: ...

    with pytest.raises(
        ValueError, match="^" + UNKNOWN_CONNECTION.format(type="Elsewhere").replace(".", r"\.")
    ):
        dialect_of(Elsewhere())
    assert dialect_of(sqlite3.connect(":memory:")) == "sqlite"
