"""The XPath backend says what the reference implementation says, as a phone's form evaluates it.

The XPath is evaluated by lxml (libxml2's XPath 1.0) on an instance shaped as ODK Collect writes it:
``<r><name>answer</name>…</r>``, an unanswered question an empty element, a yes/no question ``yes`` or
``no`` (the answer to the field's question as asked), ``${name}`` read as ``/r/name``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from vungcao.engine.poverty import default_catalogue
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
    children,
    parse_expression,
    referenced_names,
)
from vungcao.engine.poverty.reference import Value, evaluate
from vungcao.engine.poverty.standard import InputField
from vungcao.engine.poverty.xpath import (
    NOT_A_FINITE_NUMBER,
    NOT_A_TRUTH_VALUE,
    TEXTS_NOT_ORDERED,
    FieldResolver,
    XPathError,
    standard_fields,
    xpath_false,
    xpath_holds,
    xpath_literal,
    xpath_missing,
    xpath_true,
    xpath_value,
)
from vungcao.engine.text import Label

STANDARDS = [standard.identifier for standard in default_catalogue()]
STANDARD = default_catalogue().get("vn-2022-2025")
FIELDS = standard_fields(STANDARD)


# Evaluating XPath as a form would ---------------------------------------------------------------------


def compiled(xpath: str) -> etree.XPath:
    return etree.XPath(re.sub(r"\$\{(\w+)\}", r"/r/\1", xpath))


def decimal_text(value: float) -> str:
    """A decimal as the phone writes it: plain digits, never an exponent."""
    return format(Decimal(repr(value)), "f")


def instance(answers: Mapping[str, Value], fields: FieldResolver) -> etree._Element:
    """The form's instance holding ``answers`` (stored values): yes/no questions hold the answer to
    the question as asked, which is the opposite of the stored value for an inverted field."""
    root = etree.Element("r")
    for name, value in answers.items():
        element = etree.SubElement(root, name)
        if value is None:
            continue
        if isinstance(value, bool):
            element.text = "yes" if fields(name).stored_from_answer(True) == value else "no"
        elif isinstance(value, float):
            element.text = decimal_text(value)
        else:
            element.text = str(value)
    return root


def read_exactly_by_libxml2(value: float) -> bool:
    """libxml2 reads a few decimals one unit in the last place off (``1.68`` as 1.6800000000000002),
    where JavaRosa reads them exactly; such answers would test libxml2, not the compiled XPath."""
    return bool(etree.XPath(f"number('{decimal_text(value)}') = {value!r}")(etree.Element("r")))


@dataclass(frozen=True)
class CompiledPart:
    """One part of an expression with its XPath compiled: whether it is missing, then either whether it
    is true, false and holds (a truth value) or its value as a text or a number."""

    part: Expression
    missing: etree.XPath
    truth: tuple[etree.XPath, etree.XPath, etree.XPath] | None
    value: etree.XPath | None


def compiled_parts(expression: Expression, fields: FieldResolver) -> list[CompiledPart]:
    parts = [expression]
    for part in parts:
        parts.extend(children(part))
    return [_compiled_part(part, fields) for part in parts]


def _compiled_part(part: Expression, fields: FieldResolver) -> CompiledPart:
    missing = compiled(xpath_missing(part, fields))
    kind = kind_of(part, fields)
    if kind == "truth":
        truth = (xpath_true(part, fields), xpath_false(part, fields), xpath_holds(part, fields))
        return CompiledPart(part, missing, (compiled(truth[0]), compiled(truth[1]), compiled(truth[2])), None)
    conversion = "string" if kind == "text" else "number"
    return CompiledPart(part, missing, None, compiled(f"{conversion}({xpath_value(part, fields)})"))


def kind_of(expression: Expression, fields: FieldResolver) -> str:
    match expression:
        case Comparison() | Membership() | Conjunction() | Disjunction() | Negation() | IsMissing():
            return "truth"
        case Constant(value=bool()):
            return "truth"
        case Constant(value=str()):
            return "text"
        case FieldReference(name=name) if fields(name).type == "boolean":
            return "truth"
        case FieldReference(name=name) if fields(name).type == "category":
            return "text"
    return "number"


def assert_agrees_with_the_reference(
    parts: list[CompiledPart], answers: Mapping[str, Value], fields: FieldResolver
) -> None:
    """Every part is missing, true, false or of its value exactly when the reference implementation
    says so for ``answers``."""
    document = instance(answers, fields)
    for compiled_part in parts:
        expected = evaluate(compiled_part.part, answers)
        shown = f"{compiled_part.part} for {dict(answers)}"
        assert compiled_part.missing(document) is (expected is None), shown
        if compiled_part.truth is not None:
            true, false, holds = (xpath(document) for xpath in compiled_part.truth)
            assert (true, false, holds) == (expected is True, expected is False, expected is not False), shown
        elif expected is not None:
            assert compiled_part.value is not None
            assert compiled_part.value(document) == expected, shown


# Answers and random rules ----------------------------------------------------------------------------------------------


def sometimes_missing(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """About one answer in seven left blank."""
    return st.tuples(st.integers(0, 6), values).map(lambda drawn: None if drawn[0] == 0 else drawn[1])


DECIMALS = st.one_of(
    st.sampled_from([0.0, 0.5, 7.99, 8.0, 8.01, 16.0, 500.0]),
    st.floats(0, 5000).map(lambda value: round(value, 2)).filter(read_exactly_by_libxml2),
)


def answer_values(input_field: InputField) -> st.SearchStrategy[Any]:
    """Any answer of the field's type: zeros (divisors) and small counts likely, the bounds ignored."""
    match input_field.type:
        case "boolean":
            values: st.SearchStrategy[Any] = st.booleans()
        case "category":
            values = st.sampled_from(sorted(input_field.allowed_values))
        case "integer":
            values = st.one_of(st.integers(0, 8), st.integers(0, int(input_field.maximum or 5_000_000)))
        case _:
            values = DECIMALS
    return sometimes_missing(values)


