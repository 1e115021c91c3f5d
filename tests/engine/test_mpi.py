"""Alkire-Foster measures."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vungcao.engine.mpi import CUTOFF_OUT_OF_RANGE, alkire_foster, parse_weights
from vungcao.engine.tabular import TableValidationError

# Alkire & Foster (2011), "Counting and multidimensional poverty measurement", Journal of Public
# Economics 95(7–8): 476–487, section 2: achievement matrix y for 4 people in 4 dimensions
# (income, years of schooling, self-reported health, access to health insurance), cut-offs
# z = (13, 12, 3, 1); deprived when y_ij < z_j.
ACHIEVEMENTS = [(13.1, 14, 4, 1), (15.2, 7, 5, 0), (12.5, 10, 1, 0), (20, 11, 3, 1)]
CUTOFFS = (13, 12, 3, 1)
DIMENSIONS = ("income", "schooling", "health", "insurance")


def paper_deprivation_matrix() -> dict[str, list[int]]:
    return {
        dimension: [int(person[position] < CUTOFFS[position]) for person in ACHIEVEMENTS]
        for position, dimension in enumerate(DIMENSIONS)
    }


def test_worked_example_of_alkire_and_foster_2011() -> None:
    # Given the paper's g0 = [[0,0,0,0],[0,1,0,1],[1,1,1,1],[0,1,0,0]], c = (0,2,4,1) and k = 2 of 4
    matrix = paper_deprivation_matrix()
    # When measured with equal weights
    result = alkire_foster(matrix, Fraction(2, 4), indicators=DIMENSIONS).overall
    # Then, as in the paper: q = 2, H = 1/2, censored c(k) = (0,2,4,0), A = 6/8 = 3/4, M0 = HA = 3/8
    assert (result.population, result.poor) == (4, 2)
    assert result.headcount_ratio == 0.5
    assert result.intensity == 0.75
    assert result.adjusted_headcount_ratio == 0.375
    assert result.censored_headcount == {"income": 0.25, "schooling": 0.5, "health": 0.25, "insurance": 0.5}
    assert result.contribution == pytest.approx(
        {"income": 1 / 6, "schooling": 1 / 3, "health": 1 / 6, "insurance": 1 / 3}, abs=1e-15
    )


def test_union_and_intersection_cutoffs_of_the_worked_example() -> None:
    matrix = paper_deprivation_matrix()
    union = alkire_foster(matrix, Fraction(1, 4), indicators=DIMENSIONS).overall
    intersection = alkire_foster(matrix, 1, indicators=DIMENSIONS).overall
    assert union.headcount_ratio == 0.75  # persons 2, 3 and 4
    assert intersection.headcount_ratio == 0.25  # person 3 only
    assert intersection.adjusted_headcount_ratio == 0.25


def test_exactly_k_is_poor_even_when_weights_are_not_binary_fractions() -> None:
    # Twelve equal weights: three deprivations are exactly 3/12 = 1/4 (0.1 + 0.1 + 0.05 in floats is not)
    indicators = [f"indicator_{number}" for number in range(12)]
    matrix = {name: [1 if position < 3 else 0] for position, name in enumerate(indicators)}
    assert alkire_foster(matrix, "1/4", indicators=indicators).overall.poor == 1
    assert alkire_foster(matrix, "0.26", indicators=indicators).overall.poor == 0


def test_decomposition_by_group_adds_up_to_the_whole() -> None:
    matrix = {**paper_deprivation_matrix(), "province": ["A", "A", "B", "C"]}
    result = alkire_foster(matrix, "1/4", indicators=DIMENSIONS, by="province")
    groups = result.groups.values()
    assert sum(group.population_share for group in groups) == 1
    assert sum(
        group.population_share * group.measures.adjusted_headcount_ratio for group in groups
    ) == pytest.approx(result.overall.adjusted_headcount_ratio)
    assert sum(group.contribution_to_M0 for group in groups) == pytest.approx(1)
    assert sum(result.overall.contribution.values()) == pytest.approx(1)


def test_given_weights_are_normalised() -> None:
    weights = parse_weights("income=2,schooling=1,health=1/2,insurance=0.5")
    assert weights["health"] == Fraction(1, 2)
    result = alkire_foster(paper_deprivation_matrix(), "1/2", weights)
    assert result.weights == {
        "income": Fraction(1, 2),
        "schooling": Fraction(1, 4),
        "health": Fraction(1, 8),
        "insurance": Fraction(1, 8),
    }
    assert result.overall.poor == 1  # only person 3 reaches half of the weight


def test_cutoff_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="above 0") as error:
        alkire_foster(paper_deprivation_matrix(), 2, indicators=DIMENSIONS)
    assert str(error.value) == CUTOFF_OUT_OF_RANGE


def test_a_value_other_than_zero_or_one_is_reported_with_its_row() -> None:
    matrix = {**paper_deprivation_matrix(), "income": [0, 2, 1, 0]}
    with pytest.raises(TableValidationError) as error:
        alkire_foster(matrix, "1/2", indicators=DIMENSIONS)
    assert [(problem.row, problem.field, problem.value) for problem in error.value.report] == [
        (2, "income", "2")
    ]


def test_counting_by_pattern_gives_what_scoring_every_household_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a matrix with repeated patterns, missing subgroups' variety and uneven nested weights
    rows = [
        (a, b, c, d, "north" if (a + 2 * c + i) % 3 else "south")
        for i, (a, b, c, d) in enumerate(
            [(0, 1, 1, 0), (1, 1, 1, 1), (0, 0, 0, 0), (1, 0, 0, 1), (0, 1, 0, 1), (1, 1, 0, 0)] * 7
        )
    ]
    matrix = {
        name: [row[position] for row in rows] for position, name in enumerate([*DIMENSIONS, "province"])
    }
    weights = {"income": "1/2", "schooling": "1/6", "health": "1/6", "insurance": "1/6"}
    dimensions = {"income": "money", "schooling": "education", "health": "health", "insurance": "health"}
    by_pattern = alkire_foster(matrix, "1/3", weights, dimensions=dimensions, by="province")
    # When every household is scored one by one (the path taken beyond 16 indicators)
    monkeypatch.setattr("vungcao.engine.mpi.MAX_PATTERN_INDICATORS", 0)
    one_by_one = alkire_foster(matrix, "1/3", weights, dimensions=dimensions, by="province")
    # Then both give exactly the same measures, overall and per subgroup
    assert by_pattern.as_dict() == one_by_one.as_dict()
    assert list(by_pattern.groups) == ["north", "south"]
