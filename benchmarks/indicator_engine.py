"""The pure indicator engine on a SYNTHETIC country, without a database.

    python -m benchmarks indicator_engine [COMMUNES_PER_OLD_PROVINCE]

63 old provinces of 160 communes (about 10,000 communes before 2025) become 34 new provinces of about
3,300 communes: each new commune is three old ones merged, one of them split 50/50 with the next new
commune. Counts of households and poor households are entered for every old commune (the first pair in
2015–2024, the others but the second in 2024; the second pair for every old province in 2015–2024) and for every new commune in 2025–2026. A catalogue of 13 rates, each derived from two counts, stands for a
scorecard's 39 indicators. Timed, each with a fresh resolver (as one request): the pivot of a poverty
rate for the 34 provinces × 2015–2024, every figure carried across the crosswalk from the old communes
or from the old provinces, and one province's
scorecard (40 indicators for 2024 and 2026). Each is run five times; the best and the worst are reported.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from decimal import Decimal

from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.definitions import (
    Aggregation,
    Indicator,
    IndicatorKind,
    MeasureUnit,
    Origin,
    Ratio,
)
from vungcao.engine.indicators.figures import CURRENT, PRE2025, Datum, Figure, UnitRef
from vungcao.engine.indicators.resolution import Resolver
from vungcao.engine.indicators.sources import MemoryCrosswalk, MemoryTree, MemoryValues
from vungcao.engine.text import Label

OLD_PROVINCES = 63
NEW_PROVINCES = 34
COUNTS = 13
HALF = Decimal("0.5")


def catalogue() -> Catalogue:
    indicators = []
    for number in range(COUNTS):
        for code in (f"households_{number}", f"poor_{number}"):
            indicators.append(
                Indicator(
                    code,
                    Label(code, code),
                    MeasureUnit.HOUSEHOLDS,
                    IndicatorKind.ENTERED,
                    Aggregation.SUM,
                    "",
                )
            )
        rate = f"rate_{number}"
        indicators.append(
            Indicator(
                rate,
                Label(rate, rate),
                MeasureUnit.PERCENT,
                IndicatorKind.DERIVED,
                Aggregation.RECOMPUTE,
                "",
                formula=Ratio(f"poor_{number}", f"households_{number}", Decimal(100)),
            )
        )
    return Catalogue("benchmark", indicators)


def country(
    communes_per_old_province: int,
) -> tuple[MemoryTree, MemoryCrosswalk, MemoryValues, list[UnitRef]]:
    children: dict[UnitRef, list[UnitRef]] = {}
    old_communes = []
    for province in range(OLD_PROVINCES):
        old_province = UnitRef(PRE2025, f"{province:02d}")
        communes = [
            UnitRef(PRE2025, f"{province:02d}{commune:03d}") for commune in range(communes_per_old_province)
        ]
        children[old_province] = communes
        old_communes += communes
    new_communes = [UnitRef(CURRENT, f"N{number:05d}") for number in range(len(old_communes) // 3)]
    new_provinces = [UnitRef(CURRENT, f"{province:02d}") for province in range(NEW_PROVINCES)]
    for number, commune in enumerate(new_communes):
        children.setdefault(new_provinces[number * NEW_PROVINCES // len(new_communes)], []).append(commune)
    links = [
        (
            UnitRef(PRE2025, f"{province:02d}"),
            new_provinces[province * NEW_PROVINCES // OLD_PROVINCES],
            Decimal(1),
        )
        for province in range(OLD_PROVINCES)
    ]
    for number, commune in enumerate(new_communes):
        first, second, third = old_communes[3 * number : 3 * number + 3]
        links += [(first, commune, Decimal(1)), (second, commune, Decimal(1))]
        following = new_communes[(number + 1) % len(new_communes)]
        links += [(third, commune, HALF), (third, following, HALF)]
    entered = {amount: Datum(Decimal(amount), Origin.ENTERED) for amount in range(1000)}
    recorded = {amount: Datum(Decimal(amount), Origin.RECORDS) for amount in range(1000)}
    data = {}
    for number, commune in enumerate(old_communes):
        for year in range(2015, 2025):
            for count in range(COUNTS) if year == 2024 else (0,):
                if count == 1:
                    continue
                data[(f"households_{count}", commune, year)] = entered[300 + number % 50]
                data[(f"poor_{count}", commune, year)] = entered[110 - year + 2000 + number % 7]
    for province in range(OLD_PROVINCES):
        for year in range(2015, 2025):
            data[("households_1", UnitRef(PRE2025, f"{province:02d}"), year)] = entered[900]
            data[("poor_1", UnitRef(PRE2025, f"{province:02d}"), year)] = entered[100 + year - 2015]
    for number, commune in enumerate(new_communes):
        for year in (2025, 2026):
            for count in range(COUNTS):
                data[(f"households_{count}", commune, year)] = recorded[900 + number % 50]
                data[(f"poor_{count}", commune, year)] = recorded[150 + number % 9]
    return MemoryTree(children), MemoryCrosswalk(links), MemoryValues(data), new_provinces


def timed(label: str, work: Callable[[], list[Figure]]) -> None:
    durations = []
    for _ in range(5):
        started = time.perf_counter()
        figures = work()
        durations.append(time.perf_counter() - started)
    print(
        f"{label}: {len(figures)} figures, best {min(durations) * 1000:.0f} ms, worst {max(durations) * 1000:.0f} ms"
    )


def main(argv: list[str]) -> int:
    communes_per_old_province = int(argv[0]) if argv else 160
    started = time.perf_counter()
    tree, crosswalk, values, provinces = country(communes_per_old_province)
    indicators = catalogue()
    print(
        f"built in {time.perf_counter() - started:.1f} s: {OLD_PROVINCES * communes_per_old_province:,} old communes"
    )

    def resolver() -> Resolver:
        return Resolver(catalogue=indicators, values=values, tree=tree, crosswalk=crosswalk)

    def pivot(indicator: str) -> Callable[[], list[Figure]]:
        def work() -> list[Figure]:
            each = resolver()
            years = range(2015, 2025)
            return [
                each.figure(indicator=indicator, unit=province, year=year)
                for province in provinces
                for year in years
            ]

        return work

    def scorecard() -> list[Figure]:
        each = resolver()
        return [
            each.figure(indicator=indicator.code, unit=provinces[7], year=year)
            for indicator in indicators
            for year in (2024, 2026)
        ]

    timed("pivot, 34 provinces × 10 years, history by old commune", pivot("rate_0"))
    timed("pivot, 34 provinces × 10 years, history by old province", pivot("rate_1"))
    timed("scorecard, one province, 39 indicators × 2 years", scorecard)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
