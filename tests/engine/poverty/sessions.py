"""One local Spark session for the whole run (starting its JVM takes seconds; each test then only
queries), when PySpark is installed; CI installs it (the ``dev`` extra) and fails without it. A test
module elsewhere imports the fixture; the session is shared (`local_session` gets the active one)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PYSPARK_MISSING_IN_CI = "PySpark is part of the dev extra: CI must test the Spark backend."


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    if importlib.util.find_spec("pyspark") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(PYSPARK_MISSING_IN_CI)
        pytest.skip("PySpark is not installed (pip install 'vungcao[spark]')")
    from vungcao.engine.poverty.spark import local_session

    session = local_session()
    yield session
    session.stop()
