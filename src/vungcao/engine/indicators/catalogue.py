"""The indicator catalogue (danh mục chỉ tiêu): read from TOML, checked whole, extended by a province.

The catalogue shipped with the package is ``catalogue.toml`` beside this module: a ``version`` and one
``[[indicator]]`` table per indicator, whose keys are the fields of
:class:`~vungcao.engine.indicators.definitions.Indicator` (``name_vi``/``name_en``,
``description_vi``/``description_en`` and ``source_vi``/``source_en`` for the labels: a source as
officials cite it in Vietnamese, and in English for donors; ``formula = { op = "ratio", … }`` for a
derived one). Nothing is loaded until every indicator is checked, and every problem is reported together, each
naming its indicator's code with a reason in both languages:

* a code is ``[a-z][a-z0-9_]*`` and unique; names and source are required in both languages; no unknown
  key;
* unit, kind, aggregation, direction and formula op are among the allowed values;
* a derived indicator has a formula and aggregates by ``recompute``; no other indicator has a formula
  or aggregates by ``recompute``;
* a computed indicator names its ``record`` computation, and only it may have ``entered_fallback``;
* ``minimum`` is at most ``maximum``; a formula reads only known indicators, and no formula reads
  itself, directly or through others.

A province adds its own indicators through pages and the API: the Django side builds an ``Indicator``
from its row and asks :func:`additional_indicator_problems` (or :meth:`Catalogue.with_indicators`), which
apply the same rules to the catalogue with the new indicator in it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from vungcao.engine.indicators.definitions import (
    Aggregation,
    Direction,
    Formula,
    Indicator,
    IndicatorKind,
    MeasureUnit,
    Ratio,
)
from vungcao.engine.indicators.formulas import read_formula
from vungcao.engine.indicators.reasons import (
    BAD_CODE,
    BAD_DECIMALS,
    BAD_RECORD_FILTER,
    BAD_SCALE,
    COMPUTED_WITHOUT_RECORD,
    CYCLE,
    DERIVED_NOT_RECOMPUTED,
    DERIVED_WITHOUT_FORMULA,
    DUPLICATE_CODE,
    EMPTY_SUM,
    FALLBACK_NOT_COMPUTED,
    FORMULA_NOT_DERIVED,
    MINIMUM_ABOVE_MAXIMUM,
    MISSING_FIELD,
    MISSING_VERSION,
    NOT_A_NUMBER,
    NOT_A_TABLE,
    NOT_TOML,
    NOT_TRUE_OR_FALSE,
    RECOMPUTE_NOT_DERIVED,
    RECORD_NOT_COMPUTED,
    UNKNOWN_FIELD,
    UNKNOWN_REFERENCE,
    UNKNOWN_VALUE,
    CatalogueError,
    CatalogueProblem,
    problem,
)
from vungcao.engine.text import Label

Choice = TypeVar("Choice", bound=StrEnum)

CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
MOST_DECIMALS = 12
CATALOGUE_FILE = "catalogue.toml"
FIELDS = frozenset(
    {
        "code",
        "name_vi",
        "name_en",
        "unit",
        "kind",
        "aggregation",
        "source_vi",
        "source_en",
        "decimals",
        "minimum",
        "maximum",
        "direction",
        "description_vi",
        "description_en",
        "record",
        "record_filter",
        "entered_fallback",
        "formula",
    }
)


class Catalogue:
    """The indicators known to an installation, in the catalogue's order, keyed by code."""

    def __init__(self, version: str, indicators: Iterable[Indicator]) -> None:
        self.version = version
        self._indicators = {indicator.code: indicator for indicator in indicators}

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._indicators.values())

    def __len__(self) -> int:
        return len(self._indicators)

    def __contains__(self, code: object) -> bool:
        return code in self._indicators

    def get(self, code: str) -> Indicator:
        """The indicator of ``code``; ``KeyError`` when there is none."""
        return self._indicators[code]

    def with_indicators(self, extra: Iterable[Indicator]) -> Catalogue:
        """This catalogue with a province's own indicators added, checked by the catalogue's rules;
        :class:`CatalogueError` with every problem otherwise."""
        indicators = [*self, *extra]
        problems = indicators_problems(indicators)
        if problems:
            raise CatalogueError(problems)
        return Catalogue(self.version, indicators)


def additional_indicator_problems(
    indicator: Indicator, *, catalogue: Catalogue
) -> tuple[CatalogueProblem, ...]:
    """Why ``indicator`` (a province's own, built from its row) cannot join ``catalogue``: its own
    problems, a code the catalogue already uses, a formula reading an unknown indicator. Empty when it
    can."""
    return indicators_problems([*catalogue, indicator])


