"""The Spark session fixture (`sessions.spark`), one per test run."""

from tests.engine.poverty.sessions import spark

__all__ = ["spark"]
