"""``python -m benchmarks [NAME [ARGUMENTS…]]``: run the benchmarks, each in its own process.

With no name, every benchmark runs with its defaults: ``poverty`` (the engine at 1M and 5M households;
``python -m benchmarks poverty 27000000`` for the national scale), ``money`` (the money dashboard over
1M records), ``registry`` (a 100,000-household questionnaire import and the review dashboard's
queries at 1M households), ``indicator_engine`` (the pure indicator resolver on a synthetic country) and
``indicators`` (a province scorecard and the national pivots through the app's selectors, 1M households and
100,000 entered values, on SQLite and PostgreSQL) and ``field_capture`` (5,000 phones' submissions to a
commune of 5,000 households received one by one, then accepted in one batch) and ``spark`` (the poverty
engine in-process against a local Spark session at 100k, 1M and 5M households) and ``simulation`` (the
policy simulation over a 5M-household snapshot, in-process and on Spark). Each configures its
own database; see README.md.
"""

import subprocess
import sys

BENCHMARKS = (
    "poverty",
    "money",
    "registry",
    "indicator_engine",
    "indicators",
    "field_capture",
    "spark",
    "simulation",
)


def main(argv: list[str]) -> int:
    if argv and argv[0] in BENCHMARKS:
        runs = [(argv[0], argv[1:])]
    elif argv:
        print(f"unknown benchmark {argv[0]!r}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    else:
        runs = [(name, []) for name in BENCHMARKS]
    failed = 0
    for name, arguments in runs:
        print(f"== {name}", flush=True)
        failed |= subprocess.call([sys.executable, "-m", f"benchmarks.{name}", *arguments])
    return failed


sys.exit(main(sys.argv[1:]))