def indicators_problems(
    indicators: Sequence[Indicator], *, unreadable: Iterable[str] = ()
) -> tuple[CatalogueProblem, ...]:
    """Every problem of a list of indicators meant to form one catalogue (see the module's rules).
    ``unreadable`` are the codes of indicators left out because their values could not be read: a
    formula reading one of them is not said to read an unknown indicator."""
    problems: list[CatalogueProblem] = []
    seen: set[str] = set()
    known = {*unreadable, *(indicator.code for indicator in indicators)}
    for indicator in indicators:
        problems += indicator_problems(indicator)
        if indicator.code in seen:
            problems.append(problem(DUPLICATE_CODE, indicator.code, about="code"))
        seen.add(indicator.code)
    for indicator in indicators:
        for reference in indicator.references:
            if reference not in known:
                problems.append(
                    problem(UNKNOWN_REFERENCE, indicator.code, about="formula", reference=reference)
                )
    problems += _cycle_problems(indicators)
    return tuple(problems)


def code_problems(code: str) -> list[CatalogueProblem]:
    """Why ``code`` cannot name an indicator (it is not ``[a-z][a-z0-9_]*``): checked alone where the
    rest of an indicator cannot be read yet."""
    return [] if CODE_PATTERN.fullmatch(code) else [problem(BAD_CODE, code, about="code")]


def indicator_problems(indicator: Indicator) -> list[CatalogueProblem]:
    """The problems of one indicator on its own (not those of its place in a catalogue)."""
    code = indicator.code
    found = code_problems(code)
    if indicator.decimals is not None and not 0 <= indicator.decimals <= MOST_DECIMALS:
        found.append(problem(BAD_DECIMALS, code, about="decimals", most=MOST_DECIMALS))
    derived = indicator.kind is IndicatorKind.DERIVED
    recomputed = indicator.aggregation is Aggregation.RECOMPUTE
    if derived and indicator.formula is None:
        found.append(problem(DERIVED_WITHOUT_FORMULA, code, about="formula"))
    if derived and not recomputed:
        found.append(problem(DERIVED_NOT_RECOMPUTED, code, about="aggregation"))
    if not derived and indicator.formula is not None:
        found.append(problem(FORMULA_NOT_DERIVED, code, about="formula"))
    if not derived and recomputed:
        found.append(problem(RECOMPUTE_NOT_DERIVED, code, about="aggregation"))
    computed = indicator.kind is IndicatorKind.COMPUTED
    if computed and not indicator.record:
        found.append(problem(COMPUTED_WITHOUT_RECORD, code, about="record"))
    if not computed and (indicator.record or indicator.record_filter):
        found.append(problem(RECORD_NOT_COMPUTED, code, about="record"))
    if not computed and indicator.entered_fallback:
        found.append(problem(FALLBACK_NOT_COMPUTED, code, about="entered_fallback"))
    if (
        indicator.minimum is not None
        and indicator.maximum is not None
        and indicator.minimum > indicator.maximum
    ):
        found.append(
            problem(
                MINIMUM_ABOVE_MAXIMUM,
                code,
                about="maximum",
                minimum=indicator.minimum,
                maximum=indicator.maximum,
            )
        )
    formula = indicator.formula
    if formula is not None and not formula.references:
        found.append(problem(EMPTY_SUM, code, about="formula.terms"))
    if isinstance(formula, Ratio) and formula.scale <= 0:
        found.append(problem(BAD_SCALE, code, about="formula.scale"))
    return found


