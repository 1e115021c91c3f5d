"""Quảng Ninh's review of 2025 (standard vn-2022-2025) open in every commune, Ba Chẽ with two villages."""

from tests.registry.conftest import ba_che_review, ba_che_villages, cycle_2025  # noqa: F401 - the fixtures
