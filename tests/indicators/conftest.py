"""Fixtures of the indicator tests."""

import pytest

from tests.conftest import QUANG_NINH
from tests.indicators.helpers import entered

RATES = {2019: 20, 2020: 18, 2021: 16, 2022: 14, 2023: 12, 2024: 10}
"""Quảng Ninh's poverty rate (%) by year: 20% falling two points a year."""


@pytest.fixture
def history() -> None:
    """Quảng Ninh's households (1,000 a year) and poor households giving :data:`RATES`, entered."""
    for year, rate in RATES.items():
        entered("households", "current", QUANG_NINH, year, 1000)
        entered("poor_households", "current", QUANG_NINH, year, rate * 10)