def _cycle_problems(indicators: Sequence[Indicator]) -> list[CatalogueProblem]:
    """One problem per cycle of formulas, named by the indicator where it was entered, with its path."""
    reads = {indicator.code: indicator.references for indicator in indicators}
    finished: set[str] = set()
    found: list[CatalogueProblem] = []
    reported: set[frozenset[str]] = set()
    for start in reads:
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(reads[start]))]
        path.append(start)
        on_path.add(start)
        while stack:
            code, remaining = stack[-1]
            following = next(remaining, None)
            if following is None:
                stack.pop()
                path.pop()
                on_path.discard(code)
                finished.add(code)
            elif following in on_path:
                cycle = path[path.index(following) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    found.append(
                        problem(CYCLE, cycle[0], about="formula", path=" → ".join([*cycle, cycle[0]]))
                    )
            elif following in reads and following not in finished:
                stack.append((following, iter(reads[following])))
                path.append(following)
                on_path.add(following)
    return found


# Reading TOML -----------------------------------------------------------------------------------------


def catalogue_from_text(text: str) -> Catalogue:
    """The catalogue a TOML text declares; :class:`CatalogueError` with every problem otherwise."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError([problem(NOT_TOML, "", error=error)]) from error
    return catalogue_from_mapping(data)


def catalogue_from_mapping(data: Mapping[str, Any]) -> Catalogue:
    """The catalogue of parsed TOML (floats read as ``Decimal``); :class:`CatalogueError` otherwise."""
    problems: list[CatalogueProblem] = []
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(problem(MISSING_VERSION, ""))
    indicators = []
    unreadable = []
    items = data.get("indicator", [])
    for item in items if isinstance(items, list) else [items]:
        if not isinstance(item, Mapping):
            problems.append(problem(NOT_A_TABLE, ""))
            continue
        indicator, item_problems = indicator_from_mapping(item)
        problems += item_problems
        if indicator is not None:
            indicators.append(indicator)
        elif isinstance(item.get("code"), str):
            unreadable.append(item["code"])
    problems += indicators_problems(indicators, unreadable=unreadable)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(str(version), indicators)


def read_catalogue(path: Path) -> Catalogue:
    return catalogue_from_text(path.read_text(encoding="utf-8"))


@cache
def shipped_catalogue() -> Catalogue:
    """The catalogue shipped with the package, read and checked once per process."""
    return catalogue_from_text(
        (resources.files("vungcao.engine.indicators") / CATALOGUE_FILE).read_text(encoding="utf-8")
    )


def indicator_from_mapping(data: Mapping[str, Any]) -> tuple[Indicator | None, list[CatalogueProblem]]:
    """An indicator from one ``[[indicator]]`` table, and the problems of its keys and values. The
    indicator is None when a value cannot be read; the rules of :func:`indicator_problems` are not
    checked here (the catalogue checks them with the rest)."""
    reader = _Reader(data)
    indicator = Indicator(
        code=reader.code,
        name=reader.label("name"),
        unit=reader.choice("unit", MeasureUnit, MeasureUnit.INDEX),
        kind=reader.choice("kind", IndicatorKind, IndicatorKind.ENTERED),
        aggregation=reader.choice("aggregation", Aggregation, Aggregation.SUM),
        source=reader.label("source"),
        decimals=reader.whole_number("decimals"),
        minimum=reader.number("minimum"),
        maximum=reader.number("maximum"),
        direction=reader.optional_choice("direction", Direction),
        description=reader.label("description") if _has_label(data, "description") else None,
        record=reader.text("record", required=False) or None,
        record_filter=reader.record_filter(),
        entered_fallback=reader.flag("entered_fallback"),
        formula=reader.formula(),
    )
    for key in sorted(set(data) - FIELDS):
        reader.report(UNKNOWN_FIELD, field=key)
    return (None if reader.problems else indicator), reader.problems


def _has_label(data: Mapping[str, Any], key: str) -> bool:
    return f"{key}_vi" in data or f"{key}_en" in data


class _Reader:
    """Reads the values of one indicator's table, noting each problem instead of stopping at the first."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[CatalogueProblem] = []
        code = data.get("code")
        self.code = code if isinstance(code, str) else ""
        if not isinstance(code, str):
            self.report(MISSING_FIELD, field="code")

    def report(self, template: Label, *, about: str = "", **values: object) -> None:
        self.problems.append(problem(template, self.code, about=about, **values))

    def text(self, key: str, *, required: bool) -> str:
        value = self.data.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if required or value is not None:
            self.report(MISSING_FIELD, field=key)
        return ""

    def label(self, key: str) -> Label:
        """The label of ``key_vi`` and ``key_en``, both required."""
        return Label(self.text(f"{key}_vi", required=True), self.text(f"{key}_en", required=True))

    def choice(self, key: str, choices: type[Choice], fallback: Choice) -> Choice:
        chosen = self._choice(key, choices)
        return fallback if chosen is None else chosen

    def optional_choice(self, key: str, choices: type[Choice]) -> Choice | None:
        return self._choice(key, choices) if key in self.data else None

    def _choice(self, key: str, choices: type[Choice]) -> Choice | None:
        value = self.data.get(key)
        if isinstance(value, str) and value in set(choices):
            return choices(value)
        self.report(UNKNOWN_VALUE, field=key, value=value, allowed=", ".join(choices))
        return None

    def number(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite():
            self.report(NOT_A_NUMBER, field=key, value=value)
            return None
        return Decimal(value)

    def whole_number(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        self.report(BAD_DECIMALS, about=key, most=MOST_DECIMALS)
        return None

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if isinstance(value, bool):
            return value
        self.report(NOT_TRUE_OR_FALSE, field=key)
        return False

    def record_filter(self) -> dict[str, str]:
        value = self.data.get("record_filter", {})
        if isinstance(value, Mapping) and all(
            isinstance(key, str) and isinstance(item, str) for key, item in value.items()
        ):
            return dict(value)
        self.report(BAD_RECORD_FILTER, about="record_filter")
        return {}

    def formula(self) -> Formula | None:
        if "formula" not in self.data:
            return None
        formula, problems = read_formula(self.code, self.data["formula"])
        self.problems += problems
        return formula
