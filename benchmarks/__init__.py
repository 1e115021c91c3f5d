"""Reproducible benchmarks; never part of the test suite. Run with ``python -m benchmarks``."""