def answers(fields: tuple[InputField, ...]) -> st.SearchStrategy[dict[str, Value]]:
    return st.fixed_dictionaries({input_field.name: answer_values(input_field) for input_field in fields})


# A phone's XPath computes in IEEE doubles, exact for whole numbers up to 2^53; the reference is exact
# at any size. Four operands of at most 9,000 (a random rule's most) multiply to less than 2^53.
WHOLE_NUMBERS_EXACT_IN_FOUR = 9_000
RANDOM_FIELDS = (
    InputField(name="count", type="integer", label=Label("", ""), maximum=WHOLE_NUMBERS_EXACT_IN_FOUR),
    InputField(name="other_count", type="integer", label=Label("", ""), maximum=WHOLE_NUMBERS_EXACT_IN_FOUR),
    InputField(name="area", type="number", label=Label("", "")),
    InputField(
        name="kind",
        type="category",
        label=Label("", ""),
        allowed_values={value: Label(value, value) for value in ("rural", "it's", 'say "hi"', "'both\"")},
    ),
    InputField(name="has_water", type="boolean", label=Label("", "")),
    InputField(name="deprived", type="boolean", label=Label("", ""), inverted=True),
)
RANDOM_FIELD = {field.name: field for field in RANDOM_FIELDS}
TEXTS = [*RANDOM_FIELD["kind"].allowed_values, "other"]
NUMBER_RULES = st.recursive(
    st.one_of(
        st.sampled_from([FieldReference("count"), FieldReference("other_count"), FieldReference("area")]),
        st.builds(Constant, st.one_of(st.integers(-3, 10), st.sampled_from([0.5, 2.25, 8.0]))),
    ),
    lambda operands: st.builds(Arithmetic, st.sampled_from(["+", "-", "*", "/"]), operands, operands),
    max_leaves=4,
)
TEXT_RULES = st.one_of(st.just(FieldReference("kind")), st.builds(Constant, st.sampled_from(TEXTS)))
SIMPLE_TRUTH_RULES = st.one_of(
    st.sampled_from(
        [FieldReference("has_water"), FieldReference("deprived"), Constant(True), Constant(False)]
    ),
    st.builds(Comparison, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), NUMBER_RULES, NUMBER_RULES),
    st.builds(Comparison, st.sampled_from(["==", "!="]), TEXT_RULES, TEXT_RULES),
    st.builds(Membership, TEXT_RULES, st.lists(st.sampled_from(TEXTS), max_size=3).map(tuple), st.booleans()),
    st.builds(
        Membership,
        NUMBER_RULES,
        st.lists(st.sampled_from([0, 1, 8, 8.0, 0.5]), max_size=3).map(tuple),
        st.booleans(),
    ),
    st.builds(IsMissing, st.sampled_from([FieldReference(field.name) for field in RANDOM_FIELDS])),
)
TRUTH_RULES = st.recursive(
    st.one_of(
        SIMPLE_TRUTH_RULES,
        st.builds(Comparison, st.sampled_from(["==", "!="]), SIMPLE_TRUTH_RULES, SIMPLE_TRUTH_RULES),
    ),
    lambda operands: st.one_of(
        st.builds(Conjunction, st.lists(operands, min_size=2, max_size=3).map(tuple)),
        st.builds(Disjunction, st.lists(operands, min_size=2, max_size=3).map(tuple)),
        st.builds(Negation, operands),
    ),
    max_leaves=6,
)


# Golden XPath -----------------------------------------------------------------------------------------


def test_a_check_becomes_a_constraint_refused_only_when_it_is_false() -> None:
    check = next(check for check in STANDARD.checks if check.holds_text == "dependants <= members_total")

    assert xpath_holds(check.holds, FIELDS) == (
        "not(not((${dependants} = '') or (${members_total} = '')) and not(${dependants} <= ${members_total}))"
    )


def test_a_division_is_missing_when_the_divisor_is_zero() -> None:
    division = parse_expression("housing_floor_area_m2 / members_total")

    assert xpath_value(division, FIELDS) == "(${housing_floor_area_m2} div ${members_total})"
    assert xpath_missing(division, FIELDS) == (
        "((${housing_floor_area_m2} = '') or (${members_total} = '') or (${members_total} = 0))"
    )


