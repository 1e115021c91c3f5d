"""Each shipped standard's boundaries, the choice of standard by year and province, and derivation."""

from __future__ import annotations

from typing import Any

import pytest

from vungcao.engine.poverty import (
    StandardNotFound,
    classify_household,
    explain_household,
    get_standard,
    standard_for,
)
from vungcao.engine.poverty.catalogue import NO_STANDARD_FOR_YEAR


def recorded(identifier: str, deprivations: int, income: int, area: str = "rural") -> dict[str, Any]:
    """A household whose deprivations are all recorded by the reviewer (the first ``deprivations`` true)."""
    standard = get_standard(identifier)
    flags = {
        indicator.column: position < deprivations for position, indicator in enumerate(standard.indicators)
    }
    return {"area": area, "income_per_capita_month": income, **flags}


@pytest.mark.parametrize(
    ("identifier", "area", "income", "deprivations", "status"),
    [
        # Decree 07/2021/ND-CP Article 3.2: at or below the line, 3+ deprivations poor, fewer near-poor
        ("vn-2022-2025", "rural", 1_500_000, 3, "poor"),
        ("vn-2022-2025", "rural", 1_500_000, 2, "near_poor"),
        ("vn-2022-2025", "rural", 1_500_001, 12, "average"),
        ("vn-2022-2025", "rural", 2_250_000, 0, "average"),
        ("vn-2022-2025", "rural", 2_250_001, 5, "not_poor"),
        ("vn-2022-2025", "urban", 2_000_000, 3, "poor"),
        ("vn-2022-2025", "urban", 0, 0, "near_poor"),
        ("vn-2022-2025", "urban", 3_000_000, 0, "average"),
        ("vn-2022-2025", "urban", 3_000_001, 0, "not_poor"),
        # Decision 59/2015/QD-TTg Article 2: at or below the poverty line is poor whatever the deprivations
        ("vn-2016-2020", "rural", 700_000, 0, "poor"),
        ("vn-2016-2020", "rural", 700_001, 3, "poor"),
        ("vn-2016-2020", "rural", 1_000_000, 2, "near_poor"),
        ("vn-2016-2020", "rural", 1_000_001, 10, "average"),
        ("vn-2016-2020", "urban", 900_000, 0, "poor"),
        ("vn-2016-2020", "urban", 1_300_000, 2, "near_poor"),
        ("vn-2016-2020", "urban", 1_950_001, 0, "not_poor"),
        # Decree 351/2025/ND-CP as reported: one line, no average band
        ("vn-2027-2030", "rural", 2_200_000, 3, "poor"),
        ("vn-2027-2030", "urban", 2_800_000, 2, "near_poor"),
        ("vn-2027-2030", "urban", 2_800_001, 12, "not_poor"),
        # Quảng Ninh, Resolution 13/2023/NQ-HĐND as reported: 2,100,000 rural, 2,600,000 urban
        ("qn-2023-2025", "rural", 2_100_000, 3, "poor"),
        ("qn-2023-2025", "rural", 2_100_001, 3, "not_poor"),
        ("qn-2023-2025", "urban", 2_600_000, 0, "near_poor"),
    ],
)
def test_status_at_each_boundary(
    identifier: str, area: str, income: int, deprivations: int, status: str
) -> None:
    result = classify_household(recorded(identifier, deprivations, income, area), get_standard(identifier))
    assert (result.status, result.deprivation_count) == (status, deprivations)


@pytest.mark.parametrize(
    ("year", "province", "identifier"),
    [
        (2016, None, "vn-2016-2020"),
        (2021, None, "vn-2016-2020"),  # Decree 07/2021/ND-CP Article 2.1
        (2022, None, "vn-2022-2025"),
        (2026, None, "vn-2022-2025"),  # Decree 351/2025/ND-CP keeps it through 2026
        (2027, None, "vn-2027-2030"),
        (2023, 22, "qn-2023-2025"),
        (2025, 22, "qn-2023-2025"),
        (2026, 22, "vn-2022-2025"),
        (2024, 15, "vn-2022-2025"),
    ],
)
def test_standard_for_year_and_province(year: int, province: int | None, identifier: str) -> None:
    assert standard_for(year, province).identifier == identifier


def test_no_standard_before_2016() -> None:
    with pytest.raises(StandardNotFound) as error:
        standard_for(2015)
    assert str(error.value) == NO_STANDARD_FOR_YEAR.format(year=2015, where="")


def test_provincial_standard_inherits_the_national_indicators() -> None:
    national, provincial = get_standard("vn-2022-2025"), get_standard("qn-2023-2025")
    assert provincial.derives_from == "vn-2022-2025"
    assert provincial.province == 22
    assert provincial.indicators == national.indicators
    assert provincial.fields == national.fields
    assert provincial.threshold("poverty_line").values == {"rural": 2_100_000, "urban": 2_600_000}


def test_every_indicator_without_a_found_text_has_no_rule() -> None:
    for identifier in ("vn-2016-2020", "vn-2022-2025", "vn-2027-2030"):
        for indicator in get_standard(identifier).indicators:
            assert (indicator.deprived_when is None) == (indicator.verification == "not_found")


def test_explanation_names_income_threshold_indicators_and_rule() -> None:
    standard = get_standard("vn-2022-2025")
    household = recorded("vn-2022-2025", 3, 1_200_000)
    english = explain_household(household, standard, "en")
    assert english.startswith(
        "Poor household: income of VND 1,200,000 per person per month is at or below the rural area poverty line"
        " of VND 1,500,000, and the household is deprived in 3 indicators (employment, dependants in the"
        " household, nutrition), 3 or more."
    )
    assert english.endswith("Decree 07/2021/ND-CP Article 3.2(a).")
    assert "1.200.000 đồng/người/tháng" in explain_household(household, standard, "vi")
