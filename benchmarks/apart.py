"""Benchmarks that run each engine in a process of its own (so that its memory and warm-up are its own),
the child printing its result as JSON on its last line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

CHILD = "--child"
T = TypeVar("T")


def run_apart(module: str, engine: str, path: Path) -> dict[str, Any]:
    """``engine`` of benchmark ``module`` on ``path`` in a new process; its result."""
    output = subprocess.run(
        [sys.executable, "-m", module, CHILD, engine, str(path)], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def ran_as_child(argv: list[str], engines: Mapping[str, Callable[[Path], dict[str, Any]]]) -> bool:
    """When this process is a child (`run_apart`), run the engine asked for and print its result."""
    if argv[:1] != [CHILD]:
        return False
    print(json.dumps(engines[argv[1]](Path(argv[2]))))
    return True


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """Seconds ``work`` took, and its value."""
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def timed_runs(work: Callable[[], T], runs: int) -> tuple[list[float], T]:
    """Seconds of each of ``runs`` runs of ``work``, and the last run's value."""
    seconds = []
    for _ in range(runs):
        elapsed, value = timed(work)
        seconds.append(elapsed)
    return seconds, value


def seconds_columns(result: Mapping[str, Any]) -> str:
    """The first and second run's seconds of an engine's result, as a row of the table prints them."""
    return f"{result['seconds'][0]:8.2f} {result['seconds'][1]:8.2f}"


def spark_columns(result: Mapping[str, Any]) -> str:
    """The Spark session's start and its two runs, as a row of the table prints them."""
    return f"          {result['session_seconds']:8.1f}        {seconds_columns(result)}"