def test_a_yes_no_question_is_read_as_asked_and_an_inverted_one_the_other_way() -> None:
    # Given a field asked as it is stored, and a reviewer's record of a deprivation, which the form
    # asks as "the household meets the indicator" (inverted)
    standard = default_catalogue().get("vn-2016-2020")
    recorded = next(field for field in standard.all_fields if field.inverted)
    reference = "${" + recorded.name + "}"

    # Then not having clean water is the answer "no"; being deprived is "no" too, not deprived "yes"
    assert xpath_true(parse_expression("not has_clean_water_source"), FIELDS) == (
        "(${has_clean_water_source} = 'no')"
    )
    assert xpath_true(FieldReference(recorded.name), standard_fields(standard)) == f"({reference} = 'no')"
    assert xpath_false(FieldReference(recorded.name), standard_fields(standard)) == f"({reference} = 'yes')"


def test_numbers_are_compared_equal_as_numbers_not_as_text() -> None:
    assert xpath_true(parse_expression("count == area"), RANDOM_FIELD.__getitem__) == (
        "(not((${count} = '') or (${area} = '')) and (number(${count}) = number(${area})))"
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("rural", "'rural'"),
        ("it's", '"it\'s"'),
        ("say \"hi\" and 'bye'", "concat('say \"hi\" and ', \"'\", 'bye', \"'\")"),
        ("'\"", "concat(\"'\", '\"')"),
        (7, "7"),
        (-3, "-3"),
        (0.5, "0.5"),
        (1e-5, "0.00001"),
        (1e20, "100000000000000000000"),
        (True, "true()"),
    ],
)
def test_literals_are_written_as_xpath_reads_them(value: Any, written: str) -> None:
    assert xpath_literal(value) == written
    if isinstance(value, str):
        assert etree.XPath(f"string({written})")(etree.Element("r")) == value


# Refused ----------------------------------------------------------------------------------------------


def test_a_number_is_not_a_truth_value() -> None:
    expression = parse_expression("members_total and has_clean_water_source")

    with pytest.raises(XPathError) as error:
        xpath_holds(expression, FIELDS)
    assert str(error.value) == NOT_A_TRUTH_VALUE.format(expression=FieldReference("members_total"))


def test_texts_cannot_be_ordered() -> None:
    expression = parse_expression("area < 'urban'")

    with pytest.raises(XPathError) as error:
        xpath_true(expression, FIELDS)
    assert str(error.value) == TEXTS_NOT_ORDERED.format(expression=expression)


def test_an_infinite_number_has_no_xpath_literal() -> None:
    with pytest.raises(XPathError) as error:
        xpath_literal(float("inf"))
    assert str(error.value) == NOT_A_FINITE_NUMBER.format(value=float("inf"))


# Properties -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", STANDARDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_check_and_indicator_of_a_shipped_standard_agrees_with_the_reference(
    identifier: str, data: st.DataObject
) -> None:
    """Given random answers (some blank, zero divisors likely), when each check and each indicator's
    rule is compiled to XPath and evaluated on the form's instance, then it and each of its parts is
    missing, true, false or of the value exactly when the reference implementation says so."""
    rules = standard_rules(identifier)
    for household in data.draw(st.lists(answers(rules.fields), min_size=1, max_size=10)):
        for parts in rules.parts:
            assert_agrees_with_the_reference(parts, household, rules.resolver)


@dataclass(frozen=True)
class CompiledRules:
    """A standard's checks and indicators' rules, compiled, and the fields they read."""

    parts: list[list[CompiledPart]]
    fields: tuple[InputField, ...]
    resolver: FieldResolver


@cache
def standard_rules(identifier: str) -> CompiledRules:
    standard = default_catalogue().get(identifier)
    resolver = standard_fields(standard)
    expressions = [check.holds for check in standard.checks]
    expressions += [indicator.deprived_when for indicator in standard.indicators if indicator.deprived_when]
    read = frozenset().union(*(referenced_names(expression) for expression in expressions))
    return CompiledRules(
        parts=[compiled_parts(expression, resolver) for expression in expressions],
        fields=tuple(input_field for input_field in standard.all_fields if input_field.name in read),
        resolver=resolver,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression=TRUTH_RULES, households=st.lists(answers(RANDOM_FIELDS), min_size=1, max_size=5))
def test_every_construct_of_the_rule_language_agrees_with_the_reference(
    expression: Expression, households: list[dict[str, Value]]
) -> None:
    """Given a random rule (arithmetic, comparisons, membership in quoted texts, missing(…), yes/no
    questions asked as stored or inverted, Kleene's and/or/not) and random answers, when it is compiled
    to XPath, then each part is missing, true, false or of the value exactly as the reference says."""
    parts = compiled_parts(expression, RANDOM_FIELD.__getitem__)
    for household in households:
        assert_agrees_with_the_reference(parts, household, RANDOM_FIELD.__getitem__)
